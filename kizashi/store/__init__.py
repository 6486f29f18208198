"""The store: documents and their claims in SQLite (default) or PostgreSQL."""
from __future__ import annotations

from .repository import (
    STATUSES,
    DocumentSummary,
    EntityRecord,
    EventRecord,
    FlowRecord,
    SaveResult,
    Store,
)
from .dates import iso_day_range
from .search import SearchHit

__all__ = [
    "STATUSES",
    "DocumentSummary",
    "EntityRecord",
    "EventRecord",
    "FlowRecord",
    "SaveResult",
    "SearchHit",
    "Store",
    "iso_day_range",
]
