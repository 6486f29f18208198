"""``kizashi check``: the ledger tables the store kept, against a recomputation from the documents.

The upkeep touches only what a save changes; if it ever missed something, this
is where it shows: every table is recomputed by ``derive`` from the stored
documents alone (signatures rehashed from the texts) and compared row by row.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import Options
from .derive import Derived, derive
from .ledger import stored_documents
from .schema import (
    ContradictionRow,
    CounterRow,
    DisputedValueRow,
    EntityStatRow,
    LedgerEntryRow,
    LedgerFacetRow,
    LedgerSourceRow,
    LineageMaterialRow,
    LineageRow,
    TimelineRow,
)

SHOWN = 5  # differences listed per table


@dataclass
class CheckReport:
    documents: int
    rows: dict[str, int] = field(default_factory=dict)  # table → rows compared
    differences: dict[str, list[str]] = field(default_factory=dict)  # table → what differs

    @property
    def ok(self) -> bool:
        return not any(self.differences.values())


def _rows(session: Session, model: type, key: Any) -> dict[Any, dict]:
    columns = [c.name for c in model.__table__.columns]
    out = {}
    for obj in session.scalars(select(model)):
        row = {c: getattr(obj, c) for c in columns}
        out[key(row)] = row
    return out


def _compare(name: str, stored: dict[Any, dict], derived: dict[Any, dict], report: CheckReport) -> None:
    found: list[str] = []
    missing = [k for k in derived if k not in stored]
    extra = [k for k in stored if k not in derived]
    changed = [k for k in derived if k in stored and _norm(stored[k]) != _norm(derived[k])]
    found += [f"missing {k}" for k in missing[:SHOWN]]
    found += [f"not expected {k}" for k in extra[:SHOWN]]
    for k in changed[:SHOWN]:
        diff = {c: (stored[k].get(c), v) for c, v in _norm(derived[k]).items() if _norm(stored[k]).get(c) != v}
        found.append(f"differs {k}: " + "; ".join(f"{c}: stored {a!r}, expected {b!r}" for c, (a, b) in diff.items()))
    total = len(missing) + len(extra) + len(changed)
    if total > len(found):
        found.append(f"… {total} differences in all")
    report.rows[name] = len(derived)
    report.differences[name] = found


def _norm(row: dict) -> dict:
    """JSON round trips turn tuples into lists; compare what a reader sees."""
    import json
    return json.loads(json.dumps(row, sort_keys=True, default=str))


def check(session: Session, options: Options = Options()) -> CheckReport:
    derived: Derived = derive((doc for doc, _, _ in stored_documents(session)), options=options)
    report = CheckReport(derived.counters.get("documents", 0))
    material = {(d, m): {"document_id": d, "material": m} for d, m in derived.material}
    stored_material = {(r.document_id, r.material): {"document_id": r.document_id, "material": r.material}
                       for r in session.scalars(select(LineageMaterialRow))}
    _compare("lineage", _rows(session, LineageRow, lambda r: r["document_id"]), derived.lineage, report)
    _compare("lineage_material", stored_material, material, report)
    _compare("ledger_entries", _rows(session, LedgerEntryRow, lambda r: r["id"]), derived.entries, report)
    _compare("ledger_sources", _rows(session, LedgerSourceRow,
                                     lambda r: (r["entry_id"], r["group_id"], r["certainty"], r["voice"])),
             derived.sources, report)
    _compare("ledger_facets", _rows(session, LedgerFacetRow,
                                    lambda r: (r["entry_id"], r["certainty"], r["outlet"], r["month"])),
             derived.facets, report)
    _compare("contradictions", _rows(session, ContradictionRow, lambda r: r["id"]), derived.contradictions, report)
    _compare("contradiction_values", _rows(session, DisputedValueRow, lambda r: (r["contradiction_id"], r["value"])),
             {(c, v): {"contradiction_id": c, "value": v} for c, v in derived.disputed}, report)
    _compare("timeline", _rows(session, TimelineRow, lambda r: r["id"]), derived.timeline, report)
    _compare("entity_stats", _rows(session, EntityStatRow, lambda r: r["entity_id"]), derived.entities, report)
    _compare("counters", {c.name: {"value": c.value} for c in session.scalars(select(CounterRow))},
             {n: {"value": v} for n, v in derived.counters.items()}, report)
    return report
