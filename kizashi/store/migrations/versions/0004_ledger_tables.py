"""The ledger kept in the store: lineage, ledger entries and their facets, contradictions,
timeline, entity counts and counters, kept up to date by the transaction that saves a
document (kizashi/store/ledger.py), so that pages read a few rows instead of rebuilding
the analysis from every document.

Also: events get ``participants_key`` (sorted, comma-joined) and an index with type and
date, figures an (actor, item) index, flows an index on their ledger key, and PostgreSQL
an index for newest-first document lists (its DESC puts NULLs first otherwise).

The backfill reads every stored document once and fills the tables from scratch with
the same code ``kizashi check`` uses (stored MinHash signatures are reused).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("lineage_material", "lineage", "ledger_sources", "ledger_facets", "ledger_entries", "contradictions", "timeline",
          "entity_stats", "counters")


def _json() -> sa.types.TypeEngine:
    return sa.JSON()  # as the models: these small rows are read whole, never queried inside


def upgrade() -> None:
    op.add_column("events", sa.Column("participants_key", sa.String(), nullable=True))
    op.create_index("ix_events_by_key", "events", ["type", "participants_key", "date"])
    op.create_index("ix_figures_by_key", "figures", ["actor", "item"])
    op.create_index("ix_flows_by_key", "flows", ["supplier", "recipient", "item", "date_min", "document_id", "position",
                                                 "date_max", "certainty", "outlet"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_documents_newest ON documents (published DESC NULLS LAST, id DESC)")
    op.create_table(
        "lineage",
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE",
                                                              name="fk_lineage_document_id_documents"),
                  primary_key=True),
        sa.Column("group_id", sa.String(64), nullable=False, index=True),
        sa.Column("published", sa.String()), sa.Column("language", sa.String()),
        sa.Column("translated", sa.Boolean(), nullable=False),
        sa.Column("author", sa.Text(), index=True), sa.Column("outlet", sa.Text(), index=True),
        sa.Column("byline", sa.Text(), index=True), sa.Column("figures", _json(), nullable=False),
        sa.PrimaryKeyConstraint("document_id", name="pk_lineage"))
    op.create_table(
        "lineage_material",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("document_id", sa.String(64), sa.ForeignKey("documents.id", ondelete="CASCADE",
                                                              name="fk_lineage_material_document_id_documents"),
                  nullable=False, index=True),
        sa.Column("material", sa.String(16), nullable=False, index=True),
        sa.PrimaryKeyConstraint("id", name="pk_lineage_material"))
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.String(16), primary_key=True),
        *(sa.Column(c, sa.String(), nullable=False) for c in ("supplier", "recipient", "item", "certainty",
                                                               "latest_certainty")),
        sa.Column("latest_doc_id", sa.String(64), nullable=False),
        *(sa.Column(c, sa.Integer(), nullable=False) for c in ("latest_position", "statements", "article_count",
                                                                "independent_sources")),
        sa.Column("statements_by_certainty", _json(), nullable=False),
        sa.Column("sources_by_certainty", _json(), nullable=False),
        sa.Column("contested", sa.Boolean(), nullable=False, index=True),
        sa.Column("voices", _json(), nullable=False),
        sa.Column("first", sa.String()), sa.Column("last", sa.String()),
        sa.Column("date_min", sa.String(10)), sa.Column("date_max", sa.String(10)),
        sa.Column("recent", _json(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ledger_entries"))
    op.create_index("ix_ledger_entries_key", "ledger_entries", ["supplier", "recipient", "item"], unique=True)
    op.create_table(
        "ledger_sources",
        sa.Column("entry_id", sa.String(16), nullable=False), sa.Column("group_id", sa.String(64), nullable=False),
        sa.Column("certainty", sa.String(), nullable=False), sa.Column("voice", sa.Text(), nullable=False),
        sa.Column("statements", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", "group_id", "certainty", "voice", name="pk_ledger_sources"))
    op.create_index("ix_ledger_sources_group", "ledger_sources", ["group_id", "entry_id"])
    op.create_table(
        "ledger_facets",
        sa.Column("entry_id", sa.String(16), nullable=False), sa.Column("certainty", sa.String(), nullable=False),
        sa.Column("outlet", sa.String(), nullable=False), sa.Column("month", sa.String(7), nullable=False),
        sa.Column("statements", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", "certainty", "outlet", "month", name="pk_ledger_facets"))
    op.create_index("ix_ledger_facets_entry_outlet", "ledger_facets", ["entry_id", "outlet", "month"])
    op.create_index("ix_ledger_facets_entry_month", "ledger_facets", ["entry_id", "month"])
    op.create_index("ix_ledger_facets_outlet", "ledger_facets", ["outlet"])
    op.create_table(
        "contradictions",
        sa.Column("id", sa.String(16), primary_key=True), sa.Column("kind", sa.String(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False), sa.Column("entry_id", sa.String(16), index=True),
        sa.Column("claims", sa.Integer(), nullable=False), sa.Column("sides", _json(), nullable=False),
        sa.Column("examples", _json(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_contradictions"))
    op.create_index("ix_contradictions_kind_subject", "contradictions", ["kind", "subject"])
    op.create_table(
        "timeline",
        sa.Column("id", sa.String(16), primary_key=True),
        *(sa.Column(c, sa.String(), nullable=False) for c in ("kind", "type", "participants", "date", "precision")),
        sa.Column("precision_rank", sa.Integer(), nullable=False),
        sa.Column("date_min", sa.String(10), nullable=False), sa.Column("date_max", sa.String(10), nullable=False),
        sa.Column("certainty", sa.String(), nullable=False), sa.Column("citations", sa.Integer(), nullable=False),
        sa.Column("examples", _json(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_timeline"))
    op.create_index("ix_timeline_order", "timeline", ["date_min", "precision_rank", "kind", "type", "id"])
    op.create_index("ix_timeline_kind_order", "timeline", ["kind", "date_min", "precision_rank", "type", "id"])
    op.create_table(
        "entity_stats",
        sa.Column("entity_id", sa.String(), primary_key=True), sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_doc_id", sa.String(64), nullable=False), sa.Column("type", sa.String(), nullable=False),
        sa.Column("country", sa.String()), sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("entity_id", name="pk_entity_stats"))
    op.create_index("ix_entity_stats_type", "entity_stats", ["type", "entity_id"])
    op.create_table(
        "counters",
        sa.Column("name", sa.String(), primary_key=True), sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_counters"))
    _backfill()


def _backfill() -> None:
    from kizashi.config import Options
    from kizashi.store.ledger import rebuild

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, participants FROM events")).all()
    for i in range(0, len(rows), 1000):
        bind.execute(sa.text("UPDATE events SET participants_key = :key WHERE id = :id"),
                     [{"id": r.id, "key": ",".join(sorted(_list(r.participants)))} for r in rows[i:i + 1000]])
    with Session(bind=bind) as session:
        rebuild(session, Options())
        session.flush()


def _list(value: object) -> list[str]:
    import json
    return json.loads(value) if isinstance(value, str) else list(value or [])


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_documents_newest")
    op.drop_index("ix_flows_by_key", table_name="flows")
    op.drop_index("ix_figures_by_key", table_name="figures")
    op.drop_index("ix_events_by_key", table_name="events")
    op.drop_column("events", "participants_key")
