"""Re-analysis: today's pipeline run again over stored documents after a rule or lexicon change.

Ingest skips bytes it has seen, so an article stored before a rule fix would keep the claims
of the old rules forever. ``reanalyse`` takes each stored document whose rules version
(kizashi/rules.py) is not today's, runs the stages after cleaning again over its stored clean
text, and stores the new analysis in one transaction per document (the ledger tables
follow in the same transaction). A run stopped midway resumes where it stopped: the
documents done carry today's version.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace

from .config import Options
from .exc import KizashiError
from .model import Document
from .pipeline import DEFAULT_ORDER, run

STAGES = tuple(s for s in DEFAULT_ORDER if s != "clean")  # the text stays: cleaning is not redone


@dataclass
class ReanalysisReport:
    done: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (document id, reason)


def unanalysed(doc: Document) -> Document:
    """The stored document as the clean stage left it: its text, paragraphs, metadata and
    what cleaning removed, with no language, link or claim layer."""
    return Document(source=doc.source, raw_sha256=doc.raw_sha256, text=doc.text, id=doc.id, encoding=doc.encoding,
                    format=doc.format, metadata=replace(doc.metadata), paragraphs=list(doc.paragraphs),
                    removed=list(doc.removed), stages=["clean"])


def analyse_again(doc: Document, options: Options = Options()) -> Document:
    return run(unanalysed(doc), options, STAGES)


def due(store, since: str | None) -> Iterator[str]:
    """Ids of the documents today's rules have not analysed, in order, read a page at a time."""
    after = ""
    while ids := store.due_for_reanalysis(since=since, after=after):
        yield from ids
        after = ids[-1]


def reanalyse(store, options: Options, *, since: str | None = None, workers: int = 1,
              on_document: Callable[[str], None] = lambda _id: None) -> ReanalysisReport:
    """Analyse every due document again and store each new analysis in its own transaction;
    with ``workers`` > 1 the analysis runs in that many processes (the saving stays here)."""
    report = ReanalysisReport()
    pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 else None
    try:
        for chunk in _chunks(due(store, since), CHUNK):
            docs = [store.get_document(i) for i in chunk]
            analysed = pool.map(analyse_again, docs, [options] * len(docs)) if pool else (
                analyse_again(d, options) for d in docs)
            for doc_id, doc in zip(chunk, analysed):
                try:
                    store.replace_analysis(doc_id, doc)
                    report.done.append(doc_id)
                except KizashiError as exc:
                    report.failed.append((doc_id, str(exc)))
                on_document(doc_id)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return report


CHUNK = 32  # documents read and analysed together: the pool's work in hand, not the whole store


def _chunks(ids: Iterator[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for doc_id in ids:
        chunk.append(doc_id)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
