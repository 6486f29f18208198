"""The language layer on our own sentences: splitting, selective parsing, token offsets."""
from __future__ import annotations

import pytest

from kizashi.config import Options
from kizashi.language.selection import select_sentences
from kizashi.language.sentences import split_sentences
from kizashi.model import Document, Paragraph
from kizashi.pipeline import run


def _doc(text: str) -> Document:
    paras, pos = [], 0
    for line in text.split("\n"):
        if line:
            paras.append(Paragraph(pos, pos + len(line)))
        pos += len(line) + 1
    return Document(source="t", raw_sha256="x", text=text, paragraphs=paras, stages=["clean"])


@pytest.mark.parametrize("text, expected", [
    ("北朝鮮は弾薬を送った。ロシアは食糧を送った。", ["北朝鮮は弾薬を送った。", "ロシアは食糧を送った。"]),
    ("彼は「支援する。必ずだ」と述べた。次の文。", ["彼は「支援する。必ずだ」と述べた。", "次の文。"]),
    ("見出しの行\n本文の一文目です！本当か？", ["見出しの行", "本文の一文目です！", "本当か？"]),
    ("終わりに句点がない文", ["終わりに句点がない文"]),
])
def test_split_sentences(text: str, expected: list[str]) -> None:
    doc = _doc(text)
    got = [text[s.start:s.end] for s in split_sentences(text, doc.paragraphs)]
    assert got == expected


SELECTION_CASES = [
    # an item with a flow verb, in a compound, with a destination, in an exchange
    ("北朝鮮はロシアに砲弾を送った。", True),
    ("北朝鮮は労働者派遣を拡大している。", True),
    ("ロシア向けの砲弾が港に集められた。", True),
    ("食料の見返りに砲弾が渡ったとされる。", True),
    # 軍 names troops only as a flow verb's object
    ("北朝鮮は軍をロシアに派遣した。", True),
    ("ロシア軍は前進した。", False),
    # an item with nothing a flow could be read from
    ("砲弾の生産ラインが公開された。", False),
    # an event: parsed only when a hedge, denial or attribution needs scoping
    ("両首脳は9月13日に会談した。", False),
    ("両首脳は来月会談する可能性がある。", True),
    ("両首脳が会談したと朝鮮中央通信が伝えた。", True),
    ("今日は晴れていて、公園を散歩した。", False),
]


@pytest.mark.parametrize(("text", "parsed"), SELECTION_CASES)
def test_selection_parses_only_what_can_change_a_claim(text: str, parsed: bool) -> None:
    from kizashi.extract.events import load_event_lexicon
    from kizashi.extract.lexicon import load_lexicon
    from kizashi.language.ginza import load_nlp

    data = Options().data_dir
    lemmas = [t.lemma_ for t in load_nlp().make_doc(text)]
    assert select_sentences([(text, lemmas)], load_lexicon(data), load_event_lexicon(data).triggers) == [parsed]


@pytest.mark.parametrize("text", [t for t, _ in SELECTION_CASES])
def test_selection_reads_what_a_full_parse_reads(text: str) -> None:
    """Skipping the parse must not change a claim: flows and events, with certainty and
    attribution, equal those of a parse of every sentence."""
    from kizashi.workflow import process_document

    def claims(options: Options) -> tuple[list[tuple], list[tuple]]:
        doc = process_document(_doc(text), options)
        return ([(f.supplier, f.recipient, f.item, f.certainty, f.attributed_to) for f in doc.flows],
                [(e.type, e.date, e.certainty, e.attributed_to) for e in doc.events])

    assert claims(Options()) == claims(Options(parse_all=True))


@pytest.fixture(scope="module")
def analysed() -> Document:
    text = "ロシアは北朝鮮に潜水艦技術を提供する可能性がある。\n今日は晴れていて、公園を散歩した。"
    return run(_doc(text), Options(), ("language",))


def test_tokens_point_into_clean_text(analysed: Document) -> None:
    assert analysed.tokens
    for t in analysed.tokens:
        assert analysed.text[t.start:t.end] == t.text
        assert analysed.tokens[t.head].sent == t.sent


def test_only_triggered_sentences_are_parsed(analysed: Document) -> None:
    flags = [s.analysed for s in analysed.sentences]
    assert flags == [True, False]
    parsed = [t for t in analysed.tokens if t.sent == 0]
    assert any(t.dep == "obj" for t in parsed)
    assert all(t.dep == "" for t in analysed.tokens if t.sent == 1)


def test_parse_all_parses_every_sentence() -> None:
    doc = run(_doc("今日は晴れていて、公園を散歩した。"), Options(parse_all=True), ("language",))
    assert all(s.analysed for s in doc.sentences)
