"""The ledger (flows merged across articles), single flows, and contradictions."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query

from ...analyse.contradictions import Contradiction
from ...analyse.ledger import LedgerEntry, LedgerEvidence
from ...analyse.timeline import date_bounds
from ...model import CERTAINTIES
from ...store.repository import FlowRecord
from ..deps import DateRange, DateRangeDep, PagingDep, SnapshotDep, StoreDep
from ..schemas import Page, errors, page_of_list, page_of_query

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


def _overlaps(value: str | None, dates: DateRange) -> bool:
    if dates.date_from is None and dates.date_to is None:
        return True
    bounds = date_bounds(value)
    if bounds is None:
        return False
    low = date_bounds(dates.date_from)[0] if dates.date_from else None
    high = date_bounds(dates.date_to)[1] if dates.date_to else None
    return (low is None or bounds[1] >= low) and (high is None or bounds[0] <= high)


def _evidence_matches(ev: LedgerEvidence, f: FlowFilter) -> bool:
    return ((f.certainty is None or ev.certainty == f.certainty)
            and (f.source is None or ev.source == f.source)
            and (f.outlet is None or ev.outlet == f.outlet)
            and _overlaps(ev.date, f.dates))


def filter_ledger(ledger: list[LedgerEntry], f: FlowFilter) -> list[LedgerEntry]:
    """Entries with the given key whose evidence includes an article matching the other filters;
    an article's date is the flow's own time, else its publication date."""
    return [e for e in ledger
            if (f.supplier is None or e.supplier == f.supplier)
            and (f.recipient is None or e.recipient == f.recipient)
            and (f.item is None or e.item == f.item)
            and any(_evidence_matches(ev, f) for ev in e.evidence)]


@router.get("/ledger", response_model=Page[LedgerEntry], responses=errors(422))
def ledger(snapshot: SnapshotDep, flow_filter: FlowFilterDep, paging: PagingDep) -> Page[Any]:
    """Claimed flows merged across articles, with every article's sentence as evidence,
    certainty per source and the number of independent sources (lineage groups)."""
    return page_of_list(filter_ledger(snapshot.ledger, flow_filter), paging)


@router.get("/flows", response_model=Page[FlowRecord], responses=errors(422))
def flows(store: StoreDep, flow_filter: FlowFilterDep, paging: PagingDep) -> Page[Any]:
    """Single flow claims, one per article sentence, in date order."""
    return page_of_query(store.flows, paging, **flow_filter.as_store_query())


@router.get("/contradictions", response_model=Page[Contradiction], responses=errors(422))
def contradictions(snapshot: SnapshotDep, paging: PagingDep,
                   kind: Annotated[str | None, Query(description="certainty, figure or event_date.")] = None,
                   ) -> Page[Any]:
    """Where articles disagree; both sides keep their evidence span."""
    found = [c for c in snapshot.analysis.contradictions if not kind or c.kind == kind]
    return page_of_list(found, paging)
