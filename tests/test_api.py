"""The HTTP API and the server-rendered pages, through FastAPI's TestClient.

The store is built the way users build it: the project's samples (plus an
article whose metadata and text are HTML/JS injection attempts) go through
``ingest_paths``; then every endpoint is asked about what was ingested.
"""
from __future__ import annotations

import csv
import html as html_lib
import io
import json
import re
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient
from markupsafe import Markup
from openapi_spec_validator import validate

from kizashi.analyse.ledger import entry_id
from kizashi.config import Options, Settings
from kizashi.model import Document, Entity, Flow, Metadata
from kizashi.serve import create_app
from kizashi.serve.highlight import Insert, Mark, paragraph_ranges, render_range, tag
from kizashi.store import Store
from kizashi.workflow import ingest_paths

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
TOKEN = "test-token-abc123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}  # whole-store exports need the token when one is set
XSS_TITLE = "<script>window.__xss=1;alert(1)</script>"
XSS_IMG = '<img src=x onerror="window.__xss=1;alert(1)">'
XSS_ARTICLE = {
    "title": XSS_TITLE,
    "outlet": "<b onmouseover=alert(1)>XSS Times</b>",
    "author": '"><svg onload=alert(1)>',
    "date": "2024-11-20",
    "text": f"北朝鮮がロシアに砲弾を送ったと韓国国防省が発表した。{XSS_IMG}\n\n"
            "ロシアは北朝鮮に食料を提供している。</p><script>window.__xss=2</script>",
}
# Written here when the project's samples are missing, so the suite still runs on a bare checkout.
FALLBACK_ARTICLES = {
    "a_shells.txt": "北朝鮮、ロシアに砲弾を供与\n東亜ウォッチ\n2024年11月8日\n\n"
                    "北朝鮮がロシアに砲弾を送っていることが分かった。韓国国防省が明らかにした。",
    "b_food.txt": "ロシア、北朝鮮に食料を提供\n北東アジア通信\n2024年12月3日\n\n"
                  "ロシアは北朝鮮に小麦などの食料を提供した。",
    "c_denial.txt": "北朝鮮、砲弾提供を否定\nコリア日報\n2024年11月12日\n\n"
                    "北朝鮮外務省は「わが国はロシアに砲弾を提供していない」と否定した。",
}


def sample_files(tmp: Path) -> list[Path]:
    """The project's sample articles (not their README), or our fallback articles written to ``tmp``."""
    files = sorted(_relative(p) for p in SAMPLES.glob("*")
                   if p.is_file() and not p.name.lower().startswith("readme")) if SAMPLES.is_dir() else []
    if not files:
        for name, text in FALLBACK_ARTICLES.items():
            (tmp / name).write_text(text, encoding="utf-8")
            files.append(tmp / name)
    return files


def _relative(path: Path) -> Path:
    """``samples/x.txt`` as the CLI would record it, when the tests run from the project root."""
    return path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path


def hostile_file(tmp: Path) -> Path:
    path = tmp / "xss.json"
    path.write_text(json.dumps(XSS_ARTICLE, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("api")
    path = tmp / "kizashi.db"
    with Store.open(f"sqlite:///{path}") as store:
        report = ingest_paths([*sample_files(tmp), hostile_file(tmp)], store, Options())
    assert report.failed == []
    return path


@pytest.fixture
def db_url(base_db: Path, tmp_path: Path) -> str:
    """A copy of the ingested store, so a test that writes leaves the others' store as it was."""
    copy = tmp_path / "copy.db"
    with sqlite3.connect(base_db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    return f"sqlite:///{copy}"


def make_client(db_url: str, *, token: str | None = TOKEN, max_upload: int = 1024 * 1024,
                raise_errors: bool = True) -> TestClient:
    settings = Settings(db=db_url, api_token=token, max_upload_bytes=max_upload)
    return TestClient(create_app(settings, Options()), raise_server_exceptions=raise_errors)


@pytest.fixture(scope="module")
def client(base_db: Path) -> Iterator[TestClient]:
    """Read-only tests share one app over the ingested store."""
    with make_client(f"sqlite:///{base_db}") as c:
        yield c


@pytest.fixture(scope="module")
def store(base_db: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{base_db}") as opened:
        yield opened


def xss_doc_id(client: TestClient) -> str:
    items = client.get("/api/documents", params={"limit": 500}).json()["items"]
    return next(d["id"] for d in items if d["title"] == XSS_TITLE)


def assert_error(response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) >= {"error"} and isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body["error"]


# -- the OpenAPI description ----------------------------------------------------------------

def test_openapi_description_is_valid(client: TestClient) -> None:
    spec = client.app.openapi()
    validate(spec)
    assert spec["paths"]["/api/documents"]["post"]["security"] == [{"HTTPBearer": []}]
    for path in ("/api/documents", "/api/documents/{doc_id}", "/api/entities", "/api/ledger", "/api/flows",
                 "/api/events", "/api/timeline", "/api/contradictions", "/api/search", "/api/export/{fmt}"):
        assert path in spec["paths"]
    assert client.get("/openapi.json").json() == spec


# -- reading ------------------------------------------------------------------------------

LIST_ENDPOINTS = [
    # (path, params, keys every item has)
    ("/api/documents", {}, {"id", "title", "outlet", "published", "flows"}),
    ("/api/entities", {}, {"entity_id", "name", "type", "documents", "mentions"}),
    ("/api/ledger", {}, {"id", "supplier", "recipient", "item", "certainty", "evidence", "independent_sources"}),
    ("/api/flows", {}, {"supplier", "recipient", "item", "certainty", "evidence_start", "evidence_text", "why"}),
    ("/api/timeline", {}, {"date", "precision", "kind", "citations"}),
    ("/api/search", {"q": "ロシア"}, {"document_id", "snippet", "start", "end"}),
]


@pytest.mark.parametrize(("path", "params", "keys"), LIST_ENDPOINTS)
def test_list_endpoints_page_through_everything(client: TestClient, path: str, params: dict, keys: set) -> None:
    first = client.get(path, params=params | {"limit": 500}).json()
    total = first["total"]
    assert total == len(first["items"]) > 0
    assert all(keys <= set(item) for item in first["items"])
    pages = [client.get(path, params=params | {"limit": 2, "offset": offset}).json() for offset in range(0, total, 2)]
    assert all(p["total"] == total and p["limit"] == 2 and len(p["items"]) <= 2 for p in pages)
    assert [item for p in pages for item in p["items"]] == first["items"]
    beyond = client.get(path, params=params | {"limit": 2, "offset": total + 5}).json()
    assert beyond["items"] == [] and beyond["total"] == total


def test_events_and_contradictions_are_paginated_lists(client: TestClient) -> None:
    for path in ("/api/events", "/api/contradictions"):
        body = client.get(path, params={"limit": 3}).json()
        assert set(body) == {"total", "total_capped", "limit", "offset", "items"}
        assert body["limit"] == 3 and len(body["items"]) == min(3, body["total"])


def test_contradictions_include_the_denied_shells(client: TestClient) -> None:
    """The samples report shells to Russia and a denial of them: a certainty contradiction."""
    body = client.get("/api/contradictions", params={"kind": "certainty"}).json()
    assert body["total"] >= 1
    for c in body["items"]:
        assert c["sides"]["asserted"] and c["sides"]["denied"]
        assert {x["value"] for x in c["examples"]} == {"certain", "negated"}
        entry = client.get(f"/api/ledger/{c['entry_id']}").json()
        assert entry["contested"] and c["subject"] == f"{entry['supplier']}/{entry['recipient']}/{entry['item']}"


def test_document_spans_point_into_the_clean_text(client: TestClient, store: Store) -> None:
    for summary in client.get("/api/documents", params={"limit": 500}).json()["items"]:
        doc = client.get(f"/api/documents/{summary['id']}").json()
        text = doc["text"]
        assert doc["metadata"]["title"] == summary["title"]
        for flow in doc["flows"] + doc["events"]:
            ev = flow["evidence"]
            assert text[ev["start"]:ev["end"]] == ev["text"]
        for entity in doc["entities"]:
            assert all(0 <= s < e <= len(text) for s, e in entity["mentions"])
        for mention in doc["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]
        for date in doc["dates"]:
            assert text[date["start"]:date["end"]] == date["text"]
        assert len(doc["flows"]) == len(store.get_document(summary["id"]).flows)


def test_each_flow_names_its_ledger_entry(client: TestClient) -> None:
    ledger = {e["id"]: e for e in client.get("/api/ledger", params={"limit": 500}).json()["items"]}
    seen = 0
    for summary in client.get("/api/documents", params={"limit": 500}).json()["items"]:
        doc = client.get(f"/api/documents/{summary['id']}").json()
        for flow in doc["flows"]:
            entry = ledger[flow["ledger_entry"]]
            assert (entry["supplier"], entry["recipient"], entry["item"]) == \
                   (flow["supplier"], flow["recipient"], flow["item"])
            statements = client.get("/api/flows", params={"supplier": flow["supplier"], "recipient": flow["recipient"],
                                                           "item": flow["item"], "limit": 500}).json()
            assert statements["total"] == entry["statements"]
            assert any(s["document_id"] == doc["id"] and s["evidence_start"] == flow["evidence"]["start"]
                       for s in statements["items"])
            seen += 1
    assert seen > 0


def test_pipeline_flows_say_why_alike_in_every_view(client: TestClient, store: Store) -> None:
    """The extractor's why for each flow reads the same from the flows table, the payload and the ledger."""
    records = client.get("/api/flows", params={"limit": 500}).json()["items"]
    ledger = client.get("/api/ledger", params={"limit": 500}).json()["items"]
    cited = {(ev["doc_id"], ev["start"], e["supplier"], e["recipient"], e["item"]): ev["why"]
             for e in ledger for ev in e["evidence"]}
    assert cited
    for r in records:
        flow = store.get_document(r["document_id"]).flows[r["position"]]
        assert r["why"] == flow.why
        key = (r["document_id"], r["evidence_start"], r["supplier"], r["recipient"], r["item"])
        assert cited.get(key, flow.why) == flow.why  # the ledger shows each entry's newest statements
        document = client.get(f"/api/documents/{r['document_id']}").json()
        assert document["flows"][r["position"]]["why"] == flow.why
    assert any(r["why"] for r in records)


def _values(client: TestClient, field: str) -> list[str]:
    flows = client.get("/api/flows", params={"limit": 500}).json()["items"]
    return sorted({f[field] for f in flows if f[field]})


@pytest.mark.parametrize("field", ["supplier", "recipient", "item", "certainty", "outlet", "source"])
def test_flow_filters_keep_only_matching_flows(client: TestClient, field: str) -> None:
    values = _values(client, field)
    everything = client.get("/api/flows", params={"limit": 500}).json()["total"]
    counted = 0
    for value in values:
        body = client.get("/api/flows", params={field: value, "limit": 500}).json()
        assert body["total"] == len(body["items"]) > 0
        assert all(item[field] == value for item in body["items"])
        counted += body["total"]
    assert counted == everything  # each flow has exactly one value of the field


@pytest.mark.parametrize("field", ["supplier", "recipient", "item"])
def test_ledger_key_filters(client: TestClient, field: str) -> None:
    for value in _values(client, field):
        body = client.get("/api/ledger", params={field: value}).json()
        assert body["total"] > 0 and all(entry[field] == value for entry in body["items"])


@pytest.mark.parametrize("certainty", ["certain", "uncertain", "negated"])
def test_ledger_certainty_filter_keeps_entries_with_such_evidence(client: TestClient, certainty: str) -> None:
    """An entry is kept when one of its statements has the certainty (every flow of it, not only
    the newest few an unfiltered entry shows), and the statements shown are such ones."""
    flows = client.get("/api/flows", params={"certainty": certainty, "limit": 500}).json()["items"]
    expected = {entry_id(f["supplier"], f["recipient"], f["item"]) for f in flows}
    body = client.get("/api/ledger", params={"certainty": certainty, "limit": 500}).json()
    assert {e["id"] for e in body["items"]} == expected
    assert all(ev["certainty"] == certainty for e in body["items"] for ev in e["evidence"])


def test_ledger_outlet_and_date_filters(client: TestClient) -> None:
    entries = client.get("/api/ledger", params={"limit": 500}).json()["items"]
    outlets = {ev["outlet"] for e in entries for ev in e["evidence"] if ev["outlet"]}
    for outlet in outlets:
        body = client.get("/api/ledger", params={"outlet": outlet, "limit": 500}).json()
        assert body["items"] and all(any(ev["outlet"] == outlet for ev in e["evidence"]) for e in body["items"])
    late = client.get("/api/ledger", params={"date_from": "2100", "limit": 500}).json()
    early = client.get("/api/ledger", params={"date_to": "1990-01", "limit": 500}).json()
    span = client.get("/api/ledger", params={"date_from": "1990", "date_to": "2100-12-31", "limit": 500}).json()
    dated = [e for e in entries if any((ev["time"] or ev["published"]) for ev in e["evidence"])]
    assert late["total"] == 0 and early["total"] == 0 and span["total"] == len(dated) > 0


def test_flows_date_filter_uses_the_publication_date_of_undated_flows(client: TestClient) -> None:
    flows = client.get("/api/flows", params={"limit": 500}).json()["items"]
    undated = {(f["document_id"], f["position"]): f["published"][:7] for f in flows
               if not f["time"] and f["published"]}
    months = sorted(set(undated.values()))
    cut = months[len(months) // 2]  # a month in the middle
    for param, keep in (("date_from", lambda month: month >= cut), ("date_to", lambda month: month <= cut)):
        found = client.get("/api/flows", params={param: cut, "limit": 500}).json()["items"]
        found_undated = {(f["document_id"], f["position"]) for f in found if not f["time"]}
        assert found_undated == {key for key, month in undated.items() if keep(month)}, param


@pytest.mark.parametrize("query", ["砲弾", "ロシア 北朝鮮", "食料"])
def test_search_finds_documents_containing_every_term(client: TestClient, query: str) -> None:
    body = client.get("/api/search", params={"q": query}).json()
    assert body["total"] > 0
    for hit in body["items"]:
        text = client.get(f"/api/documents/{hit['document_id']}").json()["text"]
        assert all(term in text for term in query.split())
        assert text[hit["start"]:hit["end"]] in query.split()


def test_search_without_match_is_empty(client: TestClient) -> None:
    assert client.get("/api/search", params={"q": "存在しない語句ですよ"}).json() == \
           {"total": 0, "total_capped": False, "limit": 50, "offset": 0, "items": []}


def test_timeline_is_in_date_order(client: TestClient) -> None:
    items = client.get("/api/timeline", params={"limit": 500}).json()["items"]
    starts = [it["date"].split("/")[0] for it in items]
    assert starts == sorted(starts)
    assert all(it["kind"] in ("event", "flow") for it in items)


# -- exports ------------------------------------------------------------------------------

def test_export_jsonl_is_the_extraction_contract(client: TestClient) -> None:
    response = client.get("/api/export/jsonl", headers=AUTH)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-ndjson")
    assert "attachment" in response.headers["content-disposition"]
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert len(lines) == client.get("/api/documents").json()["total"]
    assert all({"source", "metadata", "text", "entities", "flows", "events"} <= set(doc) for doc in lines)


def test_export_csv_has_one_row_per_flow(client: TestClient) -> None:
    response = client.get("/api/export/csv", headers=AUTH)
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == client.get("/api/flows").json()["total"]


def test_export_graphml_parses(client: TestClient) -> None:
    response = client.get("/api/export/graphml", headers=AUTH)
    root = ElementTree.fromstring(response.content)
    assert root.tag.endswith("graphml")


def test_export_ftm_is_json_lines_of_entities(client: TestClient) -> None:
    lines = [json.loads(line) for line in client.get("/api/export/ftm", headers=AUTH).text.splitlines()]
    assert lines and all({"id", "schema", "properties"} <= set(e) for e in lines)
    assert "Article" in {e["schema"] for e in lines}


# -- why: the words that decided a claim -----------------------------------------------------

WHY_TEXT = "北朝鮮、ロシアに無人機\n\n北朝鮮がロシアに自爆型の無人機を供与したとみられる。"
# What the extractor would write for the sentence, with article words that look like markup.
WHY = ('predicate 供与 (give); supplier 北朝鮮 (subject が); recipient ロシア (goal に); '
       'item 無人機 ("<b>自爆型</b>"); certainty uncertain (とみられる)')


def why_document() -> Document:
    """An article with one flow whose why we set ourselves, saved through the real store."""
    text = WHY_TEXT
    doc = Document(source="why/drones.txt", raw_sha256="f" * 64, text=text,
                   metadata=Metadata(title=text.split("\n")[0], outlet="理由テスト通信", published="2025-01-10"))
    doc.assign_id()
    doc.entities = [Entity("PRK", "North Korea", "country", ["北朝鮮"], [[0, 3]]),
                    Entity("RUS", "Russia", "country", ["ロシア"], [[4, 7]])]
    start = text.index("北朝鮮が")
    doc.flows = [Flow("PRK", "RUS", "drones", "uncertain", doc.span(start, len(text)), cue="供与", why=WHY)]
    return doc


class _FlowWhy(HTMLParser):
    """The article page's flow marks' tooltips and the why lines of its flow table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.titles: dict[str, str] = {}
        self.cells: list[str] = []
        self._in_cell = False

    def handle_starttag(self, tag_name: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag_name == "mark" and a.get("data-flow-id"):
            self.titles[a["data-flow-id"]] = a.get("title") or ""
        if tag_name == "td" and a.get("class") == "why":
            self.cells.append("")
            self._in_cell = True

    def handle_endtag(self, tag_name: str) -> None:
        if tag_name == "td":
            self._in_cell = False

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.cells[-1] += data


def test_why_reaches_the_api_the_exports_and_the_pages(db_url: str) -> None:
    doc = why_document()
    with Store.open(db_url) as writable:
        assert writable.save_document(doc).status == "new"
    with make_client(db_url) as c:
        assert [f["why"] for f in c.get(f"/api/documents/{doc.id}").json()["flows"]] == [WHY]
        assert [f["why"] for f in c.get("/api/flows", params={"source": doc.source}).json()["items"]] == [WHY]
        ledger = c.get("/api/ledger", params={"supplier": "PRK", "recipient": "RUS", "item": "drones"}).json()
        assert [ev["why"] for e in ledger["items"] for ev in e["evidence"] if ev["doc_id"] == doc.id] == [WHY]
        exported = [json.loads(line) for line in c.get("/api/export/jsonl", headers=AUTH).text.splitlines()]
        assert [f["why"] for d in exported if d["id"] == doc.id for f in d["flows"]] == [WHY]
        rows = csv.DictReader(io.StringIO(c.get("/api/export/csv", headers=AUTH).text))
        assert [r["why"] for r in rows if r["doc_id"] == doc.id] == [WHY]

        page = c.get(f"/documents/{doc.id}").text
        parser = _FlowWhy()
        parser.feed(page)
        claim, why = parser.titles[f"{doc.id}-0"].split("\n")
        assert claim.endswith(": drones (uncertain)") and why == WHY
        assert parser.cells == [f"why: {WHY}"]
        ledger_page = c.get("/ledger", params={"supplier": "PRK", "recipient": "RUS", "item": "drones"}).text
        assert f'<p class="why muted">why: {Markup.escape(WHY)}</p>' in ledger_page
        for html in (page, ledger_page):
            assert "<b>自爆型" not in html and "&lt;b&gt;自爆型" in html


# -- errors -------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "status"), [
    ("/api/documents/0000000000000000", 404),
    ("/api/export/pdf", 404),
    ("/api/no-such-thing", 404),
    ("/api/documents?limit=0", 422),
    ("/api/documents?limit=100000", 422),
    ("/api/flows?limit=abc", 422),
    ("/api/ledger?offset=-1", 422),
    ("/api/ledger?certainty=maybe", 422),
    ("/api/flows?date_from=2024-13", 422),
    ("/api/events?date_to=yesterday", 422),
    ("/api/timeline?date_from=24-01-01", 422),
    ("/api/search", 422),
    ("/api/search?q=", 422),
])
def test_errors_are_json(client: TestClient, path: str, status: int) -> None:
    assert_error(client.get(path), status)


def test_method_not_allowed_is_json(client: TestClient) -> None:
    assert_error(client.delete("/api/documents"), 405)


def test_internal_error_is_json_without_a_trace(db_url: str) -> None:
    """A store whose flows table was dropped behind its back: a real fault, reported as a 500."""
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as raw:
        raw.execute("DROP TABLE flows")
    with make_client(db_url, raise_errors=False) as broken:
        assert assert_error(broken.get("/api/flows"), 500) == "internal server error"
        page = broken.get("/documents", headers={"accept": "text/html"})
        assert page.status_code == 500 and "internal server error" in page.text and "Traceback" not in page.text


@pytest.mark.parametrize(("path", "status", "message"), [
    ("/documents/0000000000000000", 404, "no document with id"),
    ("/ledger?date_from=last-week", 422, "date_from must be an ISO date"),
    ("/ledger?certainty=%3Cscript%3E", 422, "certainty must be one of"),
    ("/search?offset=-1", 422, "offset"),
])
def test_page_errors_are_html_for_browsers(client: TestClient, path: str, status: int, message: str) -> None:
    response = client.get(path, headers={"accept": "text/html,application/xhtml+xml"})
    assert response.status_code == status and response.headers["content-type"].startswith("text/html")
    assert message in response.text and "<script>" not in response.text
    assert message in assert_error(client.get(path), status)  # without Accept: text/html, JSON


# -- writing ------------------------------------------------------------------------------

NEW_ARTICLE = ("ロシア、北朝鮮に戦闘機の部品を供与か\n極東テスト通信\n2025年3月2日\n\n"
               "ロシアが北朝鮮に戦闘機の部品を送ったとみられる。とある試験語句が含まれている。")


def upload(client: TestClient, files: list[tuple[str, bytes]], token: str | None = TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post("/api/documents", headers=headers,
                       files=[("files", (name, data, "application/octet-stream")) for name, data in files])


def stored(client: TestClient) -> tuple[int, int]:
    """(documents, search hits for the test article's unique phrase)."""
    return (client.get("/api/documents").json()["total"],
            client.get("/api/search", params={"q": "とある試験語句"}).json()["total"])


def test_upload_with_token_ingests_through_the_pipeline(db_url: str) -> None:
    with make_client(db_url) as c:
        before, _ = stored(c)
        response = upload(c, [("fighter.txt", NEW_ARTICLE.encode())])
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["new"] == ["fighter.txt"] and body["failed"] == [] and body["documents"] == before + 1
        assert stored(c) == (before + 1, 1)
        again = upload(c, [("fighter.txt", NEW_ARTICLE.encode())])
        assert again.status_code == 200 and again.json()["unchanged"] == ["fighter.txt"]
        assert stored(c) == (before + 1, 1)
        # the ledger, built once and cached, is rebuilt with the new article's flows
        new_id = c.get("/api/search", params={"q": "とある試験語句"}).json()["items"][0]["document_id"]
        stored_doc = c.get(f"/api/documents/{new_id}").json()
        assert stored_doc["source"] == "fighter.txt"  # the client's name, not the deleted temporary copy
        has_flows = bool(stored_doc["flows"])
        cited = {ev["doc_id"] for e in c.get("/api/ledger", params={"limit": 500}).json()["items"]
                 for ev in e["evidence"]}
        assert (new_id in cited) == has_flows


def test_upload_reports_unreadable_files_as_422(db_url: str) -> None:
    with make_client(db_url) as c:
        before = stored(c)
        body = upload(c, [("empty.txt", b"   \n  ")])
        assert assert_error(body, 422) == "no uploaded file could be ingested"
        assert body.json()["failed"][0]["file"] == "empty.txt"
        assert stored(c) == before


@pytest.mark.parametrize(("token", "status"), [(None, 401), ("wrong-token", 401), ("", 401)])
def test_upload_without_the_right_token_is_refused_and_stores_nothing(db_url: str, token: str | None,
                                                                       status: int) -> None:
    with make_client(db_url) as c:
        before = stored(c)
        response = upload(c, [("fighter.txt", NEW_ARTICLE.encode())], token=token)
        assert_error(response, status)
        assert response.headers["www-authenticate"] == "Bearer"
        assert stored(c) == before


def test_upload_with_basic_auth_is_refused(db_url: str) -> None:
    with make_client(db_url) as c:
        before = stored(c)
        response = c.post("/api/documents", headers={"Authorization": f"Basic {TOKEN}"},
                          files=[("files", ("fighter.txt", NEW_ARTICLE.encode()))])
        assert_error(response, 401)
        assert stored(c) == before


def test_writes_are_forbidden_when_no_token_is_configured(db_url: str) -> None:
    with make_client(db_url, token=None) as c:
        before = stored(c)
        message = assert_error(upload(c, [("fighter.txt", NEW_ARTICLE.encode())]), 403)
        assert "KIZASHI_API_TOKEN" in message
        assert stored(c) == before


def test_upload_over_the_size_limit_is_413(db_url: str) -> None:
    with make_client(db_url, max_upload=2000) as c:
        before = stored(c)
        big = (NEW_ARTICLE + "\n" + "あ" * 2000).encode()
        assert "limit" in assert_error(upload(c, [("big.txt", big)]), 413)
        assert stored(c) == before


@pytest.mark.parametrize("name", ["report.pdf", "tool.exe", "noextension", ".txt", "article.txt.zip"])
def test_upload_of_other_file_types_is_415(db_url: str, name: str) -> None:
    with make_client(db_url) as c:
        before = stored(c)
        assert "allowed types" in assert_error(upload(c, [(name, NEW_ARTICLE.encode())]), 415)
        assert stored(c) == before


def test_one_bad_file_refuses_the_whole_upload(db_url: str) -> None:
    with make_client(db_url) as c:
        before = stored(c)
        assert_error(upload(c, [("fighter.txt", NEW_ARTICLE.encode()), ("x.docx", b"PK")]), 415)
        assert stored(c) == before


def test_upload_keeps_only_the_base_name(db_url: str) -> None:
    with make_client(db_url) as c:
        response = upload(c, [("../../etc/fighter.md", NEW_ARTICLE.encode())])
        assert response.status_code == 201 and response.json()["new"] == ["fighter.md"]


@pytest.mark.parametrize(("body", "headers", "status"), [
    (b"just bytes", {"content-type": "text/plain"}, 415),
    (b"", {"content-type": "multipart/form-data; boundary=x"}, 422),
])
def test_upload_needs_multipart_files(db_url: str, body: bytes, headers: dict, status: int) -> None:
    with make_client(db_url) as c:
        assert_error(c.post("/api/documents", content=body,
                            headers=headers | {"Authorization": f"Bearer {TOKEN}"}), status)


# -- pages --------------------------------------------------------------------------------

PAGES = ["/", "/search?q=砲弾", "/documents", "/ledger", "/ledger?supplier=PRK&certainty=certain", "/flows",
         "/timeline", "/contradictions"]
EXTERNAL = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


@pytest.mark.parametrize("path", PAGES)
def test_pages_render_japanese_with_local_assets_only(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="ja">' in html
    assert not EXTERNAL.search(html)
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_static_assets_are_served_locally(client: TestClient) -> None:
    css = client.get("/static/kizashi.css").text
    assert '"Noto Sans CJK JP", "Noto Sans JP"' in css and "sans-serif" in css
    assert "line-break: strict" in css and "word-break: normal" in css and "overflow-wrap: anywhere" in css
    plotly = client.get("/static/plotly.min.js")
    assert plotly.status_code == 200 and "javascript" in plotly.headers["content-type"]
    assert len(plotly.content) > 1_000_000 and b"plotly" in plotly.content[:2000].lower()
    assert '<script src="/static/plotly.min.js"' in client.get("/flows").text


def test_flows_page_embeds_both_figures(client: TestClient) -> None:
    html = client.get("/flows").text
    for chart in ("sankey", "network"):
        match = re.search(rf'id="{chart}" data-figure="([^"]*)"', html)
        figure = json.loads(html_lib.unescape(match.group(1)))
        assert figure["data"], chart
        if chart == "sankey":
            assert figure["data"][0]["type"] == "sankey"


class _ArticleText(HTMLParser):
    """Collects, per paragraph of the article text, the visible text and each flow mark's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.flow_text: dict[str, str] = {}
        self.flow_class: dict[str, str] = {}
        self.flow_href: dict[str, str] = {}
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.in_text = False

    def handle_starttag(self, tag_name: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag_name == "div" and a.get("id") == "text":
            self.in_text = True
        if not self.in_text:
            return
        if tag_name == "p":
            self.paragraphs.append("")
        if tag_name == "mark" and a.get("data-flow-id"):
            self.flow_class[a["data-flow-id"]] = a.get("class") or ""
            self.flow_href[a["data-flow-id"]] = a.get("data-href") or ""
        self.stack.append((tag_name, a))

    def handle_endtag(self, tag_name: str) -> None:
        if not self.in_text:
            return
        assert self.stack and self.stack[-1][0] == tag_name, f"</{tag_name}> closes {self.stack[-1:]}"
        self.stack.pop()
        self.in_text = bool(self.stack)  # the text's <div> closed

    def handle_data(self, data: str) -> None:
        tags = [t for t, _ in self.stack]
        if "p" not in tags or "a" in tags:
            return  # between paragraphs, or the ↗ link after a flow: not article text
        self.paragraphs[-1] += data
        for t, a in self.stack:
            if t == "mark" and a.get("data-flow-id"):
                self.flow_text[a["data-flow-id"]] = self.flow_text.get(a["data-flow-id"], "") + data


def test_article_page_marks_every_flow_on_the_exact_text(client: TestClient, store: Store) -> None:
    checked = 0
    for summary in store.list_documents(limit=500):
        doc = store.get_document(summary.id)
        parser = _ArticleText()
        parser.feed(client.get(f"/documents/{doc.id}").text)
        assert parser.paragraphs == [doc.text[s:e] for s, e, _ in paragraph_ranges(doc)]
        ledger = {e["id"]: e for e in client.get("/api/ledger", params={"limit": 500}).json()["items"]}
        for i, flow in enumerate(doc.flows):
            key = f"{doc.id}-{i}"
            assert parser.flow_text[key] == flow.evidence.text
            assert parser.flow_class[key] == f"flow {flow.certainty}"
            entry_id = parser.flow_href[key].rpartition("#entry-")[2]
            assert (ledger[entry_id]["supplier"], ledger[entry_id]["item"]) == (flow.supplier, flow.item)
            checked += 1
    assert checked > 0


def test_ledger_page_has_an_anchor_per_entry(client: TestClient) -> None:
    html = client.get("/ledger", params={"limit": 500}).text
    entries = client.get("/api/ledger", params={"limit": 50}).json()["items"]
    for entry in entries:
        assert f'id="entry-{entry["id"]}"' in html


def test_article_shows_removed_passages_apart(client: TestClient, store: Store) -> None:
    docs = [store.get_document(d.id) for d in store.list_documents(limit=500)]
    with_removed = [d for d in docs if d.removed]
    if not with_removed:
        pytest.skip("no sample article had boilerplate or duplicates removed")
    html = client.get(f"/documents/{with_removed[0].id}").text
    details = html[html.index('<details class="removed">'):]
    assert str(Markup.escape(with_removed[0].removed[0].text.strip()[:20])) in details


def test_hostile_article_data_is_escaped_everywhere(client: TestClient) -> None:
    doc_id = xss_doc_id(client)
    for path in (f"/documents/{doc_id}", "/", "/documents", "/search?q=韓国国防省", "/ledger", "/timeline",
                 "/contradictions"):
        html = client.get(path).text
        assert "<script>window.__xss" not in html, path
        assert "<img src=x" not in html and "<svg onload" not in html and "<b onmouseover" not in html, path
    article = client.get(f"/documents/{doc_id}").text
    assert "&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;" in article
    assert "&lt;b onmouseover=alert(1)&gt;XSS Times&lt;/b&gt;" in article


# -- the highlighter on our own sentences ----------------------------------------------------

def _mark(start: int, end: int, name: str, rank: int = 0) -> Mark:
    return Mark(start, end, rank, tag("m", class_=name), tag("m", class_=name), Markup("</m>"))


@pytest.mark.parametrize(("text", "marks", "expected"), [
    ("北朝鮮が<砲弾>を送った", [], "北朝鮮が&lt;砲弾&gt;を送った"),
    ("北朝鮮が砲弾を送った", [(0, 3, "e")], '<m class="e">北朝鮮</m>が砲弾を送った'),
    ("北朝鮮が砲弾を送った", [(0, 10, "f"), (0, 3, "e")], '<m class="f"><m class="e">北朝鮮</m>が砲弾を送った</m>'),
    # crossing spans: the inner one is closed and reopened
    ("abcdef", [(0, 4, "a"), (2, 6, "b")], '<m class="a">ab<m class="b">cd</m></m><m class="b">ef</m>'),
    # at equal spans, the lower rank is outside
    ("ロシア", [(0, 3, "inner", 2), (0, 3, "outer", 1)], '<m class="outer"><m class="inner">ロシア</m></m>'),
    ('"<&>', [(1, 3, "x")], '&#34;<m class="x">&lt;&amp;</m>&gt;'),
])
def test_render_range_nests_and_escapes(text: str, marks: list[tuple], expected: str) -> None:
    assert render_range(text, 0, len(text), [_mark(*m) for m in marks]) == expected


def test_render_range_clips_to_the_range_and_places_inserts_after_closing_marks() -> None:
    text = "一文目。二文目。"
    marks = [_mark(0, 4, "s"), _mark(4, 8, "s")]
    inserts = [Insert(4, Markup("<a>↗</a>"))]
    assert render_range(text, 0, 8, marks, inserts) == \
        '<m class="s">一文目。</m><a>↗</a><m class="s">二文目。</m>'
    assert render_range(text, 2, 6, marks) == '<m class="s">目。</m><m class="s">二文</m>'


def test_tag_escapes_attribute_values() -> None:
    assert tag("mark", title='"><script>', data_x="a&b") == \
        '<mark title="&#34;&gt;&lt;script&gt;" data-x="a&amp;b">'
