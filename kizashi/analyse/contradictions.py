"""Where articles disagree: a flow stated and denied, figures that differ, dates that clash.

Each contradiction keeps both spans, so a reader can judge it from the text.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Document, Event, Figure, Span
from .ledger import LedgerEntry, build_ledger
from .lineage import doc_id
from .timeline import PRECISIONS, date_bounds, precision_of, truncate

FIGURE_TOLERANCE = 0.005  # relative difference below which two figures are the same rounded number
EVENT_WINDOW_DAYS = 40  # dates further apart than this are more likely two events than one disputed


@dataclass
class Claim:
    """One side of a contradiction."""

    doc_id: str
    source: str
    outlet: str | None
    published: str | None
    value: str  # the certainty, the figure or the date this side states
    evidence: Span
    attributed_to: str | None = None


@dataclass
class Contradiction:
    kind: str  # "certainty", "figure" or "event_date"
    key: tuple  # what both sides are about
    a: Claim
    b: Claim

    @property
    def subject(self) -> str:
        """The key as one line: "PRK/RUS/artillery_ammunition", "meeting/PRK,RUS"."""
        return "/".join(",".join(k) if isinstance(k, tuple) else str(k) for k in self.key if k)


def _claim(doc: Document, value: str, evidence: Span, attributed_to: str | None = None) -> Claim:
    meta = doc.metadata
    return Claim(doc_id(doc), doc.source, meta.outlet, meta.published, value, evidence, attributed_to)


def certainty_contradictions(ledger: list[LedgerEntry]) -> list[Contradiction]:
    """Certain vs negated for one ledger entry; one pair per two articles (or two speakers in one)."""
    found = []
    for entry in ledger:
        seen: set[tuple[str, str]] = set()
        stated = [ev for ev in entry.evidence if ev.certainty == "certain"]
        denied = [ev for ev in entry.evidence if ev.certainty == "negated"]
        for yes in stated:
            for no in denied:
                if yes.doc_id == no.doc_id and yes.attributed_to == no.attributed_to:
                    continue
                if (yes.doc_id, no.doc_id) in seen:
                    continue
                seen.add((yes.doc_id, no.doc_id))
                found.append(Contradiction(
                    "certainty", (entry.supplier, entry.recipient, entry.item, entry.period),
                    Claim(yes.doc_id, yes.source, yes.outlet, yes.published, yes.certainty,
                          Span(yes.start, yes.end, yes.text), yes.attributed_to),
                    Claim(no.doc_id, no.source, no.outlet, no.published, no.certainty,
                          Span(no.start, no.end, no.text), no.attributed_to)))
    return found


def _format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def figure_contradictions(docs: list[Document]) -> list[Contradiction]:
    """Different values for one actor, item, measure, period and unit, in different articles."""
    by_key: dict[tuple, list[tuple[Document, Figure]]] = defaultdict(list)
    for doc in docs:
        for fig in doc.figures:
            if fig.actor and fig.item:
                by_key[(fig.actor, fig.item, fig.measure, fig.period, fig.unit)].append((doc, fig))
    found = []
    for key, figs in by_key.items():
        seen: set[tuple[str, str, float, float]] = set()
        for i, (doc_a, fa) in enumerate(figs):
            for doc_b, fb in figs[i + 1:]:
                if doc_id(doc_a) == doc_id(doc_b):
                    continue
                scale = max(abs(fa.value), abs(fb.value)) or 1.0
                if abs(fa.value - fb.value) / scale <= FIGURE_TOLERANCE:
                    continue
                pair = (doc_id(doc_a), doc_id(doc_b), fa.value, fb.value)
                if pair in seen:
                    continue
                seen.add(pair)
                found.append(Contradiction(
                    "figure", key,
                    _claim(doc_a, _format_number(fa.value), fa.evidence),
                    _claim(doc_b, _format_number(fb.value), fb.evidence)))
    return found


def _disagree(a: str, b: str, window_days: int) -> bool:
    """Different at the precision both share, yet close enough to be one event."""
    pa, pb = precision_of(a), precision_of(b)
    shared = PRECISIONS[min(PRECISIONS.index(pa), PRECISIONS.index(pb))]
    if truncate(a, shared) == truncate(b, shared):
        return False
    (sa, _), (sb, _) = date_bounds(truncate(a, shared)), date_bounds(truncate(b, shared))
    return abs((sa - sb).days) <= window_days


def event_date_contradictions(docs: list[Document], *, window_days: int = EVENT_WINDOW_DAYS) -> list[Contradiction]:
    """Same event type and participants, dates that differ at their shared precision."""
    by_key: dict[tuple, list[tuple[Document, Event]]] = defaultdict(list)
    for doc in docs:
        for event in doc.events:
            if event.certainty != "negated" and precision_of(event.date):
                by_key[(event.type, tuple(sorted(event.participants)))].append((doc, event))
    found = []
    for key, events in by_key.items():
        seen: set[tuple[str, str, str, str]] = set()
        for i, (doc_a, ea) in enumerate(events):
            for doc_b, eb in events[i + 1:]:
                if doc_id(doc_a) == doc_id(doc_b) or not _disagree(ea.date, eb.date, window_days):
                    continue
                pair = (doc_id(doc_a), doc_id(doc_b), ea.date, eb.date)
                if pair in seen:
                    continue
                seen.add(pair)
                found.append(Contradiction(
                    "event_date", key,
                    _claim(doc_a, ea.date, ea.evidence, ea.attributed_to),
                    _claim(doc_b, eb.date, eb.evidence, eb.attributed_to)))
    return found


def find_contradictions(docs: Iterable[Document], *, ledger: list[LedgerEntry] | None = None) -> list[Contradiction]:
    """All three kinds, certainty first; pass ``ledger`` to reuse one already built."""
    docs = list(docs)
    if ledger is None:
        ledger = build_ledger(docs)
    return certainty_contradictions(ledger) + figure_contradictions(docs) + event_date_contradictions(docs)
