"""Documents record where they live (``version_key``: a URL or a file) and which newer version
replaced them in the ledger (``superseded_by``): an edited article re-ingested from the same
place is a new version, and the old text stays readable as history (ingest/versions.py).
Stored documents get no key: what they were read from was not recorded.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("version_key", sa.Text(), nullable=True))
    op.add_column("documents", sa.Column("superseded_by", sa.String(64), nullable=True))
    op.create_index("ix_documents_version_key", "documents", ["version_key"])
    op.create_index("ix_documents_superseded_by", "documents", ["superseded_by"])


def downgrade() -> None:
    op.drop_index("ix_documents_superseded_by", table_name="documents")
    op.drop_index("ix_documents_version_key", table_name="documents")
    op.drop_column("documents", "superseded_by")
    op.drop_column("documents", "version_key")
