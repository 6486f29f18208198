"""Stable claim ids (kizashi/claim_ids.py): every flow, event and figure keeps its id across
extract runs, fresh stores, re-analysis and the migration that gave old stores their ids, and
every output carries it. Real GiNZA over the corpus (read in place) and the samples; SQLite and
PostgreSQL (``store_url``); the CLI as a process and the web app served on loopback."""
from __future__ import annotations

import csv
import io
import json
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import networkx as nx
import pytest
from alembic import command
from followthemoney import model as ftm
from ingest_articles import KIZASHI
from servers import serving_store
from sqlalchemy import create_engine, inspect, select, text
from test_reanalyse import _changed_lexicon, _forget_versions

from kizashi.claim_ids import assign_claim_ids, is_claim_id
from kizashi.config import Options, db_url
from kizashi.model import Quantity
from kizashi.reanalysis import reanalyse
from kizashi.store import Store
from kizashi.store.migrations import alembic_config
from kizashi.store.schema import DocumentRow, LedgerEntryRow
from kizashi.workflow import ingest_paths

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted((ROOT.parent / "shared" / "corpus").glob("*.txt"))
SAMPLES = ROOT / "samples"
LAYERS = {"flow": "flows", "event": "events", "figure": "figures"}
TIMEOUT = 600

Ids = dict[tuple[str, str, int], str]  # (document id, kind, position) → claim id


def kizashi(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(KIZASHI), *args], capture_output=True, text=True, timeout=TIMEOUT)


def _ingest(url: str) -> None:
    with Store.open(url) as store:
        report = ingest_paths([*CORPUS, SAMPLES], store, Options())
    assert report.ok and len(report.new) == len(CORPUS) + 6


def _document_ids(store: Store) -> Ids:
    """The ids the documents read back from the store carry."""
    return {(doc.id, kind, i): claim.claim_id for doc in store.iter_documents()
            for kind, layer in LAYERS.items() for i, claim in enumerate(getattr(doc, layer))}


def _row_ids(url: str) -> Ids:
    engine = create_engine(db_url(url))
    try:
        with engine.connect() as connection:
            return {(d, kind, p): c for kind, table in LAYERS.items()
                    for d, p, c in connection.execute(text(f"SELECT document_id, position, claim_id FROM {table}"))}
    finally:
        engine.dispose()


def _recent_ids(url: str) -> dict[str, list[Any]]:
    engine = create_engine(db_url(url))
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, recent FROM ledger_entries")).all()
    finally:
        engine.dispose()
    return {entry: [s.get("claim_id") for s in (json.loads(r) if isinstance(r, str) else r)] for entry, r in rows}


@pytest.fixture(scope="module")
def extracted() -> list[dict[str, Any]]:
    """``kizashi extract`` over the corpus and the samples: one contract per document."""
    run = kizashi("extract", *map(str, CORPUS), str(SAMPLES), "--format", "jsonl")
    assert run.returncode == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines()]


def _contract_ids(contracts: list[dict[str, Any]]) -> Ids:
    return {(c["id"], kind, i): claim["claim_id"] for c in contracts
            for kind, layer in LAYERS.items() for i, claim in enumerate(c[layer])}


def test_extract_gives_every_claim_a_distinct_id_and_the_same_one_each_run(extracted: list[dict]) -> None:
    ids = _contract_ids(extracted)
    assert {kind for _, kind, _ in ids} == set(LAYERS)  # flows, events and figures all have some
    assert all(is_claim_id(i) for i in ids.values())
    assert len(set(ids.values())) == len(ids)  # distinct across claims and documents
    again = kizashi("extract", *map(str, CORPUS), str(SAMPLES), "--format", "jsonl")
    assert _contract_ids([json.loads(line) for line in again.stdout.splitlines()]) == ids


def test_the_id_ignores_what_a_review_may_correct(extracted: list[dict]) -> None:
    """Certainty, time, attribution and quantity are not part of the id; the key and the span are;
    claims alike in both are told apart by their order."""
    from kizashi.workflow import analyse_file

    [doc], _ = analyse_file(CORPUS[0], Options())
    flow = doc.flows[0]
    before = flow.claim_id
    assert before == extracted[0]["flows"][0]["claim_id"]
    doc.flows[0] = replace(flow, certainty="negated", time="1999", attributed_to="誰か", quantity=Quantity(7.0))
    assert assign_claim_ids(doc).flows[0].claim_id == before
    doc.flows[0] = replace(flow, supplier="CHN")
    assert assign_claim_ids(doc).flows[0].claim_id != before
    doc.flows[0] = replace(flow, evidence=doc.span(flow.evidence.start, flow.evidence.end + 1))
    assert assign_claim_ids(doc).flows[0].claim_id != before
    doc.flows[:1] = [replace(flow), replace(flow, certainty="uncertain")]
    first, second = (f.claim_id for f in assign_claim_ids(doc).flows[:2])
    assert first == before and second != first and is_claim_id(second)


def test_two_fresh_stores_give_the_ids_extract_gives(store_url: str, other_store_url: str,
                                                     extracted: list[dict]) -> None:
    for url in (store_url, other_store_url):
        _ingest(url)
    expected = _contract_ids(extracted)
    for url in (store_url, other_store_url):
        assert _row_ids(url) == expected
        with Store.open(url) as store:
            assert _document_ids(store) == expected
    recent = _recent_ids(store_url)
    assert recent and all(i in expected.values() for ids in recent.values() for i in ids)


def _by_claim(store: Store) -> dict[tuple, str]:
    """Each claim's id by what it is: document, kind, evidence span and key."""
    return {(doc.id, kind, c.evidence.start, c.evidence.end, *_key(kind, c)): c.claim_id
            for doc in store.iter_documents() for kind, layer in LAYERS.items() for c in getattr(doc, layer)}


def _key(kind: str, claim: Any) -> tuple:
    if kind == "flow":
        return claim.supplier, claim.recipient, claim.item
    if kind == "event":
        return claim.type, tuple(sorted(claim.participants))
    return claim.actor, claim.item, claim.measure


def test_reanalysis_keeps_the_ids(store_url: str, tmp_path: Path) -> None:
    _ingest(store_url)
    before = _row_ids(store_url)
    _forget_versions(store_url)
    with Store.open(store_url) as store:
        claims = _by_claim(store)
        assert len(reanalyse(store, Options()).done) == store.count_documents()
    assert _row_ids(store_url) == before  # the same text, the same rules: the same ids
    changed = _changed_lexicon(tmp_path)  # 砲弾 now names weapons: those flows' key changes
    with Store.open(store_url, options=changed) as store:
        assert reanalyse(store, changed).failed == []
        after = _by_claim(store)
        assert store.check().ok, {t: d for t, d in store.check().differences.items() if d}
    kept = after.keys() & claims.keys()
    assert kept and all(after[k] == claims[k] for k in kept)  # a claim the new rules still make keeps its id
    moved = [k for k in after.keys() - claims.keys() if k[1] == "flow" and k[-1] == "weapons"]
    assert moved and not {after[k] for k in moved} & set(claims.values())  # a new key is a new claim
    assert all(map(is_claim_id, _row_ids(store_url).values()))


def _as_a_0009_store(url: str) -> None:
    """Migration 0010 undone, and the ids taken out of the payloads and the entries' newest
    statements: the store as Kizashi before claim ids left it."""
    documents, entries = DocumentRow.__table__, LedgerEntryRow.__table__
    engine = create_engine(db_url(url))
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0009")
        for doc_id, payload in connection.execute(select(documents.c.id, documents.c.payload)).all():
            for layer in LAYERS.values():
                for claim in payload[layer]:
                    del claim["claim_id"]
            connection.execute(documents.update().where(documents.c.id == doc_id).values(payload=payload))
        for entry, recent in connection.execute(select(entries.c.id, entries.c.recent)).all():
            for statement in recent:
                del statement["claim_id"]
            connection.execute(entries.update().where(entries.c.id == entry).values(recent=recent))
        assert "claim_id" not in {c["name"] for c in inspect(connection).get_columns("flows")}
    engine.dispose()


def test_the_migration_gives_an_old_store_the_ids_of_a_fresh_ingest(store_url: str) -> None:
    _ingest(store_url)
    rows, recent = _row_ids(store_url), _recent_ids(store_url)
    _as_a_0009_store(store_url)
    assert all(i is None for ids in _recent_ids(store_url).values() for i in ids)
    with Store.open(store_url) as store:  # upgrades to head: 0010 backfills
        assert _document_ids(store) == rows
        assert store.check().ok, {t: d for t, d in store.check().differences.items() if d}
    assert _row_ids(store_url) == rows and _recent_ids(store_url) == recent


# -- every output --------------------------------------------------------------------------------------------


def _rows_of(url: str) -> dict[str, tuple[str, str, int]]:
    """claim id → (kind, document id, position)."""
    return {c: (kind, d, p) for (d, kind, p), c in _row_ids(url).items()}


def test_the_exports_carry_the_ids(store_url: str) -> None:
    _ingest(store_url)
    claims = _rows_of(store_url)
    flows = {c for c, (kind, _, _) in claims.items() if kind == "flow"}
    events = {c for c, (kind, _, _) in claims.items() if kind == "event"}
    exported = {fmt: kizashi("--db", store_url, "export", "--format", fmt)
                for fmt in ("jsonl", "csv", "graphml", "ftm")}
    assert all(run.returncode == 0 for run in exported.values()), {f: r.stderr for f, r in exported.items()}
    contracts = [json.loads(line) for line in exported["jsonl"].stdout.splitlines()]
    assert set(_contract_ids(contracts).values()) == set(claims)
    assert {r["claim_id"] for r in csv.DictReader(io.StringIO(exported["csv"].stdout))} == flows
    graph = nx.read_graphml(io.StringIO(exported["graphml"].stdout), force_multigraph=True)
    assert {i for _, _, ids in graph.edges(data="claim_ids") for i in ids.split()} == flows
    proxies = [ftm.get_proxy(json.loads(line)) for line in exported["ftm"].stdout.splitlines()]
    recorded = {i for p in proxies if p.schema.name in ("UnknownLink", "Event") for i in p.get("recordId")}
    assert recorded >= flows | events


def test_the_cli_shows_the_ids_and_finds_a_claim_by_its_id(store_url: str) -> None:
    _ingest(store_url)
    claims = _rows_of(store_url)
    with Store.open(store_url) as store:
        docs = {d.id: d for d in store.iter_documents()}
    for doc in {next(d.id for d in docs.values() if getattr(d, layer)) for layer in LAYERS.values()}:
        shown = kizashi("--db", store_url, "show", doc)
        assert shown.returncode == 0, shown.stderr
        assert all(c.claim_id in shown.stdout for layer in LAYERS.values() for c in getattr(docs[doc], layer))
    queried = kizashi("--db", store_url, "query", "--limit", "1000")
    assert queried.returncode == 0, queried.stderr
    assert {c for c, (kind, _, _) in claims.items() if kind == "flow"} <= set(queried.stdout.split())
    for kind in LAYERS:
        claim_id = next(c for c, (k, _, _) in sorted(claims.items()) if k == kind)
        _, doc_id, position = claims[claim_id]
        claim = getattr(docs[doc_id], LAYERS[kind])[position]
        as_json = kizashi("--db", store_url, "claim", "show", claim_id, "--format", "json")
        assert as_json.returncode == 0, as_json.stderr
        detail = json.loads(as_json.stdout)
        assert (detail["claim_id"], detail["kind"], detail["document"]["id"]) == (claim_id, kind, doc_id)
        assert detail["claim"]["evidence"]["text"] == claim.evidence.text == detail["context"]["evidence"]
        as_text = kizashi("--db", store_url, "claim", "show", claim_id)
        assert as_text.returncode == 0, as_text.stderr
        assert claim_id in as_text.stdout and doc_id in as_text.stdout and f"{kind} " in as_text.stdout
        assert (docs[doc_id].metadata.title or "") in as_text.stdout
    flow_id = next(c for c, (k, _, _) in sorted(claims.items()) if k == "flow")
    flow = json.loads(kizashi("--db", store_url, "claim", "show", flow_id, "--format", "json").stdout)
    assert {"certainty", "why", "supplier"} <= set(flow["claim"]) and flow["ledger_entry"]
    for bad, reason in (("c0123456789abcdef", "no claim with this id"), ("x; DROP", "not a claim id"),
                        (flow_id.upper(), "not a claim id")):
        run = kizashi("--db", store_url, "claim", "show", bad)
        assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr
        assert len(run.stderr.strip().splitlines()) == 1 and bad in run.stderr and reason in run.stderr


def test_the_api_and_the_pages_carry_the_ids(store_url: str) -> None:
    _ingest(store_url)
    claims = _rows_of(store_url)
    flows = {c for c, (kind, _, _) in claims.items() if kind == "flow"}
    with serving_store(store_url) as base, httpx.Client(base_url=base, timeout=60) as client:
        assert {f["claim_id"] for f in client.get("/api/flows", params={"limit": 500}).json()["items"]} == flows
        assert {e["claim_id"] for e in client.get("/api/events", params={"limit": 500}).json()["items"]} == {
            c for c, (kind, _, _) in claims.items() if kind == "event"}
        entries = client.get("/api/ledger", params={"limit": 200}).json()["items"]
        assert {s["claim_id"] for e in entries for s in e["evidence"]} | {
            s["claim_id"] for e in entries for s in e["recent"]} <= flows
        filtered = client.get("/api/ledger", params={"certainty": "uncertain"}).json()["items"]  # read from flows
        assert filtered and {s["claim_id"] for e in filtered for s in e["evidence"]} <= flows
        entry = client.get(f"/api/ledger/{entries[0]['id']}").json()
        assert entry["evidence"] and all(s["claim_id"] in flows for s in entry["evidence"])
        ids = _row_ids(store_url)
        for doc_id in {d for d, _, _ in ids}:
            body = client.get(f"/api/documents/{doc_id}").json()
            page = client.get(f"/documents/{doc_id}").text
            for kind, layer in LAYERS.items():
                assert [c["claim_id"] for c in body[layer]] == [ids[(doc_id, kind, i)] for i in range(len(body[layer]))]
                assert all(f'id="{c["claim_id"]}"' in page for c in body[layer])
        assert 'class="claim-id"' in client.get("/ledger").text
        for claim_id, (kind, doc_id, _) in sorted(claims.items())[:5]:
            detail = client.get(f"/api/claims/{claim_id}")
            assert detail.status_code == 200 and detail.json()["kind"] == kind
            cli = kizashi("--db", store_url, "claim", "show", claim_id, "--format", "json")
            assert detail.json() == json.loads(cli.stdout)  # the API gives what the CLI prints
            moved = client.get(f"/claims/{claim_id}", follow_redirects=False)
            assert moved.status_code == 303 and moved.headers["location"] == f"/documents/{doc_id}#{claim_id}"
        unknown = client.get("/api/claims/c0123456789abcdef")
        assert unknown.status_code == 404 and "c0123456789abcdef" in unknown.json()["error"]
        assert client.get("/api/claims/nonsense").status_code == 404
        assert client.get("/claims/c0123456789abcdef").status_code == 404
