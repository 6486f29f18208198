"""Events and dated flows in date order, each keeping the precision its text allows.

Dates are ISO 8601 prefixes ("2024", "2024-06", "2024-06-19"); a year-only
date is never shown as if it were a day.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from functools import lru_cache
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Document, Span
from .lineage import doc_id

PRECISIONS = ("year", "month", "day")
STRENGTH = {"certain": 2, "negated": 1, "uncertain": 0}  # how committed a claim is


@lru_cache(maxsize=1 << 16)  # dates repeat across thousands of claims
def precision_of(value: str | None) -> str | None:
    """"year", "month" or "day" for a dated ISO prefix; None when there is no year."""
    if value is None or date_bounds(value) is None:
        return None
    return PRECISIONS[min(len(value.split("/")[0].split("-")), 3) - 1]


@lru_cache(maxsize=1 << 16)  # dates repeat across thousands of claims
def date_bounds(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day an ISO prefix (or an ``a/b`` range of them) covers."""
    if not value:
        return None
    first, _, last = value.partition("/")
    lo, hi = _prefix_bounds(first), _prefix_bounds(last or first)
    if lo is None or hi is None:
        return None
    return lo[0], hi[1]


def _prefix_bounds(value: str) -> tuple[dt.date, dt.date] | None:
    parts = value.strip().split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4 or not all(p.isdigit() for p in parts):
        return None
    try:
        y = int(parts[0])
        if len(parts) == 1:
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        m = int(parts[1])
        if len(parts) == 2:
            return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])
        day = dt.date(y, m, int(parts[2]))
        return day, day
    except ValueError:
        return None


def truncate(value: str, precision: str) -> str:
    """The prefix of an ISO date at a coarser precision ("2024-06-19", "month" → "2024-06")."""
    return "-".join(value.split("/")[0].split("-")[:PRECISIONS.index(precision) + 1])


@lru_cache(maxsize=1 << 16)  # dates repeat across thousands of claims
def date_sort_key(value: str | None) -> tuple:
    """Earlier first; at the same start, the coarser date first; undated last."""
    bounds = date_bounds(value)
    if bounds is None:
        return (dt.date.max, 3)
    return (bounds[0], PRECISIONS.index(precision_of(value)))


@dataclass
class Citation:
    """Where a dated claim was read: the article and the exact span."""

    doc_id: str
    source: str
    outlet: str | None
    published: str | None
    certainty: str
    attributed_to: str | None
    evidence: Span


@dataclass
class TimelineItem:
    """One dated happening; articles that report the same one share an item."""

    date: str
    precision: str
    kind: str  # "event" or "flow"
    type: str  # the event type, or the flow's item
    participants: list[str]  # event participants, or [supplier, recipient]
    certainty: str  # the most committed certainty among the citations
    citations: list[Citation] = field(default_factory=list)

    @property
    def evidence(self) -> Span:
        return self.citations[0].evidence

    @property
    def id(self) -> str:
        return timeline_id(self.kind, self.type, self.participants, self.date)

    def row(self) -> dict:
        """The item as the store keeps it: its key, strongest certainty, how many articles
        cite it and the first ``EXAMPLES`` citations (``example_key``)."""
        bounds = date_bounds(self.date)
        examples = [{"doc_id": c.doc_id, "source": c.source, "outlet": c.outlet, "published": c.published,
                     "certainty": c.certainty, "attributed_to": c.attributed_to,
                     "start": c.evidence.start, "end": c.evidence.end, "text": c.evidence.text}
                    for c in self.citations]
        return {"id": self.id, "kind": self.kind, "type": self.type, "participants": ",".join(self.participants),
                "date": self.date, "precision": self.precision,
                "precision_rank": PRECISIONS.index(self.precision), "date_min": bounds[0].isoformat(),
                "date_max": bounds[1].isoformat(), "certainty": self.certainty, "citations": len(self.citations),
                "examples": first_examples(examples)}


def example_key(example: dict) -> tuple:
    """Earliest published first, then article and place in it."""
    return (date_sort_key(example["published"]), example["doc_id"], example["start"])


def first_examples(examples: Iterable[dict]) -> list[dict]:
    """The ``EXAMPLES`` a stored item keeps: the first of the union of two such lists is the
    first of all, so the store merges a new article's citations without reading the old ones."""
    return sorted(examples, key=example_key)[:EXAMPLES]


EXAMPLES = 3  # citations a stored timeline item keeps


@dataclass(frozen=True)
class TimelineEntry:
    """A timeline item as the store keeps it: the first ``EXAMPLES`` citations and their count."""

    id: str
    date: str
    precision: str
    kind: str
    type: str
    participants: list[str]
    certainty: str
    citations: int
    examples: list[dict] = field(default_factory=list)

    @classmethod
    def of_row(cls, row: dict) -> TimelineEntry:
        return cls(row["id"], row["date"], row["precision"], row["kind"], row["type"],
                   row["participants"].split(",") if row["participants"] else [], row["certainty"],
                   row["citations"], list(row["examples"]))


def timeline_id(kind: str, type_: str, participants: list[str], date: str) -> str:
    key = "|".join((kind, type_, ",".join(participants), date))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _citation(doc: Document, certainty: str, attributed_to: str | None, evidence: Span) -> Citation:
    meta = doc.metadata
    return Citation(doc_id(doc), doc.source, meta.outlet, meta.published, certainty, attributed_to, evidence)


def timeline_keys(doc: Document) -> Iterable[tuple[str, str, list[str], str]]:
    """(kind, type, participants, date) of the document's dated events and flows."""
    for event in doc.events:
        if precision_of(event.date):
            yield "event", event.type, sorted(event.participants), event.date
    for flow in doc.flows:
        if precision_of(flow.time):
            yield "flow", flow.item, [flow.supplier, flow.recipient], flow.time


def build_timeline(docs: Iterable[Document]) -> list[TimelineItem]:
    """Events and dated flows sorted by date; undatable ones (no year) are left out."""
    items: dict[tuple, TimelineItem] = {}
    for doc in docs:
        for event in doc.events:
            add_citation(items, "event", event.type, sorted(event.participants), event.date,
                 _citation(doc, event.certainty, event.attributed_to, event.evidence))
        for flow in doc.flows:
            add_citation(items, "flow", flow.item, [flow.supplier, flow.recipient], flow.time,
                 _citation(doc, flow.certainty, flow.attributed_to, flow.evidence))
    return sorted(items.values(), key=lambda it: (date_sort_key(it.date), it.kind, it.type, it.participants))


def add_citation(items: dict[tuple, TimelineItem], kind: str, type_: str, participants: list[str],
         date: str | None, citation: Citation) -> None:
    precision = precision_of(date)
    if precision is None:
        return
    key = (kind, type_, tuple(participants), date)
    item = items.get(key)
    if item is None:
        item = items[key] = TimelineItem(date, precision, kind, type_, participants, citation.certainty)
    elif STRENGTH.get(citation.certainty, -1) > STRENGTH.get(item.certainty, -1):
        item.certainty = citation.certainty
    item.citations.append(citation)
