"""Disputes that grow by increments: every date an event-date dispute holds
(``contradiction_values``), and figures indexed by value, so that saving an article adds to
its disputes instead of recomputing them over every stored claim of the key.

The figure dispute now tests every pair of values (it tested only the smallest and the
largest beyond 64 values), so the backfill recomputes every figure and event-date dispute.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contradiction_values",
        sa.Column("contradiction_id", sa.String(16), nullable=False), sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("contradiction_id", "value", name="pk_contradiction_values"))
    op.drop_index("ix_figures_by_key", table_name="figures")
    op.create_index("ix_figures_by_value", "figures", ["actor", "item", "value"])
    _backfill()


def _backfill() -> None:
    from kizashi.store.ledger import refresh_event_dates, refresh_figure

    bind = op.get_bind()
    with Session(bind=bind) as session:
        bind.execute(sa.text("DELETE FROM contradictions WHERE kind IN ('figure', 'event_date')"))
        for r in bind.execute(sa.text("SELECT DISTINCT actor, item, measure, period, unit FROM figures "
                                      "WHERE actor IS NOT NULL AND item IS NOT NULL AND actor <> '' AND item <> ''")):
            refresh_figure(session, r.actor, r.item, r.measure, r.period, r.unit)
        for r in bind.execute(sa.text("SELECT DISTINCT type, participants_key FROM events")):
            refresh_event_dates(session, r.type, r.participants_key or "")
        session.flush()


def downgrade() -> None:
    op.drop_index("ix_figures_by_value", table_name="figures")
    op.create_index("ix_figures_by_key", "figures", ["actor", "item"])
    op.drop_table("contradiction_values")
