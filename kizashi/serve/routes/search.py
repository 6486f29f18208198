"""Full-text search over the clean texts."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ...store.search import SearchHit
from ..deps import PagingDep, StoreDep
from ..schemas import Page, errors, page_of_query

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search", response_model=Page[SearchHit], responses=errors(422))
def search(store: StoreDep, paging: PagingDep,
           q: Annotated[str, Query(min_length=1, max_length=500,
                                   description="Terms separated by spaces; all must occur.")]) -> Page[Any]:
    """Articles containing every term, most occurrences first, with a snippet around the first match;
    the total is exact up to 200 matches (``total_capped`` past that)."""
    return page_of_query(store.search, store.count_search, paging, query=q)
