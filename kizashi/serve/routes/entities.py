"""Entities across the store: how many articles mention each."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ...store.views import EntitySummary
from ..deps import PagingDep, StoreDep
from ..schemas import Page, errors, page_of_counted

router = APIRouter(prefix="/api", tags=["entities"])


@router.get("/entities", response_model=Page[EntitySummary], responses=errors(422))
def entities(store: StoreDep, paging: PagingDep,
             type: Annotated[str | None, Query(description="country, person, organization or place.")] = None,
             ) -> Page[Any]:
    """One record per entity, most mentioned in most articles first."""
    return page_of_counted(store.entity_summaries(type=type or None, limit=paging.limit, offset=paging.offset),
                           paging)
