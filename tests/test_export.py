"""Every export is read back with its format's own reader."""
from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from followthemoney import model

from kizashi.claim_ids import assign_claim_ids, is_claim_id
from kizashi.exc import ExportError
from kizashi.export import WRITERS, document_to_contract, export_documents
from kizashi.model import (
    Anomaly,
    Document,
    Entity,
    Event,
    Figure,
    Flow,
    Metadata,
    Quantity,
    Removed,
    TimeExpr,
)

SHELLS = "北朝鮮はロシアに砲弾を送ったと韓国国防省が発表した。量は年間300万発に上るという。"
DENIAL = "北朝鮮外務省は、ロシアに砲弾を提供していないと否定した。両首脳は6月19日に会談した。"
SHELLS_WHY = ("predicate 送っ (give); supplier 北朝鮮 (topic は); recipient ロシア (goal に); item 砲弾; "
              "certainty certain (発表した)")


def _doc(doc_id: str, text: str, meta: Metadata) -> Document:
    doc = Document(source=f"samples/{doc_id}.txt", raw_sha256="0" * 64, text=text, id=doc_id, metadata=meta)
    doc.entities = [
        Entity("PRK", "North Korea", "country", ["北朝鮮"], [[text.index("北朝鮮"), text.index("北朝鮮") + 3]]),
        Entity("RUS", "Russia", "country", ["ロシア"], [[text.index("ロシア"), text.index("ロシア") + 3]]),
    ]
    return doc


def _span(doc: Document, phrase: str):
    start = doc.text.index(phrase)
    return doc.span(start, start + len(phrase))


@pytest.fixture
def docs() -> list[Document]:
    a = _doc("a", SHELLS, Metadata(title="北朝鮮、砲弾を供給", author="山本 彩花", outlet="東亜ウォッチ",
                                   published="2024-11-08", language="ja", url="https://example.org/a"))
    a.entities.append(Entity("MND_KOR", "韓国国防省", "organization", ["国防省"], [[17, 22]], country="KOR"))
    a.flows.append(Flow("PRK", "RUS", "artillery_ammunition", "certain", _span(a, "北朝鮮はロシアに砲弾を送った"),
                        attributed_to="韓国国防省", time="2024-10",
                        quantity=Quantity(3_000_000, "rounds", approximate=True, period="year"), why=SHELLS_WHY))
    a.figures.append(Figure("PRK", "artillery_ammunition", 3_000_000.0, "rounds", "year", "supplied",
                            _span(a, "年間300万発")))
    a.dates.append(TimeExpr(0, 3, "北朝鮮", None, "unknown"))
    a.removed.append(Removed("この記事をシェアする", "boilerplate:share"))
    a.anomalies.append(Anomaly("date_range_reversed", "量", 29, 30))
    b = _doc("b", DENIAL, Metadata(title="<script>x</script>否定", outlet="北東アジア通信", published="2024-11-12"))
    b.flows.append(Flow("PRK", "RUS", "artillery_ammunition", "negated", _span(b, "ロシアに砲弾を提供していない")))
    b.flows.append(Flow("PRK", "UKR", "drones", "uncertain", _span(b, "否定")))  # UKR has no Entity
    b.events.append(Event("meeting", "2024-06-19", ["PRK", "RUS"], "certain", _span(b, "6月19日に会談した")))
    return [assign_claim_ids(a), assign_claim_ids(b)]


def _export(docs: list[Document], fmt: str) -> str:
    out = io.StringIO()
    export_documents(docs, fmt, out)
    return out.getvalue()


def test_jsonl_is_the_extraction_contract(docs):
    lines = _export(docs, "jsonl").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first == document_to_contract(docs[0])
    assert {"source", "id", "metadata", "text", "entities", "flows", "events", "figures", "anomalies",
            "dates", "removed"} <= set(first)
    assert set(first["metadata"]) == {"title", "subtitle", "author", "outlet", "published", "language", "url"}
    assert first["entities"][0] == {"id": "PRK", "name": "North Korea", "type": "country",
                                    "aliases": ["北朝鮮"], "mentions": [[0, 3]]}
    [flow] = first["flows"]
    assert {k: flow[k] for k in ("supplier", "recipient", "item", "certainty", "attributed_to", "time")} == {
        "supplier": "PRK", "recipient": "RUS", "item": "artillery_ammunition", "certainty": "certain",
        "attributed_to": "韓国国防省", "time": "2024-10"}
    assert flow["quantity"]["value"] == 3000000 and isinstance(flow["quantity"]["value"], int)
    assert flow["why"] == SHELLS_WHY
    for record in [flow, *first["figures"]]:
        ev = record["evidence"]
        assert first["text"][ev["start"]:ev["end"]] == ev["text"]
    assert first["figures"][0]["value"] == 3000000
    assert first["removed"] == [{"text": "この記事をシェアする", "reason": "boilerplate:share", "detail": ""}]
    assert first["dates"][0]["precision"] == "unknown"
    second = json.loads(lines[1])
    assert [f["why"] for f in second["flows"]] == [None, None]  # the extractor gave none: null, not ""
    assert second["events"][0] == {"claim_id": docs[1].events[0].claim_id, "type": "meeting", "date": "2024-06-19",
                                   "participants": ["PRK", "RUS"], "certainty": "certain", "attributed_to": None,
                                   "evidence": {"start": 32, "end": 42, "text": "6月19日に会談した"}}
    ids = [c["claim_id"] for d in (first, second) for layer in ("flows", "events", "figures") for c in d[layer]]
    assert all(map(is_claim_id, ids)) and len(set(ids)) == len(ids) == 5


def test_csv_has_one_row_per_flow_with_its_document(docs):
    rows = list(csv.DictReader(io.StringIO(_export(docs, "csv"))))
    assert [(r["doc_id"], r["supplier"], r["recipient"], r["item"], r["certainty"]) for r in rows] == [
        ("a", "PRK", "RUS", "artillery_ammunition", "certain"),
        ("b", "PRK", "RUS", "artillery_ammunition", "negated"),
        ("b", "PRK", "UKR", "drones", "uncertain"),
    ]
    assert rows[0]["outlet"] == "東亜ウォッチ" and rows[0]["published"] == "2024-11-08"
    assert rows[0]["supplier_name"] == "North Korea" and rows[2]["recipient_name"] == ""
    assert rows[0]["quantity"] == "3000000" and rows[0]["period"] == "year"
    assert [r["why"] for r in rows] == [SHELLS_WHY, "", ""]
    assert [r["claim_id"] for r in rows] == [f.claim_id for d in docs for f in d.flows]
    for row, doc in zip(rows, [docs[0], docs[1], docs[1]]):
        assert doc.text[int(row["evidence_start"]):int(row["evidence_end"])] == row["evidence_text"]


def test_graphml_edges_are_ledger_entries(docs):
    graph = nx.read_graphml(io.StringIO(_export(docs, "graphml")), force_multigraph=True)
    assert graph.is_directed()
    assert graph.nodes["PRK"] == {"name": "North Korea", "type": "country"}
    assert graph.nodes["MND_KOR"]["type"] == "organization"
    assert "UKR" in graph.nodes  # named by a flow only
    [(key, shells)] = graph["PRK"]["RUS"].items()
    assert shells["item"] == "artillery_ammunition"
    assert shells["certainty"] == "certain" and shells["contested"] is True
    assert (shells["evidence_count"], shells["independent_sources"]) == (2, 2)
    assert len(key) == 16
    assert shells["claim_ids"] == " ".join(sorted([docs[0].flows[0].claim_id, docs[1].flows[0].claim_id]))
    assert graph["PRK"]["UKR"][next(iter(graph["PRK"]["UKR"]))]["certainty"] == "uncertain"


def test_ftm_entities_validate_and_link_back_to_their_article(docs):
    lines = _export(docs, "ftm").splitlines()
    proxies = []
    for line in lines:
        data = json.loads(line)
        proxy = model.get_proxy(data)
        assert proxy.schema.validate(data) is None, data
        proxies.append(proxy)
    by_schema: dict[str, list] = {}
    for proxy in proxies:
        by_schema.setdefault(proxy.schema.name, []).append(proxy)
    assert len(by_schema["Article"]) == 2
    assert len(by_schema["UnknownLink"]) == 3
    assert len(by_schema["Event"]) == 1
    assert len({p.id for p in proxies}) == len(proxies)  # PRK and RUS once, though both articles name them
    states = {p.first("name"): p for p in by_schema["PublicBody"]}
    assert set(states) == {"North Korea", "Russia"}
    assert states["North Korea"].get("country") == ["kp"]
    assert by_schema["Organization"][0].first("name") == "韓国国防省"
    article_a = next(p for p in by_schema["Article"] if p.first("publisher") == "東亜ウォッチ")
    assert article_a.get("sourceUrl") == ["https://example.org/a"]
    link = next(p for p in by_schema["UnknownLink"] if p.first("status") == "certain")
    assert link.get("subject") == [states["North Korea"].id] and link.get("object") == [states["Russia"].id]
    assert link.get("description") == ["北朝鮮はロシアに砲弾を送った"]
    assert link.get("proof") == [article_a.id] and link.get("role") == ["artillery_ammunition"]
    assert link.get("date") == ["2024-10"]
    assert link.get("recordId") == ["a:0-14", docs[0].flows[0].claim_id]
    assert link.get("summary") == ["certain; according to 韓国国防省; 3000000 rounds per year", SHELLS_WHY]
    assert all(len(p.get("summary")) == 1 for p in by_schema["UnknownLink"] if p is not link)  # no why, no value
    event = by_schema["Event"][0]
    assert set(event.get("involved")) == {states["North Korea"].id, states["Russia"].id}
    assert event.get("date") == ["2024-06-19"]
    assert event.get("recordId") == [docs[1].events[0].claim_id]


@pytest.mark.parametrize("fmt, read_back", [
    ("jsonl", lambda text: text.splitlines()),
    ("ftm", lambda text: text.splitlines()),
    ("csv", lambda text: list(csv.DictReader(io.StringIO(text)))),
    ("graphml", lambda text: list(nx.read_graphml(io.StringIO(text)).nodes)),
])
def test_no_documents_read_back_as_nothing(fmt, read_back):
    assert read_back(_export([], fmt)) == []


def test_every_writer_is_tested():
    assert set(WRITERS) == {"jsonl", "ftm", "csv", "graphml"}


def test_unknown_format_is_refused(docs):
    with pytest.raises(ExportError, match="xml"):
        _export(docs, "xml")
