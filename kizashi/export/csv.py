"""One row per flow, with the document it came from, for spreadsheets."""
from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import IO, Any

from ..analyse.lineage import doc_id
from ..model import Document

COLUMNS = (
    "doc_id", "claim_id", "source", "title", "author", "outlet", "published", "url",
    "supplier", "supplier_name", "recipient", "recipient_name", "item", "certainty", "attributed_to",
    "time", "quantity", "unit", "period", "approximate", "at_least",
    "evidence_start", "evidence_end", "evidence_text", "why",
)


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(…), @SUM(…),
# +cmd|…); tab and CR start one too in some importers. OWASP's advice: prefix a quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 and C1, but tab, LF and CR


def safe_cell(value: Any) -> Any:
    """A text cell as a spreadsheet shows it and never runs it: control characters out, and a
    leading quote before a formula start. Numbers and booleans pass as they are, so a negative
    quantity stays a number."""
    if not isinstance(value, str):
        return value
    value = _CONTROL.sub("", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def write_csv(docs: Iterable[Document], out: IO[str]) -> None:
    """Streams: each document's rows are written as it arrives; every text cell through ``safe_cell``."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for doc in docs:
        meta = doc.metadata
        names = {e.id: e.name for e in doc.entities}
        for flow in doc.flows:
            q = flow.quantity
            writer.writerow({key: safe_cell(value) for key, value in {
                "doc_id": doc_id(doc), "claim_id": flow.claim_id, "source": doc.source, "title": meta.title,
                "author": meta.author, "outlet": meta.outlet, "published": meta.published, "url": meta.url,
                "supplier": flow.supplier, "supplier_name": names.get(flow.supplier, ""),
                "recipient": flow.recipient, "recipient_name": names.get(flow.recipient, ""),
                "item": flow.item, "certainty": flow.certainty, "attributed_to": flow.attributed_to,
                "time": flow.time,
                "quantity": q.value if q else None, "unit": q.unit if q else None,
                "period": q.period if q else None, "approximate": q.approximate if q else None,
                "at_least": q.at_least if q else None,
                "evidence_start": flow.evidence.start, "evidence_end": flow.evidence.end,
                "evidence_text": flow.evidence.text, "why": flow.why,
            }.items()})
