"""Initial schema: documents, their sources and layers, MinHash signatures, text search.

Revision ID: 0001
Revises:
Create Date: 2024-05-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FTS_TRIGGERS = {
    "documents_fts_insert": """
        CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
            INSERT INTO documents_fts (document_id, text) VALUES (new.id, new.text);
        END""",
    "documents_fts_delete": """
        CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
            DELETE FROM documents_fts WHERE document_id = old.id;
        END""",
    "documents_fts_update": """
        CREATE TRIGGER documents_fts_update AFTER UPDATE OF id, text ON documents BEGIN
            DELETE FROM documents_fts WHERE document_id = old.id;
            INSERT INTO documents_fts (document_id, text) VALUES (new.id, new.text);
        END""",
}


def _document_id() -> sa.Column:
    return sa.Column("document_id", sa.String(64), nullable=False)


def _document_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["document_id"], ["documents.id"],
                                   name=f"fk_{table}_document_id_documents", ondelete="CASCADE")


def _evidence() -> list[sa.Column]:
    return [
        sa.Column("evidence_start", sa.Integer(), nullable=False),
        sa.Column("evidence_end", sa.Integer(), nullable=False),
        sa.Column("evidence_text", sa.Text(), nullable=False),
    ]


def _child_table(name: str, *columns: sa.Column, indexed: Sequence[str] = ()) -> None:
    """A per-document layer table: integer id, document_id (cascading) and its own columns."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        _document_id(),
        *columns,
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        _document_fk(name),
    )
    for column in ("document_id", *indexed):
        op.create_index(f"ix_{name}_{column}", name, [column])


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("raw_sha256", sa.String(64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("outlet", sa.String(), nullable=True),
        sa.Column("published", sa.String(), nullable=True),
        sa.Column("language", sa.String(), nullable=True),
        sa.Column("encoding", sa.String(), nullable=True),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("payload", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("near_duplicate_of", sa.String(64), nullable=True),
        sa.Column("similarity", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("raw_sha256", name="uq_documents_raw_sha256"),
        sa.ForeignKeyConstraint(["near_duplicate_of"], ["documents.id"],
                                name="fk_documents_near_duplicate_of_documents", ondelete="SET NULL"),
    )
    for column in ("outlet", "published", "near_duplicate_of"):
        op.create_index(f"ix_documents_{column}", "documents", [column])

    op.create_table(
        "document_sources",
        sa.Column("raw_sha256", sa.String(64), nullable=False),
        _document_id(),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("raw_sha256", name="pk_document_sources"),
        _document_fk("document_sources"),
    )
    op.create_index("ix_document_sources_document_id", "document_sources", ["document_id"])

    _child_table(
        "entities",
        sa.Column("entity_id", sa.String(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("country", sa.String(), nullable=True),
        sa.Column("known", sa.Boolean(), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        indexed=("entity_id", "type"),
    )
    _child_table(
        "mentions",
        sa.Column("entity_id", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(), nullable=False),
        indexed=("entity_id",),
    )
    _child_table(
        "flows",
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("supplier", sa.String(), nullable=False),
        sa.Column("recipient", sa.String(), nullable=False),
        sa.Column("item", sa.String(), nullable=False),
        sa.Column("certainty", sa.String(), nullable=False),
        sa.Column("attributed_to", sa.Text(), nullable=True),
        sa.Column("time", sa.String(), nullable=True),
        sa.Column("date_min", sa.String(10), nullable=True),
        sa.Column("date_max", sa.String(10), nullable=True),
        sa.Column("quantity_value", sa.Float(), nullable=True),
        sa.Column("quantity_unit", sa.String(), nullable=True),
        sa.Column("quantity_approximate", sa.Boolean(), nullable=True),
        sa.Column("quantity_at_least", sa.Boolean(), nullable=True),
        sa.Column("quantity_period", sa.String(), nullable=True),
        sa.Column("cue", sa.Text(), nullable=True),
        *_evidence(),
        indexed=("supplier", "recipient", "item", "certainty", "date_min", "date_max"),
    )
    _child_table(
        "events",
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("date", sa.String(), nullable=True),
        sa.Column("date_min", sa.String(10), nullable=True),
        sa.Column("date_max", sa.String(10), nullable=True),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("certainty", sa.String(), nullable=False),
        sa.Column("attributed_to", sa.Text(), nullable=True),
        *_evidence(),
        indexed=("type", "date_min", "date_max"),
    )
    _child_table(
        "figures",
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(), nullable=True),
        sa.Column("item", sa.String(), nullable=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(), nullable=True),
        sa.Column("period", sa.String(), nullable=True),
        sa.Column("measure", sa.String(), nullable=True),
        *_evidence(),
    )
    _child_table(
        "dates",
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("value", sa.String(), nullable=True),
        sa.Column("end_value", sa.String(), nullable=True),
        sa.Column("precision", sa.String(), nullable=False),
        sa.Column("relative", sa.Boolean(), nullable=False),
    )
    _child_table(
        "removed",
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_table(
        "minhash",
        _document_id(),
        sa.Column("params", sa.String(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("document_id", name="pk_minhash"),
        _document_fk("minhash"),
    )
    _create_text_search()


def _create_text_search() -> None:
    """Trigram full-text search: FTS5 kept in sync by triggers (SQLite), pg_trgm GIN (PostgreSQL)."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(document_id UNINDEXED, text, tokenize='trigram')")
        for ddl in _FTS_TRIGGERS.values():
            op.execute(ddl)
    elif dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_documents_text_trgm ON documents USING gin (text gin_trgm_ops)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in _FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_documents_text_trgm")
    for table in ("minhash", "removed", "dates", "figures", "events", "flows", "mentions",
                  "entities", "document_sources", "documents"):
        op.drop_table(table)
