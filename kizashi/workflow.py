"""Reading files through the pipeline into the store: the one ingest path.

The CLI, the HTTP upload and the distributed ingest all call these functions,
so every entry point has the same idempotence and error reporting.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from .config import Options
from .exc import IngestError, KizashiError
from .ingest import iter_files, read_file
from .model import Document
from .pipeline import DEFAULT_ORDER, run
from .store.repository import SaveResult


@dataclass
class IngestReport:
    new: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    near_duplicates: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)

    @property
    def ok(self) -> bool:
        return not self.failed

    def merge(self, other: "IngestReport") -> None:
        for name in ("new", "unchanged", "duplicates", "near_duplicates", "failed"):
            getattr(self, name).extend(getattr(other, name))


def process_document(doc: Document, options: Options) -> Document:
    """Run every pipeline stage over one ingested document."""
    return run(doc, options, ("clean",) + tuple(s for s in DEFAULT_ORDER if s != "clean"))


def analyse_file(path: Path, options: Options, *, skip: Callable[[str], bool] = lambda _h: False,
                 source: str | None = None) -> tuple[list[Document], list[str]]:
    """Read and analyse one file; returns (documents, sources skipped as already stored).
    ``source`` names the file in place of its path (an upload's temporary copy)."""
    docs, skipped = [], []
    for doc in read_file(path, options):
        if source is not None:
            doc.source = source + doc.source.removeprefix(str(path))  # keeps a record's "#n"
        if skip(doc.raw_sha256):
            skipped.append(doc.source)
            continue
        docs.append(process_document(doc, options))
    return docs, skipped


def ingest_paths(paths: Iterable[str | Path], store, options: Options, *,
                 on_file: Callable[[str], None] | None = None,
                 sources: dict[Path, str] | None = None) -> IngestReport:
    """Ingest files and directories; a bad file is reported and skipped, never fatal.
    ``sources`` gives files a name to be stored under instead of their path."""
    report = IngestReport()
    for item in iter_files(paths):
        if isinstance(item, IngestError):
            report.failed.append((item.path, item.reason))
            if on_file:
                on_file(item.path)
            continue
        ingest_file(item, store, options, report, source=(sources or {}).get(item))
        if on_file:
            on_file(str(item))
    return report


def ingest_file(path: Path, store, options: Options, report: IngestReport, *, source: str | None = None) -> None:
    try:
        docs, skipped = analyse_file(path, options, skip=store.has_raw, source=source)
    except Exception as exc:
        report.failed.append(failure(str(path), exc))
        return
    report.unchanged.extend(skipped)
    for doc in docs:
        store_document(doc, store, report)


def failure(path: str, exc: Exception) -> tuple[str, str]:
    """``(path, reason)`` for the report: our errors say why; anything else is a bug, which
    must cost one file or document, not the run, and leaves its traceback on stderr."""
    if isinstance(exc, IngestError):
        return exc.path, exc.reason
    if isinstance(exc, KizashiError):
        return path, str(exc)
    traceback.print_exc()
    return path, f"internal error: {type(exc).__name__}: {exc}"


def store_document(doc: Document, store, report: IngestReport) -> None:
    try:
        result = store.save_document(doc)
    except KizashiError as exc:
        result = exc
    record_result(doc, result, report)


def record_result(doc: Document, result: SaveResult | KizashiError, report: IngestReport) -> None:
    """File the store's answer for ``doc`` under its status in ``report``."""
    if isinstance(result, KizashiError):
        report.failed.append((doc.source, str(result)))
        return
    bucket = {"new": report.new, "unchanged": report.unchanged, "duplicate": report.duplicates,
              "near_duplicate": report.near_duplicates}[result.status]
    bucket.append(doc.source)
