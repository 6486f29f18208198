"""The ``link_entities`` and ``link_dates`` stages."""
from __future__ import annotations

from ..config import Options
from ..model import Document
from ..pipeline import stage
from .dates import find_dates
from .gazetteer import build_entities, link_mentions, load_gazetteer


@stage("link_entities", requires=("language",), assigns=("mentions", "entities"))
def link_entities(doc: Document, options: Options) -> Document:
    gaz = load_gazetteer(options.data_dir)
    doc.mentions = link_mentions(doc, gaz)
    doc.entities = build_entities(doc.mentions, gaz)
    return doc


@stage("link_dates", requires=("clean",), assigns=("dates",))
def link_dates(doc: Document, options: Options) -> Document:
    """Temporal expressions resolved against the document's own published date, never today."""
    doc.dates = find_dates(doc.text, doc.metadata.published)
    return doc
