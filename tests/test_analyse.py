"""Analysis across articles, on short Japanese sentences written for these tests."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kizashi.analyse import (
    build_ledger,
    build_timeline,
    find_contradictions,
    lineage_groups,
    write_report,
)
from kizashi.analyse.ledger import entry_id
from kizashi.analyse.timeline import date_bounds, precision_of
from kizashi.model import Document, Entity, Event, Figure, Flow, Metadata, Quantity

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
COUNTRIES = [Entity("PRK", "North Korea", "country", ["北朝鮮"]), Entity("RUS", "Russia", "country", ["ロシア"])]

# Two unrelated reports, long enough for shingle similarity to mean something.
SHELLS = ("北朝鮮はロシアに砲弾を送ったと韓国軍が明らかにした。輸送は鉄道と船で行われ、"
          "羅津港には多数のコンテナが並んでいる様子が衛星写真で確認された。")
SHELLS_REWRITE = ("【速報】北朝鮮はロシアに砲弾を送ったと韓国軍が明らかにした。輸送は鉄道と船で行われ、"
                  "羅津港には多数のコンテナが並んでいる様子が衛星写真で確認されたという。")
DENIAL = "北朝鮮外務省の報道官は、ロシアに砲弾を提供していないと否定し、米国の主張を非難した。"
FOOD = "ロシアは北朝鮮に小麦を送った。兵器を受け取った見返りとみられ、貨物列車が国境を越えた。"


def article(doc_id: str, text: str, *, published: str | None = None, outlet: str | None = None,
            author: str | None = None, title: str | None = None, language: str = "ja",
            flows: tuple = (), events: tuple = (), figures: tuple = (),
            near_duplicate_of: str | None = None) -> Document:
    """A Document whose spans are found by phrase: (…, phrase) → doc.span of that phrase."""
    doc = Document(source=f"{doc_id}.txt", raw_sha256="0" * 64, text=text, id=doc_id,
                   metadata=Metadata(title=title, author=author, outlet=outlet, published=published,
                                     language=language),
                   entities=list(COUNTRIES), near_duplicate_of=near_duplicate_of)

    def span(phrase: str):
        start = text.index(phrase)
        return doc.span(start, start + len(phrase))

    for supplier, recipient, item, certainty, phrase, *rest in flows:
        time, attributed = (rest + [None, None])[:2]
        doc.flows.append(Flow(supplier, recipient, item, certainty, span(phrase), attributed_to=attributed,
                              time=time))
    for type_, date, participants, phrase in events:
        doc.events.append(Event(type_, date, list(participants), "certain", span(phrase)))
    for actor, item, value, phrase in figures:
        doc.figures.append(Figure(actor, item, value, "rounds", "year", "supplied", span(phrase)))
    return doc


def shells(doc_id: str, certainty: str = "certain", *, time: str | None = None, **kw) -> Document:
    return article(doc_id, SHELLS, flows=(("PRK", "RUS", "artillery_ammunition", certainty,
                                           "北朝鮮はロシアに砲弾を送った", time),), **kw)


# --- ledger -----------------------------------------------------------------------------------

def test_same_flow_in_two_articles_is_one_entry_with_both_evidences():
    a = shells("a", published="2024-10-01", outlet="東亜ウォッチ")
    b = article("b", DENIAL, published="2024-11-02", outlet="北東アジア通信",
                flows=(("PRK", "RUS", "artillery_ammunition", "uncertain", "ロシアに砲弾を提供", "2024-11"),))
    [entry] = build_ledger([a, b])
    assert (entry.supplier, entry.recipient, entry.item) == ("PRK", "RUS", "artillery_ammunition")
    assert [(ev.doc_id, ev.outlet, ev.certainty) for ev in entry.evidence] == [  # newest first
        ("b", "北東アジア通信", "uncertain"), ("a", "東亜ウォッチ", "certain")]
    assert all(SHELLS[ev.start:ev.end] == ev.text for ev in entry.evidence if ev.doc_id == "a")
    assert (entry.statements, entry.article_count, entry.independent_sources) == (2, 2, 2)
    assert entry.statements_by_certainty == {"certain": 1, "uncertain": 1}
    assert entry.sources_by_certainty == {"certain": 1, "uncertain": 1}
    assert (entry.first, entry.last) == ("2024-10-01", "2024-11")
    assert (entry.date_min, entry.date_max) == ("2024-10-01", "2024-11-30")
    assert entry.certainty == "certain"
    assert (entry.latest_certainty, entry.latest_doc_id) == ("uncertain", "b")
    assert {(v.who, v.certainty) for v in entry.voices} == {("東亜ウォッチ", "certain"), ("北東アジア通信", "uncertain")}
    assert not entry.contested


@pytest.mark.parametrize("times, first, last", [
    (("2024", "2024-06"), "2024", "2024"),
    (("2023-09", "2024-06"), "2023-09", "2024-06"),
    ((None, "2024-06"), "2024-06", "2025-01-01"),  # undated: the article's date
    (("2024-05", "2024-06", "2024"), "2024", "2024"),
    (("2024-05-01/2024-06-30", "2024-06-15"), "2024-05-01/2024-06-30", "2024-05-01/2024-06-30"),
])
def test_one_entry_per_key_whatever_the_times(times, first, last):
    docs = [shells(f"d{i}", time=t, published="2025-01-01") for i, t in enumerate(times)]
    [entry] = build_ledger(docs)
    assert entry.statements == len(entry.evidence) == len(times)
    assert (entry.first, entry.last) == (first, last)


def test_opposite_directions_and_items_stay_apart():
    doc = article("x", FOOD, flows=(("RUS", "PRK", "food", "certain", "ロシアは北朝鮮に小麦を送った"),
                                    ("PRK", "RUS", "weapons", "certain", "兵器を受け取った")))
    keys = {(e.supplier, e.recipient, e.item) for e in build_ledger([doc])}
    assert keys == {("RUS", "PRK", "food"), ("PRK", "RUS", "weapons")}


@pytest.mark.parametrize("certainties, strongest", [
    (("uncertain",), "uncertain"),
    (("uncertain", "negated"), "negated"),
    (("negated", "certain", "uncertain"), "certain"),
])
def test_strongest_certainty_is_the_most_committed(certainties, strongest):
    docs = [shells(f"s{i}", c, published=f"2024-0{i + 1}-01", outlet=f"outlet{i}")
            for i, c in enumerate(certainties)]
    [entry] = build_ledger(docs, groups={d.id: d.id for d in docs})
    assert entry.certainty == strongest
    assert entry.latest_certainty == certainties[-1]  # the most recently published article
    assert entry.contested == ({"certain", "negated"} <= set(certainties))


def test_entry_id_is_stable_and_depends_on_the_key():
    docs = [shells("a", time="2024-06"), shells("b", time="2023-01")]
    first = build_ledger(docs)[0].id
    assert build_ledger(list(reversed(docs)))[0].id == first
    assert build_ledger(list(reversed(docs)))[0].row() == build_ledger(docs)[0].row()  # order-free
    assert first == entry_id("PRK", "RUS", "artillery_ammunition")
    assert first != entry_id("RUS", "PRK", "artillery_ammunition")


def test_one_speaker_stating_and_denying_in_one_article_is_not_contested():
    doc = article("x", SHELLS + DENIAL, flows=(
        ("PRK", "RUS", "artillery_ammunition", "certain", "北朝鮮はロシアに砲弾を送った"),
        ("PRK", "RUS", "artillery_ammunition", "negated", "ロシアに砲弾を提供していない")))
    [entry] = build_ledger([doc])
    assert not entry.contested and entry.statements_by_certainty == {"certain": 1, "negated": 1}
    assert find_contradictions([doc]) == []


# --- lineage ----------------------------------------------------------------------------------

def test_rewritten_copy_counts_once():
    original = shells("orig", published="2024-11-08", outlet="東亜ウォッチ")
    copy = article("copy", SHELLS_REWRITE, published="2024-11-09", outlet="まとめ速報",
                   flows=(("PRK", "RUS", "artillery_ammunition", "certain", "北朝鮮はロシアに砲弾を送った"),))
    other = article("deny", DENIAL, published="2024-11-12", outlet="北東アジア通信",
                    flows=(("PRK", "RUS", "artillery_ammunition", "negated", "ロシアに砲弾を提供していない"),))
    groups = lineage_groups([copy, original, other])
    assert groups == {"orig": "orig", "copy": "orig", "deny": "deny"}
    [entry] = build_ledger([copy, original, other])
    assert (entry.article_count, entry.independent_sources) == (3, 2)


def _pair(a_kw: dict, b_kw: dict, a_text: str = SHELLS, b_text: str = DENIAL) -> dict[str, str]:
    return lineage_groups([article("a", a_text, **a_kw), article("b", b_text, **b_kw)])


QUOTE_A = "報道官は「ロシアとの協力は正常な国家間の交流である」と述べた。"
QUOTE_B = "北朝鮮側は年間300万発を送ったとされる。報道官は「ロシアとの協力は正常な国家間の交流である」と語った。"
EN = "North Korea has shipped millions of artillery shells to Russia, officials in Seoul said on Monday."
JA_TRANSLATION = "北朝鮮は数百万発の砲弾をロシアに送ったと韓国当局者が述べた。（英語の原文を翻訳）"


@pytest.mark.parametrize("a_kw, b_kw, a_text, b_text, same", [
    ({}, {}, SHELLS, DENIAL, False),
    ({}, {"near_duplicate_of": "a"}, SHELLS, DENIAL, True),
    ({"author": "山本 彩花", "title": "砲弾輸送"}, {"author": "山本彩花", "title": "砲弾輸送"}, SHELLS, DENIAL, True),
    ({"author": "山本 彩花", "title": "砲弾輸送"}, {"author": "李 ソヨン", "title": "砲弾輸送"}, SHELLS, DENIAL, False),
    ({"figures": (("PRK", "artillery_ammunition", 3e6, "報道官"),)},
     {"figures": (("PRK", "artillery_ammunition", 3e6, "年間300万発"),)}, QUOTE_A, QUOTE_B, True),
    ({"figures": (("PRK", "artillery_ammunition", 1e6, "報道官"),)},
     {"figures": (("PRK", "artillery_ammunition", 3e6, "年間300万発"),)}, QUOTE_A, QUOTE_B, False),
    ({"language": "en", "author": "John Smith", "outlet": "Asia Watch"},
     {"author": "John Smith", "outlet": "アジア・ウォッチ日本版"}, EN, JA_TRANSLATION, True),
    ({"language": "en", "outlet": "Asia Watch"}, {"outlet": "Asia Watch"}, EN, JA_TRANSLATION, True),
    ({"language": "en", "author": "John Smith"}, {"author": "John Smith"}, EN, JA_TRANSLATION.split("（")[0], False),
    ({"language": "en", "author": "John Smith"}, {"author": "Jane Doe"}, EN, JA_TRANSLATION, False),
    # 翻訳 in the middle of a story is not a translation credit
    ({"language": "en", "author": "John Smith"}, {"author": "John Smith"}, EN,
     FOOD * 8 + "兵士は翻訳アプリを使っている。" + FOOD * 8, False),
])
def test_lineage_signals(a_kw, b_kw, a_text, b_text, same):
    groups = _pair(a_kw, b_kw, a_text, b_text)
    assert (groups["a"] == groups["b"]) is same


def test_group_id_is_the_earliest_published_member():
    late = shells("late", published="2024-12-01")
    early = article("early", SHELLS_REWRITE, published="2024-11-01")
    assert lineage_groups([late, early]) == {"late": "early", "early": "early"}


def _sample_text(name: str) -> str:
    path = SAMPLES / name
    raw = path.read_bytes()
    if path.suffix == ".json":
        return json.loads(raw)["text"]
    if path.suffix == ".html":
        return re.sub(r"<[^>]+>", "", re.sub(r"<script.*?</script>", "", raw.decode("utf-8"), flags=re.S))
    return raw.decode("shift_jis" if "sjis" in name else "utf-8")


def test_sample_rewrite_shares_the_original_lineage_and_no_other():
    names = sorted(p.name for p in SAMPLES.iterdir() if p.suffix in {".txt", ".html", ".json"})
    docs = [Document(source=n, raw_sha256="", text=_sample_text(n), id=n) for n in names]
    groups = lineage_groups(docs)
    assert groups["05_shells_rewrite.txt"] == groups["01_shells_containers.txt"]
    assert len(set(groups.values())) == len(names) - 1


# --- contradictions ---------------------------------------------------------------------------

def test_stated_and_denied_flow_is_a_certainty_contradiction():
    a = shells("a", published="2024-11-08", outlet="東亜ウォッチ")
    b = article("b", DENIAL, published="2024-11-12", outlet="コリア・ウィークリー",
                flows=(("PRK", "RUS", "artillery_ammunition", "negated", "ロシアに砲弾を提供していない"),))
    c = article("c", FOOD, flows=(("PRK", "RUS", "artillery_ammunition", "uncertain", "兵器を受け取った"),))
    [found] = find_contradictions([a, b, c])
    assert (found.kind, found.subject, found.claims) == ("certainty", "PRK/RUS/artillery_ammunition", 2)
    assert found.sides == {"asserted": ["東亜ウォッチ"], "denied": ["コリア・ウィークリー"]}
    stated, denied = found.examples
    assert (stated.doc_id, stated.source, stated.value) == ("a", "a.txt", "certain")
    assert (denied.doc_id, denied.source, denied.value) == ("b", "b.txt", "negated")
    assert stated.text == "北朝鮮はロシアに砲弾を送った"
    assert denied.text == DENIAL[denied.start:denied.end]


@pytest.mark.parametrize("values, expected", [
    ({v: ("a",) for v in range(100, 180)}, False),  # 80 values, one article: never a dispute
    ({**{v: ("a",) for v in range(100, 180)}, 140: ("a", "b")}, True),  # a middle value from a second article
    ({**{v: ("a",) for v in range(100, 180)}, 100: ("b",)}, True),  # an end from another article
    ({1000: ("a", "b"), 1001: ("c",), 999: ("d",)}, False),  # rounding only
])
def test_a_figure_dispute_is_any_far_pair_from_two_articles(values: dict, expected: bool) -> None:
    """The one-pass test equals the pairwise definition, however many values a key has (so that
    saving more figures never ends a dispute)."""
    from kizashi.analyse.contradictions import Tally, _far, _figures_disputed
    counts = {float(v): Tally(len(docs), len(set(docs)), min(docs)) for v, docs in values.items()}
    pairwise = any(_far(a, b) and len(set(values[a]) | set(values[b])) > 1 for a in values for b in values if a < b)
    assert _figures_disputed(counts) == pairwise == expected


FIG_A = "韓国軍は北朝鮮が年間100万発を送ったとみている。"
FIG_B = "米政府は北朝鮮が年間300万発を送ったと発表した。"


@pytest.mark.parametrize("value_a, value_b, same_doc, expected", [
    (1e6, 3e6, False, 1),
    (1e6, 1e6, False, 0),
    (1e6, 1.002e6, False, 0),  # the same number, rounded differently
    (1e6, 3e6, True, 0),  # one article giving two figures is not a dispute
])
def test_figure_contradictions(value_a, value_b, same_doc, expected):
    a = article("a", FIG_A, figures=(("PRK", "artillery_ammunition", value_a, "年間100万発"),))
    b = article("a" if same_doc else "b", FIG_B, figures=(("PRK", "artillery_ammunition", value_b, "年間300万発"),))
    found = [c for c in find_contradictions([a, b]) if c.kind == "figure"]
    assert len(found) == expected
    if found:
        assert found[0].sides == {"values": ["1000000", "3000000"]}
        assert [c.text for c in found[0].examples] == ["年間100万発", "年間300万発"]


SUMMIT = "プーチン大統領と金正恩総書記が平壌で会談した。"


@pytest.mark.parametrize("date_a, date_b, participants_b, expected", [
    ("2024-06-19", "2024-06-20", ("PRK", "RUS"), 1),
    ("2024-06-19", "2024-06-20", ("RUS", "PRK"), 1),  # participant order does not matter
    ("2024-06-19", "2024-06-20", ("RUS", "CHN"), 0),
    ("2024-06", "2024-06-19", ("PRK", "RUS"), 0),  # agree at the shared (month) precision
    ("2024-06", "2024-07-02", ("PRK", "RUS"), 1),
    ("2024", "2024-06-19", ("PRK", "RUS"), 0),
    ("2023-09-13", "2024-06-19", ("PRK", "RUS"), 0),  # months apart: two summits, not one disputed
])
def test_event_date_contradictions(date_a, date_b, participants_b, expected):
    a = article("a", SUMMIT, events=(("meeting", date_a, ("PRK", "RUS"), "会談した"),))
    b = article("b", SUMMIT, events=(("meeting", date_b, participants_b, "会談した"),))
    found = [c for c in find_contradictions([a, b]) if c.kind == "event_date"]
    assert len(found) == expected
    if found:
        assert {c.doc_id for c in found[0].examples} == {"a", "b"}
        assert found[0].examples[0].text == "会談した"


# --- timeline ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value, precision, first, last", [
    ("2024", "year", "2024-01-01", "2024-12-31"),
    ("2024-02", "month", "2024-02-01", "2024-02-29"),
    ("2024-06-19", "day", "2024-06-19", "2024-06-19"),
    ("2024-05/2024-06", "month", "2024-05-01", "2024-06-30"),
    ("--09-12", None, None, None),
    ("2024-13", None, None, None),
    (None, None, None, None),
])
def test_dates_keep_their_precision(value, precision, first, last):
    assert precision_of(value) == precision
    bounds = date_bounds(value)
    assert (bounds and tuple(d.isoformat() for d in bounds)) == ((first, last) if first else None)


def test_timeline_is_in_date_order_with_precision_and_evidence():
    a = article("a", SUMMIT + FOOD, published="2024-07-01",
                events=(("meeting", "2024-06-19", ("RUS", "PRK"), "会談した"),
                        ("agreement", "2023", ("PRK", "RUS"), "平壌"),
                        ("launch", None, ("PRK",), "金正恩")),
                flows=(("RUS", "PRK", "food", "certain", "ロシアは北朝鮮に小麦を送った", "2024-06"),))
    b = article("b", SUMMIT, events=(("meeting", "2024-06-19", ("PRK", "RUS"), "プーチン大統領"),
                                     ("meeting", "2023-09-13", ("PRK", "RUS"), "平壌で会談")))
    timeline = build_timeline([a, b])
    assert [(t.date, t.precision, t.kind, t.type) for t in timeline] == [
        ("2023", "year", "event", "agreement"),
        ("2023-09-13", "day", "event", "meeting"),
        ("2024-06", "month", "flow", "food"),
        ("2024-06-19", "day", "event", "meeting"),
    ]
    summit = timeline[-1]
    assert [c.doc_id for c in summit.citations] == ["a", "b"]
    assert [c.evidence.text for c in summit.citations] == ["会談した", "プーチン大統領"]
    assert timeline[2].participants == ["RUS", "PRK"]


# --- report -----------------------------------------------------------------------------------

def test_report_files_are_self_contained_and_escaped(tmp_path):
    hostile = "<script>alert('x')</script>"
    docs = [
        shells("a", published="2024-11-08", outlet="東亜ウォッチ", title=hostile),
        article("b", DENIAL, published="2024-11-12", outlet="<b>Weekly</b>",
                flows=(("PRK", "RUS", "artillery_ammunition", "negated", "ロシアに砲弾を提供していない"),)),
        article("c", FOOD, published="2024-12-03", outlet="北東アジア通信",
                flows=(("RUS", "PRK", "food", "certain", "ロシアは北朝鮮に小麦を送った", "2024-11"),
                       ("RUS", "CHN", "energy", "uncertain", "貨物列車が国境を越えた"))),
    ]
    md_path, html_path = write_report(docs, tmp_path / "out", title=f"露朝 {hostile}")
    assert md_path.exists() and html_path.exists()
    md, html = md_path.read_text(encoding="utf-8"), html_path.read_text(encoding="utf-8")

    # The ledger both ways, RUS→PRK first, then PRK→RUS, then the rest.
    order = [md.index(h) for h in ("### Russia (RUS) → North Korea (PRK)",
                                   "### North Korea (PRK) → Russia (RUS)", "### Other flows")]
    assert order == sorted(order)
    assert "「北朝鮮はロシアに砲弾を送った」" in md and "東亜ウォッチ, 2024-11-08" in md
    assert "## Timeline" in md and "## Contradictions" in md and "**certainty**" in md

    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", html, re.I)
    assert "<script>alert('x')" not in html and "&lt;script&gt;alert(" in html
    assert "<b>Weekly</b>" not in html and "&lt;b&gt;Weekly&lt;/b&gt;" in html
    assert "ロシアは北朝鮮に小麦を送った" in html
    assert html.count('class="plotly-graph-div"') == 2
    assert '"type":"sankey"}]' in html and "food (certain)" in html  # the Sankey trace and a band
    assert len(html) > 1_000_000  # plotly.js itself is inlined
