"""Events as stated in each article, and the timeline that merges them across articles."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ...analyse.timeline import TimelineItem, date_bounds
from ...store.repository import EventRecord
from ..deps import DateRange, DateRangeDep, PagingDep, SnapshotDep, StoreDep
from ..schemas import Page, errors, page_of_list, page_of_query

router = APIRouter(prefix="/api", tags=["events"])


@router.get("/events", response_model=Page[EventRecord], responses=errors(422))
def events(store: StoreDep, paging: PagingDep, dates: DateRangeDep,
           type: Annotated[str | None, Query(description="meeting, agreement, launch, deployment, …")] = None,
           ) -> Page[Any]:
    """Single event claims in date order."""
    return page_of_query(store.events, paging, type=type or None, date_from=dates.date_from,
                         date_to=dates.date_to)


def in_range(item: TimelineItem, dates: DateRange) -> bool:
    bounds = date_bounds(item.date)
    if dates.date_from and bounds[1] < date_bounds(dates.date_from)[0]:
        return False
    return not (dates.date_to and bounds[0] > date_bounds(dates.date_to)[1])


@router.get("/timeline", response_model=Page[TimelineItem], responses=errors(422))
def timeline(snapshot: SnapshotDep, paging: PagingDep, dates: DateRangeDep,
             kind: Annotated[str | None, Query(description="event or flow.")] = None) -> Page[Any]:
    """Dated events and flows in date order, each at the precision its text gives;
    articles reporting the same happening share an item."""
    items = [it for it in snapshot.analysis.timeline if (not kind or it.kind == kind) and in_range(it, dates)]
    return page_of_list(items, paging)
