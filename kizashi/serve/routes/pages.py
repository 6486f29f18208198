"""Server-rendered pages: dashboard, search, articles, ledger, flows, timeline, contradictions.

Every value from an article reaches the page through Jinja2's autoescape or
through ``highlight`` (which escapes each slice); nothing from an article is
marked safe.
"""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ...analyse.ledger import LedgerEntry
from ...analyse.report import display_name, network_figure, sankey_figure
from ...analyse.timeline import STRENGTH, date_bounds
from ...export.jsonl import plain_number
from ...model import CERTAINTIES, Flow
from ..deps import DateRangeDep, Paging, Snapshot, SnapshotDep, StoreDep, flow_key
from ..highlight import Mark, highlighted_paragraphs, render_range, tag
from ..schemas import Page, page_of_list, page_of_query
from .events import in_range
from .ledger import FlowFilterDep, filter_ledger

router = APIRouter(include_in_schema=False)

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
PAGE_SIZE = 50
NEW_CLAIMS = 6

templates = Jinja2Templates(env=Environment(
    loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True))
templates.env.globals["certainties"] = CERTAINTIES
templates.env.filters["number"] = lambda value: f"{plain_number(value):,}"


def web_url(value: object) -> bool:
    """Only http(s) URLs from an article become links: ``javascript:`` or ``data:`` stay text."""
    return isinstance(value, str) and urlsplit(value.strip()).scheme.lower() in ("http", "https")


templates.env.tests["web_url"] = web_url


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def ledger_href(entry: LedgerEntry) -> str:
    """The ledger filtered to the entry's key, scrolled to the entry."""
    query = urlencode({"supplier": entry.supplier, "recipient": entry.recipient, "item": entry.item})
    return f"/ledger?{query}#entry-{entry.id}"


def page_links(request: Request, page: Page[Any]) -> dict[str, str | None]:
    params = dict(request.query_params)

    def href(offset: int) -> str:
        return "?" + urlencode({**params, "offset": offset})

    return {"prev": href(max(page.offset - page.limit, 0)) if page.offset > 0 else None,
            "next": href(page.offset + page.limit) if page.offset + page.limit < page.total else None}


def _offset(offset: int) -> Paging:
    return Paging(PAGE_SIZE, max(offset, 0))


def strongest_new_claims(ledger: list[LedgerEntry], n: int) -> list[LedgerEntry]:
    """The latest-dated entries first; at the same date the more committed, better sourced one."""
    dated = [e for e in ledger if date_bounds(e.last)]
    return sorted(dated, key=lambda e: (date_bounds(e.last)[1], STRENGTH.get(e.certainty, -1),
                                        e.independent_sources), reverse=True)[:n]


def _helpers(snapshot: Snapshot) -> dict[str, Any]:
    """Template helpers: display names, and links between articles and the ledger."""
    names = snapshot.analysis.names

    def evidence_href(entry: LedgerEntry, ev: Any) -> str:
        index = snapshot.flow_index.get((ev.doc_id, ev.start, ev.end, entry.supplier, entry.recipient, entry.item))
        return f"/documents/{quote(ev.doc_id)}" + (f"#flow-{index}" if index is not None else "")

    def name(entity_id: str) -> str:
        return display_name(names, entity_id)

    return {"name": name, "names": lambda ids, sep=", ": sep.join(name(i) for i in ids),
            "ledger_href": ledger_href, "evidence_href": evidence_href}


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, store: StoreDep, snapshot: SnapshotDep) -> HTMLResponse:
    analysis = snapshot.analysis
    counts = [("articles", store.count_documents()), ("independent sources", analysis.sources),
              ("ledger entries", len(snapshot.ledger)),
              ("flow claims", sum(len(e.evidence) for e in snapshot.ledger)),
              ("contested entries", sum(1 for e in snapshot.ledger if e.certainty_summary.contested)),
              ("contradictions", len(analysis.contradictions))]
    return render(request, "dashboard.html", counts=counts, latest=store.list_documents(limit=10, offset=0),
                  claims=strongest_new_claims(snapshot.ledger, NEW_CLAIMS), **_helpers(snapshot))


def snippet_html(hit: Any) -> Markup:
    """The snippet with the first match marked."""
    marks = []
    if hit.start is not None and hit.end is not None:
        start, end = hit.start - hit.snippet_start, hit.end - hit.snippet_start
        marks.append(Mark(start, end, 0, tag("mark", class_="hit"), tag("mark", class_="hit"), Markup("</mark>")))
    return render_range(hit.snippet, 0, len(hit.snippet), marks)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, store: StoreDep, q: Annotated[str, Query(max_length=500)] = "",
                offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    page = page_of_query(store.search, _offset(offset), query=q) if q.strip() else None
    return render(request, "search.html", q=q, page=page, snippet=snippet_html,
                  nav=page_links(request, page) if page else None)


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, store: StoreDep, offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    page = page_of_query(store.list_documents, _offset(offset))
    return render(request, "documents.html", page=page, nav=page_links(request, page))


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def article_page(request: Request, doc_id: str, store: StoreDep, snapshot: SnapshotDep) -> HTMLResponse:
    doc = store.get_document(doc_id)
    if doc is None:
        raise HTTPException(404, f"no document with id {doc_id!r}")
    names = snapshot.analysis.names

    def entry_for(flow: Flow) -> LedgerEntry | None:
        return snapshot.entry_of.get(flow_key(doc.id, flow))

    def flow_link(_i: int, flow: Flow) -> str | None:
        entry = entry_for(flow)
        return ledger_href(entry) if entry else None

    flows = [(i, flow, entry_for(flow)) for i, flow in enumerate(doc.flows)]
    return render(request, "article.html", doc=doc, paragraphs=highlighted_paragraphs(doc, names, flow_link),
                  flows=flows, **_helpers(snapshot))


@router.get("/ledger", response_class=HTMLResponse)
def ledger_page(request: Request, snapshot: SnapshotDep, flow_filter: FlowFilterDep,
                offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    ledger = snapshot.ledger
    page = page_of_list(filter_ledger(ledger, flow_filter), _offset(offset))
    choices = {
        "supplier": sorted({e.supplier for e in ledger}), "recipient": sorted({e.recipient for e in ledger}),
        "item": sorted({e.item for e in ledger}),
        "outlet": sorted({ev.outlet for e in ledger for ev in e.evidence if ev.outlet}),
    }
    return render(request, "ledger.html", page=page, nav=page_links(request, page), f=flow_filter,
                  choices=choices, **_helpers(snapshot))


@router.get("/flows", response_class=HTMLResponse)
def flows_page(request: Request, snapshot: SnapshotDep) -> HTMLResponse:
    analysis = snapshot.analysis
    figures = {"sankey": sankey_figure(analysis).to_json(), "network": network_figure(analysis).to_json()}
    return render(request, "flows.html", sections=analysis.sections, figures=figures, **_helpers(snapshot))


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, snapshot: SnapshotDep, dates: DateRangeDep,
                  offset: Annotated[int, Query(ge=0)] = 0) -> HTMLResponse:
    items = [it for it in snapshot.analysis.timeline if in_range(it, dates)]
    page = page_of_list(items, Paging(PAGE_SIZE * 2, max(offset, 0)))
    return render(request, "timeline.html", page=page, nav=page_links(request, page), dates=dates,
                  **_helpers(snapshot))


@router.get("/contradictions", response_class=HTMLResponse)
def contradictions_page(request: Request, snapshot: SnapshotDep) -> HTMLResponse:
    return render(request, "contradictions.html", contradictions=snapshot.analysis.contradictions,
                  **_helpers(snapshot))

