"""Reading the ledger tables: bounded queries for every page and API route.

Each reader touches the rows of one page through an index, and counts what a
page needs either from a small table (entries, contradictions, entities), from
the counters, or up to ``COUNT_CAP`` matches (``Counted.capped`` says so).
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, literal, select, text, tuple_
from sqlalchemy.orm import Session

from ..analyse.contradictions import Citation, Contradiction
from ..analyse.ledger import LedgerEntry, Statement, Voice, entry_id, statement_of
from ..analyse.timeline import TimelineEntry
from .dates import filter_days, index_floor, overlap
from .schema import (
    ContradictionRow,
    CounterRow,
    DocumentRow,
    EntityStatRow,
    FlowRow,
    LedgerEntryRow,
    LedgerFacetRow,
    TimelineRow,
)

COUNT_CAP = 1_000  # matches counted exactly; past it a total reads "1,000+"
SEARCH_COUNT_CAP = 200  # search matches counted (each is checked against its text on PostgreSQL)
EVIDENCE = 3  # statements shown with each entry of a ledger page
ARTICLE_EVIDENCE = 50  # with a source filter: that article's statements, all of them in practice


@dataclass(frozen=True)
class LedgerFilter:
    """The ledger's filters; the ones past the key apply to the statements (an entry is kept
    when one of its statements matches, and those are the evidence shown)."""

    supplier: str | None = None
    recipient: str | None = None
    item: str | None = None
    certainty: str | None = None
    source: str | None = None
    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None

    @property
    def on_statements(self) -> bool:
        return any(v is not None for v in (self.certainty, self.source, self.outlet, self.date_from, self.date_to))


@dataclass(frozen=True)
class Counted:
    items: list[Any]
    total: int
    capped: bool = False  # the total is COUNT_CAP and there are more


@dataclass(frozen=True)
class EntitySummary:
    entity_id: str
    name: str
    type: str
    country: str | None
    documents: int
    mentions: int


def counters(session: Session) -> dict[str, int]:
    return {name: value for name, value in session.execute(select(CounterRow.name, CounterRow.value))}


def capped_count(session: Session, stmt: Select, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """Rows of ``stmt`` up to ``cap``: counting a common word's every match would read them all."""
    n = session.scalar(select(func.count()).select_from(stmt.limit(cap + 1).subquery())) or 0
    return (cap, True) if n > cap else (n, False)


def statement_conditions(f: LedgerFilter) -> list[Any]:
    """The statement filters as conditions on flows (joined to documents for ``source``),
    exactly as ``Store.flows`` applies them."""
    flow = FlowRow
    conditions = []
    for column, value in ((flow.certainty, f.certainty), (flow.outlet, f.outlet), (DocumentRow.source, f.source)):
        if value is not None:
            conditions.append(column == value)
    return conditions + overlap(flow, f.date_from, f.date_to)


def _months(low: str | None, high: str | None) -> list[Any]:
    conditions = []
    if low is not None:
        conditions.append(LedgerFacetRow.month >= low[:7])
    if high is not None:
        conditions.append(LedgerFacetRow.month <= high[:7])
    if conditions:
        conditions.append(LedgerFacetRow.month != "")
    return conditions


def _probe(stmt: Select) -> Any:
    """``EXISTS`` as a one-row scalar subquery: an entry table of a few hundred rows probes an
    index once per entry, where PostgreSQL would turn an ``EXISTS`` into a join over every
    matching row of the large table."""
    return stmt.limit(1).scalar_subquery().is_not(None)


def _entry_filter(f: LedgerFilter) -> list[Any]:
    e = LedgerEntryRow
    conditions = [column == value for column, value in ((e.supplier, f.supplier), (e.recipient, f.recipient),
                                                        (e.item, f.item)) if value is not None]
    if f.certainty is not None or f.outlet is not None or f.date_from is not None or f.date_to is not None:
        fa = LedgerFacetRow
        facet = [fa.entry_id == e.id]
        if f.certainty is not None:
            facet.append(fa.certainty == f.certainty)
        if f.outlet is not None:
            facet.append(fa.outlet == f.outlet)
        facet += _months(*filter_days(f.date_from, f.date_to))
        conditions.append(_probe(select(literal(1)).select_from(fa).where(*facet)))
    if f.source is not None:  # a source is one or a few articles: their keys
        flow = FlowRow
        keys = (select(flow.supplier, flow.recipient, flow.item).join(DocumentRow, DocumentRow.id == flow.document_id)
                .where(DocumentRow.source == f.source))
        conditions.append(tuple_(e.supplier, e.recipient, e.item).in_(keys))
    if f.source is not None or _inexact_days(f):
        # the facets hold months: a day-level bound, or a source, is checked against the statements
        flow = FlowRow
        probe = select(literal(1)).select_from(flow)
        if f.source is not None:
            probe = probe.join(DocumentRow, DocumentRow.id == flow.document_id)
        conditions.append(_probe(probe.where(flow.supplier == e.supplier, flow.recipient == e.recipient,
                                             flow.item == e.item, *statement_conditions(f))
                                 .order_by(flow.date_min.desc())))  # from the filter's end: a match comes first
    return conditions


def _inexact_days(f: LedgerFilter) -> bool:
    """A bound that does not start or end a month: months alone would keep too much."""
    low, high = filter_days(f.date_from, f.date_to)
    if low is not None and not low.endswith("-01"):
        return True
    if high is not None:
        day = dt.date.fromisoformat(high)
        return (day + dt.timedelta(days=1)).day != 1
    return False


def entry_of_row(row: LedgerEntryRow) -> LedgerEntry:
    return LedgerEntry(
        row.id, row.supplier, row.recipient, row.item, row.certainty, row.latest_certainty, row.latest_doc_id,
        row.latest_position, row.statements, row.article_count, row.independent_sources,
        dict(row.statements_by_certainty), dict(row.sources_by_certainty), row.contested,
        [Voice(**v) for v in row.voices], row.first, row.last, row.date_min, row.date_max, list(row.recent))


_EVIDENCE_COLUMNS = ("f.supplier, f.recipient, f.item, f.document_id, f.position, f.certainty, f.attributed_to, "
                     "f.time, d.published, d.outlet, d.source, f.evidence_start, f.evidence_end, f.evidence_text, "
                     "f.why, f.claim_id")


def _statement_sql(f: LedgerFilter) -> tuple[str, dict[str, Any]]:
    """``statement_conditions`` as SQL text over ``flows f JOIN documents d`` (a test holds the two
    equal: every evidence statement is one ``Store.flows`` lists for the same filter)."""
    parts, params = [], {}
    for column, name, value in (("f.certainty", "certainty", f.certainty), ("f.outlet", "outlet", f.outlet),
                                ("d.source", "source", f.source)):
        if value is not None:
            parts.append(f"{column} = :{name}")
            params[name] = value
    low, high = filter_days(f.date_from, f.date_to)
    if low is not None:
        parts.append("f.date_max >= :low")
        params["low"] = low
        if floor := index_floor(low):
            parts.append("f.date_min >= :floor")
            params["floor"] = floor
    if high is not None:
        parts.append("f.date_min <= :high")
        params["high"] = high
    return "".join(f" AND {p}" for p in parts), params


def evidence(session: Session, entries: list[LedgerEntry], f: LedgerFilter, limit: int = EVIDENCE) -> None:
    """Give each entry its statements that match the filters, newest statement date first: one
    query with one ``LIMIT`` per entry (a branch each on SQLite, a LATERAL join on PostgreSQL),
    each read backwards along ``ix_flows_by_key``. The text is written out: building the same
    statement as expressions cost more than running it."""
    if not entries or limit <= 0:
        return
    conditions, params = _statement_sql(f)
    order = f"ORDER BY f.date_min DESC, f.document_id DESC, f.position DESC LIMIT {int(limit)}"
    for i, e in enumerate(entries):
        params |= {f"s{i}": e.supplier, f"r{i}": e.recipient, f"i{i}": e.item}
    if session.get_bind().dialect.name == "postgresql":  # one LATERAL plan: 50 branches took longer to plan than to run
        keys = ", ".join(f"(:s{i}, :r{i}, :i{i})" for i in range(len(entries)))
        sql = (f"SELECT b.* FROM (VALUES {keys}) AS k(s, r, i) CROSS JOIN LATERAL (SELECT {_EVIDENCE_COLUMNS} "
               f"FROM flows f JOIN documents d ON d.id = f.document_id WHERE f.supplier = k.s AND f.recipient = k.r "
               f"AND f.item = k.i{conditions} {order}) AS b")
    else:
        sql = " UNION ALL ".join(
            f"SELECT * FROM (SELECT {_EVIDENCE_COLUMNS} FROM flows f JOIN documents d ON d.id = f.document_id "
            f"WHERE f.supplier = :s{i} AND f.recipient = :r{i} AND f.item = :i{i}{conditions} {order}) AS b{i}"
            for i in range(len(entries)))
    by_key: dict[tuple[str, str, str], list[Statement]] = {(e.supplier, e.recipient, e.item): [] for e in entries}
    for r in session.execute(text(sql), params):
        by_key[(r.supplier, r.recipient, r.item)].append(Statement(
            r.document_id, r.position, "", r.certainty, r.attributed_to, r.time, r.published, r.outlet, r.source,
            r.evidence_start, r.evidence_end, r.evidence_text, why=r.why, claim_id=r.claim_id))
    for e in entries:
        e.evidence = by_key[(e.supplier, e.recipient, e.item)]


def claim_ids_by_entry(session: Session) -> dict[str, list[str]]:
    """Every flow's claim id under its ledger entry (the GraphML edges list them)."""
    found: dict[str, list[str]] = defaultdict(list)
    f = FlowRow
    for supplier, recipient, item, claim_id in session.execute(select(f.supplier, f.recipient, f.item, f.claim_id)):
        found[entry_id(supplier, recipient, item)].append(claim_id)
    return found


def ledger(session: Session, f: LedgerFilter, *, limit: int, offset: int,
           with_evidence: int = EVIDENCE) -> Counted:
    e = LedgerEntryRow
    conditions = _entry_filter(f)
    total = session.scalar(select(func.count()).select_from(e).where(*conditions)) or 0
    rows = session.scalars(select(e).where(*conditions).order_by(e.supplier, e.recipient, e.item)
                           .limit(limit).offset(offset))
    entries = [entry_of_row(r) for r in rows]
    if with_evidence and f.source is not None:  # one article: all its statements of the entry
        with_evidence = max(with_evidence, ARTICLE_EVIDENCE)
    if f.on_statements or with_evidence > EVIDENCE:
        evidence(session, entries, f, with_evidence)
    else:  # the entry keeps its newest statements
        for e in entries:
            e.evidence = [statement_of(x) for x in e.recent[:with_evidence]]
    return Counted(entries, total)


def entry(session: Session, entry_id: str) -> LedgerEntry | None:
    row = session.get(LedgerEntryRow, entry_id)
    return entry_of_row(row) if row else None


def choices(session: Session) -> dict[str, list[str]]:
    """The values the ledger's filter menus offer."""
    e = LedgerEntryRow
    return {
        "supplier": list(session.scalars(select(e.supplier).distinct().order_by(e.supplier))),
        "recipient": list(session.scalars(select(e.recipient).distinct().order_by(e.recipient))),
        "item": list(session.scalars(select(e.item).distinct().order_by(e.item))),
        "outlet": _distinct_outlets(session),
    }


def light_entries(session: Session, limit: int) -> list[LedgerEntry]:
    """Entries without their voices and recent statements (the figures need only keys and counts)."""
    e = LedgerEntryRow
    rows = session.execute(select(e.id, e.supplier, e.recipient, e.item, e.certainty, e.latest_certainty,
                                  e.latest_doc_id, e.latest_position, e.statements, e.article_count,
                                  e.independent_sources, e.statements_by_certainty, e.sources_by_certainty,
                                  e.contested, e.first, e.last, e.date_min, e.date_max)
                           .order_by(e.supplier, e.recipient, e.item).limit(limit))
    return [LedgerEntry(*r[:13], r.contested, [], r.first, r.last, r.date_min, r.date_max) for r in rows]


def _distinct_outlets(session: Session) -> list[str]:
    """The outlets of the facets by a loose index scan: one seek per outlet along
    ``ix_ledger_facets_outlet``, not a read of every facet row."""
    rows = session.execute(text(
        "WITH RECURSIVE o(outlet) AS (SELECT min(outlet) FROM ledger_facets WHERE outlet > '' "
        "UNION ALL SELECT (SELECT min(outlet) FROM ledger_facets WHERE outlet > o.outlet) FROM o "
        "WHERE o.outlet IS NOT NULL) SELECT outlet FROM o WHERE outlet IS NOT NULL"))
    return [r.outlet for r in rows]


def newest_entries(session: Session, n: int) -> list[LedgerEntry]:
    """The entries whose statements reach latest; at one date the better sourced first."""
    e = LedgerEntryRow
    rows = session.scalars(select(e).where(e.date_max.is_not(None))
                           .order_by(e.date_max.desc(), e.independent_sources.desc(), e.id).limit(n))
    return [entry_of_row(r) for r in rows]


def timeline(session: Session, *, kind: str | None, date_from: str | None, date_to: str | None,
             limit: int, offset: int) -> Counted:
    t = TimelineRow
    conditions = ([t.kind == kind] if kind else []) + overlap(t, date_from, date_to)
    order = (t.date_min, t.precision_rank, t.kind, t.type, t.id)
    if kind:
        order = (t.kind, *order[:2], t.type, t.id)
    total, capped = capped_count(session, select(t.id).where(*conditions))
    rows = session.scalars(select(t).where(*conditions).order_by(*order).limit(limit).offset(offset))
    items = [TimelineEntry.of_row({c.name: getattr(r, c.name) for c in TimelineRow.__table__.columns}) for r in rows]
    return Counted(items, total, capped)


def contradictions(session: Session, *, kind: str | None, limit: int, offset: int) -> Counted:
    c = ContradictionRow
    conditions = [c.kind == kind] if kind else []
    total = session.scalar(select(func.count()).select_from(c).where(*conditions)) or 0
    rows = session.scalars(select(c).where(*conditions).order_by(c.kind, c.subject).limit(limit).offset(offset))
    return Counted([Contradiction(r.id, r.kind, r.subject, r.entry_id, r.claims, dict(r.sides),
                                  [Citation(**x) for x in r.examples]) for r in rows], total)


def entities(session: Session, *, type: str | None, limit: int, offset: int) -> Counted:
    s = EntityStatRow
    conditions = [s.type == type] if type else []
    total = session.scalar(select(func.count()).select_from(s).where(*conditions)) or 0
    rows = session.scalars(select(s).where(*conditions).order_by(s.documents.desc(), s.entity_id)
                           .limit(limit).offset(offset))
    return Counted([EntitySummary(r.entity_id, r.name, r.type, r.country, r.documents, r.mentions) for r in rows],
                   total)


def names(session: Session, ids: set[str] | None = None) -> dict[str, str]:
    """Display names of entities (all of them when ``ids`` is None: the table is small)."""
    s = EntityStatRow
    stmt = select(s.entity_id, s.name)
    if ids is not None:
        stmt = stmt.where(s.entity_id.in_(sorted(ids)))
    return {k: v for k, v in session.execute(stmt)}
