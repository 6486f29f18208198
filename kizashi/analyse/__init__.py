"""Analysis across articles: ledger, lineage, contradictions, timeline, report.

Pure functions over ``Document``s with their extraction layers filled; the
store and the CLI only feed documents in.
"""
from .contradictions import Contradiction, find_contradictions
from .ledger import LedgerEntry, build_ledger, entity_names
from .lineage import doc_id, lineage_groups
from .report import write_report
from .timeline import TimelineItem, build_timeline

__all__ = [
    "Contradiction",
    "LedgerEntry",
    "TimelineItem",
    "build_ledger",
    "build_timeline",
    "doc_id",
    "entity_names",
    "find_contradictions",
    "lineage_groups",
    "write_report",
]
