"""The extraction contract (shared/eval/README.md): one JSON object per document.

``document_to_contract`` is the single serializer; the CLI, the API and the
evaluation all read what it writes.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from typing import IO, Any

from ..analyse.ledger import entry_id
from ..analyse.lineage import doc_id
from ..claim_ids import KINDS
from ..model import Document, Event, Figure, Flow, Span

METADATA_KEYS = ("title", "subtitle", "author", "outlet", "published", "language", "url")
CONTEXT_CHARS = 60  # of the text either side of a claim's evidence that ``claim_detail`` gives


def plain_number(value: float) -> int | float:
    """14000000.0 → 14000000, so counts read as counts."""
    return int(value) if float(value).is_integer() else value


def _evidence(span: Span) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "text": span.text}


def flow_contract(f: Flow) -> dict[str, Any]:
    return {"claim_id": f.claim_id, "supplier": f.supplier, "recipient": f.recipient, "item": f.item,
            "certainty": f.certainty, "attributed_to": f.attributed_to,
            "quantity": ({**asdict(f.quantity), "value": plain_number(f.quantity.value)} if f.quantity else None),
            "time": f.time, "evidence": _evidence(f.evidence), "why": f.why}


def event_contract(e: Event) -> dict[str, Any]:
    return {"claim_id": e.claim_id, "type": e.type, "date": e.date, "participants": list(e.participants),
            "certainty": e.certainty, "attributed_to": e.attributed_to, "evidence": _evidence(e.evidence)}


def figure_contract(f: Figure) -> dict[str, Any]:
    return {"claim_id": f.claim_id, "actor": f.actor, "item": f.item, "value": plain_number(f.value), "unit": f.unit,
            "period": f.period, "measure": f.measure, "evidence": _evidence(f.evidence)}


CLAIM_CONTRACTS = {"flow": flow_contract, "event": event_contract, "figure": figure_contract}


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
        "flows": [flow_contract(f) for f in doc.flows],
        "events": [event_contract(e) for e in doc.events],
        "figures": [figure_contract(f) for f in doc.figures],
        "anomalies": [asdict(a) for a in doc.anomalies],
        "dates": [asdict(d) for d in doc.dates],
        "removed": [asdict(r) for r in doc.removed],
        "near_duplicate_of": doc.near_duplicate_of,
        "similarity": doc.similarity,
        "superseded_by": doc.superseded_by,
    }


def claim_detail(kind: str, doc: Document, position: int) -> dict[str, Any]:
    """One claim (``kizashi claim show``, ``/api/claims/{id}``): its contract, the article it is
    from, and its evidence with the words around it in the same paragraph."""
    claim = getattr(doc, KINDS[kind][0])[position]
    start, end, meta = claim.evidence.start, claim.evidence.end, doc.metadata
    detail = {
        "claim_id": claim.claim_id, "kind": kind, "claim": CLAIM_CONTRACTS[kind](claim),
        "document": {"id": doc_id(doc), "title": meta.title, "outlet": meta.outlet, "published": meta.published,
                     "source": doc.source, "url": meta.url, "superseded_by": doc.superseded_by},
        "context": {"before": doc.text[max(0, start - CONTEXT_CHARS):start].rsplit("\n", 1)[-1],
                    "evidence": claim.evidence.text,
                    "after": doc.text[end:end + CONTEXT_CHARS].split("\n", 1)[0]},
    }
    if kind == "flow":
        detail["ledger_entry"] = entry_id(claim.supplier, claim.recipient, claim.item)
    return detail


def write_jsonl(docs: Iterable[Document], out: IO[str]) -> None:
    """One contract object per line, UTF-8 kept readable (ensure_ascii off)."""
    for doc in docs:
        out.write(json.dumps(document_to_contract(doc), ensure_ascii=False) + "\n")
