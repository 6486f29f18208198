"""Server-rendered pages: dashboard, search, articles, ledger, flows, timeline, contradictions.

Every value from an article reaches the page through Jinja2's autoescape or
through ``highlight`` (which escapes each slice); nothing from an article is
marked safe.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ...analyse.ledger import LedgerEntry, entry_id
from ...analyse.report import (
    FOCUS_DIRECTIONS,
    contradiction_head,
    counts_line,
    display_name,
    network_spec,
    sankey_spec,
    sections,
)
from ...export.csv import safe_cell
from ...export.jsonl import plain_number
from ...model import CERTAINTIES, Flow
from ...store import Store
from ..deps import MAX_LIMIT, DateRangeDep, OffsetQuery, Paging, StoreDep
from ..highlight import Mark, highlighted_paragraphs, render_range, tag
from ..schemas import Page, page_of_counted, page_of_query
from .claims import found_claim
from .ledger import FlowFilterDep

router = APIRouter(include_in_schema=False)

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
PAGE_SIZE = 50
LEDGER_PAGE = 20  # entries with their evidence
DOWNLOAD_LIMIT = MAX_LIMIT  # ledger rows per download, paged with offset like the API
MAX_FIGURE_ENTRIES = 500  # entries drawn in the Sankey diagram and the network
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


def key_href(supplier: str, recipient: str, item: str, source: str | None = None) -> str:
    """The ledger filtered to one entry's key (and to one article's statements of it, given its
    source), scrolled to the entry."""
    query = urlencode({"supplier": supplier, "recipient": recipient, "item": item}
                      | ({"source": source} if source else {}))
    return f"/ledger?{query}#entry-{entry_id(supplier, recipient, item)}"


def ledger_href(entry: LedgerEntry) -> str:
    return key_href(entry.supplier, entry.recipient, entry.item)


def flow_ledger_href(flow: Flow, source: str) -> str:
    """From a flow in an article to its entry, showing this article's statements of it."""
    return key_href(flow.supplier, flow.recipient, flow.item, source)


def page_links(request: Request, page: Page[Any]) -> dict[str, str | None]:
    params = dict(request.query_params)

    def href(offset: int) -> str:
        return "?" + urlencode({**params, "offset": offset})

    return {"prev": href(max(page.offset - page.limit, 0)) if page.offset > 0 else None,
            "next": href(page.offset + page.limit) if page.offset + page.limit < page.total else None}


def _offset(offset: int, size: int = PAGE_SIZE) -> Paging:
    return Paging(size, max(offset, 0))


def _helpers(names: dict[str, str]) -> dict[str, Any]:
    """Template helpers: display names, and links between articles and the ledger."""

    def evidence_href(_entry: Any, ev: Any) -> str:
        return f"/documents/{quote(ev.doc_id)}#flow-{ev.position}"

    def name(entity_id: str) -> str:
        return display_name(names, entity_id)

    return {"name": name, "names": lambda ids, sep=", ": sep.join(name(i) for i in ids),
            "ledger_href": ledger_href, "evidence_href": evidence_href, "counts_line": counts_line}


def _entry_names(store: Store, entries: list[LedgerEntry]) -> dict[str, str]:
    return store.names({x for e in entries for x in (e.supplier, e.recipient)})


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, store: StoreDep) -> HTMLResponse:
    stats = store.stats()
    counts = [("articles", stats.get("documents", 0)), ("independent sources", stats.get("groups", 0)),
              ("ledger entries", stats["entries"]), ("flow claims", stats.get("statements", 0)),
              ("contested entries", stats["contested"]), ("contradictions", stats["contradictions"])]
    claims = store.newest_entries(NEW_CLAIMS)
    return render(request, "dashboard.html", counts=counts, latest=store.list_documents(limit=10, offset=0),
                  claims=claims, **_helpers(_entry_names(store, claims)))


def snippet_html(hit: Any) -> Markup:
    """The snippet with the first match marked."""
    marks = []
    if hit.start is not None and hit.end is not None:
        start, end = hit.start - hit.snippet_start, hit.end - hit.snippet_start
        marks.append(Mark(start, end, 0, tag("mark", class_="hit"), tag("mark", class_="hit"), Markup("</mark>")))
    return render_range(hit.snippet, 0, len(hit.snippet), marks)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, store: StoreDep, q: Annotated[str, Query(max_length=500)] = "",
                offset: OffsetQuery = 0) -> HTMLResponse:
    page = page_of_query(store.search, store.count_search, _offset(offset), query=q) if q.strip() else None
    return render(request, "search.html", q=q, page=page, snippet=snippet_html,
                  nav=page_links(request, page) if page else None)


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, store: StoreDep, offset: OffsetQuery = 0) -> HTMLResponse:
    page = page_of_query(store.list_documents, lambda: (store.count_documents(), False), _offset(offset))
    return render(request, "documents.html", page=page, nav=page_links(request, page))


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def article_page(request: Request, doc_id: str, store: StoreDep) -> HTMLResponse:
    doc = store.get_document(doc_id)
    if doc is None:
        raise HTTPException(404, f"no document with id {doc_id!r}")
    names = {e.id: e.name for e in doc.entities}

    def flow_link(_i: int, flow: Flow) -> str:
        return flow_ledger_href(flow, doc.source)

    flows = [(i, flow, flow_ledger_href(flow, doc.source)) for i, flow in enumerate(doc.flows)]
    return render(request, "article.html", doc=doc, paragraphs=highlighted_paragraphs(doc, names, flow_link),
                  flows=flows, **_helpers(names))


@router.get("/claims/{claim_id}")
def claim_page(claim_id: str, store: StoreDep) -> RedirectResponse:
    """A claim's address: its line on its article's page."""
    found = found_claim(store, claim_id)
    return RedirectResponse(f"/documents/{quote(found.document.id)}#{claim_id}", status_code=303)


def _ledger_page(store: Store, flow_filter: Any, offset: int, size: int = LEDGER_PAGE) -> Page[LedgerEntry]:
    return page_of_counted(store.ledger(flow_filter.as_ledger_filter(), limit=size, offset=max(offset, 0)),
                           Paging(size, max(offset, 0)))


@router.get("/ledger", response_class=HTMLResponse)
def ledger_page(request: Request, store: StoreDep, flow_filter: FlowFilterDep,
                offset: OffsetQuery = 0) -> HTMLResponse:
    page = _ledger_page(store, flow_filter, offset)
    choices = store.ledger_choices()
    names = store.names(set(choices["supplier"]) | set(choices["recipient"]))
    downloads = {fmt: f"/ledger.{fmt}" + (f"?{request.url.query}" if request.url.query else "")
                 for fmt in ("csv", "json")}
    return render(request, "ledger.html", page=page, nav=page_links(request, page), f=flow_filter,
                  choices=choices, downloads=downloads, **_helpers(names))


LEDGER_COLUMNS = ("id", "supplier", "recipient", "item", "certainty", "latest_certainty", "contested", "statements",
                  "certain", "uncertain", "negated", "independent_sources", "certain_sources", "uncertain_sources",
                  "negated_sources", "article_count", "first", "last", "asserted_by", "denied_by")


def ledger_rows(entries: list[LedgerEntry]) -> list[dict[str, Any]]:
    """The ledger as flat rows (CSV, JSON downloads): counts by certainty side by side."""
    rows = []
    for e in entries:
        row: dict[str, Any] = {c: getattr(e, c, None) for c in LEDGER_COLUMNS}
        for c in CERTAINTIES:
            row[c] = e.statements_by_certainty.get(c, 0)
            row[f"{c}_sources"] = e.sources_by_certainty.get(c, 0)
        row["asserted_by"], row["denied_by"] = "; ".join(e.asserted_by), "; ".join(e.denied_by)
        rows.append(row)
    return rows


def _download(store: Store, flow_filter: Any, offset: int, limit: int) -> tuple[Any, list[dict[str, Any]]]:
    found = store.ledger(flow_filter.as_ledger_filter(), limit=limit, offset=offset, evidence=0)
    return found, ledger_rows(found.items)


LimitQuery = Annotated[int, Query(ge=1, le=DOWNLOAD_LIMIT)]


@router.get("/ledger.json", include_in_schema=False)
def ledger_json(store: StoreDep, flow_filter: FlowFilterDep, offset: OffsetQuery = 0,
                limit: LimitQuery = DOWNLOAD_LIMIT) -> JSONResponse:
    """The ledger page's rows (same filters) as JSON, at the page's own address."""
    found, rows = _download(store, flow_filter, offset, limit)
    return JSONResponse({"total": found.total, "limit": limit, "offset": offset, "items": rows})


@router.get("/ledger.csv", include_in_schema=False)
def ledger_csv(store: StoreDep, flow_filter: FlowFilterDep, offset: OffsetQuery = 0,
               limit: LimitQuery = DOWNLOAD_LIMIT) -> Response:
    """The ledger page's rows (same filters) as CSV, one row per entry."""
    _, rows = _download(store, flow_filter, offset, limit)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=LEDGER_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)  # stored titles, outlets: web text
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="ledger.csv"'})


@router.get("/flows", response_class=HTMLResponse)
def flows_page(request: Request, store: StoreDep) -> HTMLResponse:
    entries = store.light_entries(MAX_FIGURE_ENTRIES)
    names = _entry_names(store, entries)
    found = sections(entries, FOCUS_DIRECTIONS, names)
    figures = {"sankey": json.dumps(sankey_spec(entries, names), ensure_ascii=False),
               "network": json.dumps(network_spec(entries, names), ensure_ascii=False)}
    return render(request, "flows.html", sections=found, figures=figures, **_helpers(names))


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, store: StoreDep, dates: DateRangeDep,
                  offset: OffsetQuery = 0) -> HTMLResponse:
    paging = Paging(PAGE_SIZE * 2, max(offset, 0))
    page = page_of_counted(store.timeline(date_from=dates.date_from, date_to=dates.date_to, limit=paging.limit,
                                          offset=paging.offset), paging)
    names = store.names({p for it in page.items for p in it.participants})
    return render(request, "timeline.html", page=page, nav=page_links(request, page), dates=dates,
                  **_helpers(names))


@router.get("/contradictions", response_class=HTMLResponse)
def contradictions_page(request: Request, store: StoreDep, offset: OffsetQuery = 0) -> HTMLResponse:
    paging = _offset(offset)
    page = page_of_counted(store.contradictions(limit=paging.limit, offset=paging.offset), paging)
    return render(request, "contradictions.html", page=page, nav=page_links(request, page),
                  head=contradiction_head, **_helpers({}))
