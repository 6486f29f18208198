"""The ledger: one entry per claimed flow (supplier, recipient, item), with what its sources say.

An entry counts its statements by certainty, and its independent sources
(lineage groups: a rewrite of one article adds a statement, not a source). It
says who asserts and who denies, its date range and its latest statement.
``summarise`` is the one definition of an entry: the store keeps its rows up
to date with it, and ``kizashi check`` recomputes them from the documents
with it, so the two cannot drift.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import PurePath
from urllib.parse import urlsplit

from ..model import CERTAINTIES, Document, Quantity
from .lineage import doc_id, lineage_groups
from .timeline import STRENGTH, date_bounds, date_sort_key

EXAMPLES = 3  # statements of each side a contested entry keeps as examples


@dataclass(frozen=True)
class Statement:
    """One article's sentence about a flow: the unit the ledger counts."""

    doc_id: str
    position: int  # the flow's index in its document
    lineage_group: str
    certainty: str
    attributed_to: str | None
    time: str | None
    published: str | None
    outlet: str | None
    source: str
    start: int
    end: int
    text: str
    quantity: Quantity | None = None
    why: str | None = None
    claim_id: str = ""  # the flow's id (claim_ids.py)

    @property
    def date(self) -> str | None:
        """When the flow happened if the text says (with a year), else when the article appeared."""
        return self.time if date_bounds(self.time) else self.published

    @property
    def voice(self) -> str:
        """Who says so: the attributed speaker, else the outlet, else where the article came from
        (a URL's host, a file's name: the folder it was read from says nothing)."""
        return self.attributed_to or self.outlet or source_label(self.source)


@dataclass(frozen=True)
class Voice:
    """One speaker's (or outlet's) position on an entry."""

    who: str
    certainty: str
    statements: int
    sources: int


@dataclass
class LedgerEntry:
    id: str
    supplier: str
    recipient: str
    item: str
    certainty: str  # the most committed certainty any statement gives: certain > negated > uncertain
    latest_certainty: str  # what the most recently published statement says
    latest_doc_id: str
    latest_position: int
    statements: int
    article_count: int
    independent_sources: int
    statements_by_certainty: dict[str, int]
    sources_by_certainty: dict[str, int]  # independent sources that say each certainty
    contested: bool  # stated by one source and denied by another
    voices: list[Voice]
    first: str | None  # the earliest date as the text gives it ("2024", "2024-10-21")
    last: str | None
    date_min: str | None  # the first day of the range, for filters and order
    date_max: str | None
    recent: list[dict] = field(default_factory=list)  # the newest statements (recent_key), as dicts
    evidence: list[Statement] = field(default_factory=list)

    def row(self) -> dict:
        """The entry as the store keeps it (everything but the evidence)."""
        data = asdict(self)
        data.pop("evidence")
        return data

    @property
    def asserted_by(self) -> list[str]:
        return [v.who for v in self.voices if v.certainty == "certain"]

    @property
    def denied_by(self) -> list[str]:
        return [v.who for v in self.voices if v.certainty == "negated"]


def source_label(source: str) -> str:
    if "://" in source:
        return urlsplit(source).hostname or source
    return PurePath(source).name or source


def entry_id(supplier: str, recipient: str, item: str) -> str:
    """Stable across runs and stores: a hash of the entry's key."""
    return hashlib.sha256("|".join((supplier, recipient, item)).encode("utf-8")).hexdigest()[:16]


def entity_names(docs: Iterable[Document]) -> dict[str, str]:
    """Entity id → display name, from the document with the smallest id that names it
    (an order-free choice, so the store's upkeep gives the same name)."""
    names: dict[str, tuple[str, str]] = {}
    for doc in docs:
        for entity in doc.entities:
            if entity.id not in names or doc_id(doc) < names[entity.id][0]:
                names[entity.id] = (doc_id(doc), entity.name)
    return {k: name for k, (_, name) in names.items()}


def contested(statements: Sequence[Statement]) -> bool:
    """A certain and a negated statement that are not one speaker in one article."""
    stated = {(s.doc_id, s.attributed_to) for s in statements if s.certainty == "certain"}
    denied = {(s.doc_id, s.attributed_to) for s in statements if s.certainty == "negated"}
    return bool(stated and denied) and (len(stated) > 1 or len(denied) > 1 or stated != denied)


def latest_key(s: Statement) -> tuple:
    """The most recently published statement is the greatest; undated ones come last."""
    when = s.published or s.time
    return (date_bounds(when) is not None, date_sort_key(when), STRENGTH.get(s.certainty, -1), s.doc_id, s.position)


def first_date(dates: Iterable[str]) -> str | None:
    """The earliest of ISO prefixes (at one start, the coarser)."""
    return min(dates, key=lambda d: (date_sort_key(d), d), default=None)


def last_date(dates: Iterable[str]) -> str | None:
    """The one that reaches latest."""
    return max(dates, key=lambda d: (date_bounds(d)[1], date_sort_key(d), d), default=None)


def strongest(certainties: Iterable[str]) -> str:
    return max(certainties, key=lambda c: STRENGTH.get(c, -1))


def sort_voices(voices: Iterable[Voice]) -> list[Voice]:
    return sorted(voices, key=lambda v: (-v.sources, -v.statements, v.who, v.certainty))


def recent_key(s: Statement) -> tuple:
    """Newest statement date first, then the larger article id and position (as the store's
    ``ix_flows_by_key`` read backwards)."""
    bounds = date_bounds(s.date)
    return (bounds[0].isoformat() if bounds else "", s.doc_id, s.position)


def recent(statements: Iterable[Statement], n: int = EXAMPLES) -> list[dict]:
    """The ``n`` newest statements as the entry keeps them."""
    return [statement_dict(s) for s in sorted(statements, key=recent_key, reverse=True)[:n]]


def statement_dict(s: Statement) -> dict:
    """A statement without its lineage group (which merges change) or quantity."""
    return {"doc_id": s.doc_id, "position": s.position, "certainty": s.certainty, "attributed_to": s.attributed_to,
            "time": s.time, "published": s.published, "outlet": s.outlet, "source": s.source, "start": s.start,
            "end": s.end, "text": s.text, "why": s.why, "claim_id": s.claim_id}


def statement_of(data: dict) -> Statement:
    return Statement(data["doc_id"], data["position"], "", data["certainty"], data["attributed_to"], data["time"],
                     data["published"], data["outlet"], data["source"], data["start"], data["end"], data["text"],
                     why=data["why"], claim_id=data["claim_id"])


def newest_first(statements: Iterable[Statement]) -> list[Statement]:
    """By publication date, newest first; ties by article id and place in it, so the order is fixed."""
    return sorted(statements, key=lambda s: (date_sort_key(s.published), s.doc_id, s.start), reverse=True)


def summarise(supplier: str, recipient: str, item: str, statements: Sequence[Statement]) -> LedgerEntry:
    """The entry of one key from all its statements (in any order)."""
    by_certainty: dict[str, int] = defaultdict(int)
    groups_by_certainty: dict[str, set[str]] = defaultdict(set)
    voices: dict[tuple[str, str], list[Statement]] = defaultdict(list)
    for s in statements:
        by_certainty[s.certainty] += 1
        groups_by_certainty[s.certainty].add(s.lineage_group)
        voices[(s.voice, s.certainty)].append(s)
    dates = {s.date for s in statements if date_bounds(s.date)}
    first, last = first_date(dates), last_date(dates)
    latest = max(statements, key=latest_key)
    return LedgerEntry(
        id=entry_id(supplier, recipient, item), supplier=supplier, recipient=recipient, item=item,
        certainty=strongest(by_certainty),
        latest_certainty=latest.certainty, latest_doc_id=latest.doc_id, latest_position=latest.position,
        statements=len(statements),
        article_count=len({s.doc_id for s in statements}),
        independent_sources=len({s.lineage_group for s in statements}),
        statements_by_certainty={c: by_certainty[c] for c in CERTAINTIES if by_certainty.get(c)},
        sources_by_certainty={c: len(groups_by_certainty[c]) for c in CERTAINTIES if groups_by_certainty.get(c)},
        contested=contested(statements),
        voices=sort_voices(Voice(who, certainty, len(group), len({s.lineage_group for s in group}))
                           for (who, certainty), group in voices.items()),
        first=first, last=last,
        date_min=date_bounds(first)[0].isoformat() if first else None,
        date_max=date_bounds(last)[1].isoformat() if last else None,
        recent=recent(statements),
    )


def statements_of(doc: Document, groups: dict[str, str]) -> Iterable[tuple[tuple[str, str, str], Statement]]:
    """The document's flows as (key, statement)."""
    key = doc_id(doc)
    meta = doc.metadata
    for i, flow in enumerate(doc.flows):
        yield (flow.supplier, flow.recipient, flow.item), Statement(
            key, i, groups.get(key, key), flow.certainty, flow.attributed_to, flow.time, meta.published,
            meta.outlet, doc.source, flow.evidence.start, flow.evidence.end, flow.evidence.text,
            flow.quantity, flow.why, flow.claim_id)


def build_ledger(docs: Iterable[Document], *, groups: dict[str, str] | None = None) -> list[LedgerEntry]:
    """Every entry with all its statements (newest first), ordered by key."""
    docs = list(docs)
    if groups is None:
        groups = lineage_groups(docs)
    by_key: dict[tuple[str, str, str], list[Statement]] = defaultdict(list)
    for doc in docs:
        for key, statement in statements_of(doc, groups):
            by_key[key].append(statement)
    entries = []
    for key in sorted(by_key):
        entry = summarise(*key, by_key[key])
        entry.evidence = newest_first(by_key[key])
        entries.append(entry)
    return entries
