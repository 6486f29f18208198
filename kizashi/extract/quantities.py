"""How much a flow carries: the figure stated in the flow's own sentence.

Figures are read on their own (a number, its counter, item, period and measure); a flow
takes one only when it is unambiguous: the figure lies in the flow's evidence, names the
flow's item or no item, and measures a transfer (or nothing), not production or losses.
"""
from __future__ import annotations

from dataclasses import replace

from ..model import Figure, Flow, Quantity

TRANSFER_MEASURES = (None, "supplied", "deployed", "paid")


def attach_quantities(flows: list[Flow], figures: list[Figure]) -> list[Flow]:
    """``flows`` with ``quantity`` set where exactly one figure fits."""
    out = []
    for flow in flows:
        fitting = [f for f in figures
                   if flow.evidence.start <= f.evidence.start < flow.evidence.end
                   and f.measure in TRANSFER_MEASURES and f.item in (None, flow.item)]
        named = [f for f in fitting if f.item == flow.item]
        chosen = named if named else fitting
        if flow.quantity is None and len(chosen) == 1:
            f = chosen[0]
            flow = replace(flow, quantity=Quantity(value=f.value, unit=f.unit, approximate=f.approximate,
                                                   at_least=f.at_least, period=f.period, upper=f.upper))
        out.append(flow)
    return out
