"""Exports of analysed documents: jsonl (the extraction contract), csv, graphml, ftm."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO

from ..exc import ExportError
from ..model import Document
from .csv import write_csv
from .ftm import write_ftm
from .graphml import write_graphml
from .jsonl import document_to_contract, write_jsonl

WRITERS: dict[str, Callable[[Iterable[Document], IO[str]], None]] = {
    "jsonl": write_jsonl,
    "csv": write_csv,
    "graphml": write_graphml,
    "ftm": write_ftm,
}


def export_documents(docs: Iterable[Document], fmt: str, out: IO[str]) -> None:
    """Write ``docs`` to the text stream ``out`` in ``fmt`` (one of ``WRITERS``)."""
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(WRITERS)}") from None
    writer(docs, out)


__all__ = ["WRITERS", "document_to_contract", "export_documents"]
