"""The ledger tables computed from scratch, from the documents alone.

``kizashi check`` compares these rows with the ones the store kept up to date
article by article, and a store without the tables (migration 0004) is filled
from them. Documents are read one at a time; only their claims are kept.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..analyse.contradictions import (
    Citation,
    certainty_contradiction,
    event_dates_of,
    event_subject,
    figure_of,
    figure_subject,
    format_number,
)
from ..analyse.ledger import Statement, summarise
from ..analyse.lineage import LineageKeys, UnionFind, candidates, lineage_keys, linked
from ..analyse.timeline import Citation as TimelineCitation
from ..analyse.timeline import TimelineItem, add_citation
from ..config import Options
from ..model import Document
from .dates import claim_days
from .near_duplicates import NearDuplicateIndex

Key = tuple[str, str, str]


def months(date_min: str | None, date_max: str | None) -> list[str]:
    """Every month a day range touches ("" when undated): the facets a statement counts in."""
    if not date_min or not date_max:
        return [""]
    year, month = int(date_min[:4]), int(date_min[5:7])
    last = (int(date_max[:4]), int(date_max[5:7]))
    found = []
    while (year, month) <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


@dataclass(frozen=True)
class Dated:
    """A statement with the day range the flows table gives it (its own time, else its article's)."""

    statement: Statement
    date_min: str | None
    date_max: str | None


def facet_counts(statements: Iterable[Dated]) -> dict[tuple[str, str, str], int]:
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for d in statements:
        for month in months(d.date_min, d.date_max):
            counts[(d.statement.certainty, d.statement.outlet or "", month)] += 1
    return counts


def entry_tables(key: Key, statements: list[Dated]) -> tuple[dict, list[dict], list[dict], dict | None]:
    """One key's entry row, source rows, facet rows and contradiction row (None when not contested)."""
    plain = [d.statement for d in statements]
    entry = summarise(*key, plain)
    sources: dict[tuple[str, str, str], int] = defaultdict(int)
    for s in plain:
        sources[(s.lineage_group, s.certainty, s.voice)] += 1
    source_rows = [{"entry_id": entry.id, "group_id": g, "certainty": c, "voice": v, "statements": n}
                   for (g, c, v), n in sorted(sources.items())]
    facets = [{"entry_id": entry.id, "certainty": c, "outlet": o, "month": m, "statements": n}
              for (c, o, m), n in sorted(facet_counts(statements).items())]
    contradiction = certainty_contradiction(entry, plain)
    return entry.row(), source_rows, facets, contradiction.row() if contradiction else None


@dataclass
class Derived:
    """Every ledger table as rows, keyed as the store keys them."""

    lineage: dict[str, dict] = field(default_factory=dict)
    material: set[tuple[str, str]] = field(default_factory=set)
    entries: dict[str, dict] = field(default_factory=dict)
    sources: dict[tuple[str, str, str, str], dict] = field(default_factory=dict)
    facets: dict[tuple[str, str, str, str], dict] = field(default_factory=dict)
    contradictions: dict[str, dict] = field(default_factory=dict)
    disputed: set[tuple[str, str]] = field(default_factory=set)  # (contradiction id, date) of event-date disputes
    timeline: dict[str, dict] = field(default_factory=dict)
    entities: dict[str, dict] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)


def lineage_row(keys: LineageKeys, group_id: str) -> dict[str, Any]:
    return {"document_id": keys.doc_id, "group_id": group_id, "published": keys.published,
            "language": keys.language, "translated": keys.translated, "author": keys.author,
            "outlet": keys.outlet, "byline": keys.byline, "figures": sorted([v, u] for v, u in keys.figures)}


@dataclass
class _Claims:
    """What is kept of each document while reading them all."""

    statements: dict[Key, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    meta: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # published, outlet
    timeline: dict[tuple, TimelineItem] = field(default_factory=dict)
    figures: dict[str, list[tuple[float, Citation]]] = field(default_factory=lambda: defaultdict(list))
    events: dict[str, list[Citation]] = field(default_factory=lambda: defaultdict(list))
    entities: dict[str, dict] = field(default_factory=dict)
    flows: int = 0


def _read(doc: Document, claims: _Claims) -> None:
    doc_id, meta = doc.id, doc.metadata
    claims.meta[doc_id] = (meta.published, meta.outlet)
    for i, f in enumerate(doc.flows):
        low, high = claim_days(f.time, meta.published)
        claims.statements[(f.supplier, f.recipient, f.item)].append(
            (doc_id, i, f.certainty, f.attributed_to, f.time, f.evidence.text, f.evidence.start, f.evidence.end,
             doc.source, low, high, f.why, f.claim_id))
        add_citation(claims.timeline, "flow", f.item, [f.supplier, f.recipient], f.time,
                     TimelineCitation(doc_id, doc.source, meta.outlet, meta.published, f.certainty,
                                      f.attributed_to, f.evidence))
    claims.flows += len(doc.flows)
    for e in doc.events:
        add_citation(claims.timeline, "event", e.type, sorted(e.participants), e.date,
                     TimelineCitation(doc_id, doc.source, meta.outlet, meta.published, e.certainty,
                                      e.attributed_to, e.evidence))
        if e.certainty != "negated":
            claims.events[event_subject(e.type, e.participants)].append(
                Citation(doc_id, doc.source, meta.outlet, meta.published, e.date or "", e.evidence.start, e.evidence.end,
                         e.evidence.text, e.attributed_to))
    for fig in doc.figures:
        if fig.actor and fig.item:
            claims.figures[figure_subject(fig.actor, fig.item, fig.measure, fig.period, fig.unit)].append(
                (fig.value, Citation(doc_id, doc.source, meta.outlet, meta.published, format_number(fig.value),
                                     fig.evidence.start, fig.evidence.end, fig.evidence.text)))
    for entity in doc.entities:
        row = claims.entities.get(entity.id)
        if row is None:
            claims.entities[entity.id] = {"entity_id": entity.id, "name": entity.name, "name_doc_id": doc_id,
                                          "type": entity.type, "country": entity.country, "documents": 1,
                                          "mentions": len(entity.mentions)}
            continue
        row["documents"] += 1
        row["mentions"] += len(entity.mentions)
        if doc_id < row["name_doc_id"]:
            row.update(name=entity.name, name_doc_id=doc_id, type=entity.type, country=entity.country)


def derive(docs: Iterable[Document], *, options: Options = Options(),
           signature: Callable[[Document], Any] | None = None) -> Derived:
    """The tables for ``docs`` (each with its stored id); ``signature`` may reuse stored MinHashes."""
    index = NearDuplicateIndex(options)
    sign = signature or (lambda d: index.signature(d.text))
    claims = _Claims()
    keys: list[LineageKeys] = []
    uf = UnionFind()
    for doc in docs:
        k = lineage_keys(doc)
        keys.append(k)
        uf.find(k.doc_id)
        if doc.near_duplicate_of:
            uf.union(k.doc_id, doc.near_duplicate_of)
        if doc.text.strip():
            minhash = sign(doc)
            for other in index.similar(minhash):
                uf.union(k.doc_id, other)
            index.add(k.doc_id, minhash)
        if doc.superseded_by is None:  # an old version is history: its claims are not the ledger's
            _read(doc, claims)
    for a, b in candidates(keys):
        if linked(keys[a], keys[b]):
            uf.union(keys[a].doc_id, keys[b].doc_id)
    out = Derived()
    members: dict[str, list[LineageKeys]] = defaultdict(list)
    for k in keys:
        members[uf.find(k.doc_id)].append(k)
    groups: dict[str, str] = {}
    for group in members.values():
        first = min(group, key=lambda k: k.order).doc_id
        for k in group:
            groups[k.doc_id] = first
            out.lineage[k.doc_id] = lineage_row(k, first)
            out.material |= {(k.doc_id, m) for m in k.material}
    for key, rows in claims.statements.items():
        dated = []
        for doc_id, i, certainty, attributed, time, text, start, end, source, low, high, why, cid in rows:
            published, outlet = claims.meta[doc_id]
            dated.append(Dated(Statement(doc_id, i, groups[doc_id], certainty, attributed, time, published, outlet,
                                         source, start, end, text, why=why, claim_id=cid), low, high))
        entry, sources, facets, contradiction = entry_tables(key, dated)
        out.entries[entry["id"]] = entry
        out.sources.update({(r["entry_id"], r["group_id"], r["certainty"], r["voice"]): r for r in sources})
        out.facets.update({(f["entry_id"], f["certainty"], f["outlet"], f["month"]): f for f in facets})
        if contradiction:
            out.contradictions[contradiction["id"]] = contradiction
    for subject, figs in claims.figures.items():
        if c := figure_of(subject, figs):
            out.contradictions[c.id] = c.row()
    for subject, evs in claims.events.items():
        if c := event_dates_of(subject, evs):
            out.contradictions[c.id] = c.row()
            out.disputed |= {(c.id, v) for v in c.disputed}
    out.timeline = {item.id: item.row() for item in claims.timeline.values()}
    out.entities = claims.entities
    out.counters = {"documents": len(keys), "statements": claims.flows, "groups": len(set(groups.values()))}
    return out
