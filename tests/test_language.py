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


def test_selection_flags_only_sentences_with_triggers() -> None:
    assert select_sentences(["砲弾を送った。", "天気が良い。"], ("砲弾",)) == [True, False]


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
