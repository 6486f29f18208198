"""The ledger as a graph (Gephi, yEd, networkx): entities are nodes, ledger entries are edges."""
from __future__ import annotations

from collections.abc import Iterable
from typing import IO, TYPE_CHECKING

import networkx as nx

from ..analyse.ledger import LedgerEntry, build_ledger
from ..model import Document

if TYPE_CHECKING:
    from ..store import Store


def entry_graph(entries: Iterable[LedgerEntry], nodes: dict[str, tuple[str, str]],
                claims: dict[str, list[str]]) -> nx.MultiDiGraph:
    """One edge per ledger entry (supplier→recipient, keyed by entry id); ``nodes`` gives each
    entity's (name, type), ``claims`` each entry's claim ids, which the edge lists (sorted,
    space-separated) so that every statement behind it can be looked up. GraphML has no
    null, so "" stands for none."""
    graph = nx.MultiDiGraph()
    for entity_id, (name, type_) in nodes.items():
        graph.add_node(entity_id, name=name, type=type_)
    for entry in entries:
        for node in (entry.supplier, entry.recipient):
            if node not in graph:
                graph.add_node(node, name=node, type="")
        graph.add_edge(
            entry.supplier, entry.recipient, key=entry.id,
            item=entry.item, certainty=entry.certainty, latest_certainty=entry.latest_certainty,
            contested=entry.contested, evidence_count=entry.statements,
            article_count=entry.article_count, independent_sources=entry.independent_sources,
            first=entry.first or "", last=entry.last or "",
            claim_ids=" ".join(sorted(claims.get(entry.id, []))))
    return graph


def ledger_graph(docs: Iterable[Document]) -> nx.MultiDiGraph:
    """The graph of documents in hand (a store gives its entries to ``entry_graph`` directly)."""
    docs = list(docs)
    nodes: dict[str, tuple[str, str]] = {}
    for doc in docs:
        for entity in doc.entities:
            nodes.setdefault(entity.id, (entity.name, entity.type))
    entries = build_ledger(docs)
    return entry_graph(entries, nodes, {e.id: [s.claim_id for s in e.evidence] for e in entries})


def store_graph(store: Store, page: int = 500) -> nx.MultiDiGraph:
    """The graph of a store, from its ledger tables (a few thousand rows, whatever its size)."""
    entries: list[LedgerEntry] = []
    while batch := store.ledger(limit=page, offset=len(entries), evidence=0).items:
        entries += batch
    nodes: dict[str, tuple[str, str]] = {}
    while batch := store.entity_summaries(limit=page, offset=len(nodes)).items:
        nodes.update({e.entity_id: (e.name, e.type) for e in batch})
    return entry_graph(entries, nodes, store.claim_ids_by_entry())


def write_graph(graph: nx.MultiDiGraph, out: IO[str]) -> None:
    for line in nx.generate_graphml(graph):
        out.write(line + "\n")


def write_graphml(docs: Iterable[Document], out: IO[str]) -> None:
    write_graph(ledger_graph(docs), out)
