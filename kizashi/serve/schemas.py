"""Response shapes for the OpenAPI description, and paging over them.

Items are the library's own dataclasses (``FlowRecord``, ``LedgerEntry``, …):
pydantic describes them directly, so the API cannot drift from the library.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from .deps import Paging

T = TypeVar("T")
_COUNT_BATCH = 1000


class Page(BaseModel, Generic[T]):
    total: int = Field(description="Items matching the query, on all pages.")
    limit: int
    offset: int
    items: list[T]


class ErrorBody(BaseModel):
    error: str = Field(description="What went wrong, for a person to read.")


class FailedFile(BaseModel):
    file: str
    reason: str


class UploadReport(BaseModel):
    new: list[str] = Field(description="Uploaded files (or JSON records) stored as new documents.")
    near_duplicates: list[str] = Field(description="Stored, and marked as near-copies of earlier documents.")
    duplicates: list[str] = Field(description="Same clean text as a stored document: recorded as another source.")
    unchanged: list[str] = Field(description="Exactly these bytes were ingested before.")
    failed: list[FailedFile]
    documents: int = Field(description="Documents in the store after this upload.")


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error statuses, all with the one error body."""
    return {code: {"model": ErrorBody} for code in codes}


def page_of_list(items: Sequence[T], paging: Paging) -> Page[T]:
    """A page of a list already computed in full (the ledger, the timeline)."""
    return Page(total=len(items), limit=paging.limit, offset=paging.offset,
                items=list(items[paging.offset:paging.offset + paging.limit]))


def page_of_query(fetch: Callable[..., list[Any]], paging: Paging, **filters: Any) -> Page[Any]:
    """A page of a store query; the total is counted by reading the matches in batches,
    skipped when the page itself shows it is the last one."""
    items = fetch(limit=paging.limit, offset=paging.offset, **filters)
    if len(items) < paging.limit and (items or paging.offset == 0):
        total = paging.offset + len(items)
    else:
        total = 0
        while batch := fetch(limit=_COUNT_BATCH, offset=total, **filters):
            total += len(batch)
            if len(batch) < _COUNT_BATCH:
                break
    return Page(total=total, limit=paging.limit, offset=paging.offset, items=items)
