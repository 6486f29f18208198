"""Temporal expressions: spans, ISO values and precision, with and without a published date."""
from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.exc import OntologyError
from kizashi.link.dates import find_dates, load_date_lexicon, resolve_relative_date

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _found(text: str, published: str | None) -> list[tuple]:
    out = []
    for d in find_dates(text, published):
        assert d.text == text[d.start:d.end]
        out.append((d.text, d.value, d.end_value, d.precision))
    return out


# (sentence we wrote, published, expected [(span text, value, end_value, precision), ...])
CASES = [
    # absolute forms
    ("両首脳は2023年9月13日に会談した。", None, [("2023年9月13日", "2023-09-13", None, "day")]),
    ("協定は2000年7月に署名された。", None, [("2000年7月", "2000-07", None, "month")]),
    ("制裁は2009年に強化された。", "2023-09-15", [("2009年", "2009", None, "year")]),
    ("令和5年に発表された計画だ。", None, [("令和5年", "2023", None, "year")]),
    ("令和元年5月1日に改元された。", None, [("令和元年5月1日", "2019-05-01", None, "day")]),
    ("平成30年の会談", None, [("平成30年", "2018", None, "year")]),
    ("記録は2023/9/13付だ。", None, [("2023/9/13", "2023-09-13", None, "day")]),
    ("更新日 2023-09-13 の資料", None, [("2023-09-13", "2023-09-13", None, "day")]),
    ("全角の２０２３年９月１３日に", None, [("２０２３年９月１３日", "2023-09-13", None, "day")]),
    ("漢数字の二〇二三年十月に", None, [("二〇二三年十月", "2023-10", None, "month")]),
    ("Asia Times\nSeptember 15, 2023\n本文", None, [("September 15, 2023", "2023-09-15", None, "day")]),
    ("Posted Sep. 15, 2023 by staff", None, [("Sep. 15, 2023", "2023-09-15", None, "day")]),
    ("In September 2023 they met.", None, [("September 2023", "2023-09", None, "month")]),
    ("会談は2023年9月13日（水）午後に始まった。", None,
     [("2023年9月13日（水）", "2023-09-13", None, "day")]),
    # month-day and month without a year
    ("9月12日夜、代表団が到着した。", None, [("9月12日夜", "--09-12", None, "day")]),
    ("9月12日夜、代表団が到着した。", "2023-09-15", [("9月12日夜", "2023-09-12", None, "day")]),
    ("九月十二日に列車で出発した。", None, [("九月十二日", "--09-12", None, "day")]),
    ("6月、首脳は書簡を送った。", None, [("6月", "--06", None, "month")]),
    ("6月、首脳は書簡を送った。", "2023-09-15", [("6月", "2023-06", None, "month")]),
    ("11月に再訪する見通しだ。", "2023-09-15", [("11月", "2023-11", None, "month")]),
    ("12月の演習を受けて", "2023-09-15", [("12月", "2022-12", None, "month")]),
    ("12月25日の声明", "2024-01-10", [("12月25日", "2023-12-25", None, "day")]),
    ("12日の会見で述べた。", "2023-09-15", [("12日", "2023-09-12", None, "day")]),
    ("12日の会見で述べた。", None, [("12日", None, None, "unknown")]),
    ("12日の会見で述べた。", "2023", [("12日", None, None, "unknown")]),
    # relative words
    ("今年6月、大統領が平壌を訪れた。", "2024-10-20", [("今年6月", "2024-06", None, "month")]),
    ("今年6月、大統領が平壌を訪れた。", None, [("今年6月", "--06", None, "month")]),
    ("昨年末に合意した。", "2023-09-15", [("昨年末", "2022-12", None, "month")]),
    ("先週、政府は声明を出した。", "2023-09-15", [("先週", "2023-09-04", "2023-09-10", "week")]),
    ("先週、政府は声明を出した。", None, [("先週", None, None, "unknown")]),
    ("今週の会談で", "2023-09-15", [("今週", "2023-09-11", "2023-09-17", "week")]),
    ("先月の発射", "2023-01-20", [("先月", "2022-12", None, "month")]),
    ("今月中に結論を出す。", "2023-09-15", [("今月中", "2023-09", None, "month")]),
    ("翌月5日に行われる選挙", "2024-10-20", [("翌月5日", "2024-11-05", None, "day")]),
    ("翌月5日に行われる選挙", None, [("翌月5日", None, None, "unknown")]),
    ("来年には再開される。", "2023", [("来年", "2024", None, "year")]),
    ("一昨年の実験", "2023-09-15", [("一昨年", "2021", None, "year")]),
    ("本日発表された。", "2023-09-15", [("本日", "2023-09-15", None, "day")]),
    ("本日発表された。", "2023-09", [("本日", None, None, "unknown")]),
    ("前日に到着した。", "2023-09-15", [("前日", "2023-09-14", None, "day")]),
    ("先週金曜日に発表した。", "2023-09-15", [("先週金曜日", "2023-09-08", None, "day")]),
    ("10年前の統治初期", "2023-09-15", [("10年前", "2013", None, "year")]),
    ("10年前の統治初期", None, [("10年前", None, None, "unknown")]),
    ("3カ月前に始まった。", "2023-09-15", [("3カ月前", "2023-06", None, "month")]),
    ("2019年に訪れ、同年9月にも会った。", None,
     [("2019年", "2019", None, "year"), ("同年9月", "2019-09", None, "month")]),
    ("同日夜に発射した。", None, [("同日夜", None, None, "unknown")]),
    # vague spans
    ("過去数カ月に2度発射した。", "2023-09-15", [("過去数カ月", None, None, "unknown")]),
    ("関係は最近深まった。", "2023-09-15", [("最近", None, None, "unknown")]),
    ("近年、輸出が減った。", None, [("近年", None, None, "unknown")]),
    ("当時にも協力があった。", None, [("当時", None, None, "unknown")]),
    ("過去3年間で倍増した。", "2023-09-15", [("過去3年間", "2020", "2023", "year")]),
    # halves, fiscal years, year-end, decades, centuries
    ("年内の打ち上げを目指す。", "2024-10", [("年内", "2024", None, "year")]),
    ("年内の打ち上げを目指す。", None, [("年内", None, None, "unknown")]),
    ("今年上半期の貿易額", "2023-09-15", [("今年上半期", "2023-01", "2023-06", "month")]),
    ("2023年度予算", None, [("2023年度", "2023-04", "2024-03", "month")]),
    ("今年度の計画", "2024-02-10", [("今年度", "2023-04", "2024-03", "month")]),
    ("9月上旬に開く。", "2023-08-20", [("9月上旬", "2023-09-01", "2023-09-10", "day")]),
    ("1990年代の飢饉", None, [("1990年代", "199", None, "decade")]),
    ("21世紀中の課題", None, [("21世紀", "20", None, "century")]),
    # ranges
    ("2006年から2017年にかけて実験を行った。", None,
     [("2006年から2017年にかけて", "2006", "2017", "year")]),
    ("2018年から2019年にかけて会談した。", "2023-09-15",
     [("2018年から2019年にかけて", "2018", "2019", "year")]),
    ("2018年と2019年に会談した。", None, [("2018年", "2018", None, "year"), ("2019年", "2019", None, "year")]),
    ("フォーラム(10月10日から9月13日まで)", None,
     [("10月10日から9月13日まで", "--10-10", "--09-13", "day")]),
    ("フォーラム(10月10日から9月13日まで)", "2023-09-15",
     [("10月10日から9月13日まで", "2023-10-10", "2023-09-13", "day")]),
    ("9月10〜12日に滞在した。", None, [("9月10〜12日", "--09-10", "--09-12", "day")]),
    ("9月10〜12日に滞在した。", "2023-09-15", [("9月10〜12日", "2023-09-10", "2023-09-12", "day")]),
    ("2018〜19年の対話", None, [("2018〜19年", "2018", "2019", "year")]),
    ("2022年12月から1月まで続いた。", None, [("2022年12月から1月まで", "2022-12", "2023-01", "month")]),
    ("9月12日から14日まで滞在", "2023-09-15", [("9月12日から14日まで", "2023-09-12", "2023-09-14", "day")]),
    # not dates
    ("第8回党大会で6回言及した。", None, []),
    ("国境を3年間閉鎖した。", None, []),
    ("年間1400万発を消費する。", None, []),
    ("数十年にわたる経験", None, []),
    ("5年ぶりの訪問", None, []),
    ("1日に1万発を撃つ。", None, []),
    ("一日も早く四日市で三日月を見る。", None, []),
    ("相当時間がかかる。", None, []),
    ("日本年金機構", None, []),
    ("同年代の指導者", None, []),
    ("2000年以上前の遺跡", None, []),
    ("12日朝鮮中央通信によると", "2023-09-15", [("12日", "2023-09-12", None, "day")]),
    ("2023年中国を訪れた。", None, [("2023年", "2023", None, "year")]),
    ("2023年初の首脳会談", None, [("2023年", "2023", None, "year")]),
    ("2009年前後に始まった。", None, [("2009年", "2009", None, "year")]),
    ("2021年第8回党大会で", None, [("2021年", "2021", None, "year")]),
    ("2月30日と13月", None, []),
]


@pytest.mark.parametrize(("text", "published", "expected"), CASES)
def test_find_dates(text: str, published: str | None, expected: list[tuple]) -> None:
    assert _found(text, published) == expected


@pytest.mark.parametrize(("text", "relative"), [
    ("2023年9月13日", False), ("令和5年", False), ("September 15, 2023", False), ("21世紀", False),
    ("9月12日", True), ("12日", True), ("今年6月", True), ("先週", True), ("最近", True),
    ("2006年から2017年にかけて", False), ("10月10日から9月13日まで", True),
])
def test_relative_flag_says_whether_the_text_gives_a_year(text: str, relative: bool) -> None:
    [found] = find_dates(text, "2023-09-15")
    assert found.relative is relative


def test_offset_shifts_spans_but_text_is_local() -> None:
    [d] = find_dates("会談は9月13日に", None, offset=100)
    assert (d.start, d.end, d.text) == (103, 108, "9月13日")


def test_value_none_always_has_unknown_precision() -> None:
    text = "12日、先週、翌月5日、最近、今年、過去数カ月、10年前、3日後"
    for d in find_dates(text, None):
        assert d.value is None and d.precision == "unknown"


@pytest.mark.parametrize(("expr", "reference", "value"), [
    ("先月", date(2023, 9, 15), "2023-08"),
    ("今年6月", "2024-10-20", "2024-06"),
    ("翌月5日", date(2024, 10, 20), "2024-11-05"),
    ("先月", None, None),
])
def test_resolve_relative_date(expr: str, reference, value: str | None) -> None:
    found = resolve_relative_date(expr, reference)
    assert found is not None and found.value == value


def test_resolve_relative_date_rejects_a_sentence() -> None:
    assert resolve_relative_date("先月に会談した", date(2023, 9, 15)) is None


def test_malformed_lexicon_raises(tmp_path: Path) -> None:
    bad = tmp_path / "dates.yaml"
    bad.write_text("eras: [1, 2]\n", encoding="utf-8")
    with pytest.raises(OntologyError):
        load_date_lexicon(bad)


# --- no year is ever invented --------------------------------------------------

FRAGMENTS = [
    "9月12日", "12日", "6月", "今年6月", "昨年末", "先週", "今週", "先月", "翌月5日", "来年", "年内",
    "今年上半期", "最近", "近年", "過去数カ月", "10年前", "同日", "本日", "9月10〜12日",
    "10月10日から9月13日まで", "第8回", "3年間", "1400万発", "年間", "十月", "三日", "今月中",
    "先週金曜日", "3カ月前", "今年度", "同年9月", "9月上旬", "当時",
]
ABSOLUTE = ["2023年9月13日", "2009年", "令和5年", "2006年から2017年にかけて", "Sep. 15, 2023", "2023/9/13"]
FILLER = ["、", "に", "の会談で", "。北朝鮮は", "には", "ロシアが", " "]
YEAR_IN_TEXT = re.compile(r"[0-9０-９]{4}|[〇一二三四五六七八九]{4}|令和|平成|昭和|大正|明治|世紀")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(FRAGMENTS + ABSOLUTE), st.sampled_from(FILLER)), max_size=8))
def test_no_year_is_invented_without_a_published_date(parts: list[tuple[str, str]]) -> None:
    text = "".join(a + b for a, b in parts)
    found = find_dates(text, None)
    for d in found:
        assert d.text == text[d.start:d.end]
        if d.value is not None and d.value[:1].isdigit():
            assert not d.relative or d.text.startswith("同"), d  # 同年 takes the year the text gave
            assert YEAR_IN_TEXT.search(text[:d.end]), d
        if d.value is None:
            assert d.precision == "unknown"
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6))
def test_relative_fragments_alone_never_get_a_year(parts: list[str]) -> None:
    for d in find_dates("。".join(parts), None):
        assert d.value is None or d.value.startswith("--"), d


# --- the real evaluation articles (read at run time, never copied) ------------

def _corpus() -> list[tuple[str, str | None]]:
    out = []
    for path in sorted((SHARED / "corpus").glob("*.txt")):
        gold = json.loads((SHARED / "eval" / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
        out.append((path.read_text(encoding="utf-8"), gold["metadata"]["published"]))
    return out


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="shared corpus not present")
def test_corpus_spans_and_no_invented_years() -> None:
    corpus = _corpus()
    assert corpus
    for text, published in corpus:
        for d in find_dates(text, published):
            assert d.text == text[d.start:d.end]
            if published is None and d.relative:
                assert d.value is None or d.value.startswith("--"), d


@pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason="shared corpus not present")
def test_corpus_reversed_range_and_dated_meeting_week() -> None:
    found = {text: find_dates(text, published) for text, published in _corpus()}
    ranges = [(d.value, d.end_value) for ds in found.values() for d in ds if d.end_value]
    assert ("--10-10", "--09-13") in ranges
    weeks = [d.value for ds in found.values() for d in ds if d.precision == "week"]
    assert weeks and all(w.startswith("2023-09") for w in weeks)
