"""Invariants of the whole pipeline and the store, on generated articles.

Articles are built from our own sentences (ingest_articles.SENTENCES) with noise spliced in
and between them: whitespace, ASCII, emoji, half-width katakana, full-width digits and
control characters. Each example is a real file read by ``read_file`` and run through every
stage with real GiNZA, so examples are few and short.
"""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_articles import SENTENCES
from storedump import dump_store

from kizashi.clean.stage import clean_text
from kizashi.config import Options
from kizashi.ingest import read_file
from kizashi.model import Document
from kizashi.store import Store
from kizashi.workflow import ingest_paths, process_document

OPTIONS = Options()

NOISE = [
    " ", "  ", "\t", "\u3000", "\n", "\n\n\n", "abc", "Reuters", "https://example.com/a?b=1", "(AP)",
    "🚀", "🇰🇵", "👍🏽", "ﾛｼｱ", "ﾐｻｲﾙ", "ｶﾞｽ", "ｷﾀﾁｮｳｾﾝ", "２０２４年３月５日", "１０万発", "１２３",
    "\x07", "\x1b", "\x0b", "\x0c", "\x7f", "\x85", "\u200b", "\ufeff", "【速報】", "★", "…", "――",
]
_NOISE_CHARS = "".join(NOISE) + "ｱｲｳｴｵﾞﾟ０１２３４５６７８９ＡＢａｂ!?#%&*+-=<>" + "\x01\x02\x1f"

noise = st.one_of(st.sampled_from(NOISE), st.text(alphabet=_NOISE_CHARS, min_size=1, max_size=8))


@st.composite
def spliced(draw: st.DrawFn) -> str:
    """A sentence with noise inserted somewhere inside it."""
    sentence = draw(st.sampled_from(SENTENCES))
    at = draw(st.integers(0, len(sentence)))
    return sentence[:at] + draw(noise) + sentence[at:]


fragment = st.one_of(st.sampled_from(SENTENCES), spliced(), noise)
paragraph = st.lists(fragment, min_size=1, max_size=4).map("".join)


@st.composite
def articles(draw: st.DrawFn) -> str:
    """A headline-ish first line, then paragraphs; at least one whole sentence of ours."""
    first = draw(st.sampled_from(["", "露朝の動き", "ﾛｼｱと北朝鮮 🚀", "【速報】北朝鮮"]))
    body = draw(st.lists(paragraph, min_size=0, max_size=4))
    anchor = draw(st.sampled_from(SENTENCES))
    body.insert(draw(st.integers(0, len(body))), anchor)
    sep = draw(st.sampled_from(["\n", "\n\n", "\r\n"]))
    return sep.join([first, *body])


def _in_text(text: str, start: int, end: int, span_text: str, what: object) -> None:
    assert 0 <= start <= end <= len(text), what
    assert text[start:end] == span_text, what


def assert_offsets_consistent(doc: Document) -> None:
    """Every offset of every layer points into ``doc.text`` and quotes it exactly."""
    text = doc.text
    for p in doc.paragraphs:
        assert 0 <= p.start < p.end <= len(text), p
    for s in doc.sentences:
        assert 0 <= s.start <= s.end <= len(text), s
    for t in doc.tokens:
        _in_text(text, t.start, t.end, t.text, t)
    for m in doc.mentions:
        _in_text(text, m.start, m.end, m.text, m)
        assert m.start < m.end, m
    spans = {(m.entity_id, m.start, m.end) for m in doc.mentions}
    for e in doc.entities:
        for start, end in e.mentions:
            assert (e.id, start, end) in spans, (e.id, start, end)
    for d in doc.dates:
        _in_text(text, d.start, d.end, d.text, d)
    for claim in (*doc.flows, *doc.events, *doc.figures):
        _in_text(text, claim.evidence.start, claim.evidence.end, claim.evidence.text, claim)
    for a in doc.anomalies:
        _in_text(text, a.start, a.end, a.text, a)


def _processed(raw: str, directory: Path, name: str = "article.txt") -> tuple[Path, Document]:
    path = directory / name
    path.write_bytes(raw.encode("utf-8"))
    [doc] = read_file(path, OPTIONS)
    return path, process_document(doc, OPTIONS)


@settings(max_examples=25, deadline=None)
@given(articles())
def test_every_offset_quotes_the_clean_text_and_cleaning_is_idempotent(raw: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _, doc = _processed(raw, Path(tmp))
        assert_offsets_consistent(doc)
        assert doc.flows or doc.events or doc.mentions  # the anchor sentence always names a country
        # Cleaning the clean text changes nothing ...
        again, paragraphs, removed, _ = clean_text(doc.text, OPTIONS)
        assert (again, paragraphs, removed) == (doc.text, doc.paragraphs, [])
        # ... so a re-scrape of the clean text as a file of its own is the same document.
        _, rescrape = _processed(doc.text, Path(tmp), "rescrape.txt")
        assert (rescrape.id, rescrape.text) == (doc.id, doc.text)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=articles())
def test_store_keeps_offsets_and_reingest_changes_nothing(store_url: str, raw: str) -> None:
    """One store per backend across all examples: later examples meet earlier documents."""
    with tempfile.TemporaryDirectory() as tmp, Store.open(store_url) as store:
        name = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:12] + ".txt"
        path, doc = _processed(raw, Path(tmp), name)
        result = store.save_document(doc)
        stored = store.get_document(result.document_id)
        assert stored is not None and stored.text == doc.text
        assert_offsets_consistent(stored)
        if result.stored:
            assert stored.to_dict() == doc.to_dict() | {
                "near_duplicate_of": result.near_duplicate_of, "similarity": result.similarity}

        before = dump_store(store_url)
        report = ingest_paths([path], store, OPTIONS)
        assert (report.unchanged, report.new, report.duplicates, report.near_duplicates, report.failed) \
            == ([str(path)], [], [], [], [])
        assert dump_store(store_url) == before


@pytest.mark.parametrize("raw", ["\x85ﾛｼｱ\u200b\n\n🇰🇵" + SENTENCES[1] + "\x0c１０万発", "\r\n".join(SENTENCES[:3])])
def test_a_noisy_article_keeps_its_offsets(raw: str, tmp_path: Path) -> None:
    """Two fixed examples, so a plain run exercises the noise even if the generator drifts."""
    _, doc = _processed(raw, tmp_path)
    assert doc.mentions and doc.dates
    assert_offsets_consistent(doc)
