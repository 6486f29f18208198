"""Every flow, event and figure gets its stable id (``claim_id``, kizashi/claim_ids.py), indexed
so that ``kizashi claim show`` and ``/api/claims/{id}`` find a claim with one seek.

The backfill gives the claims of every stored document their ids with the function the
pipeline uses, from the document's id and each claim's evidence span and key as its payload
holds them (the rows are flat copies of the payload's layers, by position): the payload gains
them too, so a document read back carries the ids a fresh ingest gives, and so do the
newest statements each ledger entry keeps. Plain ALTER TABLE on both backends, as in 0003.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = {"flow": "flows", "event": "events", "figure": "figures"}
BATCH = 200


def upgrade() -> None:
    for table in TABLES.values():
        op.add_column(table, sa.Column("claim_id", sa.String(17), nullable=True))
        op.create_index(f"ix_{table}_claim_id", table, ["claim_id"])
    _backfill()


def _backfill() -> None:
    from kizashi.claim_ids import layer_ids
    from kizashi.store.schema import Payload

    bind = op.get_bind()
    documents = sa.table("documents", sa.column("id", sa.String), sa.column("payload", Payload))
    rows = {kind: sa.table(table, sa.column("document_id", sa.String), sa.column("position", sa.Integer),
                           sa.column("claim_id", sa.String)) for kind, table in TABLES.items()}
    set_ids = {kind: t.update().where(t.c.document_id == sa.bindparam("d"), t.c.position == sa.bindparam("p"))
               .values(claim_id=sa.bindparam("c")) for kind, t in rows.items()}
    last = ""
    while batch := bind.execute(sa.select(documents.c.id, documents.c.payload).where(documents.c.id > last)
                                .order_by(documents.c.id).limit(BATCH)).all():
        for doc_id, payload in batch:
            for kind, layer in TABLES.items():
                claims = payload.get(layer) or []
                for claim, cid in zip(claims, layer_ids(doc_id, kind, claims)):
                    claim["claim_id"] = cid
                if claims:
                    bind.execute(set_ids[kind], [{"d": doc_id, "p": i, "c": c["claim_id"]}
                                                 for i, c in enumerate(claims)])
            bind.execute(documents.update().where(documents.c.id == doc_id).values(payload=payload))
        last = batch[-1].id
    _backfill_recent(bind)


def _backfill_recent(bind: sa.Connection) -> None:
    """The newest statements an entry keeps (``ledger_entries.recent``) name their flows' ids."""
    entries = sa.table("ledger_entries", sa.column("id", sa.String), sa.column("recent", sa.JSON))
    ids = sa.text("SELECT claim_id FROM flows WHERE document_id = :d AND position = :p")
    for entry_id, recent in bind.execute(sa.select(entries.c.id, entries.c.recent)).all():
        for statement in recent:
            statement["claim_id"] = bind.execute(ids, {"d": statement["doc_id"], "p": statement["position"]}).scalar()
        bind.execute(entries.update().where(entries.c.id == entry_id).values(recent=recent))


def downgrade() -> None:
    for table in TABLES.values():
        op.drop_index(f"ix_{table}_claim_id", table_name=table)
        op.drop_column(table, "claim_id")
