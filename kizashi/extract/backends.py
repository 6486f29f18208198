"""Extraction backends behind one small interface.

A backend takes an analysed, linked Document and returns its claims; the
rule-based one is the default. Another (an LLM endpoint, say) registers
under its own name and is chosen with ``Options.extractor``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..config import Options
from ..exc import PipelineError
from ..model import Anomaly, Document, Event, Figure, Flow


@dataclass
class Extraction:
    flows: list[Flow] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)


Backend = Callable[[Document, Options], Extraction]
_BACKENDS: dict[str, Backend] = {}


def backend(name: str) -> Callable[[Backend], Backend]:
    def decorate(fn: Backend) -> Backend:
        _BACKENDS[name] = fn
        return fn
    return decorate


def get_backend(name: str) -> Backend:
    if name not in _BACKENDS:
        raise PipelineError(f"no extraction backend named {name!r}; known: {sorted(_BACKENDS)}")
    return _BACKENDS[name]


@backend("rules")
def rules_backend(doc: Document, options: Options) -> Extraction:
    """Rules over GiNZA's dependency parse and the lexicons in ``kizashi/data``."""
    from .anomalies import find_anomalies
    from .events import extract_events
    from .figures import extract_figures
    from .flows import extract_flows
    from .quantities import attach_quantities

    figures = extract_figures(doc, options)
    result = Extraction(flows=attach_quantities(extract_flows(doc, options), figures),
                        events=extract_events(doc, options), figures=figures)
    doc.figures = result.figures
    result.anomalies = find_anomalies(doc, options)
    return result
