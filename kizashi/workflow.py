"""Reading files through the pipeline into the store: the one ingest path.

The CLI, the HTTP upload and the distributed ingest all call these functions,
so every entry point has the same idempotence and error reporting.
"""
from __future__ import annotations

import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from .clean.metadata import detect_language
from .config import Options
from .exc import IngestError, IngestStopped, KizashiError, StoreError
from .ingest import iter_files, read_file
from .ingest.versions import version_key
from .model import Document
from .pipeline import DEFAULT_ORDER
from .pipeline import run as run_stages
from .store.repository import SaveResult


@dataclass
class IngestReport:
    new: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    near_duplicates: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)  # also new: each replaced a stored version of its article
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    not_japanese: list[tuple[str, str]] = field(default_factory=list)  # (source, language): not analysed

    @property
    def ok(self) -> bool:
        return not self.failed

    def merge(self, other: "IngestReport") -> None:
        for name in ("new", "unchanged", "duplicates", "near_duplicates", "versions", "failed", "not_japanese"):
            getattr(self, name).extend(getattr(other, name))


def process_document(doc: Document, options: Options) -> Document:
    """Run every pipeline stage over one ingested document."""
    return run_stages(doc, options, ("clean",) + tuple(s for s in DEFAULT_ORDER if s != "clean"))


_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3041-\u30ff]")


JAPANESE_ENOUGH = 8  # kanji and kana: one short sentence (北朝鮮がロシアに送った) can hold a claim


def text_language(text: str) -> str:
    """'ja' when the clean stage's detector says so; otherwise a name for what the text is
    instead, by its script: 'ko' (hangul), 'en', 'zh' (Chinese characters without kana),
    else 'unknown'. Only Japanese is analysed: GiNZA on other text gives nonsense claims."""
    found = detect_language(text)
    hangul, han, kana = (len(p.findall(text)) for p in (_HANGUL, _HAN, _KANA))
    if found != "ja" and han + kana >= JAPANESE_ENOUGH and kana >= 0.05 * (han + kana) and hangul < han + kana:
        return "ja"  # Japanese sentences among markup or Latin names: the sentences are read
    if found in ("ja", "en"):
        return found
    if hangul and hangul >= han + kana:
        return "ko"
    if han and not kana:
        return "zh"
    return "unknown"


def read_records(path: Path, options: Options, *, source: str | None = None) -> list[Document]:
    """The documents in one file, not yet analysed (a JSON list or JSON Lines file holds
    several). ``source`` names the file in place of its path (an upload's temporary copy)."""
    docs = read_file(path, options)
    for doc in docs:
        doc.version_key = version_key(doc, path if source is None else None)
        if source is not None:
            doc.source = source + doc.source.removeprefix(str(path))  # keeps a record's "#n"
    return docs


def analyse_file(path: Path, options: Options, *, skip: Callable[[str], bool] = lambda _h: False,
                 source: str | None = None) -> tuple[list[Document], list[str]]:
    """Read and analyse one file; returns (documents, sources skipped as already stored)."""
    docs, skipped = [], []
    for doc in read_records(path, options, source=source):
        if skip(doc.raw_sha256):
            skipped.append(doc.source)
            continue
        docs.append(process_document(doc, options))
    return docs, skipped


# A run stops after this many store failures in a row that say the store itself is gone
# (a lost connection, a dropped database, a full disk): every later file would fail the same.
STORE_FAILURES_TO_STOP = 3

OnRecord = Callable[[str, str, int], None]  # (file, record's source, records in the file)


class _Run:
    """One ingest run: the report and the count of store failures in a row."""

    def __init__(self, store, options: Options, report: IngestReport, on_record: OnRecord | None) -> None:
        self.store, self.options, self.report = store, options, report
        self.on_record = on_record or (lambda _file, _source, _records: None)
        self.store_failures = 0

    def store_failed(self, source: str, exc: Exception) -> None:
        """File a failure of the store; too many in a row end the run."""
        reason = store_reason(exc)
        self.report.failed.append((source, reason))
        if not store_unavailable(exc):
            return
        self.store_failures += 1
        if self.store_failures >= STORE_FAILURES_TO_STOP:
            raise IngestStopped(f"the store {self.store.name} failed {self.store_failures} times in a row "
                                f"(last: {reason}); stopped: rerun when it is back, the run resumes "
                                f"where it stopped", self.report)

    def stored(self) -> None:
        self.store_failures = 0


def ingest_paths(paths: Iterable[str | Path], store, options: Options, *,
                 on_record: OnRecord | None = None,
                 sources: dict[Path, str] | None = None) -> IngestReport:
    """Ingest files and directories; a bad file or record is reported and skipped, never fatal.
    Each record is stored as soon as it is analysed, in its own transaction, so a run killed
    halfway through a feed keeps what it stored and a rerun goes on from the next record.
    The store's own files (an SQLite store kept in the folder) are left out. ``sources``
    gives files a name to be stored under instead of their path. Raises ``IngestStopped``
    (with the report so far) on Ctrl-C or when the store stops answering."""
    report = IngestReport()
    run = _Run(store, options, report, on_record)
    store.verify_integrity()
    own = {path.resolve() for path in store.files}
    try:
        for item in iter_files(paths):
            if isinstance(item, IngestError):
                report.failed.append((item.path, item.reason))
                run.on_record(item.path, item.path, 1)
            elif item.resolve() not in own:
                ingest_file(item, run, source=(sources or {}).get(item))
    except KeyboardInterrupt:
        raise IngestStopped("interrupted: a rerun resumes where this one stopped", report) from None
    return report


def ingest_file(path: Path, run: _Run, *, source: str | None = None) -> None:
    """Read one file, then analyse and store its records one by one."""
    name = str(path)
    try:
        docs = read_records(path, run.options, source=source)
    except Exception as exc:
        run.report.failed.append(failure(name, exc))
        run.on_record(name, source or name, 1)
        return
    for doc in docs:
        ingest_record(doc, run)
        run.on_record(name, doc.source, len(docs))


def ingest_record(doc: Document, run: _Run) -> None:
    """Skip a record whose bytes are stored, or that is not Japanese; else analyse and store it."""
    try:
        known = run.store.has_raw(doc.raw_sha256, doc.version_key)
    except SQLAlchemyError as exc:
        run.store_failed(doc.source, exc)
        return
    if known:
        run.report.unchanged.append(doc.source)
        return
    try:
        doc = run_stages(doc, run.options, ("clean",))
        language = text_language(doc.text)
        if language != "ja":
            run.report.not_japanese.append((doc.source, language))
            return
        doc = process_document(doc, run.options)
    except Exception as exc:
        run.report.failed.append(failure(doc.source, exc))
        return
    try:
        result = run.store.save_document(doc)
    except StoreError as exc:
        run.store_failed(doc.source, exc)
        return
    run.stored()
    record_result(doc, result, run.report)


def store_unavailable(exc: BaseException) -> bool:
    """Whether a store failure is about the store (connection, database, disk), not the document."""
    cause = exc if isinstance(exc, SQLAlchemyError) else exc.__cause__
    if isinstance(cause, DBAPIError) and cause.connection_invalidated:
        return True
    return isinstance(cause, (OperationalError, InterfaceError))


def store_reason(exc: Exception) -> str:
    """One line: our StoreError says it already; a driver error is named by its first line."""
    if isinstance(exc, StoreError):
        return str(exc)
    original = getattr(exc, "orig", None) or exc
    return f"store error: {type(original).__name__}: {(str(original).splitlines() or [''])[0]}"


def failure(path: str, exc: Exception) -> tuple[str, str]:
    """``(path, reason)`` for the report: our errors say why; anything else is a bug, which
    must cost one file or document, not the run, and leaves its traceback on stderr."""
    if isinstance(exc, IngestError):
        return exc.path, exc.reason
    if isinstance(exc, KizashiError):
        return path, str(exc)
    traceback.print_exc()
    return path, f"internal error: {type(exc).__name__}: {exc}"


def record_result(doc: Document, result: SaveResult | KizashiError, report: IngestReport) -> None:
    """File the store's answer for ``doc`` under its status in ``report``."""
    if isinstance(result, KizashiError):
        report.failed.append((doc.source, str(result)))
        return
    bucket = {"new": report.new, "unchanged": report.unchanged, "duplicate": report.duplicates,
              "near_duplicate": report.near_duplicates}[result.status]
    bucket.append(doc.source)
    if result.previous_version is not None:
        report.versions.append(doc.source)
