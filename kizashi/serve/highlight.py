"""The article text with its claims marked, built from offsets into the clean text.

Article text comes from the web, so it is never trusted as markup: the text is
sliced at span boundaries and every slice is escaped; only the tags built here
are markup. Spans may nest or cross (an entity inside a flow's sentence, a
date across two marks); crossing marks are closed and reopened so the HTML
always nests properly.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..model import Document, Flow

# At equal spans the lower rank is the outer element.
RANK_FLOW, RANK_ATTRIBUTION, RANK_ENTITY, RANK_DATE = range(4)


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    rank: int
    open_first: Markup  # the opening tag the first time (may carry the element id)
    open_again: Markup  # the opening tag when a crossing span forces a reopen
    close: Markup


@dataclass(frozen=True)
class Insert:
    """Markup placed at one offset, after the marks that end there (a flow's ledger link)."""

    at: int
    html: Markup


def tag(name: str, **attrs: str | None) -> Markup:
    """An opening tag; every attribute value is escaped."""
    parts = [Markup("<") + name]
    for key, value in attrs.items():
        if value is not None:
            parts.append(Markup(' {}="{}"').format(key.rstrip("_").replace("_", "-"), value))
    return Markup("").join(parts) + Markup(">")


def render_range(text: str, start: int, end: int, marks: Sequence[Mark], inserts: Sequence[Insert] = ()) -> Markup:
    """``text[start:end]`` escaped, with the marks that overlap it wrapped around their slices."""
    inside = [m for m in marks if m.start < end and m.end > start and m.start < m.end]
    points = [i for i in inserts if start < i.at <= end]  # a flow ending at `start` belongs before it
    bounds = sorted({start, end} | {max(m.start, start) for m in inside} | {min(m.end, end) for m in inside}
                    | {i.at for i in points})
    out: list[Markup] = []
    stack: list[Mark] = []
    opened: set[int] = set()
    for a, b in zip(bounds, bounds[1:] + [None]):
        wanted = [] if b is None else sorted((m for m in inside if m.start <= a and m.end >= b),
                                             key=lambda m: (m.start, -m.end, m.rank))
        keep = 0
        while keep < len(stack) and keep < len(wanted) and stack[keep] is wanted[keep]:
            keep += 1
        while len(stack) > keep:
            out.append(stack.pop().close)
        out.extend(i.html for i in points if i.at == a)
        for mark in wanted[keep:]:
            out.append(mark.open_again if id(mark) in opened else mark.open_first)
            opened.add(id(mark))
            stack.append(mark)
        if b is not None:
            out.append(escape(text[a:b]))
    return Markup("").join(out)


FlowLink = Callable[[int, Flow], str | None]


def document_marks(doc: Document, names: dict[str, str], flow_link: FlowLink) -> tuple[list[Mark], list[Insert]]:
    """Marks for flows, their attributions, entity mentions and dates; a link after each flow."""
    marks: list[Mark] = []
    inserts: list[Insert] = []
    for i, flow in enumerate(doc.flows):
        span = flow.evidence
        href = flow_link(i, flow)
        title = (f"{names.get(flow.supplier, flow.supplier)} → {names.get(flow.recipient, flow.recipient)}: "
                 f"{flow.item} ({flow.certainty})")
        tooltip = f"{title}\n{flow.why}" if flow.why else title  # hovering shows what decided the claim
        attrs = dict(class_=f"flow {flow.certainty}", data_flow_id=f"{doc.id}-{i}", data_href=href, title=tooltip)
        marks.append(Mark(span.start, span.end, RANK_FLOW, tag("mark", id=f"flow-{i}", tabindex="0", **attrs),
                          tag("mark", **attrs), Markup("</mark>")))
        if href:
            inserts.append(Insert(span.end, tag("a", class_="flow-ref", href=href, title="ledger entry",
                                                aria_label=f"ledger entry: {title}") + Markup("↗</a>")))
        if flow.attributed_to:
            found = span.text.find(flow.attributed_to)
            if found >= 0:
                start = span.start + found
                open_tag = tag("mark", class_="attribution", title=f"according to {flow.attributed_to}")
                marks.append(Mark(start, start + len(flow.attributed_to), RANK_ATTRIBUTION, open_tag, open_tag,
                                  Markup("</mark>")))
    for mention in doc.mentions:
        open_tag = tag("mark", class_=f"entity {mention.type}", data_entity_id=mention.entity_id,
                       title=f"{names.get(mention.entity_id, mention.entity_id)} ({mention.entity_id})")
        marks.append(Mark(mention.start, mention.end, RANK_ENTITY, open_tag, open_tag, Markup("</mark>")))
    for date in doc.dates:
        open_tag = tag("mark", class_="date", data_value=date.value, title=date.value or "unresolved date")
        marks.append(Mark(date.start, date.end, RANK_DATE, open_tag, open_tag, Markup("</mark>")))
    return marks, inserts


def paragraph_ranges(doc: Document) -> list[tuple[int, int, str]]:
    """The paragraphs in text order; text no paragraph covers becomes a body paragraph, so nothing is lost."""
    ranges: list[tuple[int, int, str]] = []
    cursor = 0
    for para in sorted(doc.paragraphs, key=lambda p: (p.start, p.end)):
        if para.start < cursor:
            continue
        if doc.text[cursor:para.start].strip():
            ranges.append((cursor, para.start, "body"))
        ranges.append((para.start, para.end, para.kind))
        cursor = para.end
    if doc.text[cursor:].strip():
        ranges.append((cursor, len(doc.text), "body"))
    return ranges


def highlighted_paragraphs(doc: Document, names: dict[str, str], flow_link: FlowLink) -> list[tuple[str, Markup]]:
    """(paragraph kind, marked-up HTML) for each paragraph of the clean text."""
    marks, inserts = document_marks(doc, names, flow_link)
    return [(kind, render_range(doc.text, start, end, marks, inserts)) for start, end, kind in paragraph_ranges(doc)]
