"""Entities as found in each article."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ...store.repository import EntityRecord
from ..deps import PagingDep, StoreDep
from ..schemas import Page, errors, page_of_query

router = APIRouter(prefix="/api", tags=["entities"])


@router.get("/entities", response_model=Page[EntityRecord], responses=errors(422))
def entities(store: StoreDep, paging: PagingDep,
             type: Annotated[str | None, Query(description="country, person, organization or place.")] = None,
             ) -> Page[Any]:
    """One record per entity per article, by entity id."""
    return page_of_query(store.entities, paging, type=type or None)
