"""ORM tables of the store.

``documents.payload`` holds the whole Document as JSON and is what
``get_document`` rebuilds; the other tables are flat copies of its layers,
kept so that flows, events and entities can be filtered with indexes.
Only portable types are used, so SQLite and PostgreSQL share one schema.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSONB on PostgreSQL (compact, indexable), plain JSON text elsewhere.
Payload = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _document_fk() -> Mapped[str]:
    return mapped_column(String(64), ForeignKey("documents.id", ondelete="CASCADE"), index=True)


class DocumentRow(Base):
    __tablename__ = "documents"
    # Newest first (search) reads (published, id) backwards.
    __table_args__ = (Index("ix_documents_published_id", "published", "id"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    raw_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text, index=True)
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String, index=True)
    published: Mapped[str | None] = mapped_column(String)
    language: Mapped[str | None] = mapped_column(String)
    encoding: Mapped[str | None] = mapped_column(String)
    format: Mapped[str] = mapped_column(String)
    text: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict] = mapped_column(Payload)
    near_duplicate_of: Mapped[str | None] = mapped_column(
        String(64), ForeignKey("documents.id", ondelete="SET NULL"), index=True
    )
    similarity: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rules_version: Mapped[str | None] = mapped_column(String(16))  # migration 0007: kizashi/rules.py
    # migration 0009: where the article lives, and the newer version that replaced it (ingest/versions.py)
    version_key: Mapped[str | None] = mapped_column(Text, index=True)
    superseded_by: Mapped[str | None] = mapped_column(String(64), index=True)


class SourceRow(Base):
    """Every raw file seen, mapped to the document its clean text became."""

    __tablename__ = "document_sources"

    raw_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[str] = _document_fk()
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EntityRow(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = _document_fk()
    entity_id: Mapped[str] = mapped_column(String, index=True)
    name: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String, index=True)
    country: Mapped[str | None] = mapped_column(String)
    known: Mapped[bool] = mapped_column(Boolean)
    mentions: Mapped[int] = mapped_column(Integer)


class MentionRow(Base):
    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = _document_fk()
    entity_id: Mapped[str] = mapped_column(String, index=True)
    type: Mapped[str] = mapped_column(String)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String)


# The ledger's order; then date_max and the filter columns, so that the filters are
# answered from the index entry (see migration 0002).
_LEDGER_ORDER = ("date_min", "document_id", "position")
_FILTERS = ("supplier", "recipient", "item", "certainty")


def _flow_index(name: str, *lead: str) -> Index:
    return Index(name, *lead, *_LEDGER_ORDER, "date_max", *(f for f in _FILTERS if f not in lead))


class FlowRow(Base):
    __tablename__ = "flows"
    # Each filter column leads an index that continues in the ledger's order, so a filtered
    # page is read in order and stops at its limit instead of sorting every match.
    __table_args__ = (*(_flow_index(f"ix_flows_by_{column}", column) for column in (*_FILTERS, "outlet")),
                      _flow_index("ix_flows_by_date"),
                      # one ledger entry's statements, for its upkeep and its evidence (migration 0004)
                      Index("ix_flows_by_key", "supplier", "recipient", "item", *_LEDGER_ORDER, "date_max",
                            "certainty", "outlet"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = _document_fk()
    position: Mapped[int] = mapped_column(Integer)  # index in Document.flows
    claim_id: Mapped[str | None] = mapped_column(String(17), index=True)  # claim_ids.py (migration 0010)
    supplier: Mapped[str] = mapped_column(String)
    recipient: Mapped[str] = mapped_column(String)
    item: Mapped[str] = mapped_column(String)
    certainty: Mapped[str] = mapped_column(String)
    # The document's outlet, copied by a trigger (migration 0002) so that the outlet filter
    # reads an index in the ledger's order instead of sorting every flow of the outlet.
    outlet: Mapped[str | None] = mapped_column(String)
    attributed_to: Mapped[str | None] = mapped_column(Text)
    time: Mapped[str | None] = mapped_column(String)
    # The claim's own date, else the document's, as an inclusive day range for filters.
    date_min: Mapped[str | None] = mapped_column(String(10))
    date_max: Mapped[str | None] = mapped_column(String(10), index=True)
    quantity_value: Mapped[float | None] = mapped_column(Float)
    quantity_unit: Mapped[str | None] = mapped_column(String)
    quantity_approximate: Mapped[bool | None] = mapped_column(Boolean)
    quantity_at_least: Mapped[bool | None] = mapped_column(Boolean)
    quantity_upper: Mapped[float | None] = mapped_column(Float)  # a range's upper end (migration 0003)
    quantity_period: Mapped[str | None] = mapped_column(String)
    cue: Mapped[str | None] = mapped_column(Text)
    why: Mapped[str | None] = mapped_column(Text)  # the words that decided the claim (migration 0003)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    evidence_text: Mapped[str] = mapped_column(Text)


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_by_key", "type", "participants_key", "date"),  # migration 0004
                      # migration 0008: the list in date order, by type or all
                      Index("ix_events_by_type", "type", "date_min", "document_id", "position", "date_max"),
                      Index("ix_events_by_date", "date_min", "document_id", "position", "date_max"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = _document_fk()
    position: Mapped[int] = mapped_column(Integer)  # index in Document.events
    claim_id: Mapped[str | None] = mapped_column(String(17), index=True)  # claim_ids.py (migration 0010)
    type: Mapped[str] = mapped_column(String, index=True)
    date: Mapped[str | None] = mapped_column(String)
    date_min: Mapped[str | None] = mapped_column(String(10), index=True)
    date_max: Mapped[str | None] = mapped_column(String(10), index=True)
    participants: Mapped[list] = mapped_column(JSON)
    participants_key: Mapped[str | None] = mapped_column(String)  # sorted, comma-joined (migration 0004)
    certainty: Mapped[str] = mapped_column(String)
    attributed_to: Mapped[str | None] = mapped_column(Text)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    evidence_text: Mapped[str] = mapped_column(Text)


class FigureRow(Base):
    __tablename__ = "figures"
    __table_args__ = (Index("ix_figures_by_value", "actor", "item", "value"),)  # migration 0005

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = _document_fk()
    position: Mapped[int] = mapped_column(Integer)
    claim_id: Mapped[str | None] = mapped_column(String(17), index=True)  # claim_ids.py (migration 0010)
    actor: Mapped[str | None] = mapped_column(String)
    item: Mapped[str | None] = mapped_column(String)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String)
    period: Mapped[str | None] = mapped_column(String)
    measure: Mapped[str | None] = mapped_column(String)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    evidence_text: Mapped[str] = mapped_column(Text)


class DateRow(Base):
    __tablename__ = "dates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = _document_fk()
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    value: Mapped[str | None] = mapped_column(String)
    end_value: Mapped[str | None] = mapped_column(String)
    precision: Mapped[str] = mapped_column(String)
    relative: Mapped[bool] = mapped_column(Boolean)


class RemovedRow(Base):
    __tablename__ = "removed"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = _document_fk()
    reason: Mapped[str] = mapped_column(String)
    detail: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)


class MinHashRow(Base):
    """A document's MinHash signature, so the LSH index can be rebuilt without rehashing."""

    __tablename__ = "minhash"

    document_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    params: Mapped[str] = mapped_column(String)  # scheme, seed, permutations, shingle size
    signature: Mapped[bytes] = mapped_column(LargeBinary)


# -- the ledger kept in the store (migration 0004) ------------------------------------------------
# Derived from the tables above in the transaction that saves a document (store/ledger.py), so
# that every page reads a few rows; ``kizashi check`` recomputes them from the documents.


class LineageRow(Base):
    """A document's lineage group and the keys its links are tested on (analyse/lineage.py)."""

    __tablename__ = "lineage"

    document_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[str] = mapped_column(String(64), index=True)
    published: Mapped[str | None] = mapped_column(String)
    language: Mapped[str | None] = mapped_column(String)
    translated: Mapped[bool] = mapped_column(Boolean)
    author: Mapped[str | None] = mapped_column(Text, index=True)
    outlet: Mapped[str | None] = mapped_column(Text, index=True)
    byline: Mapped[str | None] = mapped_column(Text, index=True)
    figures: Mapped[list] = mapped_column(JSON)  # [[value, unit], ...]


class LineageMaterialRow(Base):
    """A document's shared-material keys (``LineageKeys.material``: a quote and a figure, hashed)."""

    __tablename__ = "lineage_material"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = _document_fk()
    material: Mapped[str] = mapped_column(String(16), index=True)


class LedgerEntryRow(Base):
    """One (supplier, recipient, item) across every article: analyse.ledger.LedgerEntry.row()."""

    __tablename__ = "ledger_entries"
    __table_args__ = (Index("ix_ledger_entries_key", "supplier", "recipient", "item", unique=True),)

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    supplier: Mapped[str] = mapped_column(String)
    recipient: Mapped[str] = mapped_column(String)
    item: Mapped[str] = mapped_column(String)
    certainty: Mapped[str] = mapped_column(String)
    latest_certainty: Mapped[str] = mapped_column(String)
    latest_doc_id: Mapped[str] = mapped_column(String(64))
    latest_position: Mapped[int] = mapped_column(Integer)
    statements: Mapped[int] = mapped_column(Integer)
    article_count: Mapped[int] = mapped_column(Integer)
    independent_sources: Mapped[int] = mapped_column(Integer)
    statements_by_certainty: Mapped[dict] = mapped_column(JSON)
    sources_by_certainty: Mapped[dict] = mapped_column(JSON)
    contested: Mapped[bool] = mapped_column(Boolean, index=True)
    voices: Mapped[list] = mapped_column(JSON)
    first: Mapped[str | None] = mapped_column(String)
    last: Mapped[str | None] = mapped_column(String)
    date_min: Mapped[str | None] = mapped_column(String(10))
    date_max: Mapped[str | None] = mapped_column(String(10))
    recent: Mapped[list] = mapped_column(JSON)  # the newest statements (analyse.ledger.recent)


class LedgerSourceRow(Base):
    """How many statements of an entry each lineage group makes, by certainty and voice: the
    entry's independent-source counts are read from these rows, and a merge of two groups
    rewrites only the rows of the groups merged."""

    __tablename__ = "ledger_sources"
    __table_args__ = (Index("ix_ledger_sources_group", "group_id", "entry_id"),)

    entry_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    group_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    certainty: Mapped[str] = mapped_column(String, primary_key=True)
    voice: Mapped[str] = mapped_column(Text, primary_key=True)
    statements: Mapped[int] = mapped_column(Integer)


class LedgerFacetRow(Base):
    """Which entries have statements of a certainty, outlet and month: the ledger's filters
    answered from a few rows instead of every statement. A statement counts in each month
    its date range touches; "" stands for no outlet or no date."""

    __tablename__ = "ledger_facets"
    # Each filter is an EXISTS per entry: the indexes lead with the entry (certainty: the key's own
    # prefix); outlet alone lists the outlets for the filter menu, one seek each.
    __table_args__ = (Index("ix_ledger_facets_entry_outlet", "entry_id", "outlet", "month"),
                      Index("ix_ledger_facets_entry_month", "entry_id", "month"),
                      Index("ix_ledger_facets_outlet", "outlet"))

    entry_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    certainty: Mapped[str] = mapped_column(String, primary_key=True)
    outlet: Mapped[str] = mapped_column(String, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    statements: Mapped[int] = mapped_column(Integer)


class ContradictionRow(Base):
    """One disputed thing: analyse.contradictions.Contradiction.row()."""

    __tablename__ = "contradictions"
    __table_args__ = (Index("ix_contradictions_kind_subject", "kind", "subject"),)

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    kind: Mapped[str] = mapped_column(String)
    subject: Mapped[str] = mapped_column(Text)
    entry_id: Mapped[str | None] = mapped_column(String(16), index=True)
    claims: Mapped[int] = mapped_column(Integer)
    sides: Mapped[dict] = mapped_column(JSON)
    examples: Mapped[list] = mapped_column(JSON)


class DisputedValueRow(Base):
    """Every date an event-date dispute holds (its row shows the first few): what a new date
    is checked against, so a save adds to a dispute without recomputing it."""

    __tablename__ = "contradiction_values"

    contradiction_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(Text, primary_key=True)


class TimelineRow(Base):
    """One dated happening across articles: analyse.timeline.TimelineItem.row()."""

    __tablename__ = "timeline"
    __table_args__ = (Index("ix_timeline_order", "date_min", "precision_rank", "kind", "type", "id", "date_max"),
                      Index("ix_timeline_kind_order", "kind", "date_min", "precision_rank", "type", "id",
                            "date_max"))  # migration 0006: date_max, so that a date filter reads the index alone

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    kind: Mapped[str] = mapped_column(String)
    type: Mapped[str] = mapped_column(String)
    participants: Mapped[str] = mapped_column(String)
    date: Mapped[str] = mapped_column(String)
    precision: Mapped[str] = mapped_column(String)
    precision_rank: Mapped[int] = mapped_column(Integer)  # year 0, month 1, day 2: coarser first
    date_min: Mapped[str] = mapped_column(String(10))
    date_max: Mapped[str] = mapped_column(String(10))
    certainty: Mapped[str] = mapped_column(String)
    citations: Mapped[int] = mapped_column(Integer)
    examples: Mapped[list] = mapped_column(JSON)


class EntityStatRow(Base):
    """An entity across the store: how many articles mention it, under which name."""

    __tablename__ = "entity_stats"
    __table_args__ = (Index("ix_entity_stats_type", "type", "entity_id"),)

    entity_id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    name_doc_id: Mapped[str] = mapped_column(String(64))  # the smallest document id naming it
    type: Mapped[str] = mapped_column(String)
    country: Mapped[str | None] = mapped_column(String)
    documents: Mapped[int] = mapped_column(Integer)
    mentions: Mapped[int] = mapped_column(Integer)


class CounterRow(Base):
    """Counts kept as the store changes (documents, statements, lineage groups), read in O(1)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
