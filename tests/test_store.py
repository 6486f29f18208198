"""The store on both backends, with documents built by hand from sentences we wrote."""
from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from kizashi.exc import StoreError
from kizashi.model import (
    Document,
    Entity,
    Event,
    Figure,
    Flow,
    Mention,
    Metadata,
    Paragraph,
    Quantity,
    Removed,
    Sentence,
    TimeExpr,
    Token,
)
from kizashi.store import Store, iso_day_range
from kizashi.store.migrations import alembic_config
from kizashi.store.schema import Base
from kizashi.store.search import FTS_TABLE, TRGM_INDEX

SUMMIT_TEXT = (
    "露朝首脳会談の行方\n"
    "北朝鮮がロシアに砲弾を供与したと米政府が発表した。"
    "ロシアは見返りとして北朝鮮に衛星技術を提供する可能性がある。"
    "両国の首脳は2023年9月13日に極東の宇宙基地で会談した。"
    "専門家によると、北朝鮮は年間300万発の砲弾を生産できるという。"
)
DRONE_TEXT = (
    "無人機をめぐる報道\n"
    "イランがロシアに無人機を輸出したと報じられた。"
    "中国はロシアに武器を供与していないと述べた。"
    "ロシア国防省はICBMの発射実験を2022年8月に行ったと発表した。"
)
# A longer text for near-duplicate detection, and a rewrite that changes a few characters.
LONG_TEXT = (
    "ロシアと北朝鮮の軍事協力が急速に深まっている。"
    "関係者によれば、北朝鮮の港から貨物船が定期的に出港し、ロシア極東の港に向かっているという。"
    "積み荷の多くはコンテナに収められており、衛星画像からは数百個のコンテナが確認された。"
    "米国と韓国の当局者は、これらの貨物に砲弾やロケット弾が含まれていると見ている。"
    "一方、ロシア側は北朝鮮への食料や燃料の供給を増やしているとされる。"
    "両国はこうした取引を否定しているが、国連の制裁決議に違反する可能性が指摘されている。"
)
LONG_REWRITE = LONG_TEXT.replace("急速に深まっている", "一段と深まった").replace("数百個", "数千個")
# What the extractor writes into Flow.why: the words that decided each claim.
SHELLS_WHY = "predicate 供与 (give); supplier 北朝鮮 (subject が); recipient ロシア (goal に); item 砲弾; certainty certain"
SATELLITE_WHY = "predicate 提供 (give); supplier ロシア (topic は); recipient 北朝鮮 (goal に); item 衛星技術; " \
                "certainty uncertain (可能性がある)"
DRONES_WHY = "predicate 輸出 (give); supplier イラン (subject が); recipient ロシア (goal に); item 無人機; certainty certain"
UNRELATED_TEXT = (
    "日本の気象庁は今年の梅雨入りが平年より遅れる見通しを示した。"
    "農家は田植えの時期を調整する必要に迫られている。"
)


def _raw(text: str, salt: str = "") -> str:
    return hashlib.sha256((salt + text).encode("utf-8")).hexdigest()


def _mentions(text: str, name: str, entity_id: str, type_: str) -> list[Mention]:
    found, start = [], text.find(name)
    while start >= 0:
        found.append(Mention(start, start + len(name), name, entity_id, type_))
        start = text.find(name, start + 1)
    return found


def _sentence_span(doc: Document, needle: str):
    start = doc.text.index(needle)
    end = doc.text.index("。", start) + 1
    return doc.span(start, end)


def make_document(text: str, *, source: str, published: str | None = None, outlet: str | None = None,
                  salt: str = "") -> Document:
    """A Document with every layer filled the way the pipeline would fill it."""
    title = text.split("\n", 1)[0]
    doc = Document(source=source, raw_sha256=_raw(text, salt), text=text, encoding="utf-8",
                   metadata=Metadata(title=title, author="記者 太郎", authors=["記者 太郎"], outlet=outlet,
                                     published=published, language="ja"),
                   paragraphs=[Paragraph(0, len(title), "title"), Paragraph(len(title) + 1, len(text))],
                   removed=[Removed("この記事をシェアする", "boilerplate:share", "footer")],
                   stages=["clean", "language", "link_entities", "link_dates", "extract"])
    doc.assign_id()
    doc.sentences = [Sentence(0, len(title), analysed=False), Sentence(len(title) + 1, len(text), analysed=True)]
    doc.tokens = [Token(0, 0, 1, text[0], text[0], "NOUN", "名詞-普通名詞-一般", "ROOT", 0, 0)]
    for name, entity_id, type_ in (("北朝鮮", "PRK", "country"), ("ロシア", "RUS", "country"),
                                   ("米政府", "USA", "country"), ("イラン", "IRN", "country"),
                                   ("中国", "CHN", "country"), ("気象庁", "org:jma", "organization")):
        mentions = _mentions(text, name, entity_id, type_)
        if mentions:
            doc.mentions += mentions
            doc.entities.append(Entity(entity_id, name, type_, aliases=[name],
                                       mentions=[[m.start, m.end] for m in mentions],
                                       known=not entity_id.startswith("org:")))
    date_at = text.find("2023年9月13日")
    if date_at >= 0:
        doc.dates.append(TimeExpr(date_at, date_at + 10, "2023年9月13日", "2023-09-13", "day"))
    return doc


def summit_document(**kwargs) -> Document:
    doc = make_document(SUMMIT_TEXT, source=kwargs.pop("source", "news/summit.txt"),
                        published="2023-09-15", outlet="東方新報", **kwargs)
    doc.flows = [
        Flow("PRK", "RUS", "artillery_ammunition", "certain", _sentence_span(doc, "北朝鮮がロシアに砲弾"),
             attributed_to="米政府", cue="供与", why=SHELLS_WHY),
        Flow("RUS", "PRK", "satellite_technology", "uncertain", _sentence_span(doc, "ロシアは見返り"),
             time="2023-09", cue="提供", why=SATELLITE_WHY),
    ]
    doc.events = [Event("meeting", "2023-09-13", ["PRK", "RUS"], "certain", _sentence_span(doc, "両国の首脳"))]
    doc.figures = [Figure("PRK", "artillery_ammunition", 3_000_000.0, "rounds", "year", "produced",
                          _sentence_span(doc, "専門家によると"))]
    return doc


def drone_document(**kwargs) -> Document:
    doc = make_document(DRONE_TEXT, source="news/drones.txt", published="2022-10", outlet="西方日報", **kwargs)
    doc.flows = [
        Flow("IRN", "RUS", "drones", "certain", _sentence_span(doc, "イランが"), time="2022-08",
             quantity=Quantity(400.0, "units", approximate=True, period="year"), cue="輸出", why=DRONES_WHY),
        # no why: the extractor may not say, and none must stay none
        Flow("CHN", "RUS", "weapons", "negated", _sentence_span(doc, "中国は"), attributed_to="中国", cue="供与"),
    ]
    doc.events = [Event("launch", "2022-08", ["RUS"], "certain", _sentence_span(doc, "ロシア国防省"))]
    return doc


@pytest.fixture
def filled(store: Store) -> Store:
    for doc in (summit_document(), drone_document()):
        assert store.save_document(doc).status == "new"
    return store


def _flow_keys(records) -> set[tuple[str, str, str]]:
    return {(r.supplier, r.recipient, r.item) for r in records}


def _state(store: Store) -> tuple:
    """Everything the public API can see, to compare before and after a failed save."""
    return (store.count_documents(), [d.id for d in store.list_documents()],
            _flow_keys(store.flows()), len(store.events()), len(store.entities()))


# -- saving -------------------------------------------------------------------------------------------------


def test_save_and_get_round_trip(store: Store) -> None:
    doc = summit_document()
    result = store.save_document(doc)
    assert (result.status, result.document_id, result.stored) == ("new", doc.id, True)
    assert store.get_document(doc.id) == doc
    assert store.get_document("0" * 16) is None
    assert store.has_raw(doc.raw_sha256)
    assert not store.has_raw(_raw("別のバイト列"))


def test_resaving_the_same_bytes_is_a_no_op(store: Store) -> None:
    doc = summit_document()
    store.save_document(doc)
    before = _state(store)
    result = store.save_document(doc)
    assert (result.status, result.document_id, result.stored) == ("unchanged", doc.id, False)
    assert _state(store) == before


def test_same_text_from_other_bytes_is_another_source(store: Store) -> None:
    first = summit_document()
    store.save_document(first)
    rescrape = summit_document(source="mirror/summit.html", salt="<html>")
    assert rescrape.id == first.id and rescrape.raw_sha256 != first.raw_sha256
    result = store.save_document(rescrape)
    assert (result.status, result.document_id) == ("duplicate", first.id)
    assert store.count_documents() == 1
    assert len(store.flows()) == 2
    assert store.has_raw(rescrape.raw_sha256)
    assert store.get_document(first.id).source == "news/summit.txt"
    assert store.save_document(rescrape).status == "unchanged"


def test_near_duplicate_is_stored_and_linked(store: Store) -> None:
    original = make_document(LONG_TEXT, source="a.txt", published="2024-01-10")
    rewrite = make_document(LONG_REWRITE, source="b.txt", published="2024-01-11")
    unrelated = make_document(UNRELATED_TEXT, source="c.txt")
    assert store.save_document(original).status == "new"
    result = store.save_document(rewrite)
    assert (result.status, result.near_duplicate_of) == ("near_duplicate", original.id)
    assert 0.8 <= result.similarity < 1.0
    assert store.save_document(unrelated).status == "new"
    links = {d.id: (d.near_duplicate_of, d.similarity) for d in store.list_documents()}
    assert links[rewrite.id] == (original.id, pytest.approx(result.similarity))
    assert links[unrelated.id] == (None, None)
    assert store.count_documents() == 3


def test_near_duplicates_found_after_reopening(store_url: str) -> None:
    with Store.open(store_url) as first:
        first.save_document(make_document(LONG_TEXT, source="a.txt"))
    with Store.open(store_url) as second:
        result = second.save_document(make_document(LONG_REWRITE, source="b.txt"))
    assert result.status == "near_duplicate"


def test_near_duplicates_saved_by_another_store_are_seen(store_url: str) -> None:
    """A second process writing to the same database: the in-memory index catches up."""
    with Store.open(store_url) as web, Store.open(store_url) as cli:
        web.save_document(make_document(UNRELATED_TEXT, source="c.txt"))  # builds web's index
        original = make_document(LONG_TEXT, source="a.txt")
        cli.save_document(original)
        result = web.save_document(make_document(LONG_REWRITE, source="b.txt"))
    assert (result.status, result.near_duplicate_of) == ("near_duplicate", original.id)


def test_failed_save_leaves_nothing_behind(filled: Store) -> None:
    before = _state(filled)
    broken = make_document(LONG_TEXT, source="broken.txt", published="2024-02-01")
    broken.flows = [Flow("PRK", "RUS", None, "certain", broken.span(0, 10))]  # item is NOT NULL
    with pytest.raises(StoreError, match="broken.txt"):
        filled.save_document(broken)
    assert _state(filled) == before
    assert not filled.has_raw(broken.raw_sha256)
    assert filled.get_document(broken.id) is None
    assert filled.search("貨物船") == []
    # The failed document did not reach the near-duplicate index either.
    result = filled.save_document(make_document(LONG_REWRITE, source="b.txt"))
    assert (result.status, result.near_duplicate_of) == ("new", None)


# -- reading ------------------------------------------------------------------------------------------------


def test_list_count_and_iterate(filled: Store) -> None:
    summit, drones = summit_document(), drone_document()
    undated = make_document(UNRELATED_TEXT, source="c.txt")
    filled.save_document(undated)
    assert filled.count_documents() == 3
    listed = filled.list_documents()
    assert [d.id for d in listed] == [summit.id, drones.id, undated.id]  # newest first, undated last
    assert (listed[0].title, listed[0].outlet, listed[0].published) == ("露朝首脳会談の行方", "東方新報", "2023-09-15")
    assert (listed[0].flows, listed[0].events, listed[0].entities) == (2, 1, 3)
    assert [d.id for d in filled.list_documents(limit=1, offset=1)] == [drones.id]
    assert sorted(filled.iter_documents(), key=lambda d: d.id) == sorted([summit, drones, undated],
                                                                         key=lambda d: d.id)


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, {("PRK", "RUS", "artillery_ammunition"), ("RUS", "PRK", "satellite_technology"),
          ("IRN", "RUS", "drones"), ("CHN", "RUS", "weapons")}),
    ({"recipient": "RUS"}, {("PRK", "RUS", "artillery_ammunition"), ("IRN", "RUS", "drones"),
                            ("CHN", "RUS", "weapons")}),
    ({"supplier": "PRK", "recipient": "RUS"}, {("PRK", "RUS", "artillery_ammunition")}),
    ({"item": "drones"}, {("IRN", "RUS", "drones")}),
    ({"certainty": "negated"}, {("CHN", "RUS", "weapons")}),
    ({"certainty": "uncertain", "supplier": "PRK"}, set()),
    # Own time when it has a year (2023-09, 2022-08), else the publication date (2023-09-15, 2022-10).
    ({"date_from": "2023"}, {("PRK", "RUS", "artillery_ammunition"), ("RUS", "PRK", "satellite_technology")}),
    ({"date_from": "2023-09-14"}, {("PRK", "RUS", "artillery_ammunition"), ("RUS", "PRK", "satellite_technology")}),
    ({"date_from": "2023-10-01"}, set()),
    ({"date_to": "2022-08"}, {("IRN", "RUS", "drones")}),
    ({"date_from": "2022-09", "date_to": "2022-12"}, {("CHN", "RUS", "weapons")}),
    ({"outlet": "西方日報"}, {("IRN", "RUS", "drones"), ("CHN", "RUS", "weapons")}),
    ({"source": "news/summit.txt", "item": "satellite_technology"}, {("RUS", "PRK", "satellite_technology")}),
    ({"supplier": "' OR 1=1 --"}, set()),
])
def test_flow_filters(filled: Store, filters: dict, expected: set) -> None:
    assert _flow_keys(filled.flows(**filters)) == expected


def test_flow_records_carry_document_and_evidence(filled: Store) -> None:
    (record,) = filled.flows(item="drones")
    doc = filled.get_document(record.document_id)
    assert (record.source, record.title, record.outlet, record.published) == (
        "news/drones.txt", "無人機をめぐる報道", "西方日報", "2022-10")
    assert doc.text[record.evidence_start:record.evidence_end] == record.evidence_text
    assert record.evidence_text == "イランがロシアに無人機を輸出したと報じられた。"
    assert (record.quantity_value, record.quantity_unit, record.quantity_approximate, record.quantity_period) == (
        400.0, "units", True, "year")
    assert doc.flows[record.position].item == "drones"
    assert [r.item for r in filled.flows(limit=2, offset=1)] == ["weapons", "satellite_technology"]


def test_flow_records_carry_why_as_the_document_does(filled: Store) -> None:
    records = filled.flows()
    assert {r.item: r.why for r in records} == {"artillery_ammunition": SHELLS_WHY,
                                                "satellite_technology": SATELLITE_WHY,
                                                "drones": DRONES_WHY, "weapons": None}
    for record in records:
        assert filled.get_document(record.document_id).flows[record.position].why == record.why


def test_flow_filter_rejects_a_malformed_date(filled: Store) -> None:
    with pytest.raises(ValueError, match="date_from"):
        filled.flows(date_from="昨年")


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, [("launch", "2022-08"), ("meeting", "2023-09-13")]),
    ({"type": "meeting"}, [("meeting", "2023-09-13")]),
    ({"date_from": "2023-01", "date_to": "2023-12"}, [("meeting", "2023-09-13")]),
    ({"date_to": "2022"}, [("launch", "2022-08")]),
    ({"type": "sanction"}, []),
])
def test_event_filters(filled: Store, filters: dict, expected: list) -> None:
    records = filled.events(**filters)
    assert [(r.type, r.date) for r in records] == expected
    for record in records:
        assert record.participants in (("PRK", "RUS"), ("RUS",))


def test_entities(filled: Store) -> None:
    countries = filled.entities(type="country")
    assert sorted({r.entity_id for r in countries}) == ["CHN", "IRN", "PRK", "RUS", "USA"]
    russia = {r.source: r.mentions for r in countries if r.entity_id == "RUS"}
    assert russia == {"news/summit.txt": SUMMIT_TEXT.count("ロシア"), "news/drones.txt": DRONE_TEXT.count("ロシア")}
    assert filled.entities(type="person") == []
    assert len(filled.entities(limit=3)) == 3


# -- search -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected_sources"), [
    ("砲弾", ["news/summit.txt"]),  # two characters: LIKE
    ("衛星技術", ["news/summit.txt"]),  # trigram index
    ("ロシア", ["news/drones.txt", "news/summit.txt"]),  # drones mentions it more often
    ("ロシアに", ["news/drones.txt", "news/summit.txt"]),
    ("北朝鮮 無人機", []),  # terms are ANDed
    ("無人機 中国", ["news/drones.txt"]),
    ("icbm", ["news/drones.txt"]),  # ASCII case folds
    ("気象庁", []),
])
def test_search_finds_japanese_substrings(filled: Store, query: str, expected_sources: list) -> None:
    hits = filled.search(query)
    assert [h.source for h in hits] == expected_sources
    for hit in hits:
        text = filled.get_document(hit.document_id).text
        assert text[hit.start:hit.end].lower() == query.split()[0].lower()
        assert text[hit.snippet_start:hit.snippet_start + len(hit.snippet)] == hit.snippet
        assert hit.start >= hit.snippet_start and hit.end <= hit.snippet_start + len(hit.snippet)


def test_search_ranks_and_pages(filled: Store) -> None:
    hits = filled.search("ロシア")
    assert [h.occurrences for h in hits] == [DRONE_TEXT.count("ロシア"), SUMMIT_TEXT.count("ロシア")]
    assert [h.source for h in filled.search("ロシア", limit=1, offset=1)] == ["news/summit.txt"]
    assert filled.search("   ") == []


@pytest.mark.parametrize("query", [
    "' OR 1=1 --", '"*', "*", "%", "_", "\\", "'); DROP TABLE documents; --", 'NEAR("北朝鮮" "ロシア")',
    "北朝鮮 OR ロシア", "ロシア*", '"ロシア"', "ロ%ア", "北_鮮",
])
def test_search_treats_syntax_as_text(filled: Store, query: str) -> None:
    assert filled.search(query) == []
    assert filled.count_documents() == 2


# -- opening and schema -------------------------------------------------------------------------------------


def _schema_differences(url: str) -> list:
    """What the migrated database and the models disagree on, beyond the text index and PostgreSQL's
    newest-first index (``DESC NULLS LAST``, which SQLite's plain index already gives) that the models leave out."""
    def ours(obj, name, type_, reflected, compare_to) -> bool:
        return not (name or "").startswith((FTS_TABLE, TRGM_INDEX, "alembic_version", "ix_documents_newest"))

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_object": ours, "compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_migrations_match_the_models(store: Store, store_url: str) -> None:
    assert _schema_differences(store_url) == []


def _downgrade(url: str, revision: str) -> list[str]:
    """Take the store at ``url`` back to ``revision`` in one transaction; the columns its flows then have."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), revision)
        return [column["name"] for column in inspect(engine).get_columns("flows")]
    finally:
        engine.dispose()


def test_a_store_from_before_why_upgrades_on_open(store_url: str) -> None:
    """Down to 0002 (no why column) and opened again: its flows stay, new ones keep their why,
    and the outlet trigger on flows survives both directions."""
    with Store.open(store_url) as store:
        store.save_document(summit_document())
    assert "why" not in _downgrade(store_url, "0002")
    with Store.open(store_url) as store:
        store.save_document(drone_document())
        assert _flow_keys(store.flows(outlet="東方新報")) == {("PRK", "RUS", "artillery_ammunition"),
                                                            ("RUS", "PRK", "satellite_technology")}
        [drones] = store.flows(outlet="西方日報", item="drones")
        assert drones.why == DRONES_WHY
        assert store.get_document(summit_document().id).flows[0].why == SHELLS_WHY  # the payload kept it
    assert _schema_differences(store_url) == []


def test_sqlite_file_is_created_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "kizashi.db"
    with Store.open(str(path)) as store:  # a plain path is accepted too
        store.save_document(summit_document())
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        connection.close()


def test_in_memory_sqlite_store_works() -> None:
    with Store.open("sqlite://") as store:
        store.save_document(drone_document())
        assert [h.source for h in store.search("無人機")] == ["news/drones.txt"]


def test_unreachable_database_is_a_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open store"):
        Store.open("postgresql://kizashi@127.0.0.1:1/nowhere")


@pytest.mark.parametrize(("value", "expected"), [
    ("2023", ("2023-01-01", "2023-12-31")),
    ("2024-02", ("2024-02-01", "2024-02-29")),
    ("2023-09-13", ("2023-09-13", "2023-09-13")),
    ("2023-09-13T10:00:00", ("2023-09-13", "2023-09-13")),
    ("--09-12", (None, None)),
    ("2023-13", (None, None)),
    ("2023-02-30", (None, None)),
    (None, (None, None)),
])
def test_iso_day_range(value: str | None, expected: tuple) -> None:
    assert iso_day_range(value) == expected


def test_payload_is_a_copy_not_the_callers_document(store: Store) -> None:
    doc = replace(summit_document(), id="")
    result = store.save_document(doc)
    assert doc.id == "" and result.document_id == summit_document().id
    assert store.get_document(result.document_id).id == result.document_id
