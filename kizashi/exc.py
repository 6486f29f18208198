"""Every error Kizashi raises on purpose, in one place."""
from __future__ import annotations


class KizashiError(Exception):
    """Base class: a message meant for the user, not a stack trace."""


class IngestError(KizashiError):
    """A file could not be read as an article; names the file and the reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class PipelineError(KizashiError):
    """Stages were registered or ordered wrongly (a stage's requirement is missing)."""


class OntologyError(KizashiError):
    """An ontology or lexicon data file is malformed."""


class StoreError(KizashiError):
    """The store could not be opened or written."""


class ExportError(KizashiError):
    """An export format was asked for that Kizashi does not write."""


class OutputError(KizashiError):
    """An export or report cannot be written where it was asked for; names the file and why."""


class IngestStopped(KizashiError):
    """A run ended before its last file (Ctrl-C, a store that stopped answering); ``report``
    holds what was stored and what failed until then, so the caller can say so."""

    def __init__(self, reason: str, report: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.report = report
