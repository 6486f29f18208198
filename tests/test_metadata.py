"""Metadata read by the clean stage: dates, names, bylines, credits, tails, language — on articles we write."""
from __future__ import annotations

import pytest

from kizashi.clean.boilerplate import load_rules
from kizashi.clean.metadata import copyright_holder, detect_language, parse_date_line, person_name, read_dateline
from kizashi.clean.stage import clean_text
from kizashi.config import Options

OPTIONS = Options()
RULES = load_rules(OPTIONS.data_dir)

BODY = [
    "港湾局は先月、新しい貨物ターミナルの運用を始めたと発表した。",
    "関係者によると、初年度の取扱量は前年の二倍に達する見通しだという。",
    "一方で、周辺の道路整備が遅れているとの指摘も出ている。",
]


def article(*head: str, tail: tuple[str, ...] = ()) -> str:
    return "\n\n".join([*head, *BODY, *tail])


@pytest.mark.parametrize("line, expected", [
    ("September 15, 2023", "2023-09-15"),
    ("Sep. 5, 2023", "2023-09-05"),
    ("15 September 2023", "2023-09-15"),
    ("Friday, September 15, 2023", "2023-09-15"),
    ("Published: March 3, 2024 10:30 AM", "2024-03-03"),
    ("March 2024", "2024-03"),
    ("2024年10月21日", "2024-10-21"),
    ("2024年10月21日(月) 15時30分", "2024-10-21"),
    ("公開日：2024年3月1日 10:00", "2024-03-01"),
    ("2024年3月", "2024-03"),
    ("2024/03/01 09:15", "2024-03-01"),
    ("2024-03-01", "2024-03-01"),
    ("令和5年9月15日", "2023-09-15"),
    ("令和元年5月1日", "2019-05-01"),
    ("9月15日", None),  # no year: never invented
    ("September 15", None),
    ("2023年2月30日", None),  # not a date
    ("2023年9月15日に会談が開かれた。", None),  # a sentence, not a date line
])
def test_parse_date_line(line: str, expected: str | None) -> None:
    assert parse_date_line(line) == expected


@pytest.mark.parametrize("line, expected", [
    ("Justin Example", "Justin Example"),
    ("By Mary-Ann O'Neil", "Mary-Ann O'Neil"),
    ("Jan de Vries", "Jan de Vries"),
    ("マリア・サンプル", "マリア・サンプル"),
    ("山田太郎記者", "山田太郎"),
    ("文・佐藤花子", "佐藤花子"),
    ("北朝鮮情勢の行方", None),
    ("Asia", None),
    ("This is a sentence.", None),
])
def test_person_name(line: str, expected: str | None) -> None:
    name = person_name(line, RULES)
    assert (name.text if name else None) == expected


def test_a_bare_kanji_line_is_a_weak_name() -> None:
    name = person_name("山田太郎", RULES)
    assert name is not None and not name.strong


@pytest.mark.parametrize("text, expected", [
    ("北朝鮮とロシアの関係について、専門家はさまざまな見方を示している。", "ja"),
    ("Pyongyang and Moscow signed a new agreement on Tuesday, officials said.", "en"),
    ("朝俄两国签署了新的协议，官员表示。", None),  # Chinese: kanji without kana
    ("1234 5678 !!", None),
    ("Justin Example\nAsia Example\n" + "新しい港の運用が始まった。" * 5, "ja"),
])
def test_detect_language(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text, expected", [
    (article("新港が本格稼働へ", "Justin Example", "Harbour Times", "September 15, 2023"),
     ("新港が本格稼働へ", "Justin Example", "Harbour Times", "2023-09-15")),
    (article("新港が本格稼働へ", "Justin Example / Harbour Times / September 15, 2023"),
     ("新港が本格稼働へ", "Justin Example", "Harbour Times", "2023-09-15")),
    (article("新港が本格稼働へ", "By Justin Example | Harbour Daily"),
     ("新港が本格稼働へ", "Justin Example", "Harbour Daily", None)),
    (article("新港が本格稼働へ", "山田太郎記者", "2024年3月1日 10:00"),
     ("新港が本格稼働へ", "山田太郎", None, "2024-03-01")),
    (article("新港が本格稼働へ", "山田太郎", "みなと新聞", "2024年3月1日"),
     ("新港が本格稼働へ", "山田太郎", "みなと新聞", "2024-03-01")),
    (article("新港が本格稼働へ", "マリア・サンプル"),
     ("新港が本格稼働へ", "マリア・サンプル", None, None)),
    # a byline without a date leaves published empty
    (article("新港が本格稼働へ", "Justin Example", "Harbour Times"),
     ("新港が本格稼働へ", "Justin Example", "Harbour Times", None)),
    # no headline line: the first line is prose
    (article(), (None, None, None, None)),
])
def test_head_of_the_article(text: str, expected: tuple) -> None:
    _, _, _, md = clean_text(text, OPTIONS)
    assert (md.title, md.author, md.outlet, md.published) == expected


def test_subtitle_between_title_and_byline() -> None:
    text = article("新港が本格稼働へ", "物流の拠点として期待、課題は道路整備", "Justin Example", "September 15, 2023")
    clean, paragraphs, _, md = clean_text(text, OPTIONS)
    assert md.subtitle == "物流の拠点として期待、課題は道路整備"
    assert [p.kind for p in paragraphs[:5]] == ["title", "subtitle", "byline", "byline", "body"]


def test_a_short_line_without_byline_after_is_not_a_subtitle() -> None:
    _, paragraphs, _, md = clean_text(article("新港が本格稼働へ", "物流の拠点として期待"), OPTIONS)
    assert md.subtitle is None
    assert paragraphs[1].kind == "heading"


@pytest.mark.parametrize("tail, author, outlet", [
    (("【執筆:山田太郎】",), "山田太郎", None),
    (("(文・佐藤花子(ジャーナリスト))",), "佐藤花子", None),
    (("マリア・サンプル:みなと大学国際関係学部講師",), "マリア・サンプル", None),
    (("example-harbour.com",), None, "example-harbour.com"),
    (("(c) Harbour Times",), None, "Harbour Times"),
    (("©2024 Harbour Daily. All rights reserved.",), None, "Harbour Daily"),
    (("「みなと新聞」",), None, "みなと新聞"),
    (("Taro Example", "「コーヒーの第一人者。ゲームオタク。音楽愛好家。」"), "Taro Example", None),
])
def test_tail_credits_and_sites(tail: tuple[str, ...], author: str | None, outlet: str | None) -> None:
    clean, _, removed, md = clean_text(article("新港が本格稼働へ", tail=tail), OPTIONS)
    assert (md.author, md.outlet, md.published) == (author, outlet, None)
    for line in tail:
        assert line not in clean
    assert removed


def test_byline_wins_and_bio_adds_the_other_form() -> None:
    text = article("新港が本格稼働へ", "Maria Sample", "Harbour Times", "September 15, 2023",
                   tail=("マリア・サンプル:みなと大学講師",))
    _, _, _, md = clean_text(text, OPTIONS)
    assert md.author == "Maria Sample"
    assert md.authors == ["Maria Sample", "マリア・サンプル"]


@pytest.mark.parametrize("paragraph, expected", [
    ("【ソウル=山田太郎】2024年10月21日、港湾局は新しい計画を発表した。", ("2024-10-21", "山田太郎", None)),
    ("【ワシントン=みなと通信】2024年3月1日、当局者が明らかにした。", ("2024-03-01", None, "みなと通信")),
    ("【ソウル=山田太郎】10月21日、港湾局は新しい計画を発表した。", (None, "山田太郎", None)),
    ("港湾局は2024年10月21日、新しい計画を発表した。", (None, None, None)),
])
def test_read_dateline(paragraph: str, expected: tuple) -> None:
    assert read_dateline(paragraph, RULES, {}) == expected


def test_dateline_in_the_first_paragraph_gives_the_date() -> None:
    text = "新港が本格稼働へ\n\n【ソウル=山田太郎】2024年10月21日、港湾局は新しい計画を発表した。\n\n" + BODY[1]
    _, _, _, md = clean_text(text, OPTIONS)
    assert (md.published, md.author) == ("2024-10-21", "山田太郎")


@pytest.mark.parametrize("line, expected", [
    ("(c) Harbour Times", "Harbour Times"),
    ("Copyright © 2024 Harbour Daily. All rights reserved.", "Harbour Daily"),
    ("©2019-2024 みなと新聞社", "みなと新聞社"),
    ("無断転載禁止", None),
])
def test_copyright_holder(line: str, expected: str | None) -> None:
    assert copyright_holder(line, RULES, {}) == expected


def test_repeated_page_heading_is_the_title_when_there_is_no_headline() -> None:
    heading = "新港が本格稼働へ、物流の拠点に期待(2)"
    text = "\n".join([*BODY, heading, *BODY, heading])
    clean, _, removed, md = clean_text(text, OPTIONS)
    assert md.title == "新港が本格稼働へ、物流の拠点に期待"
    assert heading not in clean
    assert [r.reason for r in removed].count("boilerplate:page_heading") == 2


def test_a_counter_in_a_single_mid_text_line_is_not_a_page_heading() -> None:
    text = "\n".join([BODY[0], "今年の取扱量の推移(2)", *BODY[1:]])
    clean, _, _, md = clean_text(text, OPTIONS)
    assert md.title is None
    assert "今年の取扱量の推移(2)" in clean


def test_prefilled_metadata_is_kept() -> None:
    from kizashi.clean.stage import clean
    from kizashi.model import Document, Metadata

    doc = Document(source="x.html", raw_sha256="0", text=article("新港が本格稼働へ", "Justin Example", "Harbour Times"),
                   metadata=Metadata(title="Page title", published="2024-01-02"))
    doc = clean(doc, OPTIONS)
    assert (doc.metadata.title, doc.metadata.published, doc.metadata.author) == \
        ("Page title", "2024-01-02", "Justin Example")
