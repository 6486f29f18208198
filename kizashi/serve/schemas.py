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


class Page(BaseModel, Generic[T]):
    total: int = Field(description="Items matching the query, on all pages (at most the cap, see total_capped).")
    total_capped: bool = Field(False, description="True when more items match than were counted: total is a floor.")
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
    """A page of a short list already computed in full."""
    return Page(total=len(items), limit=paging.limit, offset=paging.offset,
                items=list(items[paging.offset:paging.offset + paging.limit]))


def page_of_counted(counted: Any, paging: Paging) -> Page[Any]:
    """A page the store read together with its total (``store.views.Counted``)."""
    return Page(total=counted.total, total_capped=counted.capped, limit=paging.limit, offset=paging.offset,
                items=counted.items)


def page_of_query(fetch: Callable[..., list[Any]], count: Callable[..., tuple[int, bool]], paging: Paging,
                  **filters: Any) -> Page[Any]:
    """A page of a store query; the total from ``count`` (bounded: exact up to a cap), skipped
    when the page itself shows it is the last one."""
    items = fetch(limit=paging.limit, offset=paging.offset, **filters)
    if len(items) < paging.limit and (items or paging.offset == 0):
        total, capped = paging.offset + len(items), False
    else:
        total, capped = count(**filters)
        if items:  # matches stored between the page and the count
            total = max(total, paging.offset + len(items))
    return Page(total=total, total_capped=capped, limit=paging.limit, offset=paging.offset, items=items)
