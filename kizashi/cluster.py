"""Ingest on a Dask cluster: the parse runs on workers, the store stays with the driver.

Why this split: the pipeline is pure CPU over one document and the store is a single
writer. The driver reads and decodes files (cheap), skips raw bytes already stored (so a
rerun resumes), ships each document to a worker, and writes what comes back in input order,
one transaction per batch. Writing in input order makes a distributed run store exactly what
a single process stores (near-duplicate links point the same way), and keeps the store
free of any network path: workers on other machines never need to reach the database.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Options
from .exc import IngestError, IngestStopped
from .ingest import iter_files
from .model import Document
from .pipeline import run as run_stages
from .workflow import IngestReport, failure, process_document, read_records, record_result, text_language

WARM_UP_TEXT = "ロシアは北朝鮮に石油を送ったとみられる。"
CONNECT_TIMEOUT_S = 10


@dataclass(frozen=True)
class ClusterSpec:
    """Where to run: ``workers`` local processes, or an existing scheduler's address."""

    workers: int = 2
    scheduler: str | None = None
    batch_size: int = 16  # documents per store transaction
    in_flight_per_worker: int = 4  # bounds the driver's memory and the head-of-line wait


@dataclass
class _Pending:
    """One document on its way: at a worker (``future``), or already settled (``status``)."""

    doc: Document
    source_file: str
    future: Any = None  # distributed.Future while a worker analyses the document
    status: str | None = None  # "unchanged" when its raw bytes are stored or seen in this run
    failure: str | None = None  # why the worker could not analyse it
    language: str | None = None  # set when the text is not Japanese: it is not analysed


@dataclass(frozen=True)
class NotJapanese:
    """A worker's answer for a text in another language (workflow.text_language)."""

    language: str


def analyse_remote(doc: Document, options: Options) -> Document | NotJapanese | str:
    """The worker's task: the analysed document, the language of a text that is not
    Japanese, or the reason it failed (never raises, so one bad document fails itself and
    not the batch)."""
    try:
        cleaned = run_stages(doc, options, ("clean",))
        language = text_language(cleaned.text)
        if language != "ja":
            return NotJapanese(language)
        return process_document(doc, options)
    except Exception as exc:
        return failure(doc.source, exc)[1]


def warm_up(options: Options) -> int:
    """Load the model and the ontology once per worker, before the first real document."""
    import os

    process_document(Document(source="warm-up", raw_sha256="0" * 64, text=WARM_UP_TEXT), options)
    return os.getpid()


def peak_rss_bytes() -> int:
    """This process's peak resident memory (Linux reports kilobytes)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def open_client(spec: ClusterSpec) -> Any:
    """A Dask client on ``spec.scheduler``, or on a new LocalCluster of single-threaded
    worker processes (GiNZA holds the GIL; processes, not threads, use the cores)."""
    from distributed import Client, LocalCluster

    if spec.scheduler:
        return Client(spec.scheduler, timeout=CONNECT_TIMEOUT_S)
    cluster = LocalCluster(n_workers=spec.workers, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster)


def close_client(client: Any) -> None:
    cluster = client.cluster  # the LocalCluster open_client made; None for an existing scheduler
    client.close()
    if cluster is not None:
        cluster.close()


def ingest_paths_distributed(paths: Iterable[str | Path], store: Any, options: Options, client: Any, *,
                             spec: ClusterSpec = ClusterSpec(),
                             on_file: Callable[[str], None] | None = None) -> IngestReport:
    """Like ``workflow.ingest_paths``, with the analysis spread over ``client``'s workers.
    Raises ``IngestStopped`` with the report so far on Ctrl-C (what was written stays)."""
    report = IngestReport()
    try:
        return _ingest(paths, store, options, client, spec, on_file, report)
    except KeyboardInterrupt:
        raise IngestStopped("interrupted: a rerun resumes where this one stopped", report) from None


def _ingest(paths: Iterable[str | Path], store: Any, options: Options, client: Any, spec: ClusterSpec,
            on_file: Callable[[str], None] | None, report: IngestReport) -> IngestReport:
    client.run(warm_up, options)
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    window = workers * spec.in_flight_per_worker
    pending: deque[_Pending] = deque()
    batch: list[_Pending] = []
    remaining: dict[str, int] = {}  # documents of each file not yet written

    def flush() -> None:
        _write_batch(batch, store, report)
        for item in batch:
            remaining[item.source_file] -= 1
            if remaining[item.source_file] == 0 and on_file:
                on_file(item.source_file)
        batch.clear()

    def drain(keep: int) -> None:
        while len(pending) > keep:
            item = pending.popleft()
            _settle(item)
            batch.append(item)
            if len(batch) >= spec.batch_size:
                flush()

    for path, docs in _read_all(paths, store, options, report, on_file):
        remaining[path] = len(docs)
        for doc, status in docs:
            future = None if status else client.submit(analyse_remote, doc, options, pure=False)
            pending.append(_Pending(doc, path, future, status))
            drain(window)
        if not docs and on_file:
            on_file(path)
    drain(0)
    flush()
    return report


def _settle(item: _Pending) -> None:
    """Wait for the worker's answer; a lost worker (crash, memory) fails this document only."""
    if item.future is None:
        return
    try:
        result = item.future.result()
    except Exception as exc:
        result = f"worker failed: {type(exc).__name__}: {exc}"
    finally:
        item.future = None
    if isinstance(result, Document):
        item.doc = result
    elif isinstance(result, NotJapanese):
        item.status, item.language = "not_japanese", result.language
    else:
        item.failure = result


def _write_batch(batch: list[_Pending], store: Any, report: IngestReport) -> None:
    """One transaction for the batch's analysed documents; a document the store refuses
    fails alone (``Store.save_documents`` keeps a savepoint per document)."""
    to_save = [item for item in batch if item.status is None and item.failure is None]
    results = store.save_documents([item.doc for item in to_save]) if to_save else []
    saved = dict(zip(map(id, to_save), results))
    for item in batch:
        if item.status == "unchanged":
            report.unchanged.append(item.doc.source)
        elif item.status == "not_japanese":
            report.not_japanese.append((item.doc.source, item.language or "unknown"))
        elif item.failure is not None:
            report.failed.append((item.doc.source, item.failure))
        else:
            record_result(item.doc, saved[id(item)], report)


def _read_all(paths: Iterable[str | Path], store: Any, options: Options, report: IngestReport,
              on_file: Callable[[str], None] | None) -> Iterator[tuple[str, list[tuple[Document, str | None]]]]:
    """Each readable file with its documents, each marked ``"unchanged"`` when its raw bytes
    are stored already or were seen earlier in this run; unreadable files go to the report."""
    seen: set[str] = set()
    own = {path.resolve() for path in store.files}  # an SQLite store kept in the folder
    for item in iter_files(paths):
        if not isinstance(item, IngestError) and item.resolve() in own:
            continue
        if isinstance(item, IngestError):
            failure: tuple[str, str] | None = (item.path, item.reason)
        else:
            docs, failure = _read(item, options)
        if failure is not None:
            report.failed.append(failure)
            if on_file:
                on_file(failure[0])
            continue
        marked: list[tuple[Document, str | None]] = []
        for doc in docs:
            known = doc.raw_sha256 in seen or store.has_raw(doc.raw_sha256, doc.version_key)
            seen.add(doc.raw_sha256)
            marked.append((doc, "unchanged" if known else None))
        yield str(item), marked


def _read(path: Path, options: Options) -> tuple[list[Document], tuple[str, str] | None]:
    try:
        return read_records(path, options), None
    except Exception as exc:
        return [], failure(str(path), exc)
