"""Events as stated in each article, and the timeline that merges them across articles."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ...analyse.timeline import TimelineEntry
from ...store.repository import EventRecord
from ..deps import DateRangeDep, PagingDep, StoreDep
from ..schemas import Page, errors, page_of_counted, page_of_query

router = APIRouter(prefix="/api", tags=["events"])


@router.get("/events", response_model=Page[EventRecord], responses=errors(422))
def events(store: StoreDep, paging: PagingDep, dates: DateRangeDep,
           type: Annotated[str | None, Query(description="meeting, agreement, launch, deployment, …")] = None,
           ) -> Page[Any]:
    """Single event claims in date order."""
    return page_of_query(store.events, store.count_events, paging, type=type or None,
                         date_from=dates.date_from, date_to=dates.date_to)


@router.get("/timeline", response_model=Page[TimelineEntry], responses=errors(422))
def timeline(store: StoreDep, paging: PagingDep, dates: DateRangeDep,
             kind: Annotated[str | None, Query(description="event or flow.")] = None) -> Page[Any]:
    """Dated events and flows in date order, each at the precision its text gives; articles
    reporting the same happening share an item (its first citations shown, all counted)."""
    return page_of_counted(store.timeline(kind=kind or None, date_from=dates.date_from, date_to=dates.date_to,
                                          limit=paging.limit, offset=paging.offset), paging)
