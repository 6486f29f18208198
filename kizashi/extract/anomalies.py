"""Anomalies inside one document: impossible date ranges, figures that disagree."""
from __future__ import annotations

from ..config import Options
from ..model import Anomaly, Document


def find_anomalies(doc: Document, options: Options) -> list[Anomaly]:
    out = [_reversed(d) for d in doc.dates if d.end_value and d.value and _after(d.value, d.end_value)]
    seen: dict[tuple, float] = {}
    for f in doc.figures:
        key = (f.actor, f.item, f.measure, f.period, f.unit)
        if None in (f.actor, f.item, f.measure):
            continue
        if key in seen and seen[key] != f.value:
            out.append(Anomaly("figure_conflict", f.evidence.text, f.evidence.start, f.evidence.end,
                               f"{seen[key]:g} vs {f.value:g}"))
        seen.setdefault(key, f.value)
    return out


def _reversed(d) -> Anomaly:
    return Anomaly("date_range_reversed", d.text, d.start, d.end, f"{d.value} is after {d.end_value}")


def _after(a: str, b: str) -> bool:
    """True when ISO prefix ``a`` is later than ``b`` at their shared precision ("--MM-DD" allowed)."""
    a, b = a.lstrip("-"), b.lstrip("-")
    if len(a.split("-")[0]) != len(b.split("-")[0]):
        return False  # one has a year, the other not: not comparable
    n = min(len(a), len(b))
    return a[:n] > b[:n]
