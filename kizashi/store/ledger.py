"""Keeping the ledger tables up to date in the transaction that saves documents.

``upkeep`` runs once per saved batch, after the documents' own rows: it links
each new article into its lineage group, then recomputes only what the batch
touched (the ledger entries its flows state, and those of articles whose group
merged; the timeline items, figure and event-date disputes of its claims; its
entities; the counters), each with the same function ``derive`` uses, reading
that key's rows through an index. ``rebuild`` refills every table from
``derive`` (migration 0004, ``kizashi check --repair``).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, insert, inspect, null, or_, select, update
from sqlalchemy.orm import Session

from ..analyse.contradictions import (
    EVENT_WINDOW_DAYS,
    MAX_VALUES,
    Citation,
    Contradiction,
    Tally,
    contradiction_id,
    disputed_dates,
    event_date_contradiction,
    event_date_row,
    event_subject,
    figure_contradiction,
    figure_row,
    figure_subject,
    format_number,
)
from ..analyse.contradictions import certainty_contradiction
from ..analyse.ledger import (
    EXAMPLES,
    Statement,
    Voice,
    entry_id,
    first_date,
    last_date,
    latest_key,
    recent,
    sort_voices,
    statement_of,
    strongest,
)
from ..analyse.lineage import LineageKeys, is_translation_of, lineage_keys
from ..analyse.timeline import Citation as TimelineCitation
from ..analyse.timeline import (TimelineItem, add_citation, date_bounds, date_sort_key, first_examples, precision_of,
                                timeline_id)
from ..model import CERTAINTIES, Document, Span
from .dates import claim_days
from .derive import Dated, Derived, entry_tables, facet_counts, lineage_row
from .near_duplicates import NearDuplicateIndex
from .views import entry_of_row
from .schema import (
    ContradictionRow,
    CounterRow,
    DisputedValueRow,
    DocumentRow,
    EntityRow,
    EntityStatRow,
    EventRow,
    FigureRow,
    FlowRow,
    LedgerEntryRow,
    LedgerFacetRow,
    LedgerSourceRow,
    LineageMaterialRow,
    LineageRow,
    TimelineRow,
)

Key = tuple[str, str, str]
COUNTERS = ("documents", "statements", "groups")


@dataclass(frozen=True)
class NewDocument:
    """A document this transaction stored, with what its save already computed."""

    id: str
    doc: Document
    signature: Any  # its MinHash
    near_duplicate_of: str | None


def upkeep(session: Session, new: Sequence[NewDocument], committed: NearDuplicateIndex,
           pending: NearDuplicateIndex) -> None:
    """Bring every ledger table up to date with ``new`` (already flushed to ``session``)."""
    if not new:
        return
    regrouped: set[str] = set()
    groups_delta = 0
    for item in new:
        entries, joined = _link(session, item, committed, pending)
        regrouped |= entries
        groups_delta += 1 - joined
    by_key = new_statements(session, new)
    stated = {entry_id(*key) for key in by_key}
    for key in sorted(by_key):
        update_entry(session, key, by_key[key], regrouped=entry_id(*key) in regrouped)
    for eid in sorted(regrouped - stated):
        entry = session.get(LedgerEntryRow, eid)
        update_entry(session, (entry.supplier, entry.recipient, entry.item), [], regrouped=True)
    add_to_timeline(session, new)
    figures: dict[tuple, dict[float, int]] = defaultdict(lambda: defaultdict(int))
    for item in new:
        for f in item.doc.figures:
            if f.actor and f.item:
                figures[(f.actor, f.item, f.measure, f.period, f.unit)][f.value] += 1
    for key in sorted(figures, key=str):
        add_figures(session, key, figures[key])
    events: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in new:
        for e in item.doc.events:
            dates = events[(e.type, ",".join(sorted(e.participants)))]
            if e.certainty != "negated" and e.date is not None:
                dates[e.date] += 1
    for (type_, participants), dates in sorted(events.items()):
        add_event_dates(session, type_, participants, dates)
    _count_entities(session, new)
    _add_counters(session, documents=len(new), statements=sum(len(i.doc.flows) for i in new),
                  groups=groups_delta)


# -- lineage -------------------------------------------------------------------------------------------------


def _link(session: Session, item: NewDocument, committed: NearDuplicateIndex,
          pending: NearDuplicateIndex) -> tuple[set[str], int]:
    """Store the document's lineage row and merge it with every group it links to; returns
    the ledger entries whose sources were regrouped and how many other groups it joined."""
    keys = lineage_keys(item.doc)
    session.add(LineageRow(**lineage_row(keys, item.id)))
    if keys.material:
        session.execute(insert(LineageMaterialRow),
                        [{"document_id": item.id, "material": m} for m in sorted(keys.material)])
    session.flush()
    partners = _linked(session, keys)
    if item.near_duplicate_of:
        partners.add(item.near_duplicate_of)
    if item.doc.text.strip():
        partners |= {*committed.similar(item.signature), *pending.similar(item.signature)}
    partners.discard(item.id)
    if not partners:
        return set(), 0
    L = LineageRow
    groups = {item.id, *session.scalars(select(L.group_id).where(L.document_id.in_(sorted(partners))))}
    members = session.execute(select(L.document_id, L.group_id, L.published).where(L.group_id.in_(sorted(groups))))
    members = list(members)
    first = min(members, key=lambda m: (m.published is None, m.published or "", m.document_id)).document_id
    session.execute(update(L).where(L.group_id.in_(sorted(groups)), L.group_id != first).values(group_id=first))
    return regroup_sources(session, groups, first), len(groups) - 1


def _linked(session: Session, keys: LineageKeys) -> set[str]:
    """Stored documents ``linked`` to ``keys`` (analyse.lineage), each test through an index:
    the same byline, a shared material key, or a translation's author or outlet."""
    L, M = LineageRow, LineageMaterialRow
    found: set[str] = set()
    if keys.byline:
        found |= set(session.scalars(select(L.document_id).where(L.byline == keys.byline)))
    if keys.material:
        found |= set(session.scalars(select(M.document_id).where(M.material.in_(sorted(keys.material)))))
    conditions = []
    if keys.translated and keys.language != "en":
        if keys.author:
            conditions.append((L.language == "en") & (L.author == keys.author))
        elif keys.outlet:
            conditions.append((L.language == "en") & (L.outlet == keys.outlet))
    if keys.language == "en":
        if keys.author:
            conditions.append(L.translated.is_(True) & (L.author == keys.author))
        if keys.outlet:
            conditions.append(L.translated.is_(True) & L.author.is_(None) & (L.outlet == keys.outlet))
    for r in (session.scalars(select(L).where(or_(*conditions))) if conditions else ()):
        other = LineageKeys(r.document_id, r.published, r.language, r.translated, r.author, r.outlet, r.byline,
                            frozenset(), frozenset())
        if is_translation_of(keys, other) or is_translation_of(other, keys):
            found.add(r.document_id)
    found.discard(keys.doc_id)
    return found


# -- ledger entries ---------------------------------------------------------------------------------------------


def new_statements(session: Session, new: Sequence[NewDocument]) -> dict[Key, list[Dated]]:
    """The new documents' flows as statements, with the groups their linking gave them."""
    ids = [item.id for item in new]
    groups = dict(session.execute(select(LineageRow.document_id, LineageRow.group_id)
                                  .where(LineageRow.document_id.in_(ids))).all())
    by_key: dict[Key, list[Dated]] = defaultdict(list)
    for item in new:
        meta = item.doc.metadata
        for i, f in enumerate(item.doc.flows):
            low, high = claim_days(f.time, meta.published)
            by_key[(f.supplier, f.recipient, f.item)].append(Dated(Statement(
                item.id, i, groups[item.id], f.certainty, f.attributed_to, f.time, meta.published, meta.outlet,
                item.doc.source, f.evidence.start, f.evidence.end, f.evidence.text, why=f.why, claim_id=f.claim_id),
                low, high))
    return by_key


def _add_sources(session: Session, eid: str, counts: dict[tuple[str, str, str], int]) -> set[tuple[str, str, str]]:
    """Add statement counts by (group, certainty, voice); returns the keys the entry already had
    among these groups (one query for them all)."""
    src = LedgerSourceRow
    groups = sorted({g for g, _, _ in counts})
    existing = {(r.group_id, r.certainty, r.voice): r
                for r in session.scalars(select(src).where(src.entry_id == eid, src.group_id.in_(groups)))}
    for key, n in counts.items():
        if key in existing:
            existing[key].statements += n
        else:
            session.add(LedgerSourceRow(entry_id=eid, group_id=key[0], certainty=key[1], voice=key[2], statements=n))
    return set(existing)


def _counted(row: LedgerEntryRow, counts: dict[tuple[str, str, str], int],
             had: set[tuple[str, str, str]]) -> dict[str, Any]:
    """The entry's counts with new statements added, knowing which source rows it already had
    (what ``_recount`` would read, without reading the entry's every source row)."""
    by_certainty = dict(row.statements_by_certainty)
    sources = dict(row.sources_by_certainty)
    voices = {(v["who"], v["certainty"]): dict(v) for v in row.voices}
    had_groups = {g for g, _, _ in had}
    had_pairs = {(g, c) for g, c, _ in had}
    new_groups, new_pairs = set(), set()
    for (group, certainty, voice), n in counts.items():
        by_certainty[certainty] = by_certainty.get(certainty, 0) + n
        if group not in had_groups:
            new_groups.add(group)
        if (group, certainty) not in had_pairs:
            new_pairs.add((group, certainty))
        v = voices.setdefault((voice, certainty), {"who": voice, "certainty": certainty, "statements": 0,
                                                   "sources": 0})
        v["statements"] += n
        v["sources"] += (group, certainty, voice) not in had
    for _, certainty in new_pairs:
        sources[certainty] = sources.get(certainty, 0) + 1
    return {
        "statements": sum(by_certainty.values()),
        "statements_by_certainty": {c: by_certainty[c] for c in CERTAINTIES if by_certainty.get(c)},
        "sources_by_certainty": {c: sources[c] for c in CERTAINTIES if sources.get(c)},
        "independent_sources": row.independent_sources + len(new_groups),
        "certainty": strongest(by_certainty),
        "voices": [asdict(v) for v in sort_voices(Voice(**v) for v in voices.values())],
    }


def _add_facets(session: Session, eid: str, statements: Sequence[Dated]) -> None:
    counts = facet_counts(statements)
    if not counts:
        return
    fa = LedgerFacetRow
    months = sorted({m for _, _, m in counts})
    existing = {(r.certainty, r.outlet, r.month): r
                for r in session.scalars(select(fa).where(fa.entry_id == eid, fa.month.in_(months)))}
    for (certainty, outlet, month), n in counts.items():
        if (certainty, outlet, month) in existing:
            existing[(certainty, outlet, month)].statements += n
        else:
            session.add(LedgerFacetRow(entry_id=eid, certainty=certainty, outlet=outlet, month=month, statements=n))


def regroup_sources(session: Session, groups: set[str], first: str) -> set[str]:
    """Move the source rows of merged groups onto the surviving one; returns the entries touched."""
    src = LedgerSourceRow
    rows = list(session.scalars(select(src).where(src.group_id.in_(sorted(groups - {first})))))
    moved: dict[str, dict[tuple[str, str, str], int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        moved[row.entry_id][(first, row.certainty, row.voice)] += row.statements
        session.delete(row)
    session.flush()
    for eid, counts in moved.items():
        _add_sources(session, eid, counts)
    session.flush()
    return set(moved)


def _recount(session: Session, eid: str) -> dict[str, Any]:
    """The entry's fields that count lineage groups, from its source rows."""
    src = LedgerSourceRow
    by_certainty = dict(session.execute(
        select(src.certainty, func.sum(src.statements)).where(src.entry_id == eid).group_by(src.certainty)).all())
    sources = dict(session.execute(
        select(src.certainty, func.count(src.group_id.distinct())).where(src.entry_id == eid)
        .group_by(src.certainty)).all())
    voices = sort_voices(Voice(who, certainty, int(n), int(groups)) for who, certainty, n, groups in session.execute(
        select(src.voice, src.certainty, func.sum(src.statements), func.count(src.group_id.distinct()))
        .where(src.entry_id == eid).group_by(src.voice, src.certainty)))
    return {
        "statements": int(sum(by_certainty.values())),
        "statements_by_certainty": {c: int(by_certainty[c]) for c in CERTAINTIES if by_certainty.get(c)},
        "sources_by_certainty": {c: int(sources[c]) for c in CERTAINTIES if sources.get(c)},
        "independent_sources": session.scalar(select(func.count(src.group_id.distinct())).where(src.entry_id == eid)),
        "certainty": strongest(by_certainty),
        "voices": [asdict(v) for v in voices],
    }


def _stored_latest(session: Session, row: LedgerEntryRow) -> Statement:
    f, d = FlowRow, DocumentRow
    time, published = session.execute(select(f.time, d.published).join(d, d.id == f.document_id).where(
        f.document_id == row.latest_doc_id, f.position == row.latest_position)).one()
    return Statement(row.latest_doc_id, row.latest_position, "", row.latest_certainty, None, time, published, None,
                     "", 0, 0, "")


def _contested(session: Session, key: Key, counts: dict[str, int]) -> bool:
    """Stated and denied, by more than one speaker-in-an-article (see analyse.ledger.contested)."""
    if not (counts.get("certain") and counts.get("negated")):
        return False
    f = FlowRow
    pairs = session.execute(select(f.document_id, f.attributed_to).where(
        f.supplier == key[0], f.recipient == key[1], f.item == key[2], f.certainty.in_(("certain", "negated")))
        .distinct().limit(2)).all()
    return len(pairs) > 1


def _newest(session: Session, key: Key, certainty: str) -> list[Statement]:
    """The newest ``EXAMPLES`` statements of one certainty (analyse.ledger.newest_first)."""
    f, d = FlowRow, DocumentRow
    rows = session.execute(
        select(f.document_id, f.position, f.certainty, f.attributed_to, f.time, d.published, d.outlet, d.source,
               f.evidence_start, f.evidence_end, f.evidence_text).join(d, d.id == f.document_id)
        .where(f.supplier == key[0], f.recipient == key[1], f.item == key[2], f.certainty == certainty)
        .order_by(d.published.desc().nulls_first(), f.document_id.desc(), f.evidence_start.desc()).limit(EXAMPLES))
    return [Statement(r.document_id, r.position, "", r.certainty, r.attributed_to, r.time, r.published, r.outlet,
                      r.source, r.evidence_start, r.evidence_end, r.evidence_text) for r in rows]


def update_entry(session: Session, key: Key, new: Sequence[Dated], *, regrouped: bool = False) -> None:
    """Add ``new`` statements to one entry, its source and facet rows and its certainty dispute;
    after a merge of lineage groups (``regrouped``) its source counts are read again in full."""
    eid = entry_id(*key)
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for d in new:
        counts[(d.statement.lineage_group, d.statement.certainty, d.statement.voice)] += 1
    had = _add_sources(session, eid, counts) if counts else set()
    _add_facets(session, eid, new)
    session.flush()
    row = session.get(LedgerEntryRow, eid)
    plain = [d.statement for d in new]
    dates = {s.date for s in plain if date_bounds(s.date)}
    if row is None:
        if not plain:
            return
        latest = max(plain, key=latest_key)
        fields = _recount(session, eid)
        row = LedgerEntryRow(id=eid, supplier=key[0], recipient=key[1], item=key[2], article_count=0,
                             contested=False, recent=[], **fields)
        session.add(row)
    else:
        dates |= {d for d in (row.first, row.last) if d}
        latest = max([_stored_latest(session, row), *plain], key=latest_key)
        fields = _recount(session, eid) if regrouped else _counted(row, counts, had)
    was_contested = row.contested
    row.recent = recent([*map(statement_of, row.recent), *plain])
    for name, value in fields.items():
        setattr(row, name, value)
    row.article_count += len({s.doc_id for s in plain})
    row.latest_certainty, row.latest_doc_id, row.latest_position = latest.certainty, latest.doc_id, latest.position
    row.first, row.last = first_date(dates), last_date(dates)
    row.date_min = date_bounds(row.first)[0].isoformat() if row.first else None
    row.date_max = date_bounds(row.last)[1].isoformat() if row.last else None
    row.contested = row.contested or _contested(session, key, fields["statements_by_certainty"])
    session.flush()
    if row.contested:
        _refresh_certainty_dispute(session, key, row, plain if was_contested else None)


def _refresh_certainty_dispute(session: Session, key: Key, row: LedgerEntryRow,
                               added: list[Statement] | None) -> None:
    """The entry's dispute row: its newest examples merged with the ``added`` statements, or read
    from the flows when the entry has just become contested (``added`` None)."""
    entry = entry_of_row(row)
    stored = session.scalar(select(ContradictionRow).where(ContradictionRow.entry_id == row.id))
    if added is not None and stored is not None:
        examples = [Statement(c["doc_id"], 0, "", c["value"], c["attributed_to"], None, c["published"], c["outlet"],
                              c["source"], c["start"], c["end"], c["text"]) for c in stored.examples]
        statements = [*examples, *(s for s in added if s.certainty in ("certain", "negated"))]
    else:
        statements = [*_newest(session, key, "certain"), *_newest(session, key, "negated")]
    session.execute(delete(ContradictionRow).where(ContradictionRow.entry_id == row.id))
    session.execute(insert(ContradictionRow), [certainty_contradiction(entry, statements).row()])


# -- timeline and disputes ------------------------------------------------------------------------------------


def add_to_timeline(session: Session, new: Sequence[NewDocument]) -> None:
    """Add the new documents' dated claims to their timeline items: a stored item gains their
    count, certainty and examples (``first_examples``), a new one is inserted."""
    items: dict[tuple, TimelineItem] = {}
    for entry in new:
        doc, meta = entry.doc, entry.doc.metadata
        for event in doc.events:
            add_citation(items, "event", event.type, sorted(event.participants), event.date, TimelineCitation(
                entry.id, doc.source, meta.outlet, meta.published, event.certainty, event.attributed_to,
                event.evidence))
        for flow in doc.flows:
            add_citation(items, "flow", flow.item, [flow.supplier, flow.recipient], flow.time, TimelineCitation(
                entry.id, doc.source, meta.outlet, meta.published, flow.certainty, flow.attributed_to,
                flow.evidence))
    for key in sorted(items, key=str):
        row = items[key].row()
        stored = session.get(TimelineRow, row["id"])
        if stored is None:
            session.add(TimelineRow(**row))
            continue
        stored.certainty = strongest((stored.certainty, row["certainty"]))
        stored.citations += row["citations"]
        stored.examples = first_examples([*stored.examples, *row["examples"]])
    session.flush()


def _replace_contradiction(session: Session, cid: str, row: dict | None) -> None:
    session.execute(delete(ContradictionRow).where(ContradictionRow.id == cid))
    if row:
        session.execute(insert(ContradictionRow), [row])


def _tallies(session: Session, value: Any, document: Any, *where: Any) -> dict[Any, Tally]:
    rows = session.execute(select(value, func.count(), func.count(document.distinct()), func.min(document))
                           .where(*where).group_by(value))
    return {v: Tally(claims, docs, first) for v, claims, docs, first in rows}


def _figure_key(actor: str, item: str, measure: str | None, period: str | None, unit: str | None) -> tuple:
    g = FigureRow
    return (g.actor == actor, g.item == item, g.measure.is_not_distinct_from(measure),
            g.period.is_not_distinct_from(period), g.unit.is_not_distinct_from(unit))


def _figure_example(session: Session, key: tuple, value: float) -> Citation:
    """The first citation of a value, by article id and offset."""
    g, d = FigureRow, DocumentRow
    r = session.execute(select(g.document_id, g.evidence_start, g.evidence_end, g.evidence_text, d.source,
                               d.outlet, d.published).join(d, d.id == g.document_id)
                        .where(*key, g.value == value).order_by(g.document_id, g.evidence_start).limit(1)).one()
    return Citation(r.document_id, r.source, r.outlet, r.published, format_number(value), r.evidence_start,
                    r.evidence_end, r.evidence_text)


def refresh_figure(session: Session, actor: str, item: str, measure: str | None, period: str | None,
                   unit: str | None) -> None:
    """Recompute one figure dispute from a tally of its values (one GROUP BY)."""
    subject = figure_subject(actor, item, measure, period, unit)
    key = _figure_key(actor, item, measure, period, unit)
    found = figure_contradiction(subject, _tallies(session, FigureRow.value, FigureRow.document_id, *key),
                                 lambda v: _figure_example(session, key, v))
    _replace_contradiction(session, contradiction_id("figure", subject), found.row() if found else None)


def add_figures(session: Session, key: tuple, added: dict[float, int]) -> None:
    """Saved figures (value → claims) of one key. A dispute only grows: a stored row gains their
    claims, and its shown values are the key's smallest (read from the index); a key not
    disputed yet is recomputed, which the values of an undisputed key keep small."""
    subject = figure_subject(*key)
    cid = contradiction_id("figure", subject)
    stored = session.get(ContradictionRow, cid)
    if stored is None:
        refresh_figure(session, *key)
        return
    where = _figure_key(*key)
    shown = list(session.scalars(select(FigureRow.value).where(*where).distinct().order_by(FigureRow.value)
                                 .limit(MAX_VALUES)))
    kept = {c["value"]: c for c in stored.examples}
    examples = [kept[format_number(v)] if format_number(v) in kept and v not in added
                else asdict(_figure_example(session, where, v)) for v in shown]
    _replace_contradiction(session, cid, figure_row(subject, stored.claims + sum(added.values()), shown,
                                                    examples).row())


def _event_subject(type_: str, participants: str) -> str:
    """The dispute subject of an event key as the store keeps it (participants comma-joined)."""
    return event_subject(type_, participants.split(",") if participants else [])


def _event_key(type_: str, participants: str) -> tuple:
    e = EventRow
    return (e.type == type_, e.participants_key == participants, e.certainty != "negated", e.date.is_not(None))


def _event_example(session: Session, key: tuple, date: str) -> Citation:
    e, d = EventRow, DocumentRow
    r = session.execute(select(e.document_id, e.evidence_start, e.evidence_end, e.evidence_text,
                               e.attributed_to, d.source, d.outlet, d.published).join(d, d.id == e.document_id)
                        .where(*key, e.date == date).order_by(e.document_id, e.evidence_start).limit(1)).one()
    return Citation(r.document_id, r.source, r.outlet, r.published, date, r.evidence_start, r.evidence_end,
                    r.evidence_text, r.attributed_to)


def _replace_disputed(session: Session, cid: str, found: Contradiction | None) -> None:
    session.execute(delete(DisputedValueRow).where(DisputedValueRow.contradiction_id == cid))
    if found is not None:
        session.execute(insert(DisputedValueRow), [{"contradiction_id": cid, "value": v} for v in found.disputed])


def refresh_event_dates(session: Session, type_: str, participants: str) -> None:
    """Recompute one event-date dispute from a tally of all its dates (one GROUP BY)."""
    subject = _event_subject(type_, participants)
    key = _event_key(type_, participants)
    found = event_date_contradiction(subject, _tallies(session, EventRow.date, EventRow.document_id, *key),
                                     lambda d: _event_example(session, key, d))
    cid = contradiction_id("event_date", subject)
    _replace_contradiction(session, cid, found.row() if found else None)
    _replace_disputed(session, cid, found)


WINDOW_READ_DAYS = EVENT_WINDOW_DAYS + 31  # a month starts at most 31 days before a day in it
FEW_DATES = 16  # new dates of one key a save checks one by one; more (a bulk load) recompute the key


def add_event_dates(session: Session, type_: str, participants: str, added: dict[str, int]) -> None:
    """Saved event dates (date → claims) of one key: only pairs holding a new date can be new
    disputes, and a date's partners lie within the window, so each new date reads the tally of
    the dates around it (an index range), and the dispute row gains what they add."""
    dated = {d: n for d, n in added.items() if precision_of(d)}
    if not dated:
        return
    if len(dated) > FEW_DATES:
        refresh_event_dates(session, type_, participants)
        return
    subject = _event_subject(type_, participants)
    cid = contradiction_id("event_date", subject)
    key = _event_key(type_, participants)
    counts: dict[str, Tally] = {}
    for date in dated:
        start = date_bounds(date)[0]
        low = (start - timedelta(days=WINDOW_READ_DAYS)).strftime("%Y-%m")  # a month sorts before its days
        high = (start + timedelta(days=WINDOW_READ_DAYS)).isoformat()
        counts |= _tallies(session, EventRow.date, EventRow.document_id, *key, EventRow.date >= low,
                           EventRow.date <= high)
    candidates = disputed_dates(counts, among=dated)
    if not candidates:
        return
    before = set(session.scalars(select(DisputedValueRow.value).where(
        DisputedValueRow.contradiction_id == cid, DisputedValueRow.value.in_(sorted(candidates)))))
    fresh = candidates - before
    stored = session.get(ContradictionRow, cid)
    claims = (stored.claims if stored else 0) + sum(counts[d].claims for d in fresh) + sum(
        n for d, n in dated.items() if d in before)
    old = list(stored.sides["values"]) if stored else []
    shown = sorted(set(old) | fresh, key=date_sort_key)[:MAX_VALUES]
    kept = {c["value"]: c for c in stored.examples} if stored else {}
    examples = [kept[d] if d in kept and d not in dated else asdict(_event_example(session, key, d)) for d in shown]
    _replace_contradiction(session, cid, event_date_row(subject, claims, shown, examples, ()).row())
    if fresh:
        session.execute(insert(DisputedValueRow), [{"contradiction_id": cid, "value": v} for v in sorted(fresh)])


# -- re-analysis ----------------------------------------------------------------------------------------------


def reanalysed(session: Session, doc_id: str, old: Document, new: Document, options: Any) -> None:
    """A document's claims replaced by a re-analysis of the same text (its rows already
    rewritten in ``session``): every entry, dispute, timeline item and entity the old or the
    new claims touch is recomputed from the stored claims of its key, with the functions
    ``derive`` uses. A change to the document's lineage keys (a figure in a quote) can split a
    group, which increments cannot undo: then every table is rebuilt."""
    old, new = replace(old, id=doc_id), replace(new, id=doc_id)
    if lineage_keys(old) != lineage_keys(new):
        rebuild(session, options)
        return
    _recompute_touched(session, old, new)


def withdrawn(session: Session, doc: Document) -> None:
    """A document's claims taken out of the ledger (its claim rows already deleted in
    ``session``): a newer version of the article replaced it. Its lineage rows stay, so the
    groups it joined do not split and the new version falls in the same group."""
    _recompute_touched(session, doc, _without_claims(doc))


def restored(session: Session, doc: Document) -> None:
    """A withdrawn document's claims back in the ledger (its claim rows already inserted)."""
    _recompute_touched(session, _without_claims(doc), doc)


def _without_claims(doc: Document) -> Document:
    return replace(doc, flows=[], events=[], figures=[], entities=[])


def _recompute_touched(session: Session, old: Document, new: Document) -> None:
    """Every entry, dispute, timeline item and entity the claims of ``old`` or ``new`` touch,
    recomputed from the stored claims of its key."""
    for key in sorted({(f.supplier, f.recipient, f.item) for f in [*old.flows, *new.flows]}):
        recompute_entry(session, key)
    figures = {(f.actor, f.item, f.measure, f.period, f.unit) for f in [*old.figures, *new.figures] if f.actor and f.item}
    for key in sorted(figures, key=str):
        refresh_figure(session, *key)
    for type_, participants in sorted({(e.type, ",".join(sorted(e.participants))) for e in [*old.events, *new.events]}):
        refresh_event_dates(session, type_, participants)
    items = {("flow", f.item, f"{f.supplier},{f.recipient}", f.time) for f in [*old.flows, *new.flows]}
    items |= {("event", e.type, ",".join(sorted(e.participants)), e.date) for e in [*old.events, *new.events]}
    for kind, type_, participants, date in sorted(i for i in items if precision_of(i[3])):
        recompute_timeline_item(session, kind, type_, participants, date)
    recompute_entities(session, {e.id for e in [*old.entities, *new.entities]})
    _add_counters(session, statements=len(new.flows) - len(old.flows))


def recompute_entry(session: Session, key: Key) -> None:
    """One entry with its source, facet and certainty-dispute rows, from all its stored statements."""
    f, d, L = FlowRow, DocumentRow, LineageRow
    rows = session.execute(
        select(f.document_id, f.position, f.certainty, f.attributed_to, f.time, f.evidence_start, f.evidence_end,
               f.evidence_text, f.why, f.claim_id, f.date_min, f.date_max, d.published, d.outlet, d.source,
               L.group_id)
        .join(d, d.id == f.document_id).join(L, L.document_id == f.document_id)
        .where(f.supplier == key[0], f.recipient == key[1], f.item == key[2]))
    dated = [Dated(Statement(r.document_id, r.position, r.group_id, r.certainty, r.attributed_to, r.time, r.published,
                             r.outlet, r.source, r.evidence_start, r.evidence_end, r.evidence_text, why=r.why,
                             claim_id=r.claim_id), r.date_min, r.date_max) for r in rows]
    eid = entry_id(*key)
    for model, column in ((LedgerSourceRow, LedgerSourceRow.entry_id), (LedgerFacetRow, LedgerFacetRow.entry_id),
                          (ContradictionRow, ContradictionRow.entry_id), (LedgerEntryRow, LedgerEntryRow.id)):
        session.execute(delete(model).where(column == eid))
    if not dated:
        return
    entry, sources, facets, contradiction = entry_tables(key, dated)
    session.execute(insert(LedgerEntryRow), [entry])
    session.execute(insert(LedgerSourceRow), sources)
    if facets:
        session.execute(insert(LedgerFacetRow), facets)
    if contradiction:
        session.execute(insert(ContradictionRow), [contradiction])


def recompute_timeline_item(session: Session, kind: str, type_: str, participants: str, date: str) -> None:
    """One timeline item from every stored claim of its key."""
    d = DocumentRow
    parties = participants.split(",") if participants else []
    if kind == "flow":
        c = FlowRow
        where = (c.item == type_, c.supplier == parties[0], c.recipient == parties[1], c.time == date)
    else:
        c = EventRow
        where = (c.type == type_, c.participants_key == participants, c.date == date)
    items: dict[tuple, TimelineItem] = {}
    for r in session.execute(select(c.document_id, c.certainty, c.attributed_to, c.evidence_start, c.evidence_end,
                                    c.evidence_text, d.source, d.outlet, d.published)
                             .join(d, d.id == c.document_id).where(*where)):
        add_citation(items, kind, type_, parties, date, TimelineCitation(
            r.document_id, r.source, r.outlet, r.published, r.certainty, r.attributed_to,
            Span(r.evidence_start, r.evidence_end, r.evidence_text)))
    tid = timeline_id(kind, type_, parties, date)
    session.execute(delete(TimelineRow).where(TimelineRow.id == tid))
    if items:
        session.execute(insert(TimelineRow), [item.row() for item in items.values()])


def recompute_entities(session: Session, ids: set[str]) -> None:
    """Entity counts from the documents' entity rows (one per document)."""
    e = EntityRow
    for eid in sorted(ids):
        rows = session.execute(select(e.document_id, e.name, e.type, e.country, e.mentions)
                               .where(e.entity_id == eid).order_by(e.document_id)).all()
        session.execute(delete(EntityStatRow).where(EntityStatRow.entity_id == eid))
        if rows:
            first = rows[0]
            session.execute(insert(EntityStatRow), [{
                "entity_id": eid, "name": first.name, "name_doc_id": first.document_id, "type": first.type,
                "country": first.country, "documents": len(rows), "mentions": sum(r.mentions for r in rows)}])


# -- entities and counters ------------------------------------------------------------------------------------


def _count_entities(session: Session, new: Sequence[NewDocument]) -> None:
    """Each entity's document and mention counts, for the whole batch at once: a stored row
    gains them, a new one is inserted; the name shown is that of the smallest article id."""
    seen: dict[str, dict[str, Any]] = {}
    for item in new:
        for entity in item.doc.entities:
            row = seen.setdefault(entity.id, {"entity_id": entity.id, "documents": 0, "mentions": 0,
                                              "name_doc_id": None})
            row["documents"] += 1
            row["mentions"] += len(entity.mentions)
            if row["name_doc_id"] is None or item.id < row["name_doc_id"]:
                row.update(name=entity.name, name_doc_id=item.id, type=entity.type, country=entity.country)
    if not seen:
        return
    s = EntityStatRow
    stored = {r.entity_id: r for r in session.execute(select(s.entity_id, s.name_doc_id)
                                                      .where(s.entity_id.in_(sorted(seen))))}
    fresh = [row for eid, row in sorted(seen.items()) if eid not in stored]
    if fresh:
        session.execute(insert(s), fresh)
    for eid, row in sorted(seen.items()):
        if eid not in stored:
            continue
        values: dict[str, Any] = {"documents": s.documents + row["documents"], "mentions": s.mentions + row["mentions"]}
        if row["name_doc_id"] < stored[eid].name_doc_id:
            values.update(name=row["name"], name_doc_id=row["name_doc_id"], type=row["type"], country=row["country"])
        session.execute(update(s).where(s.entity_id == eid).values(**values))


def _add_counters(session: Session, **deltas: int) -> None:
    for name, delta in deltas.items():
        if delta:
            session.execute(update(CounterRow).where(CounterRow.name == name).values(value=CounterRow.value + delta))


# -- from scratch -----------------------------------------------------------------------------------------------

DERIVED_TABLES = (LineageMaterialRow, LineageRow, LedgerSourceRow, LedgerFacetRow, LedgerEntryRow, ContradictionRow,
                  DisputedValueRow, TimelineRow, EntityStatRow, CounterRow)


def write(session: Session, derived: Derived) -> None:
    """Replace every ledger table with ``derived``: those the store has, for an older migration's
    backfill runs this too (0004 fills what 0005 adds to later)."""
    present = set(inspect(session.connection()).get_table_names())
    for model in DERIVED_TABLES:
        if model.__tablename__ in present:
            session.execute(delete(model))
    tables = [
        (LineageRow, list(derived.lineage.values())),
        (LineageMaterialRow, [{"document_id": d, "material": m} for d, m in sorted(derived.material)]),
        (LedgerEntryRow, list(derived.entries.values())),
        (LedgerSourceRow, list(derived.sources.values())),
        (LedgerFacetRow, list(derived.facets.values())),
        (ContradictionRow, list(derived.contradictions.values())),
        (DisputedValueRow, [{"contradiction_id": c, "value": v} for c, v in sorted(derived.disputed)]),
        (TimelineRow, list(derived.timeline.values())),
        (EntityStatRow, list(derived.entities.values())),
        (CounterRow, [{"name": n, "value": derived.counters.get(n, 0)} for n in COUNTERS]),
    ]
    for model, rows in tables:
        for i in range(0, len(rows) if model.__tablename__ in present else 0, 1000):
            session.execute(insert(model), rows[i:i + 1000])


def stored_documents(session: Session, batch: int = 200) -> Iterable[tuple[Document, bytes | None, str | None]]:
    """Every stored document by id (with the version that superseded it), its stored MinHash
    signature and the signature's params."""
    from ..model import document_from_dict
    from .schema import MinHashRow

    columns = {c["name"] for c in inspect(session.connection()).get_columns("documents")}
    superseded = DocumentRow.superseded_by if "superseded_by" in columns else null()  # before migration 0009
    last = ""
    while True:
        rows = session.execute(select(DocumentRow.id, DocumentRow.payload, superseded.label("superseded_by"),
                                      MinHashRow.signature, MinHashRow.params)
                               .outerjoin(MinHashRow, MinHashRow.document_id == DocumentRow.id)
                               .where(DocumentRow.id > last).order_by(DocumentRow.id).limit(batch)).all()
        if not rows:
            return
        for row in rows:
            doc = document_from_dict(row.payload)
            doc.superseded_by = row.superseded_by
            yield doc, row.signature, row.params
        last = rows[-1].id


def rebuild(session: Session, options: Any) -> Derived:
    """Refill every ledger table from the stored documents (stored signatures reused)."""
    from .derive import derive

    index = NearDuplicateIndex(options)
    signatures: dict[str, Any] = {}

    def documents() -> Iterable[Document]:
        for doc, data, params in stored_documents(session):
            if data is not None and params == index.params:
                signatures[doc.id] = index.decode(data)
            yield doc

    def signature(doc: Document) -> Any:
        stored = signatures.pop(doc.id, None)
        return index.signature(doc.text) if stored is None else stored

    derived = derive(documents(), options=options, signature=signature)
    write(session, derived)
    return derived
