"""Flows keep their ``why``: the words that decided the claim (predicate, parties, item, certainty),
and a quantity's range keeps its upper end (1000人から3000人).

Flows stored before this revision have none (their payload has none either), so
the column starts empty. Both directions are plain ALTER TABLE on both backends:
SQLite adds and drops columns in place since 3.35, whereas batch mode would
rebuild flows under its outlet triggers (0002), which SQLite refuses.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("flows", sa.Column("why", sa.Text(), nullable=True))
    op.add_column("flows", sa.Column("quantity_upper", sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column("flows", "quantity_upper")
    op.drop_column("flows", "why")
