"""Stable claim ids: what a reviewer, a citation or a URL fragment can point at.

A claim's id is a hash of what makes it this claim and no other: its document, its kind,
the span of its evidence and its key (a flow's supplier, recipient and item; an event's type
and participants; a figure's actor, item and measure). It leaves out what a reviewer may
correct or a rule fix may change (certainty, quantity, time, attribution), so the id
survives re-ingest and re-analysis of an unchanged text. Claims of one document alike in all
of that are told apart by their order among themselves.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from .analyse.lineage import doc_id
from .config import Options
from .model import Document
from .pipeline import stage

PREFIX = "c"
DIGITS = 16
PATTERN = re.compile(rf"{PREFIX}[0-9a-f]{{{DIGITS}}}")
# kind → (the Document layer holding it, the fields that are its key)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "flow": ("flows", ("supplier", "recipient", "item")),
    "event": ("events", ("type", "participants")),
    "figure": ("figures", ("actor", "item", "measure")),
}

Keyed = tuple[int, int, tuple[Any, ...]]  # evidence start, end and the claim's key


def key_of(kind: str, get: Any) -> tuple[Any, ...]:
    """The claim's key from ``get(field)``; participants in sorted order (their order says nothing)."""
    return tuple(tuple(sorted(get(name))) if name == "participants" else get(name) for name in KINDS[kind][1])


def claim_ids(document_id: str, kind: str, claims: Iterable[Keyed]) -> list[str]:
    """The ids of one document's claims of one kind, given in document order."""
    seen: Counter[tuple[int, int, tuple[Any, ...]]] = Counter()
    ids = []
    for start, end, key in claims:
        ordinal = seen[(start, end, key)]
        seen[(start, end, key)] += 1
        basis = json.dumps([document_id, kind, start, end, key, ordinal], ensure_ascii=False, separators=(",", ":"))
        ids.append(PREFIX + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:DIGITS])
    return ids


def layer_ids(document_id: str, kind: str, claims: Sequence[dict[str, Any]]) -> list[str]:
    """Ids of claims given as plain data (a stored payload's layer), for the migration's backfill."""
    return claim_ids(document_id, kind, ((c["evidence"]["start"], c["evidence"]["end"], key_of(kind, c.get))
                                         for c in claims))


@stage("claim_ids", requires=("extract",), assigns=("claim_id",))
def assign_claim_ids(doc: Document, _options: Options | None = None) -> Document:
    """Give every flow, event and figure its id: the one place ids are made, after extraction."""
    for kind, (layer, _) in KINDS.items():
        claims = getattr(doc, layer)
        keyed = ((c.evidence.start, c.evidence.end, key_of(kind, lambda name: getattr(c, name))) for c in claims)
        for claim, cid in zip(claims, claim_ids(doc_id(doc), kind, keyed)):
            claim.claim_id = cid
    return doc


def is_claim_id(text: str) -> bool:
    return PATTERN.fullmatch(text) is not None
