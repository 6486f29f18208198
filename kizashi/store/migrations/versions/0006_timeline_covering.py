"""The timeline's order indexes carry ``date_max`` too, so that a date filter (which scans from a
year before its first day, since a stored range spans up to a year) reads the index alone
instead of every row in that year.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ORDER = ["date_min", "precision_rank", "kind", "type", "id"]
KIND_ORDER = ["kind", "date_min", "precision_rank", "type", "id"]


def upgrade() -> None:
    op.drop_index("ix_timeline_order", table_name="timeline")
    op.drop_index("ix_timeline_kind_order", table_name="timeline")
    op.create_index("ix_timeline_order", "timeline", [*ORDER, "date_max"])
    op.create_index("ix_timeline_kind_order", "timeline", [*KIND_ORDER, "date_max"])


def downgrade() -> None:
    op.drop_index("ix_timeline_order", table_name="timeline")
    op.drop_index("ix_timeline_kind_order", table_name="timeline")
    op.create_index("ix_timeline_order", "timeline", ORDER)
    op.create_index("ix_timeline_kind_order", "timeline", KIND_ORDER)
