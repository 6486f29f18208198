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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

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
    disputed: list[str] = field(default_factory=list)  # event_date: every disputed date, not only those shown

    def row(self) -> dict:
        row = asdict(self)
        del row["disputed"]  # kept apart (contradiction_values): a busy key disputes thousands of dates
        return row


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


@dataclass(frozen=True)
class Tally:
    """How one value (a figure, a date) of a disputed thing is given: what the dispute tests
    need, which the store reads with one GROUP BY instead of every claim."""

    claims: int
    documents: int
    first_doc: str  # the smallest article id giving it


def tallies(values: Iterable[tuple[Any, str]]) -> dict[Any, Tally]:
    """(value, article id) pairs as a tally per value."""
    docs: dict[Any, set[str]] = defaultdict(set)
    claims: dict[Any, int] = defaultdict(int)
    for value, doc in values:
        docs[value].add(doc)
        claims[value] += 1
    return {v: Tally(claims[v], len(docs[v]), min(docs[v])) for v in docs}


def _two_articles(a: Tally, b: Tally) -> bool:
    """The two values come from at least two articles between them."""
    return a.documents > 1 or b.documents > 1 or a.first_doc != b.first_doc


def _figures_disputed(counts: dict[float, Tally]) -> bool:
    """Is there a pair of values further apart than rounding, from two articles? In one pass:
    the smallest and the largest value are the furthest from any value (figures are counts, so
    not negative); when those two come from one and the same article, a pair needs a value
    from another article, far from either end."""
    if len(counts) < 2:
        return False
    low, high = min(counts), max(counts)
    if not _far(low, high):
        return False
    if _two_articles(counts[low], counts[high]):
        return True
    alone = counts[low].first_doc  # the one article both ends come from
    return any(_far(v, low) or _far(v, high) for v, t in counts.items() if t.documents > 1 or t.first_doc != alone)


def figure_contradiction(subject: str, counts: dict[float, Tally],
                         example: Callable[[float], Citation]) -> Contradiction | None:
    """Two articles whose values for one key differ by more than rounding; ``example(value)``
    gives the first citation (by article id, then offset) of a value shown. Saving more
    figures never ends a dispute, so the store only adds to a row it has."""
    if not _figures_disputed(counts):
        return None
    shown = sorted(counts)[:MAX_VALUES]
    return figure_row(subject, sum(t.claims for t in counts.values()), shown, [example(v) for v in shown])


def figure_row(subject: str, claims: int, shown: Sequence[float], examples: list[Citation]) -> Contradiction:
    return Contradiction(contradiction_id("figure", subject), "figure", subject, None, claims,
                         {"values": [format_number(v) for v in shown]}, examples)


def first_citation(citations: Iterable[Citation]) -> Callable[[Any], Citation]:
    """``example`` over claims in hand: the first citation of a value by article id and offset."""
    first: dict[str, Citation] = {}
    for c in citations:
        if c.value not in first or (c.doc_id, c.start) < (first[c.value].doc_id, first[c.value].start):
            first[c.value] = c
    return lambda value: first[value if isinstance(value, str) else format_number(value)]


def event_subject(type_: str, participants: Iterable[str]) -> str:
    return f"{type_}/{','.join(sorted(participants))}"


def _date_facts(date: str) -> tuple[Any, int, list[Any], list[str]]:
    """A date's start day, precision rank, and its first day and text truncated to each coarser precision."""
    rank = PRECISIONS.index(precision_of(date))
    prefixes = [truncate(date, p) for p in PRECISIONS[:rank + 1]]
    return date_bounds(date)[0], rank, [date_bounds(t)[0] for t in prefixes], prefixes


def _dates_disagree(a: tuple, b: tuple, window_days: int) -> bool:
    """Different at the precision both share, yet close enough to be one event."""
    shared = min(a[1], b[1])
    return a[3][shared] != b[3][shared] and abs((a[2][shared] - b[2][shared]).days) <= window_days


def disputed_dates(counts: dict[str, Tally], *, among: Iterable[str] | None = None,
                   window_days: int = EVENT_WINDOW_DAYS) -> set[str]:
    """The dates of one event key that some other date, from another article, disputes; with
    ``among``, only pairs holding one of those dates (what saving them can add). Each date's
    precision and truncations are worked out once: a busy key has thousands of dates."""
    dates = sorted((d for d in counts if precision_of(d)), key=date_sort_key)
    facts = {d: _date_facts(d) for d in dates}
    disputed: set[str] = set()
    if among is not None:
        for a in (d for d in set(among) if d in facts):
            for b in dates:
                if b != a and _dates_disagree(facts[a], facts[b], window_days) and _two_articles(counts[a], counts[b]):
                    disputed |= {a, b}
        return disputed
    for i, a in enumerate(dates):
        for b in dates[i + 1:]:
            if (facts[b][0] - facts[a][0]).days > window_days + 31:  # sorted by start: no nearer one follows
                break  # (a month starts at most 31 days before a day in it; a year never disagrees in the window)
            if _dates_disagree(facts[a], facts[b], window_days) and _two_articles(counts[a], counts[b]):
                disputed |= {a, b}
    return disputed


def event_date_contradiction(subject: str, counts: dict[str, Tally], example: Callable[[str], Citation], *,
                             window_days: int = EVENT_WINDOW_DAYS) -> Contradiction | None:
    """Dates of one event key that two articles give differently within the window: different at
    the precision both share, yet close enough to be one event. Saving more events never ends a
    dispute (a pair stays a pair), so the store adds what new dates dispute to the row it has."""
    disputed = disputed_dates(counts, window_days=window_days)
    if not disputed:
        return None
    shown = sorted(disputed, key=date_sort_key)[:MAX_VALUES]
    return event_date_row(subject, sum(counts[d].claims for d in disputed), shown, [example(d) for d in shown],
                          disputed)


def event_date_row(subject: str, claims: int, shown: list[str], examples: list[Citation],
                   disputed: Iterable[str]) -> Contradiction:
    return Contradiction(contradiction_id("event_date", subject), "event_date", subject, None, claims,
                         {"values": shown}, examples, sorted(disputed, key=date_sort_key))


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


def figure_of(subject: str, figures: Sequence[tuple[float, Citation]]) -> Contradiction | None:
    """``figure_contradiction`` over figures in hand."""
    return figure_contradiction(subject, tallies((v, c.doc_id) for v, c in figures),
                                first_citation(c for _, c in figures))


def event_dates_of(subject: str, events: Sequence[Citation]) -> Contradiction | None:
    """``event_date_contradiction`` over events in hand (``value``: the date)."""
    return event_date_contradiction(subject, tallies((c.value, c.doc_id) for c in events), first_citation(events))


def find_contradictions(docs: Iterable[Document], *, ledger: list[LedgerEntry] | None = None) -> list[Contradiction]:
    """All three kinds, ordered by kind then subject; pass ``ledger`` to reuse one already built."""
    docs = list(docs)
    if ledger is None:
        ledger = build_ledger(docs)
    found = [c for e in ledger if (c := certainty_contradiction(e, e.evidence))]
    found += [c for subject, figs in figure_claims(docs).items() if (c := figure_of(subject, figs))]
    found += [c for subject, evs in event_claims(docs).items() if (c := event_dates_of(subject, evs))]
    order = {"certainty": 0, "figure": 1, "event_date": 2}
    return sorted(found, key=lambda c: (order[c.kind], c.subject))
