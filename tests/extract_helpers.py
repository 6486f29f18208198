"""Shared helpers for the extraction tests: run our own sentences through the real pipeline."""
from __future__ import annotations

from functools import lru_cache

from kizashi.config import Options
from kizashi.extract.flows import extract_flows
from kizashi.model import Document, Paragraph
from kizashi.pipeline import run

LINK_STAGES = ("language", "link_entities", "link_dates")


def document(text: str) -> Document:
    """A cleaned document whose paragraphs are the lines of ``text``."""
    paras, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            paras.append(Paragraph(pos, pos + len(line)))
        pos += len(line) + 1
    return Document(source="t", raw_sha256="x", text=text, paragraphs=paras, stages=["clean"])


@lru_cache(maxsize=256)
def analysed(text: str) -> Document:
    """Language and linking layers on ``text`` (cached: several tests read the same sentence)."""
    return run(document(text), Options(), LINK_STAGES)


def flows_of(text: str) -> set[tuple[str, str, str, str]]:
    """(supplier, recipient, item, certainty) for every flow the rules extract."""
    return {(f.supplier, f.recipient, f.item, f.certainty) for f in extract_flows(analysed(text), Options())}
