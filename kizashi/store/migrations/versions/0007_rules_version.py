"""Each document records the version of the rules that made its claims (kizashi/rules.py), so
that ``kizashi reanalyse`` finds the documents a rule or lexicon change left behind. Stored
documents get none: they were all made by rules older than this record.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("rules_version", sa.String(16), nullable=True))


def downgrade() -> None:
    op.drop_column("documents", "rules_version")  # SQLite 3.35+ drops a column in place (no table copy,
    # which would break the triggers on documents)
