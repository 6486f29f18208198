"""The analyst's report: the ledger both ways, the timeline and the contradictions.

Two files from one analysis: Markdown to read or diff, and a self-contained
HTML page (plotly.js inlined, no network needed) with a Sankey diagram and a
flow network. All article text is escaped: it comes from the web.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import plotly.graph_objects as go
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from ..model import Document
from .contradictions import Citation, Contradiction, find_contradictions
from .ledger import LedgerEntry, Statement, build_ledger, entity_names
from .lineage import lineage_groups
from .timeline import STRENGTH, TimelineEntry, build_timeline

if TYPE_CHECKING:
    from ..store import Store

FOCUS_DIRECTIONS: tuple[tuple[str, str], ...] = (("RUS", "PRK"), ("PRK", "RUS"))
CERTAINTY_COLOURS = {"certain": "#1b7837", "uncertain": "#e08214", "negated": "#b2182b"}
_TEMPLATES = Path(__file__).parent / "templates"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


REPORT_EVIDENCE = 20  # statements quoted under each entry; the rest are counted
REPORT_TIMELINE = 500  # timeline items listed; the web app pages through the rest


@dataclass
class LedgerSection:
    title: str
    entries: list[LedgerEntry]


@dataclass
class Analysis:
    """Everything the report shows, read once (from documents or from the store's tables)."""

    title: str
    documents: int
    sources: int
    names: dict[str, str]
    sections: list[LedgerSection]
    timeline: list[TimelineEntry]
    timeline_total: int
    contradictions: list[Contradiction]

    def name(self, entity_id: str) -> str:
        return display_name(self.names, entity_id)

    @property
    def entries(self) -> list[LedgerEntry]:
        return [e for s in self.sections for e in s.entries]


def display_name(names: dict[str, str], entity_id: str) -> str:
    """"North Korea (PRK)": the name for people, the id to match other tools."""
    name = names.get(entity_id)
    return f"{name} ({entity_id})" if name and name != entity_id else entity_id


def analyse(docs: Iterable[Document], *, title: str,
            directions: Sequence[tuple[str, str]] = FOCUS_DIRECTIONS) -> Analysis:
    """The analysis of documents in hand (``kizashi.store`` keeps the same tables for a store)."""
    docs = list(docs)
    groups = lineage_groups(docs)
    ledger = build_ledger(docs, groups=groups)
    names = entity_names(docs)
    contradictions = find_contradictions(docs, ledger=ledger)
    for entry in ledger:
        entry.evidence = entry.evidence[:REPORT_EVIDENCE]
    timeline = [TimelineEntry.of_row(item.row()) for item in build_timeline(docs)]
    return Analysis(title, len(docs), len(set(groups.values())), names, sections(ledger, directions, names),
                    timeline[:REPORT_TIMELINE], len(timeline), contradictions)


def analyse_store(store: Store, *, title: str, directions: Sequence[tuple[str, str]] = FOCUS_DIRECTIONS,
                  page: int = 50) -> Analysis:
    """The same analysis read from the store's ledger tables: its size follows the number of
    entries and disputes, not of articles."""
    stats = store.stats()
    entries: list[LedgerEntry] = []
    while len(entries) < stats["entries"]:
        found = store.ledger(limit=page, offset=len(entries), evidence=REPORT_EVIDENCE).items
        if not found:
            break
        entries += found
    names = store.names()
    timeline = store.timeline(limit=REPORT_TIMELINE)
    contradictions = store.contradictions(limit=max(stats["contradictions"], 1)).items
    return Analysis(title, stats.get("documents", 0), stats.get("groups", 0), names,
                    sections(entries, directions, names), timeline.items, timeline.total, contradictions)


def sections(ledger: list[LedgerEntry], directions: Sequence[tuple[str, str]],
             names: dict[str, str]) -> list[LedgerSection]:
    """The focus directions first, in the given order, then every other flow."""
    def order(e: LedgerEntry) -> tuple:
        return (e.item, -e.independent_sources, e.first or "")

    found = []
    for supplier, recipient in directions:
        entries = sorted((e for e in ledger if (e.supplier, e.recipient) == (supplier, recipient)), key=order)
        found.append(LedgerSection(f"{display_name(names, supplier)} → {display_name(names, recipient)}", entries))
    others = sorted((e for e in ledger if (e.supplier, e.recipient) not in set(directions)),
                    key=lambda e: (e.supplier, e.recipient) + order(e))
    found.append(LedgerSection("Other flows", others))
    return found


def md_escape(text: str | None) -> str:
    """Backslash-escape Markdown syntax and fold newlines, so article text stays plain text."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def _citation_md(ev: Statement) -> str:
    who = f"; according to {md_escape(ev.attributed_to)}" if ev.attributed_to else ""
    return (f"- {md_escape(ev.outlet or ev.source)}, {ev.published or 'undated'} "
            f"({ev.certainty}{who}): 「{md_escape(ev.text)}」 [{ev.doc_id}:{ev.start}–{ev.end}]")


def counts_line(e: LedgerEntry) -> str:
    """"2 certain · 7 uncertain · 1 negated", counted by independent source."""
    return " · ".join(f"{n} {c}" for c, n in e.sources_by_certainty.items())


def _entry_md(e: LedgerEntry) -> list[str]:
    """The entry line names its own direction: "Other flows" mixes directions, and a line may be read alone."""
    dates = e.first if e.first == e.last else f"{e.first or '?'} – {e.last or '?'}"
    flag = " **contested**" if e.contested else ""
    lines = [f"#### {md_escape(e.supplier)} → {md_escape(e.recipient)}, {md_escape(e.item)}: {e.certainty} "
             f"(latest: {e.latest_certainty}){flag}", "",
             f"{e.independent_sources} independent source(s) in {e.article_count} article(s) "
             f"({counts_line(e)}); dates: {dates or 'none'}", ""]
    lines += [_citation_md(ev) for ev in e.evidence]
    if e.statements > len(e.evidence):
        lines.append(f"- … and {e.statements - len(e.evidence)} more statement(s)")
    return lines + [""]


def _example_md(c: dict | Citation) -> str:
    c = c if isinstance(c, dict) else c.__dict__
    return (f"  - {md_escape(c['outlet'] or c['source'])}, {c['published'] or 'undated'} [{c['doc_id']}]: "
            f"「{md_escape(c['text'])}」")


def contradiction_head(c: Contradiction) -> str:
    if c.kind == "certainty":
        return (f"asserted by {', '.join(c.sides.get('asserted', [])) or '?'}; "
                f"denied by {', '.join(c.sides.get('denied', [])) or '?'}")
    return "values: " + ", ".join(c.sides.get("values", []))


def to_markdown(a: Analysis) -> str:
    lines = [f"# {md_escape(a.title)}", "",
             f"{a.documents} article(s) from {a.sources} independent source(s) (lineage groups).",
             "The Sankey diagram and the flow network are in report.html.", "", "## Ledger", ""]
    for section in a.sections:
        lines += [f"### {md_escape(section.title)}", ""]
        if not section.entries:
            lines += ["No flows reported.", ""]
        for entry in section.entries:
            lines += _entry_md(entry)
    lines += ["## Timeline", ""]
    for item in a.timeline:
        who = " → ".join(a.name(p) for p in item.participants) if item.kind == "flow" \
            else ", ".join(a.name(p) for p in item.participants)
        lines.append(f"- **{item.date}** ({item.precision}) {item.kind} {md_escape(item.type)}: "
                     f"{md_escape(who)}, {item.certainty}, {item.citations} article(s)")
        lines += [_example_md(c) for c in item.examples]
    if not a.timeline:
        lines.append("No dated events or flows.")
    elif a.timeline_total > len(a.timeline):
        lines.append(f"- … {a.timeline_total - len(a.timeline)} more item(s) in the web app's timeline")
    lines += ["", "## Contradictions", ""]
    for c in a.contradictions:
        lines.append(f"- **{md_escape(c.kind)}** {md_escape(c.subject)}: {md_escape(contradiction_head(c))}")
        lines += [_example_md(x) for x in c.examples]
    if not a.contradictions:
        lines.append("None found.")
    return "\n".join(lines) + "\n"


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def sankey_spec(entries: list[LedgerEntry], names: dict[str, str]) -> dict:
    """Suppliers on the left, recipients on the right; a band per item, as wide as its sources.
    A plain plotly figure dict: the web page sends it as it is (building a ``go.Figure``
    validates every value and costs more than reading the ledger)."""
    nodes: dict[tuple[str, str], int] = {}
    for e in entries:
        nodes.setdefault(("supplier", e.supplier), len(nodes))
    for e in entries:
        nodes.setdefault(("recipient", e.recipient), len(nodes))
    link: dict[str, list] = {"source": [], "target": [], "value": [], "label": [], "color": []}
    for e in entries:
        link["source"].append(nodes[("supplier", e.supplier)])
        link["target"].append(nodes[("recipient", e.recipient)])
        link["value"].append(max(e.independent_sources, 1))
        link["label"].append(f"{e.item} ({e.certainty})")
        link["color"].append(_rgba(CERTAINTY_COLOURS.get(e.certainty, "#888888"), 0.45))
    return {"data": [{"type": "sankey", "node": {"label": [display_name(names, n) for _, n in nodes], "pad": 20},
                      "link": link}],
            "layout": {"title": {"text": "Flows by independent sources (colour: strongest certainty)"},
                       "height": 480}}


def network_spec(entries: list[LedgerEntry], names: dict[str, str]) -> dict:
    """Entities as nodes, one arrow per supplier→recipient pair labelled with its items (a figure dict)."""
    graph = nx.DiGraph()
    for e in entries:
        if graph.has_edge(e.supplier, e.recipient):
            data = graph.edges[e.supplier, e.recipient]
            data["items"].append(e.item)
            data["sources"] += e.independent_sources
            if STRENGTH.get(e.certainty, -1) > STRENGTH.get(data["certainty"], -1):
                data["certainty"] = e.certainty
        else:
            graph.add_edge(e.supplier, e.recipient, items=[e.item], sources=e.independent_sources,
                           certainty=e.certainty)
    pos = {n: (float(x), float(y)) for n, (x, y) in nx.circular_layout(sorted(graph.nodes)).items()} \
        if graph.nodes else {}
    traces, arrows = [], []
    for s, r, data in graph.edges(data=True):
        (x0, y0), (x1, y1) = pos[s], pos[r]
        bend = 0.06 if graph.has_edge(r, s) else 0.0  # keep two directions apart
        arrows.append({"x": x1 * 0.85 + x0 * 0.15 + bend, "y": y1 * 0.85 + y0 * 0.15 + bend,
                       "ax": x0 * 0.85 + x1 * 0.15 + bend, "ay": y0 * 0.85 + y1 * 0.15 + bend,
                       "xref": "x", "yref": "y", "axref": "x", "ayref": "y", "showarrow": True, "arrowhead": 3,
                       "arrowwidth": 1 + min(data["sources"], 6),
                       "arrowcolor": CERTAINTY_COLOURS.get(data["certainty"], "#888888")})
        traces.append({"type": "scatter", "x": [(x0 + x1) / 2 + bend], "y": [(y0 + y1) / 2 + bend], "mode": "text",
                       "text": ["<br>".join(sorted(data["items"]))], "hoverinfo": "skip", "showlegend": False})
    traces.append({"type": "scatter", "x": [pos[n][0] for n in graph.nodes], "y": [pos[n][1] for n in graph.nodes],
                   "mode": "markers+text", "text": [display_name(names, n) for n in graph.nodes],
                   "textposition": "top center", "marker": {"size": 18, "color": "#4575b4"}, "hoverinfo": "text",
                   "showlegend": False})
    return {"data": traces,
            "layout": {"title": {"text": "Flow network (arrow width: independent sources)"}, "height": 520,
                       "annotations": arrows, "xaxis": {"visible": False},
                       "yaxis": {"visible": False, "scaleanchor": "x"}}}


def sankey_figure(entries: list[LedgerEntry], names: dict[str, str]) -> go.Figure:
    return go.Figure(sankey_spec(entries, names))


def network_figure(entries: list[LedgerEntry], names: dict[str, str]) -> go.Figure:
    return go.Figure(network_spec(entries, names))


def to_html(a: Analysis) -> str:
    env = Environment(loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(default=True))
    template = env.get_template("report.html.j2")
    # plotly JSON-encodes the figure data with <, > and / escaped, so its output is safe markup;
    # the library is inlined once and the second figure reuses it.
    sankey = sankey_figure(a.entries, a.names).to_html(full_html=False, include_plotlyjs=True)
    network = network_figure(a.entries, a.names).to_html(full_html=False, include_plotlyjs=False)
    return template.render(a=a, sankey=Markup(sankey), network=Markup(network), colours=CERTAINTY_COLOURS,
                           counts_line=counts_line, contradiction_head=contradiction_head)


def write_report(source: Iterable[Document] | Analysis, out_dir: Path, *, title: str = "Kizashi",
                 directions: Sequence[tuple[str, str]] = FOCUS_DIRECTIONS) -> tuple[Path, Path]:
    """Write report.md and report.html into ``out_dir`` from documents or an analysis; return their paths."""
    analysis = source if isinstance(source, Analysis) else analyse(source, title=title, directions=directions)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    md_path, html_path = out_dir / "report.md", out_dir / "report.html"
    md_path.write_text(to_markdown(analysis), encoding="utf-8")
    html_path.write_text(to_html(analysis), encoding="utf-8")
    return md_path, html_path
