"""The one reader and writer of the store, for SQLite and PostgreSQL alike.

A document is written in one transaction: its payload (the whole Document,
which ``get_document`` rebuilds), its source, flat copies of its layers for
filtering, and its MinHash signature; a batch is one transaction with a
savepoint per document. Saving is idempotent on the raw bytes and on the
clean-text id, and writers take turns (SQLite's write lock, a PostgreSQL
advisory lock), so processes writing the same article at once agree on it.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, or_, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from ..config import Options, db_url
from ..analyse.lineage import lineage_keys
from ..exc import StoreError
from ..claim_ids import KINDS
from ..model import Document, Event, Figure, Flow, content_id, document_from_dict
from .migrations import alembic_config, upgrade_to_head
from .check import CheckReport
from .dates import claim_days, iso_day_range, overlap
from .check import check as check_ledger
from .. import rules
from .ledger import NewDocument, reanalysed, rebuild, restored, upkeep, withdrawn
from .near_duplicates import NearDuplicateIndex
from .schema import (
    ContradictionRow,
    DateRow,
    DocumentRow,
    EntityRow,
    EventRow,
    FigureRow,
    FlowRow,
    LedgerEntryRow,
    MentionRow,
    MinHashRow,
    RemovedRow,
    SourceRow,
)
from . import views
from .search import SearchHit, count_matches, search_documents
from .views import Counted, LedgerFilter

SQLITE_BUSY_TIMEOUT_MS = 10_000
_WRITE = "kizashi_write"  # execution option: the transaction takes the write lock at BEGIN
_PG_WRITE_LOCK = 0x6B697A61  # advisory lock key ("kiza"); advisory locks are per database
_BATCH = 200

STATUSES = ("new", "near_duplicate", "duplicate", "unchanged")


@dataclass(frozen=True)
class SaveResult:
    """What ``save_document`` did: stored it (``new``, ``near_duplicate``), or recorded
    another source of a stored text (``duplicate``), or nothing (``unchanged``); a text read
    again from where a stored article lives replaces that article's claims (``previous_version``)."""

    status: str
    document_id: str
    near_duplicate_of: str | None = None
    similarity: float | None = None
    previous_version: str | None = None  # the version of the article this one replaced in the ledger

    @property
    def stored(self) -> bool:
        return self.status in ("new", "near_duplicate")


@dataclass(frozen=True)
class Version:
    """One stored text of an article; the ledger uses the one not superseded."""

    id: str
    source: str
    created_at: datetime
    superseded_by: str | None


@dataclass(frozen=True)
class DocumentSummary:
    id: str
    source: str
    title: str | None
    author: str | None
    outlet: str | None
    published: str | None
    language: str | None
    format: str
    near_duplicate_of: str | None
    similarity: float | None
    created_at: datetime
    flows: int
    events: int
    entities: int


@dataclass(frozen=True)
class FlowRecord:
    claim_id: str
    document_id: str
    position: int  # index in Document.flows
    source: str
    title: str | None
    outlet: str | None
    published: str | None
    supplier: str
    recipient: str
    item: str
    certainty: str
    attributed_to: str | None
    time: str | None
    quantity_value: float | None
    quantity_unit: str | None
    quantity_approximate: bool | None
    quantity_at_least: bool | None
    quantity_period: str | None
    quantity_upper: float | None
    cue: str | None
    why: str | None  # the words that decided the claim
    evidence_start: int
    evidence_end: int
    evidence_text: str


@dataclass(frozen=True)
class EventRecord:
    claim_id: str
    document_id: str
    position: int  # index in Document.events
    source: str
    title: str | None
    outlet: str | None
    published: str | None
    type: str
    date: str | None
    participants: tuple[str, ...]
    certainty: str
    attributed_to: str | None
    evidence_start: int
    evidence_end: int
    evidence_text: str


@dataclass(frozen=True)
class FoundClaim:
    """A claim found by its id: its kind and its place in its document, which holds the rest."""

    kind: str  # "flow", "event" or "figure" (claim_ids.KINDS)
    document: Document
    position: int  # index in the document's layer of that kind

    @property
    def claim(self) -> Flow | Event | Figure:
        return getattr(self.document, KINDS[self.kind][0])[self.position]


@dataclass(frozen=True)
class EntityRecord:
    """An entity as found in one document."""

    document_id: str
    source: str
    title: str | None
    outlet: str | None
    published: str | None
    entity_id: str
    name: str
    type: str
    country: str | None
    known: bool
    mentions: int


class _Pending:
    """Signatures written in the open transaction: matched against by the rest of the batch,
    and added to the store's index only once committed."""

    def __init__(self, index: NearDuplicateIndex) -> None:
        self.index = index
        self.signatures: dict[str, Any] = {}
        self.stored: list[NewDocument] = []  # for the ledger's upkeep at the end of the batch

    def add(self, doc_id: str, signature: Any) -> None:
        self.index.add(doc_id, signature)
        self.signatures[doc_id] = signature


class Store:
    """Documents and their claims in SQLite (default) or PostgreSQL; safe to share across threads."""

    def __init__(self, engine: Engine, options: Options, *, name: str | None = None,
                 read_only: bool = False) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine)
        self._write_sessions = sessionmaker(engine.execution_options(**{_WRITE: True}))
        self._options = options
        self._index: NearDuplicateIndex | None = None  # built on the first save
        self._lock = threading.Lock()
        self.name = name or _shown(engine)  # the URL, without a password, for messages
        self.read_only = read_only
        self._verified = False  # integrity checked before the first write

    @classmethod
    def open(cls, url: str, *, options: Options | None = None, read_only: bool = False) -> Store:
        """Open (creating if needed) the store at ``url`` (an SQLAlchemy URL or a file path)
        and bring its schema to the latest migration. ``read_only`` opens an existing SQLite
        file whose schema is current without write access: a reader then needs no write lock
        (it never waits for a writer) and a read-only file or folder can still be read."""
        options = options or Options()
        if read_only and _existing_sqlite_file(url):
            opened = cls._open_read_only(url, options)
            if opened is not None:
                return opened
        engine = _create_engine(url)
        name = _shown(engine)
        try:
            with engine.execution_options(**{_WRITE: True}).begin() as connection:
                _check_revision(connection, name)
                upgrade_to_head(connection)
        except SQLAlchemyError as exc:
            engine.dispose()
            raise StoreError(f"cannot open store {name}: {_reason(exc)}{_full_disk(url)}") from exc
        except StoreError:
            engine.dispose()
            raise
        return cls(engine, options, name=name)

    @classmethod
    def _open_read_only(cls, url: str, options: Options) -> Store | None:
        """The store opened with SQLite's ``mode=ro``, or None when its schema needs migrating
        (the caller then opens it for writing). In a folder nothing can write to, SQLite cannot
        make the WAL's shared-memory file; with no WAL left (the last writer checkpointed it)
        the file is read as ``immutable``, which needs none."""
        sa_url = make_url(db_url(url))
        name = sa_url.render_as_string(hide_password=True)
        path = Path(sa_url.database or "").expanduser().absolute()
        unwritable = not os.access(path.parent, os.W_OK) or _read_only_mount(path.parent)
        flags = ["mode=ro"] + (["mode=ro&immutable=1"] if unwritable and not Path(f"{path}-wal").exists() else [])
        for n, flag in enumerate(flags, start=1):
            engine = _read_only_engine(path, flag)
            try:
                with engine.connect() as connection:
                    current = _check_revision(connection, name)
                    head = _head(connection)
            except SQLAlchemyError as exc:
                engine.dispose()
                if n == len(flags):
                    raise StoreError(f"cannot open store {name} for reading: {_reason(exc)}") from exc
                continue
            except StoreError:
                engine.dispose()
                raise
            if current != head:
                engine.dispose()
                return None
            return cls(engine, options, name=name, read_only=True)
        return None

    def verify_integrity(self) -> None:
        """Refuse to write into a damaged SQLite file: such a store takes new rows while its
        reads fail as "malformed", so the damage would only grow. Checked once, before the
        first write through this Store (``PRAGMA quick_check``, seconds on a large store)."""
        if self._verified or self._engine.dialect.name != "sqlite":
            return
        try:
            with self._engine.connect() as connection:
                found = list(connection.exec_driver_sql("PRAGMA quick_check").scalars())
        except SQLAlchemyError as exc:
            raise StoreError(f"store {self.name} is damaged (PRAGMA quick_check: {_reason(exc)}); writes refused "
                             f"(restore a backup, or try `sqlite3 FILE .recover`)") from exc
        if found != ["ok"]:
            raise StoreError(f"store {self.name} is damaged (PRAGMA quick_check: {found[0]}"
                             f"{f' and {len(found) - 1} more' if len(found) > 1 else ''}); writes refused "
                             f"(restore a backup, or try `sqlite3 FILE .recover`)")
        self._verified = True

    @property
    def files(self) -> list[Path]:
        """The store's own files on disk (none for a server), which an ingest must not read."""
        return sqlite_files(self.name)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------

    def save_document(self, doc: Document) -> SaveResult:
        """Store ``doc`` in one transaction; on any error nothing of it is written."""
        [result] = self.save_documents([doc])
        if isinstance(result, StoreError):
            raise result
        return result

    def save_documents(self, docs: Sequence[Document]) -> list[SaveResult | StoreError]:
        """Store a batch in one transaction (one commit, not one per document), each document
        under its own savepoint: a document that fails is an error in its place in the result
        and costs only itself. Later documents see earlier ones of the batch, as duplicates and
        as near-duplicates. Two versions of one article go in two transactions: the older one's
        claims must be in the ledger before the newer one takes them out."""
        self.verify_integrity()
        results: list[SaveResult | StoreError] = []
        for part in _apart(docs):
            results += self._save_batch(part)
        return results

    def _save_batch(self, docs: Sequence[Document]) -> list[SaveResult | StoreError]:
        with self._lock:
            results: list[Any] = []
            batch = _Pending(NearDuplicateIndex(self._options))
            try:
                with self._write_sessions.begin() as session:
                    for doc in docs:
                        results.append(self._save_one(session, doc, batch))
                    if batch.stored:
                        upkeep(session, batch.stored, self._index, batch.index)
            except SQLAlchemyError as exc:  # the transaction itself failed: nothing of the batch is stored
                results += [None] * (len(docs) - len(results))
                return [result if isinstance(result, StoreError) else _save_error(doc, exc)
                        for doc, result in zip(docs, results)]
            if self._index is not None:
                for doc_id, signature in batch.signatures.items():
                    self._index.add(doc_id, signature)  # only once committed
            return results

    def _save_one(self, session: Session, doc: Document, batch: _Pending) -> SaveResult | StoreError:
        try:
            with session.begin_nested():
                result, signature = self._save(session, doc, batch)
        except (SQLAlchemyError, UnicodeError) as exc:  # UnicodeError: text with a lone surrogate
            return _save_error(doc, exc)
        if signature is not None:
            batch.add(result.document_id, signature)
            batch.stored.append(NewDocument(result.document_id, doc, signature, result.near_duplicate_of))
        return result

    def _save(self, session: Session, doc: Document, batch: _Pending) -> tuple[SaveResult, Any]:
        doc_id = doc.id or content_id(doc.text)
        now = datetime.now(timezone.utc)
        known_source = session.get(SourceRow, doc.raw_sha256)
        if known_source is not None:
            previous = self._reinstate(session, known_source.document_id, doc.version_key)
            return SaveResult("new" if previous else "unchanged", known_source.document_id,
                              previous_version=previous), None
        stored = session.execute(
            select(DocumentRow.near_duplicate_of, DocumentRow.similarity).where(DocumentRow.id == doc_id)
        ).first()
        if stored is not None:
            session.add(SourceRow(raw_sha256=doc.raw_sha256, document_id=doc_id, source=doc.source, created_at=now))
            previous = self._reinstate(session, doc_id, doc.version_key)
            return SaveResult("new" if previous else "duplicate", doc_id, stored.near_duplicate_of, stored.similarity,
                              previous), None
        previous = _current_version(session, doc.version_key)
        if previous is not None:
            _withdraw(session, previous, doc_id)

        index = self._synced_index(session, batch)
        signature = index.signature(doc.text)
        match = min(filter(None, (index.best_match(signature), batch.index.best_match(signature))),
                    key=lambda m: (-m.similarity, m.document_id), default=None)
        link = {"near_duplicate_of": match.document_id if match else None,
                "similarity": match.similarity if match else None}
        payload = doc.to_dict() | {"id": doc_id} | link  # get_document returns the link too
        meta = doc.metadata
        session.add(DocumentRow(
            id=doc_id, raw_sha256=doc.raw_sha256, source=doc.source, title=meta.title, author=meta.author,
            outlet=meta.outlet, published=meta.published, language=meta.language, encoding=doc.encoding,
            format=doc.format, text=doc.text, payload=payload, created_at=now,
            rules_version=rules.current(self._options) if "extract" in doc.stages else None,
            version_key=doc.version_key, **link,
        ))
        session.add(SourceRow(raw_sha256=doc.raw_sha256, document_id=doc_id, source=doc.source, created_at=now))
        session.flush()  # the document row first: the layer rows reference it
        for model, rows in _layer_rows(doc, doc_id):
            if rows:
                session.execute(insert(model), rows)
        session.add(MinHashRow(document_id=doc_id, params=index.params, signature=index.encode(signature)))
        if match:
            return SaveResult("near_duplicate", doc_id, match.document_id, match.similarity, previous), signature
        return SaveResult("new", doc_id, previous_version=previous), signature

    def _reinstate(self, session: Session, doc_id: str, key: str | None) -> str | None:
        """An old version's text read again from where the article lives (an edit undone): it
        becomes the current version again. Returns the version it replaced, if any."""
        row = session.get(DocumentRow, doc_id)
        if key is None or row is None or row.superseded_by is None or row.version_key != key:
            return None
        previous = _current_version(session, key)
        if previous is not None:
            _withdraw(session, previous, doc_id)
        row.superseded_by = None
        doc = document_from_dict(row.payload)
        for model, rows in _layer_rows(doc, doc_id):
            if model in _CLAIM_LAYERS and rows:
                session.execute(insert(model), rows)
        session.flush()
        restored(session, replace(doc, id=doc_id))
        return previous

    def _synced_index(self, session: Session, batch: _Pending) -> NearDuplicateIndex:
        """The LSH index of committed documents, built from stored signatures on first use and
        caught up with signatures other processes have stored since; ``batch`` holds this
        transaction's own, which must not enter it before the commit."""
        if self._index is None:
            self._index = NearDuplicateIndex(self._options)
        index = self._index
        pending = batch.signatures
        if session.scalar(select(func.count()).select_from(MinHashRow)) == len(index) + len(pending):
            return index
        missing = [i for i in session.scalars(select(MinHashRow.document_id))
                   if i not in index and i not in pending]
        stale: list[str] = []
        for chunk in _chunks(missing):
            rows = session.execute(select(MinHashRow.document_id, MinHashRow.params, MinHashRow.signature)
                                   .where(MinHashRow.document_id.in_(chunk)))
            for doc_id, params, data in rows:
                if params == index.params:
                    index.add(doc_id, index.decode(data))
                else:
                    stale.append(doc_id)
        for chunk in _chunks(stale):  # signed with other options: rehash the text
            for doc_id, text in session.execute(select(DocumentRow.id, DocumentRow.text)
                                                .where(DocumentRow.id.in_(chunk))):
                index.add(doc_id, index.signature(text))
        return index

    def check(self) -> CheckReport:
        """The ledger tables against a recomputation from the documents (``kizashi check``)."""
        with self._sessions() as session:
            return check_ledger(session, self._options)

    # -- re-analysis -----------------------------------------------------------

    def due_for_reanalysis(self, *, since: str | None = None, after: str = "", limit: int = 200) -> list[str]:
        """Ids (after ``after``, in order) of documents whose claims today's rules did not make;
        with ``since``, only those published on or after that day."""
        version = rules.current(self._options)
        d = DocumentRow
        conditions = [d.id > after, or_(d.rules_version.is_(None), d.rules_version != version)]
        if since is not None:
            conditions.append(d.published >= since)
        with self._sessions() as session:
            return list(session.scalars(select(d.id).where(*conditions).order_by(d.id).limit(limit)))

    def replace_analysis(self, doc_id: str, doc: Document) -> None:
        """Store a new analysis of a stored document's unchanged text, in one transaction: its
        claim and link rows are replaced, its payload and rules version updated, and the ledger
        tables recomputed where the old or the new claims touch them."""
        self.verify_integrity()
        with self._lock, self._write_sessions.begin() as session:
            row = session.get(DocumentRow, doc_id)
            if row is None:
                raise StoreError(f"no document {doc_id} in the store")
            if row.text != doc.text:
                raise StoreError(f"document {doc_id}: a re-analysis must keep the stored text")
            old = document_from_dict(row.payload)
            history = row.superseded_by is not None  # an old version's claims stay out of the ledger
            layers = [(model, rows) for model, rows in _layer_rows(doc, doc_id)
                      if not (history and model in _CLAIM_LAYERS)]
            for model, _ in layers:
                session.execute(delete(model).where(model.document_id == doc_id))
            for model, rows in layers:
                if rows:
                    session.execute(insert(model), rows)
            row.payload = doc.to_dict() | {"id": doc_id, "near_duplicate_of": row.near_duplicate_of,
                                           "similarity": row.similarity, "version_key": row.version_key}
            row.rules_version = rules.current(self._options)
            session.flush()
            if not history:
                reanalysed(session, doc_id, old, doc, self._options)
            elif lineage_keys(replace(old, id=doc_id)) != lineage_keys(replace(doc, id=doc_id)):
                rebuild(session, self._options)  # its lineage still links groups

    def rebuild_ledger(self) -> None:
        """Refill the ledger tables from the documents, in one transaction (``check --repair``)."""
        with self._lock, self._write_sessions.begin() as session:
            rebuild(session, self._options)

    # -- reading ---------------------------------------------------------------

    def has_raw(self, raw_sha256: str, version_key: str | None = None) -> bool:
        """Whether these bytes are stored and need no work: the bytes of an old version, read
        again from where the article lives, are an edit undone (``_reinstate``)."""
        with self._sessions() as session:
            row = session.execute(select(DocumentRow.superseded_by, DocumentRow.version_key)
                                  .join(SourceRow, SourceRow.document_id == DocumentRow.id)
                                  .where(SourceRow.raw_sha256 == raw_sha256)).first()
        if row is None:
            return False
        return not (version_key is not None and row.superseded_by is not None and row.version_key == version_key)

    def get_document(self, doc_id: str) -> Document | None:
        with self._sessions() as session:
            row = session.execute(select(DocumentRow.payload, DocumentRow.superseded_by)
                                  .where(DocumentRow.id == doc_id)).first()
        if row is None:
            return None
        doc = document_from_dict(row.payload)
        doc.superseded_by = row.superseded_by
        return doc

    def claim(self, claim_id: str) -> FoundClaim | None:
        """The claim with this id (claim_ids.py) among the documents the ledger uses, or None:
        an old version's claims left the tables when a newer version replaced it."""
        with self._sessions() as session:
            for kind, model in zip(KINDS, (FlowRow, EventRow, FigureRow)):
                found = session.execute(select(model.document_id, model.position)
                                        .where(model.claim_id == claim_id).limit(1)).first()
                if found is not None:
                    break
            else:
                return None
        doc = self.get_document(found.document_id)
        return FoundClaim(kind, doc, found.position) if doc is not None else None

    def versions(self, doc_id: str) -> list[Version]:
        """Every stored version of the article ``doc_id`` is one of, oldest first (by the time
        each was stored); an article read from no known place is its own only version."""
        d = DocumentRow
        with self._sessions() as session:
            key = session.scalar(select(d.version_key).where(d.id == doc_id))
            rows = session.execute(select(d.id, d.source, d.created_at, d.superseded_by)
                                   .where(d.version_key == key if key is not None else d.id == doc_id)
                                   .order_by(d.created_at, d.id)).all()
        return [Version(*row) for row in rows]

    def iter_documents(self) -> Iterator[Document]:
        """Every document by id, read in batches so the whole store is never in memory."""
        last = ""
        while True:
            with self._sessions() as session:
                batch = session.execute(select(DocumentRow.id, DocumentRow.payload).where(DocumentRow.id > last)
                                        .order_by(DocumentRow.id).limit(_BATCH)).all()
            if not batch:
                return
            for row in batch:
                yield document_from_dict(row.payload)
            last = batch[-1].id

    def count_documents(self) -> int:
        """From the counter the saves keep (migration 0004), not a count of the table."""
        with self._sessions() as session:
            return views.counters(session).get("documents", 0)

    def list_documents(self, *, limit: int = 50, offset: int = 0) -> list[DocumentSummary]:
        """Newest publication first (then the larger id); undated documents last. The page's ids
        are found first along the index (ix_documents_published_id / _newest): an OFFSET over the
        full row would compute every skipped row's counts too."""
        d = DocumentRow
        newest = (d.published.desc().nulls_last(), d.id.desc())
        page = select(d.id).order_by(*newest).limit(limit).offset(offset).subquery()
        counts = {
            name: select(func.count()).where(model.document_id == d.id).correlate(d).scalar_subquery().label(name)
            for name, model in (("flows", FlowRow), ("events", EventRow), ("entities", EntityRow))
        }
        stmt = (
            select(d.id, d.source, d.title, d.author, d.outlet, d.published, d.language, d.format,
                   d.near_duplicate_of, d.similarity, d.created_at, *counts.values())
            .join(page, page.c.id == d.id).order_by(*newest)
        )
        return self._records(DocumentSummary, stmt)

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> list[SearchHit]:
        with self._sessions() as session:
            return search_documents(session, query, limit=limit, offset=offset)

    def flows(self, *, limit: int = 100, offset: int = 0, **filters: str | None) -> list[FlowRecord]:
        """Flows matching every given filter (supplier, recipient, item, certainty, source,
        outlet, date_from, date_to), in date order. A flow's date is its own ``time`` when that
        has a year, else its document's publication date; ``date_from`` and ``date_to`` (ISO
        prefixes) keep the flows whose date overlaps the range."""
        f = FlowRow
        stmt = _flow_filter(select(*_columns(FlowRecord, f)), **filters)
        stmt = stmt.order_by(f.date_min.asc().nulls_last(), f.document_id, f.position).limit(limit).offset(offset)
        return self._records(FlowRecord, stmt)

    def count_flows(self, **filters: str | None) -> tuple[int, bool]:
        """How many flows ``flows`` would list, up to ``views.COUNT_CAP``."""
        with self._sessions() as session:
            return views.capped_count(session, _flow_filter(select(FlowRow.id), **filters))

    def count_events(self, *, type: str | None = None, date_from: str | None = None,
                     date_to: str | None = None) -> tuple[int, bool]:
        e = EventRow
        stmt = select(e.id).where(e.type == type) if type is not None else select(e.id)
        with self._sessions() as session:
            return views.capped_count(session, _date_filter(stmt, e, date_from, date_to))

    def count_search(self, query: str, cap: int = views.SEARCH_COUNT_CAP) -> tuple[int, bool]:
        with self._sessions() as session:
            return count_matches(session, query, cap)

    # -- the ledger tables -----------------------------------------------------

    def stats(self) -> dict[str, int]:
        """Documents, statements and lineage groups (counters), ledger entries, contested
        entries and contradictions (small tables)."""
        with self._sessions() as session:
            found = views.counters(session)
            found["entries"] = session.scalar(select(func.count()).select_from(LedgerEntryRow)) or 0
            found["contested"] = session.scalar(select(func.count()).select_from(LedgerEntryRow)
                                                .where(LedgerEntryRow.contested.is_(True))) or 0
            found["contradictions"] = session.scalar(select(func.count()).select_from(ContradictionRow)) or 0
        return found

    def ledger(self, flt: LedgerFilter = LedgerFilter(), *, limit: int = 50, offset: int = 0,
               evidence: int = views.EVIDENCE) -> Counted:
        """Ledger entries matching the filter, by key, each with its newest matching statements."""
        with self._sessions() as session:
            return views.ledger(session, flt, limit=limit, offset=offset, with_evidence=evidence)

    def ledger_entry(self, entry_id: str) -> Any:
        """One entry with its newest statements, or None."""
        with self._sessions() as session:
            found = views.entry(session, entry_id)
            if found is not None:
                views.evidence(session, [found], LedgerFilter(), views.EVIDENCE)
            return found

    def claim_ids_by_entry(self) -> dict[str, list[str]]:
        with self._sessions() as session:
            return views.claim_ids_by_entry(session)

    def ledger_choices(self) -> dict[str, list[str]]:
        with self._sessions() as session:
            return views.choices(session)

    def light_entries(self, limit: int) -> list[Any]:
        """Entries by key with their counts only (no voices, no statements): for the figures."""
        with self._sessions() as session:
            return views.light_entries(session, limit)

    def newest_entries(self, n: int) -> list[Any]:
        with self._sessions() as session:
            return views.newest_entries(session, n)

    def timeline(self, *, kind: str | None = None, date_from: str | None = None, date_to: str | None = None,
                 limit: int = 100, offset: int = 0) -> Counted:
        with self._sessions() as session:
            return views.timeline(session, kind=kind, date_from=date_from, date_to=date_to, limit=limit,
                                  offset=offset)

    def contradictions(self, *, kind: str | None = None, limit: int = 100, offset: int = 0) -> Counted:
        with self._sessions() as session:
            return views.contradictions(session, kind=kind, limit=limit, offset=offset)

    def entity_summaries(self, *, type: str | None = None, limit: int = 100, offset: int = 0) -> Counted:
        with self._sessions() as session:
            return views.entities(session, type=type, limit=limit, offset=offset)

    def names(self, ids: set[str] | None = None) -> dict[str, str]:
        with self._sessions() as session:
            return views.names(session, ids)

    def events(self, *, type: str | None = None, date_from: str | None = None, date_to: str | None = None,
               limit: int = 100, offset: int = 0) -> list[EventRecord]:
        """Events in date order; dates are filtered as in ``flows``."""
        e = EventRow
        stmt = _with_document(select(*_columns(EventRecord, e)), e)
        if type is not None:
            stmt = stmt.where(e.type == type)
        stmt = _date_filter(stmt, e, date_from, date_to)
        stmt = stmt.order_by(e.date_min.asc().nulls_last(), e.document_id, e.position).limit(limit).offset(offset)
        return self._records(EventRecord, stmt)

    def entities(self, *, type: str | None = None, limit: int = 100, offset: int = 0) -> list[EntityRecord]:
        """One record per entity per document, by entity id."""
        n = EntityRow
        stmt = _with_document(select(*_columns(EntityRecord, n)), n)
        if type is not None:
            stmt = stmt.where(n.type == type)
        stmt = stmt.order_by(n.entity_id, n.document_id).limit(limit).offset(offset)
        return self._records(EntityRecord, stmt)

    def _records(self, cls: type, stmt: Any) -> list[Any]:
        with self._sessions() as session:
            rows = session.execute(stmt).mappings().all()
        return [cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}) for row in rows]


_DOCUMENT_FIELDS = ("source", "title", "outlet", "published")


def _columns(record: type, model: type) -> list[Any]:
    """The record's fields as labelled columns of ``model`` or, for document fields, of documents."""
    return [getattr(DocumentRow, f.name).label(f.name) if f.name in _DOCUMENT_FIELDS
            else getattr(model, f.name).label(f.name) for f in fields(record)]


def _with_document(stmt: Any, model: Any) -> Any:
    return stmt.join(DocumentRow, DocumentRow.id == model.document_id)


def _flow_filter(stmt: Any, *, supplier: str | None = None, recipient: str | None = None, item: str | None = None,
                 certainty: str | None = None, source: str | None = None, outlet: str | None = None,
                 date_from: str | None = None, date_to: str | None = None) -> Any:
    f = FlowRow
    stmt = _with_document(stmt, f)
    for column, value in ((f.supplier, supplier), (f.recipient, recipient), (f.item, item),
                          (f.certainty, certainty), (DocumentRow.source, source),
                          (f.outlet, outlet)):  # flows.outlet: indexed in ledger order
        if value is not None:
            stmt = stmt.where(column == value)
    return _date_filter(stmt, f, date_from, date_to)


def _date_filter(stmt: Any, model: Any, date_from: str | None, date_to: str | None) -> Any:
    for value, name in ((date_from, "date_from"), (date_to, "date_to")):
        if value is not None and iso_day_range(value) == (None, None):
            raise ValueError(f"{name} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    return stmt.where(*overlap(model, date_from, date_to))


def _layer_rows(doc: Document, doc_id: str) -> list[tuple[type, list[dict[str, Any]]]]:
    """The document's layers as rows of the flat tables."""
    def day_range(value: str | None) -> dict[str, str | None]:
        low, high = claim_days(value, doc.metadata.published)
        return {"date_min": low, "date_max": high}

    def claim(c: Any) -> dict[str, Any]:
        """What every claim row has: its id and its evidence."""
        span = c.evidence
        return {"claim_id": c.claim_id, "evidence_start": span.start, "evidence_end": span.end,
                "evidence_text": span.text}

    base = {"document_id": doc_id}
    return [
        (EntityRow, [base | {"entity_id": e.id, "name": e.name, "type": e.type, "country": e.country,
                             "known": e.known, "mentions": len(e.mentions)} for e in doc.entities]),
        (MentionRow, [base | {"entity_id": m.entity_id, "type": m.type, "start_offset": m.start,
                              "end_offset": m.end, "text": m.text, "origin": m.source} for m in doc.mentions]),
        (FlowRow, [base | {"position": i, "supplier": f.supplier, "recipient": f.recipient, "item": f.item,
                           "certainty": f.certainty, "attributed_to": f.attributed_to, "time": f.time,
                           "quantity_value": f.quantity.value if f.quantity else None,
                           "quantity_unit": f.quantity.unit if f.quantity else None,
                           "quantity_approximate": f.quantity.approximate if f.quantity else None,
                           "quantity_at_least": f.quantity.at_least if f.quantity else None,
                           "quantity_period": f.quantity.period if f.quantity else None,
                           "quantity_upper": f.quantity.upper if f.quantity else None,
                           "cue": f.cue, "why": f.why} | day_range(f.time) | claim(f)
                   for i, f in enumerate(doc.flows)]),
        (EventRow, [base | {"position": i, "type": e.type, "date": e.date, "participants": list(e.participants),
                            "participants_key": ",".join(sorted(e.participants)), "certainty": e.certainty, "attributed_to": e.attributed_to}
                    | day_range(e.date) | claim(e) for i, e in enumerate(doc.events)]),
        (FigureRow, [base | {"position": i, "actor": f.actor, "item": f.item, "value": f.value, "unit": f.unit,
                             "period": f.period, "measure": f.measure} | claim(f)
                     for i, f in enumerate(doc.figures)]),
        (DateRow, [base | {"start_offset": t.start, "end_offset": t.end, "text": t.text, "value": t.value,
                           "end_value": t.end_value, "precision": t.precision, "relative": t.relative}
                   for t in doc.dates]),
        (RemovedRow, [base | {"reason": r.reason, "detail": r.detail, "text": r.text} for r in doc.removed]),
    ]


def _apart(docs: Sequence[Document]) -> Iterator[Sequence[Document]]:
    """Consecutive runs of ``docs`` in which no article (version key) comes twice."""
    start, keys = 0, set()
    for i, doc in enumerate(docs):
        if doc.version_key is not None and doc.version_key in keys:
            yield docs[start:i]
            start, keys = i, set()
        if doc.version_key is not None:
            keys.add(doc.version_key)
    if start < len(docs) or not docs:
        yield docs[start:]


_CLAIM_LAYERS = (EntityRow, MentionRow, FlowRow, EventRow, FigureRow)  # what an old version takes out of the ledger


def _current_version(session: Session, key: str | None) -> str | None:
    """The stored version of the article at ``key`` that the ledger uses."""
    if key is None:
        return None
    return session.scalar(select(DocumentRow.id).where(DocumentRow.version_key == key,
                                                       DocumentRow.superseded_by.is_(None)).limit(1))


def _withdraw(session: Session, doc_id: str, newer: str) -> None:
    """Take a version's claims out of the ledger: ``newer`` replaces it; its text, payload,
    sources and lineage stay, as history (``kizashi show`` still reads it)."""
    row = session.get(DocumentRow, doc_id)
    row.superseded_by = newer
    for model in _CLAIM_LAYERS:
        session.execute(delete(model).where(model.document_id == doc_id))
    session.flush()
    withdrawn(session, replace(document_from_dict(row.payload), id=doc_id))


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _save_error(doc: Document, exc: Exception) -> StoreError:
    error = StoreError(f"could not save {doc.source}: {_reason(exc)}")
    error.__cause__ = exc
    return error


def _reason(exc: Exception) -> str:
    original = getattr(exc, "orig", None)
    return f"{type(original or exc).__name__}: {str(original or exc).splitlines()[0]}"


def _shown(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def sqlite_files(url: str) -> list[Path]:
    """The files of the SQLite store at ``url``: the database, its WAL, shared memory and
    rollback journal (none for a server or an in-memory store)."""
    sa_url = make_url(db_url(url))
    if sa_url.get_backend_name() != "sqlite" or sa_url.database in (None, "", ":memory:"):
        return []
    path = Path(sa_url.database).expanduser().absolute()
    return [path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))]


def _existing_sqlite_file(url: str) -> bool:
    files = sqlite_files(url)
    return bool(files) and files[0].is_file()


def _full_disk(url: str) -> str:
    """SQLite says "disk I/O error" when it cannot make its WAL files on a full disk: say why."""
    files = sqlite_files(url)
    try:
        free = os.statvfs(files[0].parent) if files else None
    except OSError:
        return ""
    if free is None or free.f_bavail * free.f_frsize >= 1024 * 1024:
        return ""
    return f" (the disk holding it is full: {free.f_bavail * free.f_frsize:,} bytes free)"


def _read_only_mount(folder: Path) -> bool:
    """A folder on a read-only mount (root ignores modes, not mounts)."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def _head(connection: Connection) -> str | None:
    return ScriptDirectory.from_config(alembic_config(connection)).get_current_head()


def _check_revision(connection: Connection, name: str) -> str | None:
    """The store's schema revision; a revision this version does not know means a newer
    Kizashi made the store, which this one must not migrate or misread."""
    current = MigrationContext.configure(connection).get_current_revision()
    script = ScriptDirectory.from_config(alembic_config(connection))
    if current is not None and current not in {rev.revision for rev in script.walk_revisions()}:
        raise StoreError(f"store {name} was made by a newer Kizashi (schema revision {current!r}; this version "
                         f"knows up to {script.get_current_head()!r}): upgrade Kizashi to use it")
    return current


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # Japanese stays readable and a third the size


def _create_engine(url: str) -> Engine:
    sa_url = make_url(db_url(url))
    if sa_url.drivername == "postgresql":
        sa_url = sa_url.set(drivername="postgresql+psycopg")  # the driver we ship
    if sa_url.get_backend_name() != "sqlite":
        # JIT compiles a plan the estimates call costly; for the store's short indexed reads the
        # compiling (15 ms seen on a 50 ms page) costs more than the query, so it is off.
        # A server that takes the connection but never answers must not hold a caller forever.
        connect = {"options": "-c jit=off", "connect_timeout": 10} if sa_url.get_backend_name() == "postgresql" else {}
        engine = create_engine(sa_url, json_serializer=_json_dumps, pool_pre_ping=True, connect_args=connect)
        if sa_url.get_backend_name() == "postgresql":
            _configure_postgresql(engine)
        return engine
    if sa_url.database in (None, "", ":memory:"):
        engine = create_engine(sa_url, json_serializer=_json_dumps, poolclass=StaticPool,
                               connect_args={"check_same_thread": False})
    else:
        Path(sa_url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(sa_url, json_serializer=_json_dumps)
    _configure_sqlite(engine)
    return engine


def _read_only_engine(path: Path, flags: str) -> Engine:
    """An engine over SQLite's URI form (``file:…?mode=ro``), the path quoted so that ``?`` or
    ``#`` in a file name stay part of it."""
    uri = f"file:{quote(str(path))}?{flags}"
    engine = create_engine("sqlite://", json_serializer=_json_dumps,
                           creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
    _configure_sqlite(engine, read_only=True)
    return engine


def _configure_sqlite(engine: Engine, *, read_only: bool = False) -> None:
    """WAL (readers never block the writer), enforced foreign keys, a wait instead of
    'database is locked', and real transactions: sqlite3's legacy mode would not BEGIN
    before SELECTs, and writers BEGIN IMMEDIATE so a read-then-write cannot deadlock."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not read_only:  # a read-only connection cannot change the journal (the file is WAL already)
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if connection.get_execution_options().get(_WRITE) else "BEGIN")


def _configure_postgresql(engine: Engine) -> None:
    """Writers take one transaction-scoped advisory lock at BEGIN, as SQLite writers take the
    write lock with BEGIN IMMEDIATE. Without it two processes saving the same article both
    insert it and one fails on the unique key, two near-duplicates saved at once miss each
    other, and two processes opening an empty database both create the schema."""

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(_WRITE):
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_WRITE_LOCK})")
