"""A comparable picture of a whole store, for tests that ask "is this store the same as that one?"

Every table of the schema, its rows as sorted tuples, without what legitimately differs between
two equal runs: insertion timestamps and surrogate integer keys.
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Integer, create_engine, select

from kizashi.config import db_url
from kizashi.store.schema import Base

_IGNORED = {"created_at"}


def dump_store(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """``{table: sorted rows}`` for every table the schema defines."""
    engine = create_engine(db_url(url))
    try:
        with engine.connect() as connection:
            return {table.name: _rows(connection, table) for table in Base.metadata.sorted_tables}
    finally:
        engine.dispose()


def _rows(connection: Any, table: Any) -> list[tuple[Any, ...]]:
    columns = [c for c in table.columns
               if c.name not in _IGNORED and not (c.primary_key and isinstance(c.type, Integer))]
    rows = connection.execute(select(*columns)).all()
    return sorted((tuple(_plain(v) for v in row) for row in rows), key=repr)


def _plain(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, memoryview):
        return bytes(value)
    return value
