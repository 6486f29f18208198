"""The ``extract`` stage: claims from the analysed document, by the chosen backend."""
from __future__ import annotations

from ..config import Options
from ..model import Document
from ..pipeline import stage
from .backends import get_backend


@stage("extract", requires=("language", "link_entities", "link_dates"),
       assigns=("flows", "events", "figures", "anomalies"))
def extract(doc: Document, options: Options) -> Document:
    result = get_backend(options.extractor)(doc, options)
    doc.flows, doc.events = result.flows, result.events
    doc.figures, doc.anomalies = result.figures, result.anomalies
    return doc
