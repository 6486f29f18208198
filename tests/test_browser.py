"""The web pages in a real browser: Debian's chromium driven by Playwright.

A reader's journey (search → article → click a highlighted flow → its ledger
entry), hostile article data staying inert, the charts drawn from the locally
served plotly.js, and Japanese typesetting. Screenshots go to tests/artifacts/
and, for the README, to docs/.
"""
from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from kizashi.config import Options
from kizashi.store import Store
from kizashi.workflow import ingest_paths
from servers import serving_store
from test_api import XSS_ARTICLE, XSS_IMG, XSS_TITLE, hostile_file, sample_files

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS = ROOT / "docs"
VIEWPORT = {"width": 1280, "height": 960}


def _missing(reason: str) -> None:
    """Without a browser the test cannot run: a failure in CI, a skip on a developer's machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required because CI is set)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def sync_api():
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium)")
    try:
        from playwright import sync_api
    except ImportError:
        _missing("playwright is not installed (pip install playwright)")
    return sync_api


@contextmanager
def serving(files: list[Path], tmp: Path) -> Iterator[str]:
    """uvicorn on a free port of 127.0.0.1, in a thread, over a store freshly ingested from ``files``."""
    db = f"sqlite:///{tmp / 'kizashi.db'}"
    with Store.open(db) as store:
        assert ingest_paths(files, store, Options()).failed == []
    with serving_store(db) as url:
        yield url


@pytest.fixture(scope="module")
def samples_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The samples alone: the journey's screenshots go into the README."""
    tmp = tmp_path_factory.mktemp("samples")
    with serving(sample_files(tmp), tmp) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The samples plus an article whose title, metadata and text try to inject HTML and script."""
    tmp = tmp_path_factory.mktemp("hostile")
    with serving([*sample_files(tmp), hostile_file(tmp)], tmp) as url:
        yield url


@pytest.fixture(scope="module")
def browser(sync_api) -> Iterator:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Watched:
    """A page and what it did that it should not: dialogs, script errors, requests off the server."""

    page: Any
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def clean(self) -> bool:
        return self.dialogs == [] and self.errors == [] and self.outside == []


@contextmanager
def watched_page(browser, base_url: str) -> Iterator[Watched]:
    context = browser.new_context(viewport=VIEWPORT, base_url=base_url, locale="ja-JP")
    watched = Watched(context.new_page())
    watched.page.on("dialog", lambda dialog: (watched.dialogs.append(dialog.message), dialog.dismiss()))
    watched.page.on("pageerror", lambda error: watched.errors.append(str(error)))
    watched.page.on("request", lambda request: None if request.url.startswith(base_url)
                    else watched.outside.append(request.url))
    try:
        yield watched
    finally:
        context.close()


def test_search_article_flow_ledger_journey(browser, samples_url: str, sync_api) -> None:
    expect = sync_api.expect
    with watched_page(browser, samples_url) as watched:
        page = watched.page
        page.goto("/")
        page.fill("form.search input[name=q]", "砲弾")
        page.press("form.search input[name=q]", "Enter")
        page.wait_for_url("**/search?q=*")
        result = page.locator("ol.results > li").first
        expect(result.locator("mark.hit")).to_have_text("砲弾")
        result.locator("h2 a").click()
        page.wait_for_url("**/documents/*")
        flow = page.locator("#text mark.flow[data-href]").first
        expect(flow).to_be_visible()
        evidence = flow.inner_text()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "article.png"))

        entry = flow.get_attribute("data-href").rpartition("#")[2]
        flow.click()
        page.wait_for_url(f"**/ledger?*#{entry}")
        target = page.locator(f"article.entry#{entry}")
        expect(target).to_be_in_viewport()
        assert page.evaluate("location.hash") == f"#{entry}"
        cited = target.locator("ol.evidence > li", has=page.locator("blockquote", has_text=evidence)).first
        expect(cited).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "ledger.png"))

        # and back: each piece of evidence links to its sentence in the article
        cited.locator("a").first.click()
        page.wait_for_url("**/documents/*#flow-*")
        expect(page.locator(page.evaluate("location.hash"))).to_have_text(evidence)
        assert watched.clean(), watched

    DOCS.mkdir(exist_ok=True)
    for name in ("article.png", "ledger.png"):
        shutil.copyfile(ARTIFACTS / name, DOCS / name)


def test_article_and_ledger_show_why_a_flow_was_read(browser, samples_url: str, sync_api) -> None:
    """A flow the extractor explained: its why as the highlight's tooltip, in the flow table and on
    the ledger's evidence line that cites it."""
    expect = sync_api.expect
    with watched_page(browser, samples_url) as watched:
        page = watched.page
        flows = page.request.get("/api/flows?limit=500").json()["items"]
        explained = next(f for f in flows if f["why"])
        page.goto(f"/documents/{explained['document_id']}")
        position, why = explained["position"], explained["why"]
        mark = page.locator(f"#flow-{position}")
        expect(mark).to_have_attribute("title", re.compile(rf"\n{re.escape(why)}$"))
        row = page.locator("table.list tbody tr", has=page.locator(f'a[href="#flow-{position}"]'))
        expect(row.locator("xpath=following-sibling::tr[1]/td[@class='why']")).to_have_text(f"why: {why}")

        row.get_by_role("link", name="entry").click()  # not the mark: flows on one sentence nest
        page.wait_for_url("**/ledger?*#entry-*")
        entry = page.locator(f"article.entry#{page.evaluate('location.hash')[1:]}")
        link = page.locator(f'a[href="/documents/{explained["document_id"]}#flow-{position}"]')
        cited = entry.locator("ol.evidence > li", has=link)
        expect(cited.locator("blockquote")).to_have_text(explained["evidence_text"])
        expect(cited.locator("p.why")).to_have_text(f"why: {why}")
        assert watched.clean(), watched


def test_hostile_article_stays_inert(browser, hostile_url: str, sync_api) -> None:
    expect = sync_api.expect
    with watched_page(browser, hostile_url) as watched:
        page = watched.page
        page.goto("/search?q=韓国国防省")
        link = page.locator("ol.results h2 a", has_text=XSS_TITLE)
        expect(link).to_have_text(XSS_TITLE)  # the tags show as text
        link.click()
        page.wait_for_url("**/documents/*")
        expect(page.locator("h1.doc-title")).to_have_text(XSS_TITLE)
        expect(page.locator("#text")).to_contain_text(XSS_IMG)
        expect(page.locator("dl.meta")).to_contain_text(XSS_ARTICLE["outlet"])
        expect(page.locator("dl.meta")).to_contain_text(XSS_ARTICLE["author"])
        assert page.locator("main img, main svg, main b").count() == 0
        for path in ("/", "/documents", "/ledger", "/flows", "/timeline", "/contradictions"):
            page.goto(path)
            assert page.locator("body script").count() == 0, path
            assert page.locator("main img, main b[onmouseover]").count() == 0, path
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert watched.clean(), watched


def test_flows_page_draws_the_charts_with_local_plotly(browser, samples_url: str, sync_api) -> None:
    expect = sync_api.expect
    with watched_page(browser, samples_url) as watched:
        watched.page.goto("/flows")
        expect(watched.page.locator("#sankey .main-svg").first).to_be_attached(timeout=15_000)
        expect(watched.page.locator("#network .main-svg").first).to_be_attached()
        assert watched.page.evaluate("typeof window.Plotly") == "object"
        assert watched.clean(), watched


def test_japanese_typesetting(browser, samples_url: str) -> None:
    with watched_page(browser, samples_url) as watched:
        watched.page.goto("/")
        assert watched.page.evaluate("document.documentElement.lang") == "ja"
        style = watched.page.evaluate("""() => { const s = getComputedStyle(document.documentElement);
            return {font: s.fontFamily, lineBreak: s.lineBreak, wordBreak: s.wordBreak, wrap: s.overflowWrap}; }""")
    assert style["font"].startswith('"Noto Sans CJK JP", "Noto Sans JP"') and style["font"].endswith("sans-serif")
    assert (style["lineBreak"], style["wordBreak"], style["wrap"]) == ("strict", "normal", "anywhere")
