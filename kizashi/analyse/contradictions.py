"""Where articles disagree, one row per disputed thing (not one per pair of articles).

- ``certainty``: a ledger entry stated by one source and denied by another;
  the row names who asserts and who denies, with a few example statements.
- ``figure``: different values for one actor, item, measure, period and unit.
- ``event_date``: one event type between the same participants, dated
  differently (at the precision both share) within ``EVENT_WINDOW_DAYS``.

Each function reads all of one key's claims, in any order, and returns its row
or None; the store recomputes the rows of the keys an article touches with
them, and ``kizashi check`` recomputes all of them from the documents.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from ..model import Document
from .ledger import EXAMPLES, LedgerEntry, Statement, build_ledger, newest_first
from .lineage import doc_id
from .timeline import PRECISIONS, date_bounds, date_sort_key, precision_of, truncate

FIGURE_TOLERANCE = 0.005  # relative difference below which two figures are the same rounded number
EVENT_WINDOW_DAYS = 40  # dates further apart than this are more likely two events than one disputed
MAX_VALUES = 10  # values (figures, dates) a row lists


@dataclass(frozen=True)
class Citation:
    """Where one side was read: the article and the exact span."""

    doc_id: str
    source: str
    outlet: str | None
    published: str | None
    value: str  # the certainty, the figure or the date this side states
    start: int
    end: int
    text: str
    attributed_to: str | None = None


@dataclass
class Contradiction:
    id: str
    kind: str  # "certainty", "figure" or "event_date"
    subject: str  # "PRK/RUS/artillery_ammunition", "meeting/PRK,RUS"
    entry_id: str | None  # the ledger entry, for "certainty"
    claims: int  # statements on either side
    sides: dict[str, list[str]]  # certainty: {"asserted": who, "denied": who}; else {"values": …}
    examples: list[Citation]

    def row(self) -> dict:
        return asdict(self)


def contradiction_id(kind: str, subject: str) -> str:
    return hashlib.sha256(f"{kind}|{subject}".encode("utf-8")).hexdigest()[:16]


def _statement_citation(s: Statement) -> Citation:
    return Citation(s.doc_id, s.source, s.outlet, s.published, s.certainty, s.start, s.end, s.text, s.attributed_to)


def certainty_contradiction(entry: LedgerEntry, statements: Sequence[Statement]) -> Contradiction | None:
    """The entry's row when it is contested: who asserts, who denies, the newest examples of each."""
    if not entry.contested:
        return None
    subject = f"{entry.supplier}/{entry.recipient}/{entry.item}"
    stated = newest_first(s for s in statements if s.certainty == "certain")[:EXAMPLES]
    denied = newest_first(s for s in statements if s.certainty == "negated")[:EXAMPLES]
    return Contradiction(contradiction_id("certainty", subject), "certainty", subject, entry.id,
                         entry.statements_by_certainty.get("certain", 0) + entry.statements_by_certainty.get("negated", 0),
                         {"asserted": entry.asserted_by, "denied": entry.denied_by},
                         [_statement_citation(s) for s in stated + denied])


def format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _far(a: float, b: float) -> bool:
    scale = max(abs(a), abs(b)) or 1.0
    return abs(a - b) / scale > FIGURE_TOLERANCE


def figure_subject(actor: str, item: str, measure: str | None, period: str | None, unit: str | None) -> str:
    return "/".join("" if k is None else str(k) for k in (actor, item, measure, period, unit))


def figure_contradiction(subject: str, figures: Sequence[tuple[float, Citation]]) -> Contradiction | None:
    """Two articles whose values for one key differ by more than rounding."""
    docs_of: dict[float, set[str]] = defaultdict(set)
    for value, c in figures:
        docs_of[value].add(c.doc_id)
    values = sorted(docs_of)
    if len(values) <= 64:
        disputed = any(_far(a, b) and len(docs_of[a] | docs_of[b]) >= 2
                       for i, a in enumerate(values) for b in values[i + 1:])
    else:
        disputed = _disputed_extremes(values, docs_of)
    if not disputed:
        return None
    examples = []
    for value in values[:MAX_VALUES]:
        first = min((c for v, c in figures if v == value), key=lambda c: (c.doc_id, c.start))
        examples.append(first)
    return Contradiction(contradiction_id("figure", subject), "figure", subject, None, len(figures),
                         {"values": [format_number(v) for v in values[:MAX_VALUES]]}, examples)


def _disputed_extremes(values: list[float], docs_of: dict[float, set[str]]) -> bool:
    """For many values: the smallest and the largest are the furthest apart (figures are counts)."""
    low, high = values[0], values[-1]
    return _far(low, high) and len(docs_of[low] | docs_of[high]) >= 2


def _disagree(a: str, b: str, window_days: int) -> bool:
    """Different at the precision both share, yet close enough to be one event."""
    pa, pb = precision_of(a), precision_of(b)
    shared = PRECISIONS[min(PRECISIONS.index(pa), PRECISIONS.index(pb))]
    if truncate(a, shared) == truncate(b, shared):
        return False
    (sa, _), (sb, _) = date_bounds(truncate(a, shared)), date_bounds(truncate(b, shared))
    return abs((sa - sb).days) <= window_days


def event_subject(type_: str, participants: Iterable[str]) -> str:
    return f"{type_}/{','.join(sorted(participants))}"


def event_date_contradiction(subject: str, events: Sequence[Citation], *,
                             window_days: int = EVENT_WINDOW_DAYS) -> Contradiction | None:
    """Dates of one event key that two articles give differently within the window; ``value``
    of each citation is its date."""
    docs_of: dict[str, set[str]] = defaultdict(set)
    for c in events:
        if precision_of(c.value):
            docs_of[c.value].add(c.doc_id)
    dates = sorted(docs_of, key=date_sort_key)
    disputed: set[str] = set()
    for i, a in enumerate(dates):
        start_a = date_bounds(a)[0]
        for b in dates[i + 1:]:
            if (date_bounds(b)[0] - start_a).days > window_days + 31:  # sorted by start: no nearer one follows
                break  # (a month starts at most 31 days before a day in it; a year never disagrees in the window)
            if len(docs_of[a] | docs_of[b]) >= 2 and _disagree(a, b, window_days):
                disputed |= {a, b}
    if not disputed:
        return None
    shown = sorted(disputed, key=date_sort_key)[:MAX_VALUES]
    examples = [min((c for c in events if c.value == d), key=lambda c: (c.doc_id, c.start)) for d in shown]
    return Contradiction(contradiction_id("event_date", subject), "event_date", subject, None,
                         sum(1 for c in events if c.value in disputed), {"values": shown}, examples)


def figure_claims(docs: Iterable[Document]) -> dict[str, list[tuple[float, Citation]]]:
    """Figures with an actor and an item, by subject."""
    by_key: dict[str, list[tuple[float, Citation]]] = defaultdict(list)
    for doc in docs:
        meta = doc.metadata
        for fig in doc.figures:
            if fig.actor and fig.item:
                by_key[figure_subject(fig.actor, fig.item, fig.measure, fig.period, fig.unit)].append(
                    (fig.value, Citation(doc_id(doc), doc.source, meta.outlet, meta.published, format_number(fig.value),
                                         fig.evidence.start, fig.evidence.end, fig.evidence.text)))
    return by_key


def event_claims(docs: Iterable[Document]) -> dict[str, list[Citation]]:
    """Events that are not denied and have a dated year, by subject."""
    by_key: dict[str, list[Citation]] = defaultdict(list)
    for doc in docs:
        meta = doc.metadata
        for event in doc.events:
            if event.certainty != "negated" and precision_of(event.date):
                by_key[event_subject(event.type, event.participants)].append(
                    Citation(doc_id(doc), doc.source, meta.outlet, meta.published, event.date, event.evidence.start,
                             event.evidence.end, event.evidence.text, event.attributed_to))
    return by_key


def find_contradictions(docs: Iterable[Document], *, ledger: list[LedgerEntry] | None = None) -> list[Contradiction]:
    """All three kinds, ordered by kind then subject; pass ``ledger`` to reuse one already built."""
    docs = list(docs)
    if ledger is None:
        ledger = build_ledger(docs)
    found = [c for e in ledger if (c := certainty_contradiction(e, e.evidence))]
    found += [c for subject, figs in figure_claims(docs).items() if (c := figure_contradiction(subject, figs))]
    found += [c for subject, evs in event_claims(docs).items() if (c := event_date_contradiction(subject, evs))]
    order = {"certainty": 0, "figure": 1, "event_date": 2}
    return sorted(found, key=lambda c: (order[c.kind], c.subject))
