"""Web security of the real app over real stores (issue 8, part 4).

- Writes: every route that accepts POST/PUT/PATCH/DELETE, found from the app itself, refuses a
  request without the token, with a wrong one, and any request when no token is configured.
- Uploads: size, count and type limits, and hostile bytes, refused without storing anything.
- SQL injection: hostile values through every parameter of every GET route (OpenAPI for the API,
  the route's own parameters for the pages), on SQLite and PostgreSQL: no 5xx, never more results
  than the values legitimately match (computed independently from the unfiltered data), and the
  store unchanged byte for byte (``dump_store``).
- XSS: articles whose every settable field carries script (HTML, JSON Lines, Markdown front
  matter, uploaded file names) are shown on every page; the HTML holds them only as text, and a
  real browser (Debian chromium) fires no dialog and finds no injected element.
- Load: the real ``kizashi serve`` in a subprocess answers a few thousand mixed requests from
  concurrent clients on loopback without a single 5xx or connection error.

The articles are our own short fictional Japanese sentences, read by the real pipeline (GiNZA).
"""
from __future__ import annotations

import asyncio
import html as html_lib
import json
import os
import random
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import httpx
import pytest
from fastapi import FastAPI, params
from fastapi.dependencies.utils import get_flat_params
from fastapi.testclient import TestClient
from pydantic import TypeAdapter, ValidationError

from kizashi.config import Options, Settings
from kizashi.serve import create_app
from kizashi.serve.app import CONTENT_SECURITY_POLICY
from kizashi.serve.deps import MAX_LIMIT
from kizashi.store import Store
from kizashi.workflow import ingest_paths
from storedump import dump_store
from test_api import FALLBACK_ARTICLES
from processes import stop
from test_browser import browser, sync_api, watched_page  # noqa: F401  (fixtures, shared with the browser tests)

TOKEN = "web-security-token-5d1c9e"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
SECURITY_HEADERS = {"content-security-policy": CONTENT_SECURITY_POLICY, "x-content-type-options": "nosniff",
                    "referrer-policy": "same-origin"}
HTML = {"accept": "text/html,application/xhtml+xml"}

# Our own fictional articles: flows both ways, a denial (a contradiction) and a dated meeting (an event).
BENIGN_ARTICLES = dict(FALLBACK_ARTICLES) | {
    "d_summit.txt": "ロシアと北朝鮮が首脳会談\n北東アジア通信\n2024年6月19日\n\n"
                    "ロシアと北朝鮮は2024年6月19日に平壌で首脳会談を行った。ロシアは北朝鮮に石油を送った。",
}


def all_routes(app: FastAPI) -> list[Any]:
    """Every route with its full path, also inside included routers (which newer FastAPI keeps
    as lazily resolved branches of ``app.routes``)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: app.routes is already flat
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def concrete(path: str, value: str = "0000000000000000") -> str:
    return re.sub(r"\{[^}]+\}", lambda _: value, path)


def assert_security_headers(response: httpx.Response, what: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, f"{what}: {name} is {response.headers.get(name)!r}"


def write_articles(folder: Path, articles: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in articles]


def ingest(url: str, files: list[Path]) -> None:
    with Store.open(url) as store:
        report = ingest_paths(files, store, Options())
    assert report.failed == [] and report.new, report


def make_app(url: str, token: str | None = TOKEN, max_upload: int = 256 * 1024) -> FastAPI:
    return create_app(Settings(db=url, api_token=token, max_upload_bytes=max_upload), Options())


@pytest.fixture(scope="module")
def benign_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    tmp = tmp_path_factory.mktemp("benign")
    url = f"sqlite:///{tmp / 'kizashi.db'}"
    ingest(url, write_articles(tmp / "articles", BENIGN_ARTICLES))
    return url


# -- writes: the token on every one ----------------------------------------------------------

def write_routes(app: FastAPI) -> list[tuple[str, str]]:
    return sorted((method, route.path) for route in all_routes(app)
                  for method in (getattr(route, "methods", None) or ()) if method in WRITE_METHODS)


def test_every_write_route_refuses_without_the_right_token(benign_url: str) -> None:
    """Found from the app, not listed by hand: a new write route without ``WriteAuth`` fails here."""
    app = make_app(benign_url)
    routes = write_routes(app)
    assert ("POST", "/api/documents") in routes
    spec = app.openapi()
    before = dump_store(benign_url)
    with TestClient(app) as c:
        for method, path in routes:
            where = f"{method} {path}"
            assert spec["paths"][path][method.lower()]["security"] == [{"HTTPBearer": []}], where
            url = concrete(path)
            missing = c.request(method, url)
            assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer", where
            for header in (f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x", f"Bearer {TOKEN.upper()}", "Bearer ",
                           f"Basic {TOKEN}", TOKEN, f"Bearer {TOKEN} {TOKEN}", "Bearer ' OR 1=1 --"):
                wrong = c.request(method, url, headers={"Authorization": header})
                assert wrong.status_code == 401, (where, header, wrong.status_code)
                assert_security_headers(wrong, where)
            # the real thing: a whole article, refused without a token
            attack = c.request(method, url, files=[("files", ("a.txt", BENIGN_ARTICLES["a_shells.txt"].encode()))])
            assert attack.status_code == 401, where
            # and the right token gets past the check (the empty request is refused for what it is)
            right = c.request(method, url, headers={"Authorization": f"Bearer {TOKEN}"})
            assert right.status_code not in (401, 403) and right.status_code < 500, (where, right.text)
    assert dump_store(benign_url) == before


def test_writes_are_refused_when_no_token_is_configured(benign_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With KIZASHI_API_TOKEN unset or empty the app is read-only: 403 whatever the client sends."""
    before = dump_store(benign_url)
    for env in (None, "", "   "):
        if env is None:
            monkeypatch.delenv("KIZASHI_API_TOKEN", raising=False)
        else:
            monkeypatch.setenv("KIZASHI_API_TOKEN", env)
        app = create_app(Settings(db=benign_url), Options())
        with TestClient(app) as c:
            for method, path in write_routes(app):
                for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer None"},
                                {"Authorization": f"Bearer {TOKEN}"}, {"Authorization": f"Bearer {env}"}):
                    response = c.request(method, concrete(path), headers=headers,
                                         files=[("files", ("a.txt", BENIGN_ARTICLES["a_shells.txt"].encode()))])
                    assert response.status_code == 403, (env, method, path, headers, response.status_code)
                    assert "KIZASHI_API_TOKEN" in response.json()["error"]
    assert dump_store(benign_url) == before
    monkeypatch.setenv("KIZASHI_API_TOKEN", TOKEN)  # and the environment's token is the one that counts
    with TestClient(create_app(Settings(db=benign_url), Options())) as c:
        assert c.post("/api/documents", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 415  # past the token
        assert c.post("/api/documents", headers={"Authorization": "Bearer other"}).status_code == 401


def test_no_route_takes_a_write_method_it_does_not_protect(benign_url: str) -> None:
    """Every path the app serves (pages, API, static files, the OpenAPI description) × every write
    method, without a token: refused (401/403), or not a method it takes (405)."""
    app = make_app(benign_url)
    paths = {concrete(getattr(route, "path", "/")) for route in all_routes(app)}
    paths |= {"/static/kizashi.css", "/static/kizashi.js", "/api/documents/x/y", "/api/nope"}
    with TestClient(app) as c:
        for path in sorted(paths):
            for method in WRITE_METHODS:
                response = c.request(method, path, content=b"x" * 64)
                assert response.status_code in (401, 403, 404, 405), (method, path, response.status_code)
                assert_security_headers(response, f"{method} {path}")


# -- uploads: limits and hostile bytes -----------------------------------------------------------

def _auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {TOKEN}"}


UPLOAD_CASES = [
    # (what, files, status): beyond test_api's pdf/exe/zip/no-extension/size cases
    ("svg can carry script", [("drawing.svg", b"<svg onload=alert(1)></svg>")], 415),
    ("xhtml is not in the list", [("page.xhtml", b"<html></html>")], 415),
    ("server-side script", [("shell.php", b"<?php echo 1; ?>")], 415),
    ("trailing dot", [("article.txt.", "北朝鮮がロシアに砲弾を送った。".encode())], 415),
    ("dot file", [(".htaccess", b"Options +Indexes")], 415),
    ("too many files", [(f"f{i}.txt", b"x") for i in range(201)], 400),
    ("a PNG named .html", [("image.html", b"\x89PNG\r\n\x1a\n" + bytes(2000))], 422),
    ("NUL bytes named .txt", [("blob.txt", bytes(range(256)) * 8)], 422),
    ("JSON nested 100,000 deep", [("deep.json", b"[" * 100_000)], 422),
    ("JSON Lines of non-objects", [("list.jsonl", b"1\n\"x\"\nnull\n")], 422),
    ("over the size limit", [("big.txt", "あ".encode() * 100_000)], 413),
]


@pytest.mark.parametrize(("what", "files", "status"), UPLOAD_CASES, ids=[c[0] for c in UPLOAD_CASES])
def test_hostile_uploads_are_refused_and_store_nothing(benign_url: str, what: str, files: list, status: int) -> None:
    before = dump_store(benign_url)
    with TestClient(make_app(benign_url, max_upload=200_000)) as c:
        response = c.post("/api/documents", headers=_auth(),
                          files=[("files", (name, data, "application/octet-stream")) for name, data in files])
        assert response.status_code == status, response.text
        assert "error" in response.json() and "Traceback" not in response.text
    assert dump_store(benign_url) == before


@pytest.mark.parametrize(("headers", "body", "status"), [
    ({"content-type": "multipart/form-data; boundary=b"}, iter([b"--b\r\n"]), 411),  # chunked: no length
    ({"content-type": "multipart/form-data; boundary=b"}, b"not multipart at all", 400),
    ({"content-type": "multipart/form-data"}, b"--b\r\n", 400),
    ({"content-type": "application/json"}, json.dumps({"text": BENIGN_ARTICLES["b_food.txt"]}).encode(), 415),
    ({"content-type": "application/x-www-form-urlencoded"}, b"files=a.txt", 415),
])
def test_uploads_must_be_multipart_with_a_length(benign_url: str, headers: dict, body: Any, status: int) -> None:
    before = dump_store(benign_url)
    with TestClient(make_app(benign_url)) as c:
        response = c.post("/api/documents", headers=_auth() | headers, content=body)
        assert response.status_code == status, response.text
    assert dump_store(benign_url) == before


# -- SQL injection through every GET parameter -------------------------------------------------

SQL_PAYLOADS = [
    "'", '"', "\\",
    "' OR 1=1 --", "' OR '1'='1", "1 OR 1=1", "') OR ('1'='1", "PRK' --",
    '"; DROP TABLE documents; --', "'; DELETE FROM flows; --",
    "' UNION SELECT id, text, NULL FROM documents --", "0 UNION ALL SELECT name FROM sqlite_master --",
    "' UNION SELECT datname FROM pg_database --", "'||(SELECT text FROM documents LIMIT 1)||'",
    # LIKE wildcards and FTS5 query syntax: matched literally, never as patterns
    "%", "_", "%%", "ロシア%", "%ロシア%", "北_鮮", "ロ_ア", "*", "ロシア*", "NEAR(ロシア 北朝鮮)", "ロシア OR 北朝鮮",
    '"ロシア" OR "x"',
    "\x00", "ロシア\x00' OR 1=1 --",
    "x" * 4000, "' OR 1=1 --" * 400,
    "ロシア' OR 'あ'='あ", "＇ ＯＲ １＝１ －－", "😀' OR 1=1 --", "\u202e' OR 1=1 --", "e\u0301' OR 1=1",
    "2024-01-01' OR '1'='1", "2024-02-31", "0000", "2024\n", "２０２４",
]
CONTROLS = ["PRK", "ロシア"]  # legitimate values: the oracle must find something with them
PAGING = ("limit", "offset")
VALIDATED = {"date_from", "date_to", "certainty"}  # checked against a fixed form: every payload is a 422
SEARCH_BASE = "ロシア"  # for parameters of a search other than q, which it requires
MAX_Q = 500
# Page routes with parameters: the API route with the same filters, how the page shows one result, page size.
PAGE_RESULTS = {
    "/search": ("/api/search", re.compile(r'<li>\s*<h2><a href="/documents/'), 50),
    "/documents": ("/api/documents", re.compile(r'<tr>\s*<td><a href="/documents/'), 50),
    "/ledger": ("/api/ledger", re.compile(r'<article class="entry" id="entry-'), 20),
    "/ledger.csv": ("/api/ledger", re.compile(r"^[0-9a-f]{16},", re.M), 500),
    "/ledger.json": ("/api/ledger", re.compile(r'\{"id":"[0-9a-f]{16}"'), 500),
    "/timeline": ("/api/timeline", re.compile(r'<li class="(?:event|flow)">'), 100),
    "/contradictions": ("/api/contradictions", re.compile(r'<article class="contradiction">'), 50),
}


def get_parameters(app: FastAPI) -> dict[str, list[tuple[str, str]]]:
    """``{path: [(name, "query" | "path")]}`` for every GET route: from the OpenAPI description for
    the API, from the route's own parameters for the pages (which the description leaves out)."""
    spec = app.openapi()
    found = {}
    for route in all_routes(app):
        if "GET" not in (getattr(route, "methods", None) or ()) or getattr(route, "dependant", None) is None:
            continue
        if route.include_in_schema:
            operation = spec["paths"][route.path]["get"]
            found[route.path] = [(p["name"], p["in"]) for p in operation.get("parameters", [])]
        else:
            found[route.path] = [(f.alias, "path" if isinstance(f.field_info, params.Path) else "query")
                                 for f in get_flat_params(route.dependant)]
    return found


def paging_value(name: str, value: str) -> int | None:
    """The number a paging parameter reads from ``value``, when it is one in range (pydantic reads
    "0000", "2024\\n" and "２０２４" as numbers, and that is harmless)."""
    try:
        number = TypeAdapter(int).validate_python(value)
    except ValidationError:
        return None
    low, high = (1, MAX_LIMIT) if name == "limit" else (0, None)
    return number if number >= low and (high is None or number <= high) else None


def expected_status(name: str, where: str, value: str) -> int:
    if "\x00" in value:
        return 422
    if where == "path":
        return 404
    if name in PAGING:
        return 200 if paging_value(name, value) is not None else 422
    if name in VALIDATED or (name == "q" and len(value) > MAX_Q):
        return 422
    return 200


class Oracle:
    """What a value legitimately matches, computed in Python from the unfiltered data."""

    def __init__(self, client: TestClient, parameters: dict[str, list[tuple[str, str]]]) -> None:
        self.everything: dict[str, list[dict[str, Any]]] = {}
        for path, names in parameters.items():
            if path.startswith("/api/") and ("limit", "query") in names and ("q", "query") not in names:
                body = client.get(path, params={"limit": MAX_LIMIT}).json()
                assert body["total"] == len(body["items"]) > 0, f"{path} is empty: the oracle would prove nothing"
                self.everything[path] = body["items"]
        self.texts = {d["id"]: client.get(f"/api/documents/{d['id']}").json()["text"]
                      for d in self.everything["/api/documents"]}

    def search(self, q: str) -> set[str]:
        """Documents containing every whitespace-separated term, ignoring case."""
        terms = [t.lower() for t in q.split()]
        return {i for i, text in self.texts.items() if terms and all(t in text.lower() for t in terms)}

    def total(self, api_path: str, name: str, value: str) -> int:
        """How many results the unfiltered route has with ``name=value`` as its only filter."""
        if name == "q":
            return len(self.search(value))
        if api_path == "/api/search":
            return len(self.search(SEARCH_BASE))
        if name in PAGING:
            return len(self.everything[api_path])
        return sum(1 for item in self.everything[api_path] if _matches(item, name, value))


def _matches(item: dict[str, Any], name: str, value: str) -> bool:
    """A filter is an exact match on the item's field, or (ledger) on one of its pieces of evidence."""
    evidence = item.get("evidence")
    return item.get(name) == value or (isinstance(evidence, list) and any(ev.get(name) == value for ev in evidence))


def judge(client: TestClient, oracle: Oracle, path: str, names: list[tuple[str, str]], name: str, where: str,
          value: str) -> str | None:
    """None when the response to ``name=value`` is right; else what is wrong."""
    api = path.startswith("/api/")
    query = {name: value}
    if ("q", "query") in names and name != "q":
        query["q"] = SEARCH_BASE
    if api and ("limit", "query") in names and name != "limit":
        query["limit"] = str(MAX_LIMIT)
    response = client.get(concrete(path, quote(value, safe="")) if where == "path" else path,
                          params=None if where == "path" else query)
    status = response.status_code
    if status >= 500:
        return f"{status}: {response.text[:200]}"
    if "Traceback" in response.text:
        return "a stack trace in the response"
    expected = expected_status(name, where, value)
    if status != expected:
        return f"status {status}, expected {expected}: {response.text[:200]}"
    if status != 200:
        return None
    if not api and path not in PAGE_RESULTS:
        return f"no result pattern for the page {path}: add it to PAGE_RESULTS"
    api_path, pattern, page_size = (path, None, MAX_LIMIT) if api else PAGE_RESULTS[path]
    total = oracle.total(api_path, name, value)
    number = paging_value(name, value) if name in PAGING else None
    shown = max(0, min(number if name == "limit" else page_size, total - (number if name == "offset" else 0)))
    if not api:
        found = len(pattern.findall(response.text))
        return None if found == shown else f"page shows {found} results, legitimately {shown}"
    body = response.json()
    if body["total"] != total or len(body["items"]) != shown:
        return f"{body['total']} results ({len(body['items'])} on the page), legitimately {total} ({shown})"
    if name == "q" and {h["document_id"] for h in body["items"]} != oracle.search(value):
        return "search found other documents than contain the terms"
    return None


def test_sql_injection_through_every_parameter(store_url: str, tmp_path: Path) -> None:
    ingest(store_url, write_articles(tmp_path / "articles", BENIGN_ARTICLES))
    before = dump_store(store_url)
    app = make_app(store_url)
    parameters = get_parameters(app)
    # the enumeration sees the API and the pages, filters and paths
    assert {"/api/flows", "/api/ledger", "/api/search", "/api/documents/{doc_id}", "/search", "/ledger",
            "/timeline"} <= {p for p, names in parameters.items() if names}
    assert ("outlet", "query") in parameters["/ledger"] and ("doc_id", "path") in parameters["/documents/{doc_id}"]
    failures: list[str] = []
    sent = 0
    with TestClient(app, raise_server_exceptions=False) as c:
        oracle = Oracle(c, parameters)
        for page, (api_path, pattern, size) in PAGE_RESULTS.items():  # the result patterns count real results
            query = {"q": SEARCH_BASE} if page == "/search" else {}
            want = oracle.total(api_path, "offset", "0")
            assert len(pattern.findall(c.get(page, params=query).text)) == min(want, size) > 0, page
        for path, names in sorted(parameters.items()):
            for name, where in names:
                for value in [*SQL_PAYLOADS, *CONTROLS]:
                    problem = judge(c, oracle, path, names, name, where, value)
                    sent += 1
                    if problem:
                        failures.append(f"{path} {name}={value[:40]!r}: {problem}")
        for q in ("%", "_", "%%", "ロ_ア", "*"):  # wildcards match themselves, not everything
            assert c.get("/api/search", params={"q": q}).json()["total"] == len(oracle.search(q)) == 0, q
        # the controls are legitimate values with real rows: the oracle is not vacuous
        for path, name, value in (("/api/flows", "supplier", "PRK"), ("/api/ledger", "supplier", "PRK"),
                                  ("/api/search", "q", SEARCH_BASE)):
            assert oracle.total(path, name, value) > 0, (path, name, value)
    assert failures == [], f"{len(failures)} of {sent} requests went wrong:\n" + "\n".join(failures[:40])
    assert sent >= 2000
    assert dump_store(store_url) == before


# -- XSS: hostile article data on every page -----------------------------------------------------

XSS = {
    "script": '<script>window.__xss="script";alert("script")</script>',
    "img": '<img src=x onerror="window.__xss=\'img\';alert(\'img\')">',
    "svg": '"><svg onload=alert("svg")>',
    "quote": "' onmouseover='alert(1)' x='",
    "js": "javascript:alert(document.domain)",
    "focus": '<input autofocus onfocus=alert("focus")>',
    "close": '</textarea></title></style><script>alert("close")</script>',
}
ALL_XSS = "".join(XSS.values())
FLOW = "北朝鮮がロシアに砲弾を送ったと韓国国防省が発表した。"
DENIAL = "北朝鮮外務省は「わが国はロシアに砲弾を提供していない」と否定した。"
UPLOAD_NAME = "<svg onload=alert(1)><img src=x onerror=alert(2)>.txt"  # no slash, no quote: a legal file name
HOSTILE_RECORDS = [
    {"title": "食料の記事" + XSS["svg"] + XSS["close"], "subtitle": XSS["img"] + XSS["quote"],
     "url": "javascript:alert('url')", "date": XSS["script"], "outlet": "偽通信" + XSS["img"],
     "author": [XSS["script"], XSS["quote"]], "language": XSS["svg"],
     "text": "ロシアは北朝鮮に小麦を提供した。" + XSS["img"] + "\n\n" + FLOW + XSS["close"]},
    {"title": XSS["quote"] + "石油", "published": "2024-11-20", "source": "別名通信" + XSS["svg"],
     "url": " JaVaScRiPt:alert('url2')",
     "body": "ロシアが北朝鮮に石油を送った。" + XSS["focus"] + XSS["js"] + "\n\n" + DENIAL},
]


def hostile_html() -> str:
    esc = html_lib.escape
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8">
<title>{esc("砲弾の記事" + XSS["script"] + XSS["img"])}</title>
<meta name="author" content="{esc(XSS["svg"] + XSS["quote"])}">
<meta property="og:site_name" content="{esc("悪意通信" + XSS["focus"] + XSS["quote"])}">
<meta property="article:published_time" content="{esc(XSS["script"])}">
<link rel="canonical" href="javascript:alert('canonical')">
<meta property="og:url" content="javascript:alert('og')">
</head><body><article><h1>{esc("砲弾の記事" + XSS["script"])}</h1>
<p>{FLOW}</p><p>{esc("ロシアは北朝鮮に食料を提供している。" + ALL_XSS)}</p>
<script>window.__xss="page-script";alert("page")</script>
<p><a href="javascript:alert('link')">リンク</a>ロシアが北朝鮮に石油を送った。</p>
</article></body></html>"""


def hostile_files(folder: Path) -> list[Path]:
    front = {"title": "前書き" + XSS["img"], "author": XSS["svg"], "outlet": "前書き通信" + XSS["script"],
             "url": "data:text/html,<script>alert(1)</script>", "date": "2024-12-01"}
    return write_articles(folder, {
        "hostile.html": hostile_html(),
        "hostile.jsonl": "\n".join(json.dumps(r, ensure_ascii=False) for r in HOSTILE_RECORDS),
        "hostile.md": f"---\n{json.dumps(front, ensure_ascii=False)}\n---\n北朝鮮はロシアに兵士を派遣した。{XSS['quote']}\n",
    })


UPLOADED_TEXT = f"{XSS['img']}の速報\n反響通信{XSS['script']}\n2024年12月3日\n\n北朝鮮がロシアにミサイルを送った。{XSS['focus']}\n"
UPLOADED_JSON = {"title": "アップロード" + XSS["focus"], "outlet": "投稿通信" + XSS["quote"], "author": XSS["close"],
                 "url": "https://example.org/a?b=\"><script>alert(1)</script>", "date": "2024-10-01",
                 "text": "ロシアは北朝鮮に戦闘機を送った。" + XSS["svg"]}


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Benign and hostile articles: through ``ingest_paths``, and through the upload API."""
    tmp = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{tmp / 'kizashi.db'}"
    ingest(url, [*write_articles(tmp / "benign", BENIGN_ARTICLES), *hostile_files(tmp / "hostile")])
    with TestClient(make_app(url)) as c:
        response = c.post("/api/documents", headers=_auth(), files=[
            ("files", (UPLOAD_NAME, UPLOADED_TEXT.encode(), "text/plain")),
            ("files", ("upload.json", json.dumps(UPLOADED_JSON, ensure_ascii=False).encode(), "application/json"))])
        assert response.status_code == 201 and len(response.json()["new"]) == 2, response.text
    return url


@pytest.fixture(scope="module")
def hostile_client(hostile_url: str) -> Iterator[TestClient]:
    with TestClient(make_app(hostile_url)) as c:
        yield c


def hostile_docs(client: TestClient) -> list[dict[str, Any]]:
    """The stored articles that carry a payload, as the JSON API returns them."""
    docs = [client.get(f"/api/documents/{d['id']}").json()
            for d in client.get("/api/documents", params={"limit": MAX_LIMIT}).json()["items"]]
    hostile = [d for d in docs if any(p in value for value in strings(d) for p in XSS.values())]
    assert len(hostile) == 6, [d["source"] for d in docs]  # html, 2 JSON Lines records, md, 2 uploads
    return hostile


def strings(value: Any) -> Iterator[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


class Audit(HTMLParser):
    """Every element and attribute of a page, and its text."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def problems(self) -> list[str]:
        """Anything a payload would have created had it been written as markup."""
        found = []
        for tag, attrs in self.elements:
            values = dict(attrs)
            if tag in ("img", "svg", "iframe", "object", "embed", "frame", "textarea", "style", "base", "math"):
                found.append(f"<{tag}>")
            if tag == "script" and not (values.get("src") or "").startswith("/static/"):
                found.append("<script> not from /static/")
            for name, value in attrs:
                if name.startswith("on") or name in ("autofocus", "x", "srcdoc", "formaction"):
                    found.append(f"<{tag} {name}>")
                if name in ("href", "src", "action") and urlsplit((value or "").strip()).scheme.lower() \
                        not in ("", "http", "https") and (tag, value) != ("link", "data:,"):
                    found.append(f"<{tag} {name}={value!r}>")
        if sum(1 for tag, _ in self.elements if tag == "title") != 1:
            found.append("not exactly one <title>")
        return found

    def shows(self, value: str) -> bool:
        """``value`` is in the page's text (the ↗ links the article page adds after flows aside)."""
        return value in "".join(self.text).replace("↗", "")


def audited(client: TestClient, path: str, query: dict[str, str] | None = None, status: int = 200) -> Audit:
    response = client.get(path, params=query, headers=HTML)
    assert response.status_code == status, (path, query, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html"), path
    assert_security_headers(response, path)
    audit = Audit(response.text)
    assert audit.problems() == [], (path, query, audit.problems())
    return audit


DOWNLOADS = ("/ledger.csv", "/ledger.json")  # a page's rows as text/csv or JSON under nosniff: never HTML


def html_routes(app: FastAPI) -> list[str]:
    return sorted(route.path for route in all_routes(app) if "GET" in (getattr(route, "methods", None) or ())
                  and not route.include_in_schema and not route.path.startswith(("/static", "/openapi"))
                  and route.path not in DOWNLOADS)


def test_stored_payloads_are_text_on_every_page(hostile_client: TestClient) -> None:
    c = hostile_client
    docs = hostile_docs(c)
    shown_fields = 0
    for doc in docs:  # the article page shows every field it has as text
        audit = audited(c, f"/documents/{quote(doc['id'])}")
        meta = doc["metadata"]
        for field in ("title", "subtitle", "outlet", "author", "url"):
            if meta.get(field):
                assert audit.shows(meta[field]), (doc["source"], field)
                shown_fields += 1
        assert audit.shows(doc["source"] if not meta.get("url") else meta["url"])
        for paragraph in doc["paragraphs"]:
            assert audit.shows(doc["text"][paragraph["start"]:paragraph["end"]]), doc["source"]
    assert shown_fields >= 20
    everything = "\n".join(value for d in docs for value in strings(d))
    assert all(payload in everything for payload in XSS.values())  # every payload reached the store somewhere

    titles = [d["metadata"]["title"] for d in docs if d["metadata"]["title"]]
    outlets = sorted({d["metadata"]["outlet"] for d in docs if d["metadata"]["outlet"]})
    sources = sorted({d["source"] for d in docs})
    pages = {"/": None, "/documents": None, "/search": {"q": "北朝鮮"}, "/ledger": None, "/flows": None,
             "/timeline": None, "/contradictions": None}
    assert set(html_routes(c.app)) == set(pages) | {"/documents/{doc_id}", "/claims/{claim_id}"}, "a new page: add it here"
    for flow in c.get("/api/flows", params={"limit": MAX_LIMIT}).json()["items"]:  # a claim's page is its article's
        moved = c.get(f"/claims/{flow['claim_id']}", follow_redirects=False)
        assert moved.status_code == 303 and moved.headers["location"] == f"/documents/{flow['document_id']}#{flow['claim_id']}"
    for path in DOWNLOADS:
        response = c.get(path)
        assert response.headers["content-type"].split(";")[0] in ("text/csv", "application/json")
        assert response.headers["x-content-type-options"] == "nosniff"
    for path, query in pages.items():
        audited(c, path, query)
    for path in ("/documents", "/search"):
        audit = audited(c, path, pages[path])
        assert sum(audit.shows(t) for t in titles) >= 5, path
    ledger_outlets = {ev["outlet"] for e in c.get("/api/ledger", params={"limit": MAX_LIMIT}).json()["items"]
                      for ev in e["evidence"]} & set(outlets)
    ledger = audited(c, "/ledger")
    assert ledger_outlets and all(ledger.shows(o) for o in ledger_outlets)
    contradictions = audited(c, "/contradictions")
    assert any(contradictions.shows(o) for o in outlets)
    # search snippets around the payloads, and the ledger filtered to a hostile outlet and source
    for q in ("alert", "onerror", "script", "javascript"):
        assert audited(c, "/search", {"q": q}).shows("alert"), q
    for outlet in outlets:
        audited(c, "/ledger", {"outlet": outlet})
    for source in sources:
        audited(c, "/ledger", {"source": source})


REFLECTED = [ALL_XSS, XSS["svg"], XSS["quote"], "\"'><script>alert(1)</script>", "javascript:alert(1)"]


def test_reflected_payloads_are_text_on_every_page_and_error(hostile_client: TestClient) -> None:
    """Every page parameter (found from the routes) carrying a payload, including 404 and 422 pages."""
    c = hostile_client
    parameters = {path: names for path, names in get_parameters(c.app).items() if path in html_routes(c.app)}
    assert parameters.keys() == set(html_routes(c.app))
    checked = 0
    for path, names in parameters.items():
        for name, where in names:
            for value in REFLECTED:
                if where == "path":
                    audited(c, concrete(path, quote(value, safe="")), status=404)
                else:
                    status = expected_status(name, where, value)
                    audit = audited(c, path, {name: value}, status=status)
                    assert name != "q" or audit.shows(value), path  # the search page repeats it, as text
                checked += 1
    for path in ("/no-such-page", "/documents/" + quote(ALL_XSS, safe="")):
        audited(c, path, status=404)
    assert checked >= 60


def test_the_json_api_returns_payloads_as_data(hostile_client: TestClient) -> None:
    c = hostile_client
    docs = hostile_docs(c)
    record = next(d for d in docs if d["metadata"]["title"] == HOSTILE_RECORDS[0]["title"])
    meta = record["metadata"]
    assert (meta["subtitle"], meta["url"], meta["outlet"]) == \
           (HOSTILE_RECORDS[0]["subtitle"], HOSTILE_RECORDS[0]["url"], HOSTILE_RECORDS[0]["outlet"])
    assert meta["author"] == ", ".join(HOSTILE_RECORDS[0]["author"]) and meta["language"] == HOSTILE_RECORDS[0]["language"]
    assert meta["published"] is None  # a script is not a date
    uploaded = next(d for d in docs if d["metadata"]["title"] == UPLOADED_JSON["title"])
    assert uploaded["metadata"]["author"] == UPLOADED_JSON["author"]
    assert any(d["source"] == UPLOAD_NAME for d in docs)  # the upload's own name, kept as data
    for path, query in [("/api/documents", {}), (f"/api/documents/{record['id']}", {}), ("/api/search", {"q": "alert"}),
                        ("/api/ledger", {}), ("/api/flows", {}), ("/api/timeline", {}), ("/api/contradictions", {}),
                        ("/api/flows", {"outlet": HOSTILE_RECORDS[0]["outlet"]})]:
        response = c.get(path, params=query)
        assert response.status_code == 200 and response.headers["content-type"] == "application/json", path
        assert_security_headers(response, path)
    hits = c.get("/api/search", params={"q": "onerror"}).json()["items"]
    assert hits and all("onerror" in h["snippet"] for h in hits)
    flows = c.get("/api/flows", params={"outlet": HOSTILE_RECORDS[0]["outlet"], "limit": MAX_LIMIT}).json()
    assert flows["total"] > 0 and {f["outlet"] for f in flows["items"]} == {HOSTILE_RECORDS[0]["outlet"]}
    for fmt in ("jsonl", "csv", "graphml", "ftm"):  # downloads, never rendered in the page's origin
        response = c.get(f"/api/export/{fmt}", headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 200 and response.headers["content-disposition"].startswith("attachment")
        assert "text/html" not in response.headers["content-type"]
        assert_security_headers(response, fmt)


def test_security_headers_on_every_route(hostile_client: TestClient) -> None:
    c = hostile_client
    doc_id = hostile_docs(c)[0]["id"]
    entry = c.get("/api/ledger", params={"limit": 1}).json()["items"][0]["id"]
    claim = c.get("/api/flows", params={"limit": 1}).json()["items"][0]["claim_id"]
    checked = 0
    for route in all_routes(c.app):
        if "GET" not in (getattr(route, "methods", None) or ()):
            continue
        value = doc_id if "doc_id" in route.path else entry if "entry_id" in route.path \
            else claim if "claim_id" in route.path else "jsonl"  # /claims/ID is followed to its article page
        path = concrete(route.path, value)
        query = {"q": "北朝鮮"} if route.path.endswith("/search") else {}
        token = _auth() if "/export/" in route.path else {}  # whole-store exports need the token
        for headers in ({}, HTML):
            response = c.get(path, params=query, headers=headers | token)
            assert response.status_code == 200, path
            assert_security_headers(response, path)
            checked += 1
    for path in ("/static/kizashi.css", "/static/kizashi.js", "/static/nope.js", "/api/nope", "/nope",
                 "/api/flows?limit=0", "/ledger?date_from=x"):
        assert_security_headers(c.get(path, headers=HTML), path)
    policy = dict(part.strip().split(" ", 1) for part in CONTENT_SECURITY_POLICY.split(";"))
    assert policy["script-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'" and policy["base-uri"] == "'none'"
    assert checked >= 30


# -- the real server, for the browser and the load ------------------------------------------------

KIZASHI = Path(sys.executable).with_name("kizashi")
SERVER_MAX_UPLOAD = 64 * 1024


@contextmanager
def kizashi_serve(db: str, log: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """``kizashi serve`` in a subprocess on a free loopback port, with a token and a small upload limit."""
    assert KIZASHI.exists(), f"{KIZASHI} not found: install the project (make install)"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | {"KIZASHI_API_TOKEN": TOKEN, "KIZASHI_MAX_UPLOAD": str(SERVER_MAX_UPLOAD)}
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(KIZASHI), "--db", db, "serve", "--host", "127.0.0.1", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + 60
            while True:
                assert proc.poll() is None, log.read_text(errors="replace")
                try:
                    if httpx.get(f"{base}/openapi.json", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "kizashi serve did not start:\n" + log.read_text(errors="replace")
                time.sleep(0.1)
            yield base, proc
        finally:
            stop(proc)


@pytest.fixture(scope="module")
def server(hostile_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    log = tmp_path_factory.mktemp("server") / "server.log"
    with kizashi_serve(hostile_url, log) as (base, proc):
        yield base, proc, log


BROWSER_AUDIT = """() => {
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest(".chart") || el.closest("[id^='js-plotly']")) continue;  // plotly's own drawing
    const tag = el.tagName.toLowerCase();
    if (["img", "svg", "iframe", "object", "embed", "textarea", "style", "base"].includes(tag)) found.push(tag);
    if (tag === "script" && !(el.getAttribute("src") || "").startsWith("/static/")) found.push("inline script");
    for (const a of el.attributes) {
      if (a.name.startsWith("on") || ["autofocus", "x", "srcdoc"].includes(a.name)) found.push(tag + "[" + a.name + "]");
    }
    if (typeof el.href === "string" && el.href && !/^https?:/.test(el.href)) found.push(tag + " href " + el.href);
  }
  for (const s of document.querySelectorAll("head script")) {
    if (!(s.getAttribute("src") || "").startsWith("/static/")) found.push("inline script in head");
  }
  if (typeof window.__xss !== "undefined") found.push("window.__xss = " + window.__xss);
  return found;
}"""


def test_no_payload_runs_in_a_real_browser(browser, server, hostile_url: str) -> None:  # noqa: F811
    base = server[0]
    with TestClient(make_app(hostile_url)) as c:
        docs = hostile_docs(c)
    outlet = next(d["metadata"]["outlet"] for d in docs if d["metadata"]["outlet"])
    paths = ["/", "/documents", "/search?q=alert", "/search?q=" + quote(ALL_XSS), "/ledger", "/flows", "/timeline",
             "/contradictions", "/ledger?" + urlencode({"outlet": outlet, "source": ALL_XSS}),
             "/timeline?" + urlencode({"date_from": ALL_XSS}), "/documents/" + quote(ALL_XSS, safe=""),
             *(f"/documents/{d['id']}" for d in docs)]
    with watched_page(browser, base) as watched:
        page = watched.page
        for path in paths:
            response = page.goto(path, wait_until="load")
            assert response is not None and response.status < 500, path
            page.wait_for_timeout(50)  # let autofocus and load handlers fire, were there any
            assert page.evaluate(BROWSER_AUDIT) == [], path
        page.goto(f"/documents/{docs[0]['id']}")
        page.keyboard.press("Tab")  # focus moves through the page: no onfocus anywhere
        page.mouse.move(300, 300)
        assert page.evaluate(BROWSER_AUDIT) == []
        assert watched.clean(), watched


# -- bounded load on loopback --------------------------------------------------------------------

LOAD_REQUESTS = 3000
LOAD_CLIENTS = 12


def load_plan(doc_ids: list[str], outlets: list[str], rng: random.Random,
              entries: list[str], claims: list[str]) -> list[tuple[str, str, dict, set[int]]]:
    """``(method, url, httpx keyword arguments, statuses that are right)``, mixed and shuffled."""
    token = {"Authorization": f"Bearer {TOKEN}"}
    article = BENIGN_ARTICLES["a_shells.txt"].encode()
    ok = [
        "/", "/documents", "/search?q=北朝鮮", "/search?q=砲弾+ロシア", "/ledger", "/ledger?supplier=PRK&certainty=certain",
        "/flows", "/timeline", "/timeline?date_from=2024-06", "/contradictions", "/openapi.json",
        "/static/kizashi.css", "/static/kizashi.js", "/api/documents", "/api/documents?limit=2&offset=1",
        "/api/entities", "/api/entities?type=country", "/api/ledger", "/api/ledger?recipient=RUS&date_to=2024-12",
        "/api/flows", "/api/flows?supplier=PRK&limit=3", "/api/events", "/api/timeline?kind=flow",
        "/api/contradictions", "/api/search?q=ロシア", "/api/search?q=ロシア+北朝鮮&limit=1",
        "/ledger.csv?supplier=PRK", "/ledger.json?certainty=negated", *(f"/api/ledger/{e}" for e in entries),
        *(f"/documents/{i}" for i in doc_ids), *(f"/api/documents/{i}" for i in doc_ids),
        *(f"/api/claims/{c}" for c in claims),
        *("/ledger?" + urlencode({"outlet": o}) for o in outlets), *("/api/flows?" + urlencode({"outlet": o}) for o in outlets),
    ]
    invalid = [
        ("/api/documents?limit=0", 422), ("/api/flows?limit=abc", 422), ("/api/ledger?offset=-1", 422),
        ("/api/ledger?certainty=maybe", 422), ("/api/flows?date_from=2024-02-31", 422),
        ("/timeline?date_to=0000", 422), ("/api/search?q=" + "あ" * 600, 422), ("/api/search", 422),
        ("/api/documents/0000000000000000", 404), ("/documents/nope", 404), ("/api/export/pdf", 404),
        ("/api/ledger/0000000000000000", 404), ("/ledger.csv?limit=0", 422),
        ("/api/claims/c0123456789abcdef", 404), ("/api/claims/nope", 404), ("/claims/nope", 404),
        *((f"/claims/{c}", 303) for c in claims),  # a claim's page is its line on the article page
        ("/api/nope", 404), ("/search?q=%00", 422), ("/api/flows?supplier=a%00b", 422),
        *((f"{path}?" + urlencode({name: p}), expected_status(name, "query", p)) for p in SQL_PAYLOADS
          for path, name in (("/api/flows", "supplier"), ("/api/search", "q"), ("/ledger", "outlet"))),
        *(("/search?" + urlencode({"q": p}), 200) for p in REFLECTED),
    ]
    writes = [
        ("POST", "/api/documents", {"files": [("files", ("a.txt", article))]}, {401}),
        ("POST", "/api/documents", {"files": [("files", ("a.txt", article))], "headers": {"Authorization": "Bearer no"}}, {401}),
        ("POST", "/api/documents", {"content": b"x" * (4 * SERVER_MAX_UPLOAD), "headers": {"content-type": "text/plain"}}, {401}),
        ("POST", "/api/documents", {"files": [("files", ("big.txt", b"a" * (2 * SERVER_MAX_UPLOAD)))], "headers": token}, {413}),
        ("POST", "/api/documents", {"files": [("files", ("a.exe", article))], "headers": token}, {415}),
        ("POST", "/api/documents", {"content": b"{}", "headers": token | {"content-type": "application/json"}}, {415}),
        ("PUT", "/api/documents", {}, {405}), ("DELETE", f"/api/documents/{doc_ids[0]}", {}, {405}),
        ("PATCH", "/ledger", {}, {405}), ("POST", "/search", {"data": {"q": "x"}}, {405}),
    ]
    plan: list[tuple[str, str, dict, set[int]]] = []
    while len(plan) < LOAD_REQUESTS:
        plan += [("GET", url, {}, {200}) for url in ok]
        # whole-store exports: the token, and one at a time per client (429 past the limits)
        plan += [("GET", f"/api/export/{fmt}", {"headers": token}, {200, 429}) for fmt in ("jsonl", "csv", "graphml", "ftm")]
        plan += [("GET", "/api/export/jsonl", {}, {401})]
        plan += [("GET", url, {}, {status}) for url, status in invalid]
        plan += writes
    plan.append(("GET", "/static/plotly.min.js", {}, {200}))  # 3.6 MB, a few times only
    plan.append(("GET", "/static/plotly.min.js", {}, {200}))
    rng.shuffle(plan)
    return plan


async def run_load(base: str, plan: list[tuple[str, str, dict, set[int]]], clients: int) -> tuple[list, list]:
    """Send the plan from ``clients`` concurrent keep-alive connections; (wrong answers, transport errors)."""
    queue: asyncio.Queue = asyncio.Queue()
    for item in plan:
        queue.put_nowait(item)
    wrong: list[tuple[str, str, int, str]] = []
    errors: list[tuple[str, str, str]] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        async def worker() -> None:
            while not queue.empty():
                method, url, kwargs, statuses = queue.get_nowait()
                try:
                    response = await client.request(method, url, **kwargs)
                except httpx.HTTPError as err:
                    errors.append((method, url, repr(err)))
                    continue
                if response.status_code not in statuses:
                    wrong.append((method, url[:80], response.status_code, response.text[:120]))

        await asyncio.gather(*(worker() for _ in range(clients)))
    return wrong, errors


def test_bounded_load_gives_no_5xx(server, hostile_url: str) -> None:
    base, proc, log = server
    with TestClient(make_app(hostile_url)) as c:
        docs = c.get("/api/documents", params={"limit": MAX_LIMIT}).json()["items"]
        entries = [e["id"] for e in c.get("/api/ledger", params={"limit": 5}).json()["items"]]
        claims = [f["claim_id"] for f in c.get("/api/flows", params={"limit": 5}).json()["items"]]
    doc_ids = [d["id"] for d in docs]
    outlets = sorted({d["outlet"] for d in docs if d["outlet"]})
    plan = load_plan(doc_ids, outlets, random.Random(8), entries, claims)
    assert len(plan) >= LOAD_REQUESTS
    asked = {urlsplit(url).path for method, url, _, _ in plan if method == "GET"}
    unasked = [route.path for route in all_routes(c.app) if "GET" in (getattr(route, "methods", None) or ())
               and not any(route.path_regex.match(path) for path in asked)]
    assert unasked == [], "GET routes the load does not exercise: add them to load_plan"
    before = dump_store(hostile_url)
    with ThreadPoolExecutor(1) as pool:  # its own thread: the browser tests' Playwright keeps a loop in this one
        wrong, errors = pool.submit(asyncio.run, run_load(base, plan, LOAD_CLIENTS)).result()
    fivexx = [w for w in wrong if w[2] >= 500]  # (the server closes the connection after a 500: errors follow)
    assert fivexx == [] and errors == [], \
        f"of {len(plan)} requests {len(fivexx)} got a 5xx, e.g. {fivexx[:5]}; {len(errors)} failed, e.g. {errors[:5]}"
    assert wrong == [], f"{len(wrong)} of {len(plan)} requests got an unexpected status, e.g. {wrong[:10]}"
    assert proc.poll() is None, "the server died"
    assert dump_store(hostile_url) == before
    served = log.read_text(errors="replace")
    assert "Traceback" not in served and "internal error" not in served, served[-3000:]


def test_a_huge_declared_upload_is_refused_before_its_body(server) -> None:
    """Content-Length of a terabyte and no body: answered at once (413), nothing read or kept."""
    host, port = server[0].removeprefix("http://").split(":")
    request = (f"POST /api/documents HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TOKEN}\r\n"
               "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000000000\r\n\r\n")
    with socket.create_connection((host, int(port)), timeout=30) as conn:
        conn.sendall(request.encode())
        head = conn.recv(65536).decode("latin-1")
    assert head.startswith("HTTP/1.1 413"), head[:200]
