"""The ledger kept in the store (issue 14), on SQLite and PostgreSQL.

Each save updates only what it touches; these tests hold that bookkeeping against a
recomputation from the documents alone (``Store.check`` / ``kizashi check``) after every
kind of write, and the web answers against the store's own ``flows`` query (what
``kizashi query`` prints). Articles come from the benchmark's generator (our own
templates, with rewrites that are near-duplicates, many outlets and attributions).
"""
from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from alembic import command
from conftest import fresh_database
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from storedump import dump_store

from kizashi.analyse.ledger import entry_id
from kizashi.config import Options, Settings, db_url
from kizashi.model import Document, Event, Figure, Metadata, Span
from kizashi.serve import create_app
from kizashi.store import Store
from kizashi.store.migrations import alembic_config

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from generate_articles import articles  # noqa: E402

KIZASHI = Path(sys.executable).parent / "kizashi"
LEDGER_TABLES = ("lineage", "lineage_material", "ledger_entries", "ledger_sources", "ledger_facets", "contradictions",
                 "contradiction_values", "timeline", "entity_stats", "counters")
ARTICLES = 240


@pytest.fixture(scope="module")
def generated() -> list[Document]:
    return list(articles(ARTICLES, 7))


def _assert_consistent(store: Store) -> None:
    report = store.check()
    assert report.ok, {t: d for t, d in report.differences.items() if d}


def _ledger_dump(url: str) -> dict:
    return {t: rows for t, rows in dump_store(url).items() if t in LEDGER_TABLES}


def test_tables_equal_a_recomputation_after_batches_duplicates_and_rewrites(store: Store,
                                                                            generated: list[Document]) -> None:
    rng = random.Random(3)
    at = 0
    while at < len(generated):
        size = rng.choice((1, 1, 2, 7, 30, 64))
        store.save_documents(generated[at:at + size])
        at += size
    statuses = [r.status for r in store.save_documents(generated[:20])]  # the same bytes again
    assert set(statuses) == {"unchanged"}
    again = replace(generated[5], source="mirror/copy.txt", raw_sha256="f" * 64)  # same text, other bytes
    assert store.save_document(again).status == "duplicate"
    _assert_consistent(store)
    stats = store.stats()
    assert stats["documents"] == store.count_documents() == len({d.id for d in generated})
    assert stats["statements"] == sum(len(d.flows) for d in generated)
    assert stats["groups"] < stats["documents"]  # the generator's rewrites share their original's group


def test_the_order_of_saving_does_not_change_the_tables(store_url: str, other_store_url: str,
                                                        generated: list[Document]) -> None:
    docs = generated[:120]
    with Store.open(store_url) as one, Store.open(other_store_url) as other:
        for doc in docs:
            one.save_document(doc)
        other.save_documents(list(reversed(docs)))
        stored = {d.id for d in docs}
        near = [r for r in other.list_documents(limit=500) if r.near_duplicate_of]
    # Which of two near-copies is the near-duplicate depends on the order; the groups do not.
    assert near and all(r.id in stored for r in near)
    first, second = _ledger_dump(store_url), _ledger_dump(other_store_url)
    for table in ("lineage", "ledger_entries", "ledger_sources", "contradictions", "timeline", "counters"):
        assert first[table] == second[table], table


def _doc(doc_id: str, text: str, *, author: str | None = None, title: str | None = None,
         figures: tuple = (), published: str = "2024-05-01") -> Document:
    doc = Document(source=f"{doc_id}.txt", raw_sha256=doc_id * 4, text=text, id=doc_id,
                   metadata=Metadata(title=title, author=author, published=published, outlet=f"outlet {doc_id}"))
    for value in figures:
        at = text.index("300万発")
        doc.figures.append(Figure("PRK", "artillery_ammunition", value, "rounds", "year", "supplied",
                                  Span(at, at + 5, "300万発")))
    return doc


def test_an_article_that_links_two_groups_merges_them(store: Store, generated: list[Document]) -> None:
    quote = "報道官は「ロシアとの協力は正常な国家間の交流である」と述べた。"
    a = _doc("a" * 16, "北朝鮮はロシアに砲弾を送った。" * 3, author="山本彩花", title="砲弾輸送")
    b = _doc("b" * 16, f"北朝鮮側は年間300万発を送ったとされる。{quote}", figures=(3e6,), published="2024-04-01")
    store.save_documents([a, b])
    groups = {r.document_id: r.group_id for r in _lineage(store)}
    assert groups[a.id] != groups[b.id]
    # byline of a, quote and figure of b: one source with both
    c = _doc("c" * 16, f"年間300万発とされる。{quote}", author="山本 彩花", title="砲弾輸送", figures=(3e6,),
             published="2024-06-01")
    store.save_document(c)
    groups = {r.document_id: r.group_id for r in _lineage(store)}
    assert groups[a.id] == groups[b.id] == groups[c.id] == b.id  # the earliest published
    assert store.stats()["groups"] == 1
    for doc in generated[:30]:
        store.save_document(doc)
    _assert_consistent(store)


def _meeting(doc_id: str, date: str) -> Document:
    text = "両首脳は会談した。"
    doc = _doc(doc_id, text, published="2024-08-01")
    doc.events.append(Event("meeting", date, ["PRK", "RUS"], "certain", Span(0, len(text), text)))
    return doc


def _event_dispute(store: Store) -> tuple[list[str], int] | None:
    rows = store.contradictions(kind="event_date").items
    return (rows[0].sides["values"], rows[0].claims) if rows else None


def test_event_date_disputes_grow_one_save_at_a_time(store: Store) -> None:
    """Each save adds what its date disputes to the row (and to the full set behind it), equal to
    a recomputation after every step, whether the new date disputes a new or an old one."""
    steps = [
        ("2024-06-19", None),  # one article: nothing to dispute
        ("2024-06-19", None),  # a second article, same day: agreement
        ("2024-06", None),  # a month holding that day agrees at the month
        ("2024-06-21", (["2024-06-19", "2024-06-21"], 3)),  # two days apart: both dates disputed
        ("2024-07-15", (["2024-06", "2024-06-19", "2024-06-21", "2024-07-15"], 5)),  # within 40 days of all three
        ("2024-06-19", (["2024-06", "2024-06-19", "2024-06-21", "2024-07-15"], 6)),  # a disputed date gains a claim
        ("2024-07", (["2024-06", "2024-06-19", "2024-06-21", "2024-07", "2024-07-15"], 7)),  # not 07-15: same month
        ("2025-03-01", (["2024-06", "2024-06-19", "2024-06-21", "2024-07", "2024-07-15"], 7)),  # far: another event
    ]
    for n, (date, expected) in enumerate(steps):
        store.save_document(_meeting(f"{n:x}" * 16, date))
        assert _event_dispute(store) == expected, date
        _assert_consistent(store)


def _lineage(store: Store) -> list:
    from kizashi.store.schema import LineageRow
    with store._sessions() as session:  # a test reads the table it checks
        return list(session.query(LineageRow))


def test_check_finds_a_tampered_row_and_repair_restores_it(store_url: str, generated: list[Document]) -> None:
    with Store.open(store_url) as store:
        store.save_documents(generated[:60])
    run = subprocess.run([str(KIZASHI), "--db", store_url, "check"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ledger tables match the 60 stored document(s)" in run.stdout
    engine = create_engine(db_url(store_url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE ledger_entries SET statements = statements + 1 "
                                "WHERE id = (SELECT min(id) FROM ledger_entries)"))
        connection.execute(text("DELETE FROM timeline WHERE id = (SELECT min(id) FROM timeline)"))
    engine.dispose()
    run = subprocess.run([str(KIZASHI), "--db", store_url, "check"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert "ledger_entries: " in run.stdout and "DIFFERS" in run.stdout and "statements: stored" in run.stdout
    assert "timeline" in run.stdout and "missing" in run.stdout
    assert "kizashi check --repair" in run.stderr
    run = subprocess.run([str(KIZASHI), "--db", store_url, "check", "--repair"], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0 and "rebuilt" in run.stdout
    with Store.open(store_url) as store:
        _assert_consistent(store)


def test_the_migration_fills_the_tables_of_an_existing_store(store_url: str, generated: list[Document]) -> None:
    with Store.open(store_url) as store:
        store.save_documents(generated[:80])
    before = _ledger_dump(store_url)
    engine = create_engine(db_url(store_url))
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0003")
        tables = set(connection.dialect.get_table_names(connection))
    engine.dispose()
    assert not tables & set(LEDGER_TABLES)
    with Store.open(store_url) as store:  # upgrades to head, 0004 backfills
        _assert_consistent(store)
    assert _ledger_dump(store_url) == before


FILTERS = [
    {}, {"supplier": "PRK"}, {"recipient": "RUS", "item": "missiles"}, {"certainty": "negated"},
    {"outlet": "東亜時事通信"}, {"date_from": "2024-03", "date_to": "2024-03"}, {"date_from": "2024-03-17"},
    {"date_to": "2023-02-10"}, {"date_from": "2025", "date_to": "2025", "certainty": "uncertain"},
    {"supplier": "RUS", "outlet": "北東アジア日報", "date_from": "2023-06-05", "date_to": "2024-02-20"},
]


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def filled(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           generated: list[Document]) -> Iterator[tuple[Store, TestClient]]:
    """A store of every generated article and an app over it, per backend."""
    with fresh_database(request.param, request, tmp_path_factory.mktemp("ledger") / "kizashi.db") as url:
        with Store.open(url) as store:
            store.save_documents(generated)
            yield store, TestClient(create_app(Settings(db=url, api_token=None), Options()))


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: ",".join(f"{k}={v}" for k, v in f.items()) or "none")
def test_the_web_ledger_is_the_store_query_grouped(filled: tuple[Store, TestClient], flt: dict) -> None:
    """Each filter: the ledger's entries are exactly the keys of the flows ``kizashi query`` lists,
    each entry's statements count is its key's, and its evidence is among those flows."""
    store, client = filled
    flows = store.flows(limit=100_000, **flt)
    listed = client.get("/api/flows", params=flt | {"limit": 500}).json()
    assert listed["total"] == len(flows) or listed["total_capped"]
    assert [(f["document_id"], f["position"]) for f in listed["items"]] == \
           [(f.document_id, f.position) for f in flows[:500]]
    body = client.get("/api/ledger", params=flt | {"limit": 500}).json()
    keys = {(f.supplier, f.recipient, f.item) for f in flows}
    assert {(e["supplier"], e["recipient"], e["item"]) for e in body["items"]} == keys
    assert body["total"] == len(keys)
    matching = {(f.document_id, f.position) for f in flows}
    for entry in body["items"]:
        assert entry["id"] == entry_id(entry["supplier"], entry["recipient"], entry["item"])
        assert entry["evidence"] and all((ev["doc_id"], ev["position"]) in matching for ev in entry["evidence"])
        everything = client.get("/api/flows", params={k: entry[k] for k in ("supplier", "recipient", "item")}
                                | {"limit": 1}).json()
        assert everything["total"] == entry["statements"] == sum(entry["statements_by_certainty"].values())
    page = client.get("/ledger", params=flt)
    assert page.status_code == 200
    download = client.get("/ledger.csv", params=flt)
    assert download.status_code == 200 and download.text.count("\n") == len(keys) + 1
