"""The ledger as a graph (Gephi, yEd, networkx): entities are nodes, ledger entries are edges."""
from __future__ import annotations

from collections.abc import Iterable
from typing import IO

import networkx as nx

from ..analyse.ledger import build_ledger
from ..model import Document


def ledger_graph(docs: Iterable[Document]) -> nx.MultiDiGraph:
    """One edge per ledger entry (supplier→recipient, keyed by entry id); GraphML has no null, so "" stands for none."""
    docs = list(docs)
    graph = nx.MultiDiGraph()
    for doc in docs:
        for entity in doc.entities:
            if entity.id not in graph:
                graph.add_node(entity.id, name=entity.name, type=entity.type)
    for entry in build_ledger(docs):
        for node in (entry.supplier, entry.recipient):
            if node not in graph:
                graph.add_node(node, name=node, type="")
        graph.add_edge(
            entry.supplier, entry.recipient, key=entry.id,
            item=entry.item, certainty=entry.certainty, latest_certainty=entry.latest_certainty,
            contested=entry.contested, evidence_count=entry.statements,
            article_count=entry.article_count, independent_sources=entry.independent_sources,
            first=entry.first or "", last=entry.last or "")
    return graph


def write_graphml(docs: Iterable[Document], out: IO[str]) -> None:
    for line in nx.generate_graphml(ledger_graph(docs)):
        out.write(line + "\n")
