"""The ledger: one entry per claimed flow, with every article that reports it.

Flows with the same supplier, recipient and item merge when their times
overlap or are missing. Corroboration is counted in lineage groups, so a
rewrite of one article adds evidence but not an independent source.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Document, Flow, Quantity
from .lineage import doc_id, lineage_groups
from .timeline import PRECISIONS, STRENGTH, date_bounds, date_sort_key, precision_of


@dataclass
class LedgerEvidence:
    """One article's sentence about the flow."""

    doc_id: str
    source: str
    outlet: str | None
    published: str | None
    lineage_group: str
    certainty: str
    attributed_to: str | None
    start: int
    end: int
    text: str
    time: str | None
    quantity: Quantity | None
    why: str | None  # the words that decided this article's claim

    @property
    def date(self) -> str | None:
        """When the flow happened if the text says, else when the article appeared."""
        return self.time or self.published


@dataclass
class CertaintySummary:
    strongest: str  # the most committed: certain > negated > uncertain
    latest: str  # what the most recently published article says
    counts: dict[str, int]
    by_source: dict[str, str]  # outlet (or file) → its strongest certainty
    by_attribution: dict[str, str]  # who says so (韓国国家情報院, …) → strongest certainty

    @property
    def contested(self) -> bool:
        """Some article states the flow and another denies it."""
        return bool(self.counts.get("certain")) and bool(self.counts.get("negated"))


@dataclass
class LedgerEntry:
    id: str
    supplier: str
    recipient: str
    item: str
    period: str | None  # the coarsest earliest time the merged flows give, None when undated
    certainty: str  # the most committed certainty any article gives (see CertaintySummary)
    certainty_summary: CertaintySummary
    evidence: list[LedgerEvidence] = field(default_factory=list)
    first: str | None = None
    last: str | None = None
    article_count: int = 0
    independent_sources: int = 0  # lineage groups among the articles: corroboration


def entry_id(supplier: str, recipient: str, item: str, period: str | None) -> str:
    """Stable across runs: a hash of the entry's key."""
    key = "|".join((supplier, recipient, item, period or ""))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def entity_names(docs: Iterable[Document]) -> dict[str, str]:
    """Entity id → display name, the first name any document gives."""
    names: dict[str, str] = {}
    for doc in docs:
        for entity in doc.entities:
            names.setdefault(entity.id, entity.name)
    return names


def _strongest(certainties: Iterable[str]) -> str:
    return max(certainties, key=lambda c: STRENGTH.get(c, -1))


def _time_clusters(flows: list[tuple[Document, Flow]]) -> list[list[tuple[Document, Flow]]]:
    """Split one key's flows into runs of overlapping times; undated flows join a lone cluster."""
    dated, undated = [], []
    for doc, flow in flows:
        bounds = date_bounds(flow.time)
        if bounds is None:
            undated.append((doc, flow))
        else:
            dated.append((bounds, doc, flow))
    dated.sort(key=lambda t: t[0])
    clusters: list[list[tuple[Document, Flow]]] = []
    reach = None  # the last day the current cluster covers
    for (start, end), doc, flow in dated:  # a sweep: sorted by start, overlap chains into one run
        if reach is None or start > reach:
            clusters.append([])
            reach = end
        clusters[-1].append((doc, flow))
        reach = max(reach, end)
    if len(clusters) == 1:
        clusters[0].extend(undated)
    elif undated:
        clusters.append(undated)
    return clusters


def _period(flows: list[tuple[Document, Flow]]) -> str | None:
    times = [f.time for _, f in flows if date_bounds(f.time)]
    return min(times, key=lambda t: (PRECISIONS.index(precision_of(t)), date_sort_key(t))) if times else None


def _summarise(evidence: list[LedgerEvidence]) -> CertaintySummary:
    counts: dict[str, int] = defaultdict(int)
    by_source: dict[str, list[str]] = defaultdict(list)
    by_attribution: dict[str, list[str]] = defaultdict(list)
    for ev in evidence:
        counts[ev.certainty] += 1
        by_source[ev.outlet or ev.source].append(ev.certainty)
        if ev.attributed_to:
            by_attribution[ev.attributed_to].append(ev.certainty)
    dated = [ev for ev in evidence if date_bounds(ev.published or ev.time)] or evidence
    latest = max(dated, key=lambda ev: (date_sort_key(ev.published or ev.time), STRENGTH.get(ev.certainty, -1)))
    return CertaintySummary(
        strongest=_strongest(ev.certainty for ev in evidence),
        latest=latest.certainty,
        counts=dict(counts),
        by_source={k: _strongest(v) for k, v in by_source.items()},
        by_attribution={k: _strongest(v) for k, v in by_attribution.items()},
    )


def build_ledger(docs: Iterable[Document], *, groups: dict[str, str] | None = None) -> list[LedgerEntry]:
    """Merge flows across documents into ledger entries, ordered by key and date."""
    docs = list(docs)
    if groups is None:
        groups = lineage_groups(docs)
    by_key: dict[tuple[str, str, str], list[tuple[Document, Flow]]] = defaultdict(list)
    for doc in docs:
        for flow in doc.flows:
            by_key[(flow.supplier, flow.recipient, flow.item)].append((doc, flow))
    entries = []
    for (supplier, recipient, item), flows in by_key.items():
        for cluster in _time_clusters(flows):
            entries.append(_entry(supplier, recipient, item, cluster, groups))
    return sorted(entries, key=lambda e: (e.supplier, e.recipient, e.item, date_sort_key(e.first)))


def _entry(supplier: str, recipient: str, item: str, cluster: list[tuple[Document, Flow]],
           groups: dict[str, str]) -> LedgerEntry:
    evidence = []
    for doc, flow in cluster:
        key = doc_id(doc)
        meta = doc.metadata
        evidence.append(LedgerEvidence(
            key, doc.source, meta.outlet, meta.published, groups.get(key, key), flow.certainty,
            flow.attributed_to, flow.evidence.start, flow.evidence.end, flow.evidence.text,
            flow.time, flow.quantity, flow.why))
    evidence.sort(key=lambda ev: (date_sort_key(ev.published), ev.doc_id, ev.start))
    dates = sorted((ev.date for ev in evidence if date_bounds(ev.date)), key=date_sort_key)
    period = _period(cluster)
    summary = _summarise(evidence)
    return LedgerEntry(
        id=entry_id(supplier, recipient, item, period),
        supplier=supplier, recipient=recipient, item=item, period=period,
        certainty=summary.strongest,
        certainty_summary=summary,
        evidence=evidence,
        first=dates[0] if dates else None,
        last=dates[-1] if dates else None,
        article_count=len({ev.doc_id for ev in evidence}),
        independent_sources=len({ev.lineage_group for ev in evidence}),
    )
