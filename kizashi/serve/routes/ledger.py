"""The ledger (flows merged across articles), single flows, and contradictions: all read from
the store's ledger tables with bounded queries."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from ...analyse.contradictions import Contradiction
from ...analyse.ledger import LedgerEntry
from ...model import CERTAINTIES
from ...store.repository import FlowRecord
from ...store.views import LedgerFilter
from ..deps import MAX_LIMIT, DateRange, DateRangeDep, OffsetQuery, Paging, PagingDep, StoreDep
from ..schemas import Page, errors, page_of_counted, page_of_query

router = APIRouter(prefix="/api", tags=["ledger"])


@dataclass(frozen=True)
class FlowFilter:
    supplier: str | None
    recipient: str | None
    item: str | None
    certainty: str | None
    source: str | None
    outlet: str | None
    dates: DateRange

    def as_store_query(self) -> dict[str, Any]:
        return dict(supplier=self.supplier, recipient=self.recipient, item=self.item, certainty=self.certainty,
                    source=self.source, outlet=self.outlet, date_from=self.dates.date_from,
                    date_to=self.dates.date_to)

    def as_ledger_filter(self) -> LedgerFilter:
        return LedgerFilter(**self.as_store_query())


def get_flow_filter(
    dates: DateRangeDep,
    supplier: Annotated[str | None, Query(description="Entity id of the supplier, e.g. PRK.")] = None,
    recipient: Annotated[str | None, Query(description="Entity id of the recipient, e.g. RUS.")] = None,
    item: Annotated[str | None, Query(description="Item category, e.g. artillery_ammunition.")] = None,
    certainty: Annotated[str | None, Query(description="certain, uncertain or negated.")] = None,
    source: Annotated[str | None, Query(description="The article's source (file or URL).")] = None,
    outlet: Annotated[str | None, Query(description="The publishing outlet.")] = None,
) -> FlowFilter:
    """Empty values (an unset form field) mean no filter."""
    if certainty and certainty not in CERTAINTIES:
        raise HTTPException(422, f"certainty must be one of {', '.join(CERTAINTIES)} (got {certainty!r})")
    return FlowFilter(supplier or None, recipient or None, item or None, certainty or None, source or None,
                      outlet or None, dates)


FlowFilterDep = Annotated[FlowFilter, Depends(get_flow_filter)]


LEDGER_LIMIT = 20  # entries a page holds by default: each carries its newest statements


def get_ledger_paging(
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Entries per page.")] = LEDGER_LIMIT,
        offset: OffsetQuery = 0) -> Paging:
    return Paging(limit, offset)


@router.get("/ledger", response_model=Page[LedgerEntry], responses=errors(422))
def ledger(store: StoreDep, flow_filter: FlowFilterDep,
           paging: Annotated[Paging, Depends(get_ledger_paging)]) -> Page[Any]:
    """Claimed flows merged across articles (one entry per supplier, recipient and item), with
    statements counted by certainty and by independent source (lineage group), who asserts and
    who denies, and the newest statements that match the filters as evidence. Filters past the
    key apply to the statements: an entry is listed when one of its statements matches."""
    return page_of_counted(store.ledger(flow_filter.as_ledger_filter(), limit=paging.limit,
                                        offset=paging.offset), paging)


@router.get("/ledger/{entry_id}", response_model=LedgerEntry, responses=errors(404))
def ledger_entry(store: StoreDep, entry_id: str) -> Any:
    """One entry with its newest statements (``/api/flows`` lists them all)."""
    found = store.ledger_entry(entry_id)
    if found is None:
        raise HTTPException(404, f"no ledger entry with id {entry_id!r}")
    return found


@router.get("/flows", response_model=Page[FlowRecord], responses=errors(422))
def flows(store: StoreDep, flow_filter: FlowFilterDep, paging: PagingDep) -> Page[Any]:
    """Single flow claims, one per article sentence, in date order (what ``kizashi query`` lists)."""
    return page_of_query(store.flows, store.count_flows, paging, **flow_filter.as_store_query())


@router.get("/contradictions", response_model=Page[Contradiction], responses=errors(422))
def contradictions(store: StoreDep, paging: PagingDep,
                   kind: Annotated[str | None, Query(description="certainty, figure or event_date.")] = None,
                   ) -> Page[Any]:
    """What articles disagree on, one row per disputed thing, with example statements of each side."""
    return page_of_counted(store.contradictions(kind=kind or None, limit=paging.limit, offset=paging.offset),
                           paging)
