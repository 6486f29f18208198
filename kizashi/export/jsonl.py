"""The extraction contract (shared/eval/README.md): one JSON object per document.

``document_to_contract`` is the single serializer; the CLI, the API and the
evaluation all read what it writes.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import IO, Any

from ..analyse.lineage import doc_id
from ..model import Document, Span

METADATA_KEYS = ("title", "subtitle", "author", "outlet", "published", "language", "url")


def plain_number(value: float) -> int | float:
    """14000000.0 → 14000000, so counts read as counts."""
    return int(value) if float(value).is_integer() else value


def _evidence(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "text": span.text}


def document_to_contract(doc: Document) -> dict[str, Any]:
    meta = doc.metadata
    return {
        "source": doc.source,
        "id": doc_id(doc),
        "metadata": {key: getattr(meta, key) for key in METADATA_KEYS},
        "text": doc.text,
        "entities": [
            {"id": e.id, "name": e.name, "type": e.type, "aliases": list(e.aliases),
             "mentions": [list(m) for m in e.mentions]}
            for e in doc.entities],
        "flows": [
            {"supplier": f.supplier, "recipient": f.recipient, "item": f.item, "certainty": f.certainty,
             "attributed_to": f.attributed_to,
             "quantity": ({**asdict(f.quantity), "value": plain_number(f.quantity.value)} if f.quantity else None),
             "time": f.time, "evidence": _evidence(f.evidence), "why": f.why}
            for f in doc.flows],
        "events": [
            {"type": e.type, "date": e.date, "participants": list(e.participants), "certainty": e.certainty,
             "attributed_to": e.attributed_to, "evidence": _evidence(e.evidence)}
            for e in doc.events],
        "figures": [
            {"actor": f.actor, "item": f.item, "value": plain_number(f.value), "unit": f.unit, "period": f.period,
             "measure": f.measure, "evidence": _evidence(f.evidence)}
            for f in doc.figures],
        "anomalies": [asdict(a) for a in doc.anomalies],
        "dates": [asdict(d) for d in doc.dates],
        "removed": [asdict(r) for r in doc.removed],
        "near_duplicate_of": doc.near_duplicate_of,
        "similarity": doc.similarity,
        "superseded_by": doc.superseded_by,
    }


def write_jsonl(docs: Iterable[Document], out: IO[str]) -> None:
    """One contract object per line, UTF-8 kept readable (ensure_ascii off)."""
    for doc in docs:
        out.write(json.dumps(document_to_contract(doc), ensure_ascii=False) + "\n")
