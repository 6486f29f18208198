"""Alembic environment: migrates over the connection the store hands in."""
from __future__ import annotations

from alembic import context

from kizashi.exc import StoreError
from kizashi.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise StoreError("kizashi migrations run through kizashi.store.migrations.upgrade_to_head(connection)")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
)
with context.begin_transaction():
    context.run_migrations()
