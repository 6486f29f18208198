"""Indexes for the ledger filters and a faster text index (100,000-article benchmark).

- Flows: each filter column leads an index that continues in the ledger's order
  (date_min, document_id, position), so a filtered page is read in order and
  stops after ``limit`` rows instead of sorting every match; date_max and the
  other filter columns ride along, so a row that fails a filter is dropped
  from the index entry without reading the table (SQLite defers that seek).
- Flows get their document's outlet (copied by triggers, whoever writes the
  rows) with an index like the others: ``--outlet`` sorted every flow of the
  outlet before.
- Documents: (published, id) gives search its newest-first order; source is
  indexed for ``--source``.
- SQLite text search: the FTS5 table becomes contentless (the text was stored
  twice), keyed by a narrow map from its rowid to the document id and
  publication date, so thousands of matches are ordered without touching the
  documents; an fts5vocab table lists its trigrams for two-character terms, and
  the indexed text ends with a newline so that a text's last two characters
  begin a trigram too.
- PostgreSQL text search: pg_trgm cannot look up a two-character term, and its
  ILIKE re-reads every candidate text before results can be ordered. A side
  table of each document's character bigrams and publication date, filled by a
  trigger, has an exact GIN index: a term's bigrams select the candidates, which
  are ordered there and checked against the text only until a page is full. It
  replaces the pg_trgm index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEDGER_ORDER = ("date_min", "document_id", "position")
FILTERS = ("supplier", "recipient", "item", "certainty")
FLOW_INDEXES = {
    f"ix_flows_by_{column}": (column, *LEDGER_ORDER, "date_max", *(f for f in FILTERS if f != column))
    for column in FILTERS
} | {"ix_flows_by_outlet": ("outlet", *LEDGER_ORDER, "date_max", *FILTERS),
     "ix_flows_by_date": (*LEDGER_ORDER, "date_max", *FILTERS)}
# flows.outlet copies documents.outlet; triggers keep it so whoever writes the rows.
SQLITE_OUTLET_TRIGGERS = {
    "flows_outlet_insert": """
        CREATE TRIGGER flows_outlet_insert AFTER INSERT ON flows BEGIN
            UPDATE flows SET outlet = (SELECT outlet FROM documents WHERE id = new.document_id) WHERE id = new.id;
        END""",
    "documents_outlet_update": """
        CREATE TRIGGER documents_outlet_update AFTER UPDATE OF outlet ON documents BEGIN
            UPDATE flows SET outlet = new.outlet WHERE document_id = new.id;
        END""",
}
PG_OUTLET_FUNCTIONS = {
    "flows_outlet_fill": """
        CREATE FUNCTION flows_outlet_fill() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.outlet := (SELECT outlet FROM documents WHERE id = NEW.document_id);
            RETURN NEW;
        END
        $$""",
    "documents_outlet_sync": """
        CREATE FUNCTION documents_outlet_sync() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE flows SET outlet = NEW.outlet WHERE document_id = NEW.id;
            RETURN NULL;
        END
        $$""",
}
PG_OUTLET_TRIGGERS = {
    "flows_outlet_fill": "CREATE TRIGGER flows_outlet_fill BEFORE INSERT OR UPDATE OF document_id ON flows "
                         "FOR EACH ROW EXECUTE FUNCTION flows_outlet_fill()",
    "documents_outlet_sync": "CREATE TRIGGER documents_outlet_sync AFTER UPDATE OF outlet ON documents "
                             "FOR EACH ROW EXECUTE FUNCTION documents_outlet_sync()",
}
REPLACED_FLOW_INDEXES = {"ix_flows_supplier": "supplier", "ix_flows_recipient": "recipient",
                         "ix_flows_item": "item", "ix_flows_certainty": "certainty",
                         "ix_flows_date_min": "date_min"}

# The text goes in with a newline after it, and the same value must come out on delete.
_FTS_DELETE = """
            INSERT INTO documents_fts (documents_fts, rowid, text)
                SELECT 'delete', rowid, old.text || char(10) FROM documents_fts_map WHERE document_id = old.id;
            DELETE FROM documents_fts_map WHERE document_id = old.id;"""
_FTS_INSERT = """
            INSERT INTO documents_fts_map (document_id, published) VALUES (new.id, new.published);
            INSERT INTO documents_fts (rowid, text)
                SELECT rowid, new.text || char(10) FROM documents_fts_map WHERE document_id = new.id;"""
_END = "\n        END"
FTS_TRIGGERS = {
    "documents_fts_insert": f"CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN{_FTS_INSERT}{_END}",
    "documents_fts_delete": f"CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN{_FTS_DELETE}{_END}",
    "documents_fts_update": ("CREATE TRIGGER documents_fts_update AFTER UPDATE OF id, text, published ON documents "
                             f"BEGIN{_FTS_DELETE}{_FTS_INSERT}{_END}"),
}
OLD_FTS_TRIGGERS = {
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


# Bigrams of the lowercased text, split into characters first: substr() on a multibyte
# string walks it from the start, which made every text quadratic.
PG_BIGRAMS = """
    CREATE FUNCTION kizashi_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(c || n), '{}') FROM (
            SELECT c, lead(c) OVER (ORDER BY i) AS n
            FROM unnest(regexp_split_to_array(lower(t), '')) WITH ORDINALITY AS u(c, i)) AS pairs
        WHERE n IS NOT NULL
    $$"""
PG_SYNC = """
    CREATE FUNCTION documents_fts_bigrams_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO documents_fts_bigrams (document_id, published, bigrams)
            VALUES (NEW.id, NEW.published, kizashi_bigrams(NEW.text))
            ON CONFLICT (document_id) DO UPDATE SET published = EXCLUDED.published, bigrams = EXCLUDED.bigrams;
        RETURN NULL;
    END
    $$"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.add_column("flows", sa.Column("outlet", sa.String(), nullable=True))
    op.execute("UPDATE flows SET outlet = documents.outlet FROM documents "
               "WHERE documents.id = flows.document_id AND documents.outlet IS NOT NULL")
    if dialect == "sqlite":
        for ddl in SQLITE_OUTLET_TRIGGERS.values():
            op.execute(ddl)
    elif dialect == "postgresql":
        for name, ddl in PG_OUTLET_FUNCTIONS.items():
            op.execute(ddl)
            op.execute(PG_OUTLET_TRIGGERS[name])
    for name in REPLACED_FLOW_INDEXES:
        op.drop_index(name, table_name="flows")
    for name, columns in FLOW_INDEXES.items():
        op.create_index(name, "flows", list(columns))
    op.drop_index("ix_documents_published", table_name="documents")
    op.create_index("ix_documents_published_id", "documents", ["published", "id"])
    op.create_index("ix_documents_source", "documents", ["source"])
    if dialect == "sqlite":
        _sqlite_text_index()
    elif dialect == "postgresql":
        _postgresql_text_index()


def _sqlite_text_index() -> None:
    for name in FTS_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS documents_fts")
    op.execute("CREATE TABLE documents_fts_map (rowid INTEGER PRIMARY KEY, document_id VARCHAR(64) NOT NULL, "
               "published VARCHAR)")
    op.execute("CREATE UNIQUE INDEX documents_fts_map_document_id ON documents_fts_map (document_id)")
    op.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(text, content='', columnsize=0, tokenize='trigram')")
    op.execute("CREATE VIRTUAL TABLE documents_fts_vocab USING fts5vocab(documents_fts, 'row')")
    op.execute("INSERT INTO documents_fts_map (document_id, published) SELECT id, published FROM documents")
    op.execute("INSERT INTO documents_fts (rowid, text) SELECT m.rowid, d.text || char(10) "
               "FROM documents_fts_map AS m JOIN documents AS d ON d.id = m.document_id")
    for ddl in FTS_TRIGGERS.values():
        op.execute(ddl)


def _postgresql_text_index() -> None:
    op.execute(PG_BIGRAMS)
    op.execute(PG_SYNC)
    op.execute("CREATE TABLE documents_fts_bigrams (document_id VARCHAR(64) NOT NULL, published VARCHAR, "
               "bigrams TEXT[] NOT NULL, CONSTRAINT documents_fts_bigrams_pkey PRIMARY KEY (document_id), "
               "CONSTRAINT documents_fts_bigrams_document_id_fkey FOREIGN KEY (document_id) "
               "REFERENCES documents (id) ON DELETE CASCADE ON UPDATE CASCADE)")
    op.execute("INSERT INTO documents_fts_bigrams (document_id, published, bigrams) "
               "SELECT id, published, kizashi_bigrams(text) FROM documents")
    op.execute("CREATE INDEX documents_fts_bigrams_gin ON documents_fts_bigrams USING gin (bigrams)")
    op.execute("CREATE TRIGGER documents_fts_bigrams_sync AFTER INSERT OR UPDATE OF text, published ON documents "
               "FOR EACH ROW EXECUTE FUNCTION documents_fts_bigrams_sync()")
    op.execute("ANALYZE documents_fts_bigrams")
    op.execute("DROP INDEX IF EXISTS ix_documents_text_trgm")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("CREATE INDEX ix_documents_text_trgm ON documents USING gin (text gin_trgm_ops)")
        op.execute("DROP TRIGGER IF EXISTS documents_fts_bigrams_sync ON documents")
        op.execute("DROP TABLE IF EXISTS documents_fts_bigrams")
        op.execute("DROP FUNCTION IF EXISTS documents_fts_bigrams_sync()")
        op.execute("DROP FUNCTION IF EXISTS kizashi_bigrams(text)")
    if dialect == "sqlite":
        for name in FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS documents_fts_vocab")
        op.execute("DROP TABLE IF EXISTS documents_fts")
        op.execute("DROP TABLE IF EXISTS documents_fts_map")
        op.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(document_id UNINDEXED, text, tokenize='trigram')")
        op.execute("INSERT INTO documents_fts (document_id, text) SELECT id, text FROM documents")
        for ddl in OLD_FTS_TRIGGERS.values():
            op.execute(ddl)
    op.drop_index("ix_documents_source", table_name="documents")
    op.drop_index("ix_documents_published_id", table_name="documents")
    op.create_index("ix_documents_published", "documents", ["published"])
    for name in FLOW_INDEXES:
        op.drop_index(name, table_name="flows")
    for name, column in REPLACED_FLOW_INDEXES.items():
        op.create_index(name, "flows", [column])
    if dialect == "sqlite":
        for name in SQLITE_OUTLET_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        for name, table in (("flows_outlet_fill", "flows"), ("documents_outlet_sync", "documents")):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    with op.batch_alter_table("flows") as batch:
        batch.drop_column("outlet")
