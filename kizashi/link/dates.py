"""Temporal expressions in Japanese news text, resolved to ISO 8601 prefixes.

The document's ``published`` date is the only reference: today's date is never
used and no year is ever invented. The rules, in the order a reader needs them:

- Absolute dates (2023年9月13日, 令和5年, 2023/9/13, September 15, 2023) need no reference.
- A month or month-day without a year (9月12日) takes the published year, unless
  that puts it more than two months after publication: news reports the recent
  past, so it then takes the year before. Without a published date it stays in
  ISO 8601's truncated form, ``--09-12`` or ``--09``.
- A bare day (12日) takes the published month; without one its value is None.
- Relative words (今年, 先月, 翌月, 先週, 前日, 10年前) count from the published date,
  as Japanese editions of Korean dailies use 前日/翌月; 同年/同月/同日 count from
  the last date the text gave. 今年6月 without a reference is ``--06``.
- Weeks are Monday–Sunday ranges with precision "week"; 年度 is April–March.
- Ranges (AからBまで/にかけて, A〜B, 9月10〜12日) give value and end_value; the end
  takes a missing year or month from the start. When the start's year is
  written, an end that would precede it runs into the next year (2022年12月から1月);
  otherwise a reversed range is kept as written (the anomaly check flags it).
- Vague spans (最近, 近年, 過去数カ月, 当時) and N日後 are emitted with value None.
- 21世紀 is "20" (ISO 8601 century, precision "century"); 1990年代 is "199" ("decade").
- Durations (3年間, 5年ぶり), ordinals (第8回) and counts (1400万発) are not dates.

A value of None always has precision "unknown". ``relative`` is True when the
text itself gives no absolute year, so the value depends on the reference.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..exc import OntologyError
from ..model import TimeExpr

LEXICON_PATH = Path(__file__).resolve().parents[1] / "data" / "dates.yaml"

_DIG = "0-9０-９"
_KDIG = "〇一二三四五六七八九"
_CJK = "\u3400-\u9fff々"
_NUM_MD = rf"(?:[{_DIG}]{{1,2}}|[{_KDIG}十]{{1,3}})"
_NUM_Y4 = rf"(?:[{_DIG}]{{4}}|[{_KDIG}]{{4}}|[一二]?千[{_KDIG}十百]*)"
_NUM_ERA = rf"(?:元|[{_DIG}]{{1,2}}|[{_KDIG}十]{{1,3}})"
_NUM_COUNT = rf"(?:数十|十数|数|[{_DIG}]{{1,4}}|[{_KDIG}十百]{{1,4}})"
_NUM_SPAN = rf"(?:[{_DIG}]{{1,4}}|[{_KDIG}十千]{{1,4}})"
_NO_NUM_BEFORE = rf"(?<![{_DIG}{_KDIG}十百千.．,，第約数毎各])"
_NO_KANJI_BEFORE = rf"(?<![{_CJK}])"
_DASH = "[〜～~\\-－―−‐–]"
_COUNT_UNITS = {"年": "year", "週間": "week", "日": "day"}  # any other unit is a カ月 spelling
_COUNT_UNIT = r"(?:年|(?:カ|ヵ|ヶ|か|ケ|箇)月|週間|日)"
_WEEKDAYS = "月火水木金土日"
_GROUP = {"year": "yr", "month": "mo", "day": "dy"}  # the main pattern's group for each unit
_KANJI_VALUE = {c: i for i, c in enumerate(_KDIG)}
_KANJI_UNIT = {"十": 10, "百": 100, "千": 1000}
_CONNECTOR = re.compile(rf"\s*(?:から|{_DASH})\s*")
_CLOSER = re.compile(r"まで(?:の間)?|にかけて|の間")
_RATE_NUMBER = re.compile(rf"[にで][{_DIG}{_KDIG}十数約]")
_KANJI = re.compile(rf"[{_CJK}]")
_PUBLISHED = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


# --- lexicon ----------------------------------------------------------------

@dataclass(frozen=True)
class _Word:
    unit: str  # year, month, week, day
    offset: int
    anchor: str = "reference"  # or "previous"
    months: tuple[int, int] | None = None
    weekend: bool = False


@dataclass(frozen=True)
class _Affix:
    months: tuple[int, int] | None = None
    days: tuple[int, int] | None = None
    fiscal: bool = False
    decade: bool = False


@dataclass(frozen=True)
class _Lexicon:
    eras: dict[str, int]
    words: dict[str, _Word]
    standalone: dict[str, _Word]
    vague: frozenset[str]
    affixes: dict[str, dict[str, _Affix]]  # "year" / "month" / "day" -> affix -> meaning
    duration: tuple[str, ...]
    rate: tuple[str, ...]
    english: dict[str, int]
    patterns: dict[str, re.Pattern[str]]


def _alt(items: dict[str, str]) -> str:
    """Alternation of literal items (longest first), each followed by its own guard."""
    return "|".join(re.escape(w) + items[w] for w in sorted(items, key=len, reverse=True))


def _guard(not_followed_by: list[str] | None, no_kanji_after: bool = False) -> str:
    parts = [re.escape(w) for w in not_followed_by or []]
    if no_kanji_after:
        parts.append(f"[{_CJK}]")
    return f"(?!{'|'.join(parts)})" if parts else ""


def _word(entry: dict[str, Any]) -> _Word:
    months = entry.get("months")
    return _Word(entry["unit"], int(entry["offset"]), entry.get("anchor", "reference"),
                 tuple(months) if months else None, bool(entry.get("weekend")))


def _affix(entry: dict[str, Any] | None) -> _Affix:
    entry = entry or {}
    months, days = entry.get("months"), entry.get("days")
    return _Affix(tuple(months) if months else None, tuple(days) if days else None,
                  bool(entry.get("fiscal")), bool(entry.get("decade")))


@lru_cache(maxsize=4)
def load_date_lexicon(path: Path = LEXICON_PATH) -> _Lexicon:
    """Read dates.yaml and build the matching patterns once."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        eras = {e["name"]: int(str(e["start"])[:4]) for e in raw["eras"]}
        words, guards = {}, {}
        for entry in raw["relative"]:
            for w in entry["words"]:
                words[w] = _word(entry)
                guards[w] = _guard(entry.get("not_followed_by"))
        standalone = {w: _word(e) for e in raw["standalone"] for w in e["words"]}
        vague = raw["vague"]
        affix_guards = {
            kind: {k: _guard((v or {}).get("not_followed_by"), bool((v or {}).get("no_kanji_after")))
                   for k, v in raw[f"{kind}_suffixes"].items()}
            for kind in ("year", "month", "day")}
        affixes = {kind: {k: _affix(v) for k, v in raw[f"{kind}_suffixes"].items()}
                   for kind in ("year", "month", "day")}
        english_months = {k: int(v) for k, v in raw["english_months"].items()}
        duration, rate = tuple(raw["duration_markers"]), tuple(raw["day_rate_markers"])
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise OntologyError(f"{path}: malformed date lexicon ({exc})") from exc

    def unit_words(unit: str) -> str:
        return _alt({w: guards[w] for w, v in words.items() if v.unit == unit})

    suffixes = _alt({k: g for kind in affix_guards.values() for k, g in kind.items()})
    lone = {w: "" for w in standalone} | {w: _guard(vague.get("not_followed_by", {}).get(w))
                                           for w in vague["words"]}
    year_words, english = unit_words("year"), _alt({k: "" for k in english_months})
    patterns = {
        "main": rf"""{_NO_NUM_BEFORE}
            (?:(?P<yr>(?P<era>{_alt({e: "" for e in eras})})(?P<era_n>{_NUM_ERA})年
                     |(?P<y>{_NUM_Y4})年
                     |{_NO_KANJI_BEFORE}(?P<rely>{year_words})))?
            (?:(?(yr)の?)(?P<mo>(?P<m>{_NUM_MD})月|{_NO_KANJI_BEFORE}(?P<relm>{unit_words("month")})))?
            (?P<dy>(?P<d>{_NUM_MD})日|{_NO_KANJI_BEFORE}(?P<reld>{unit_words("day")}))?
            (?P<suf>{suffixes})?
            (?P<wd>[（(][{_WEEKDAYS}][）)])?""",
        "span": rf"""{_NO_NUM_BEFORE}
            (?:(?P<y>{_NUM_Y4})年|{_NO_KANJI_BEFORE}(?P<rely>{year_words}))?
            (?:(?P<m>{_NUM_MD})月)?
            (?P<a>{_NUM_SPAN}){_DASH}(?P<b>{_NUM_SPAN})(?P<u>[年月日])""",
        "week": rf"""{_NO_KANJI_BEFORE}(?P<w>{unit_words("week")})
            (?:の?(?P<wd>[{_WEEKDAYS}])曜日?|(?P<wsuf>末))?""",
        "word": rf"{_NO_NUM_BEFORE}{_NO_KANJI_BEFORE}(?P<word>{_alt(lone)})",
        "count": rf"""{_NO_NUM_BEFORE}
            (?:(?P<past>過去|ここ|この)(?P<pn>{_NUM_COUNT})(?P<pu>{_COUNT_UNIT})間?
              |(?P<n>{_NUM_COUNT})(?P<u>{_COUNT_UNIT})(?P<dir>前(?!後)|後))""",
        "century": rf"(?<![前第{_DIG}{_KDIG}十])(?P<c>[{_DIG}]{{1,2}}|[{_KDIG}十]{{1,3}})世紀(?!間)",
        "numeric": rf"""(?<![{_DIG}/／.．\-－])(?P<y>[12１２][{_DIG}]{{3}})(?P<sep>[/／\-－.．])
            (?P<m>[{_DIG}]{{1,2}})(?P=sep)(?P<d>[{_DIG}]{{1,2}})(?![{_DIG}/／])""",
        "english": rf"""(?<![A-Za-z])
            (?:(?P<mon>{english})\.?\s+(?P<d>[0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>[0-9]{{4}})
              |(?P<d2>[0-9]{{1,2}})\s+(?P<mon2>{english})\.?,?\s+(?P<y2>[0-9]{{4}})
              |(?P<mon3>{english})\.?,?\s+(?P<y3>[0-9]{{4}}))(?![0-9])""",
    }
    return _Lexicon(eras, words, standalone, frozenset(vague["words"]), affixes, duration, rate,
                    english_months, {k: re.compile(v, re.VERBOSE) for k, v in patterns.items()})


# --- what a match means -------------------------------------------------------

@dataclass(frozen=True)
class _Point:
    """A partial calendar point; any part may be unknown."""

    year: int | None = None
    month: int | None = None
    day: int | None = None


@dataclass(frozen=True)
class _Ref(_Point):
    """The document's published date: always has a year."""

    year: int


@dataclass
class _Cal:
    """A calendar expression before resolution: absolute parts, relative parts, narrowing."""

    year: int | None = None
    year_rel: tuple[int, str] | None = None  # (offset, anchor)
    month: int | None = None
    month_rel: tuple[int, str] | None = None
    day: int | None = None
    day_rel: tuple[int, str] | None = None
    months: tuple[int, int] | None = None  # narrows a year: 上半期, 年末
    days: tuple[int, int] | None = None  # narrows a month: 上旬 (31 = the last day)
    fiscal: bool = False
    decade: bool = False

    @property
    def has_year(self) -> bool:
        return self.year is not None or any((self.year_rel, self.month_rel, self.day_rel))


@dataclass(frozen=True)
class _Week:
    offset: int
    weekday: int | None = None
    weekend: bool = False


@dataclass(frozen=True)
class _Count:
    mode: str  # "past" (過去N年), "ago" (N年前), "after" (N年後)
    n: int | None  # None for 数 (several)
    unit: str


@dataclass
class _Cand:
    start: int
    end: int
    kind: str  # cal, range, week, count, vague, century
    spec: Any = None
    until: _Cal | None = None  # the end of a range
    relative: bool = True


@dataclass(frozen=True)
class _Result:
    value: str | None
    end_value: str | None = None
    precision: str = "unknown"
    first: _Point | None = None
    last: _Point | None = None


def _num(s: str) -> int:
    """ASCII, full-width or kanji numerals (十二, 二〇二三, 二千二十三) as an int."""
    if s == "元":
        return 1
    if s[0] not in _KANJI_VALUE and s[0] not in _KANJI_UNIT:
        return int(s)
    total = digits = 0
    for ch in s:
        if ch in _KANJI_UNIT:
            total += (digits or 1) * _KANJI_UNIT[ch]
            digits = 0
        else:
            digits = digits * 10 + _KANJI_VALUE[ch]
    return total + digits


def _is_kanji_number(s: str | None) -> bool:
    return s is not None and s[:1] != "" and (s[0] in _KANJI_VALUE or s[0] in _KANJI_UNIT)


def _last_day(year: int | None, month: int) -> int:
    return calendar.monthrange(year if year is not None else 2000, month)[1]  # 2000: Feb 29 allowed


def _valid_md(year: int | None, month: int | None, day: int | None) -> bool:
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None and not (1 <= day <= (_last_day(year, month) if month else 31)):
        return False
    return True


def _main(m: re.Match[str], text: str, lex: _Lexicon) -> _Cand | None:
    if not (m.group("yr") or m.group("mo") or m.group("dy")):
        return None
    c = _Cal()
    if m.group("era"):
        c.year = lex.eras[m.group("era")] + _num(m.group("era_n")) - 1
    elif m.group("y"):
        c.year = _num(m.group("y"))
        if not 1000 <= c.year <= 2999:
            return None
    elif m.group("rely"):
        w = lex.words[m.group("rely")]
        c.year_rel = (w.offset, w.anchor)
    if m.group("m"):
        c.month = _num(m.group("m"))
    elif m.group("relm"):
        if m.group("yr"):
            return None
        w = lex.words[m.group("relm")]
        c.month_rel = (w.offset, w.anchor)
    if m.group("d"):
        c.day = _num(m.group("d"))
    elif m.group("reld"):
        if m.group("yr") or m.group("mo"):
            return None
        w = lex.words[m.group("reld")]
        c.day_rel = (w.offset, w.anchor)
    if not _valid_md(c.year, c.month, c.day):
        return None

    last = "day" if m.group("dy") else "month" if m.group("mo") else "year"
    end = bare_end = m.end(_GROUP[last])
    affix = lex.affixes[last].get(m.group("suf") or "")
    if affix is not None and affix.decade and not (c.year and c.year % 10 == 0 and c.month is None):
        affix = None
    if affix is not None and m.start("suf") == end:
        c.months, c.days, c.fiscal, c.decade = affix.months, affix.days, affix.fiscal, affix.decade
        end = m.end("suf")
    if m.group("wd") and m.group("dy") and m.start("wd") == end:
        end = m.end("wd")

    first = next((g for g in ("y", "m", "d") if m.group(g)), None)
    numeric_last = m.group({"year": "y", "month": "m", "day": "d"}[last]) or m.group("era_n")
    after = text[end:]
    if first and _is_kanji_number(m.group(first)) and not m.group("yr"):
        if m.start() > 0 and _KANJI.match(text[m.start() - 1]):
            return None
        if end == bare_end and _KANJI.match(after[:1]):
            return None  # 四日市, 三日月, 五月雨
    if numeric_last and end == bare_end and after.startswith(lex.duration):
        return None
    if last == "day" and m.group("d") and not m.group("mo") and not m.group("yr"):
        if after.startswith(lex.rate) or _RATE_NUMBER.match(after):
            return None
    return _Cand(m.start(), end, "cal", c, relative=c.year is None)


def _span(m: re.Match[str], text: str, lex: _Lexicon) -> _Cand | None:
    """Compact ranges sharing one unit: 2018〜19年, 2023年9〜10月, 9月10〜12日."""
    unit, a, b = m.group("u"), _num(m.group("a")), _num(m.group("b"))
    start = _Cal()
    if m.group("y"):
        start.year = _num(m.group("y"))
    elif m.group("rely"):
        w = lex.words[m.group("rely")]
        start.year_rel = (w.offset, w.anchor)
    until = _Cal()
    if unit == "年":
        if start.has_year or m.group("m"):
            return None
        if b < 100 <= a:
            b += a // 100 * 100
        if not (1000 <= a <= 2999 and 1000 <= b <= 2999):
            return None
        start.year, until.year = a, b
    elif unit == "月":
        if m.group("m"):
            return None
        start.month, until.month = a, b
    else:
        start.month = until.month = _num(m.group("m")) if m.group("m") else None
        start.day, until.day = a, b
    if not (_valid_md(start.year, start.month, start.day) and _valid_md(start.year, until.month, until.day)):
        return None
    if text[m.end():].startswith(lex.duration):
        return None
    return _Cand(m.start(), m.end(), "range", start, until, relative=start.year is None)


def _week(m: re.Match[str], lex: _Lexicon) -> _Cand:
    w = lex.words[m.group("w")]
    weekday = _WEEKDAYS.index(m.group("wd")) if m.group("wd") else None
    return _Cand(m.start(), m.end(), "week", _Week(w.offset, weekday, bool(m.group("wsuf"))))


def _word_cand(m: re.Match[str], lex: _Lexicon) -> _Cand:
    word = m.group("word")
    if word in lex.vague:
        return _Cand(m.start(), m.end(), "vague")
    w = lex.standalone[word]
    if w.unit == "week":
        return _Cand(m.start(), m.end(), "week", _Week(w.offset, None, w.weekend))
    c = _Cal(months=w.months)
    if w.unit == "year":
        c.year_rel = (w.offset, w.anchor)
    else:
        c.month_rel = (w.offset, w.anchor)
    return _Cand(m.start(), m.end(), "cal", c)


def _count(m: re.Match[str]) -> _Cand | None:
    n_text = m.group("pn") or m.group("n")
    unit_text = m.group("pu") or m.group("u")
    n = None if "数" in n_text else _num(n_text)
    mode = "past" if m.group("past") else "ago" if m.group("dir") == "前" else "after"
    if mode == "ago" and n is not None and n >= 1000:
        return None  # 2009年前後 is a year, not "2009 years ago"
    return _Cand(m.start(), m.end(), "count", _Count(mode, n, _COUNT_UNITS.get(unit_text, "month")))


def _century(m: re.Match[str]) -> _Cand | None:
    c = _num(m.group("c"))
    return _Cand(m.start(), m.end(), "century", c, relative=False) if 1 <= c <= 30 else None


def _absolute(m: re.Match[str], english: dict[str, int] | None) -> _Cand | None:
    """Slash, hyphen and English dates: all parts given in the text."""
    d: int | None
    if english is None:
        y, mo, d = _num(m.group("y")), _num(m.group("m")), _num(m.group("d"))
    else:
        mon = m.group("mon") or m.group("mon2") or m.group("mon3")
        y = int(m.group("y") or m.group("y2") or m.group("y3"))
        day = m.group("d") or m.group("d2")
        mo, d = english[mon], int(day) if day else None
    if not _valid_md(y, mo, d):
        return None
    return _Cand(m.start(), m.end(), "cal", _Cal(year=y, month=mo, day=d), relative=False)


def _candidates(text: str, lex: _Lexicon) -> list[_Cand]:
    p = lex.patterns
    found = [_main(m, text, lex) for m in p["main"].finditer(text)]
    found += [_span(m, text, lex) for m in p["span"].finditer(text)]
    found += [_week(m, lex) for m in p["week"].finditer(text)]
    found += [_word_cand(m, lex) for m in p["word"].finditer(text)]
    found += [_count(m) for m in p["count"].finditer(text)]
    found += [_century(m) for m in p["century"].finditer(text)]
    found += [_absolute(m, None) for m in p["numeric"].finditer(text)]
    found += [_absolute(m, lex.english) for m in p["english"].finditer(text)]
    return [c for c in found if c is not None]


def _non_overlapping(cands: list[_Cand]) -> list[_Cand]:
    """The longest candidates win; the earlier one on a tie."""
    kept: list[_Cand] = []
    for c in sorted(cands, key=lambda c: (c.start - c.end, c.start)):
        if all(c.end <= k.start or c.start >= k.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def _join_ranges(cands: list[_Cand], text: str) -> list[_Cand]:
    """``AからBまで``, ``AからBにかけて``, ``A〜B`` become one range."""
    out: list[_Cand] = []
    i = 0
    while i < len(cands):
        a = cands[i]
        b = cands[i + 1] if i + 1 < len(cands) else None
        if b and a.kind == b.kind == "cal" and _CONNECTOR.fullmatch(text, a.end, b.start):
            closer = _CLOSER.match(text, b.end)
            end = closer.end() if closer else b.end
            out.append(_Cand(a.start, end, "range", a.spec, b.spec, relative=a.relative))
            i += 2
        else:
            out.append(a)
            i += 1
    return out


# --- resolution ---------------------------------------------------------------

def _reference(published: str | None) -> _Ref | None:
    """The published ISO prefix as a point; parts that do not form a real date are dropped."""
    m = _PUBLISHED.match(published or "")
    if not m:
        return None
    y = int(m.group(1))
    mo, d = (int(g) if g else None for g in m.groups()[1:])
    if mo is not None and not 1 <= mo <= 12:
        return _Ref(y)
    if d is not None and not _valid_md(y, mo, d):
        return _Ref(y, mo)
    return _Ref(y, mo, d)


def _as_date(p: _Point | None) -> date | None:
    if p is None or p.year is None or p.month is None or p.day is None:
        return None
    return date(p.year, p.month, p.day)


def _iso(p: _Point | None) -> str | None:
    if p is None or (p.month is None and (p.year is None or p.day is not None)):
        return None
    head = f"{p.year:04d}" if p.year is not None else "-"
    tail = "".join(f"-{v:02d}" for v in (p.month, p.day) if v is not None)
    return head + tail


def _shift_month(p: _Point | None, offset: int) -> _Point | None:
    if p is None or p.month is None or (p.year is None and offset):
        return None
    if p.year is None:
        return _Point(None, p.month)
    k = p.year * 12 + p.month - 1 + offset
    return _Point(k // 12, k % 12 + 1)


def _shift_day(p: _Point | None, offset: int) -> _Point | None:
    if p is None or p.month is None or p.day is None or (p.year is None and offset):
        return None
    if p.year is None:
        return p
    d = date(p.year, p.month, p.day) + timedelta(days=offset)
    return _Point(d.year, d.month, d.day)


def _recent_year(month: int, day: int | None, ref: _Ref) -> int:
    """The published year, or the year before if that would be over two months after publication."""
    if ref.month is None:
        return ref.year
    ahead = month - ref.month
    later = ahead > 2 or (ahead == 2 and day is not None and ref.day is not None and day > ref.day)
    return ref.year - 1 if later else ref.year


def _resolve_cal(c: _Cal, ref: _Ref | None, prev: _Point | None,
                 inherit: _Point | None = None) -> _Result | None:
    def anchor(rel: tuple[int, str]) -> _Point | None:
        return prev if rel[1] == "previous" else ref

    y, m, d = c.year, c.month, c.day
    if c.day_rel:
        p = _shift_day(anchor(c.day_rel), c.day_rel[0])
        if p is None:
            return None
        y, m, d = p.year, p.month, p.day
    elif c.month_rel:
        p = _shift_month(anchor(c.month_rel), c.month_rel[0])
        if p is None:
            return None
        y, m = p.year, p.month
    elif c.year_rel:
        base = anchor(c.year_rel)
        if base is not None and base.year is not None:
            y = base.year + c.year_rel[0]
            if c.fiscal and c.year_rel[1] == "reference" and base.month is not None and base.month < 4:
                y -= 1
    elif y is None and inherit is not None:
        y = inherit.year
        if m is None and d is not None:
            m = inherit.month
    elif y is None and m is not None and ref is not None:
        y = _recent_year(m, d, ref)
    elif y is None and m is None and d is not None and ref is not None and ref.month is not None:
        y, m = ref.year, ref.month
    return _narrow(c, y, m, d)


def _narrow(c: _Cal, y: int | None, m: int | None, d: int | None) -> _Result | None:
    if c.decade and y is not None:
        return _Result(f"{y:04d}"[:3], precision="decade", first=_Point(y))
    if c.fiscal or c.months:
        if y is None:
            return None
        first, last = c.months or (4, 3)
        lo, hi = _Point(y, first), _Point(y + 1 if c.fiscal else y, last)
        return _Result(_iso(lo), _iso(hi) if hi != lo else None, "month", lo, hi)
    if c.days:
        if m is None:
            return None
        lo, hi = _Point(y, m, c.days[0]), _Point(y, m, min(c.days[1], _last_day(y, m)))
        return _Result(_iso(lo), _iso(hi), "day", lo, hi)
    p = _Point(y, m, d)
    if _iso(p) is None or not _valid_md(y, m, d):
        return None
    return _Result(_iso(p), None, "day" if d else "month" if m else "year", p, p)


def _days(lo: date, hi: date, precision: str) -> _Result:
    a, b = _Point(lo.year, lo.month, lo.day), _Point(hi.year, hi.month, hi.day)
    return _Result(_iso(a), _iso(b) if hi != lo else None, precision, a, b)


def _resolve_week(w: _Week, ref: _Ref | None, shift_days: int = 0) -> _Result | None:
    today = _as_date(ref)
    if today is None:
        return None
    monday = today - timedelta(days=today.weekday() - 7 * w.offset + shift_days)
    if w.weekday is not None:
        day = monday + timedelta(days=w.weekday)
        return _days(day, day, "day")
    if w.weekend:
        return _days(monday + timedelta(days=5), monday + timedelta(days=6), "week")
    return _days(monday, monday + timedelta(days=6), "week")


def _resolve_count(c: _Count, ref: _Ref | None) -> _Result | None:
    if c.n is None or c.mode == "after" or ref is None:
        return None
    if c.unit == "year":
        if c.mode == "ago":
            return _Result(str(ref.year - c.n), precision="year", first=_Point(ref.year - c.n))
        return _Result(str(ref.year - c.n), str(ref.year), "year", _Point(ref.year - c.n), _Point(ref.year))
    if c.unit == "month":
        lo, hi = _shift_month(ref, -c.n), _shift_month(ref, 0)
        if lo is None:
            return None
        return _Result(_iso(lo), None if c.mode == "ago" else _iso(hi), "month", lo, lo if c.mode == "ago" else hi)
    today = _as_date(ref)
    if today is None:
        return None
    days = c.n * (7 if c.unit == "week" else 1)
    if c.mode == "past":
        return _days(today - timedelta(days=days), today, "day")
    if c.unit == "week":
        return _resolve_week(_Week(0), ref, shift_days=days)
    return _days(today - timedelta(days=days), today - timedelta(days=days), "day")


def _before(a: _Point | None, b: _Point | None) -> bool:
    """True when both points have a year and ``a`` starts strictly before ``b``."""
    if a is None or b is None or a.year is None or b.year is None:
        return False
    return (a.year, a.month or 0, a.day or 0) < (b.year, b.month or 0, b.day or 0)


def _resolve(c: _Cand, ref: _Ref | None, prev: _Point | None) -> _Result | None:
    if c.kind == "cal":
        return _resolve_cal(c.spec, ref, prev)
    if c.kind == "range" and c.until is not None:
        a = _resolve_cal(c.spec, ref, prev)
        inherit = None if c.until.has_year else (a.first if a and a.first else _Point())
        b = _resolve_cal(c.until, ref, prev, inherit)
        if c.spec.year is not None and inherit and inherit.year and a and b and _before(b.first, a.first):
            # the start's year is written (2022年12月から1月): the end runs into the next year
            b = _resolve_cal(c.until, ref, prev, _Point(inherit.year + 1, inherit.month))
        return _Result(a.value if a else None, (b.end_value or b.value) if b else None,
                       a.precision if a else "unknown", a.first if a else None, b.last if b else None)
    if c.kind == "week":
        return _resolve_week(c.spec, ref)
    if c.kind == "count":
        return _resolve_count(c.spec, ref)
    if c.kind == "century":
        return _Result(f"{c.spec - 1:02d}", precision="century")
    return None  # vague


_ISO_YEAR_MONTH = re.compile(r"(\d{4})(?:-(\d{2}))?")


def parse_date(value: str) -> str | None:
    """The ISO value of a string that is a date and nothing else (a byline line, a metadata
    field), else None. Only a date that states its year counts, so nothing borrows a year."""
    value = value.strip()
    short = _ISO_YEAR_MONTH.fullmatch(value)  # "2023", "2023-09": bare forms prose never uses
    if short:
        month = short.group(2)
        return value if month is None or 1 <= int(month) <= 12 else None
    found = find_dates(value, None)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(value):
        return _stated_year(found[0])
    return None


def leading_date(text: str) -> str | None:
    """The ISO value of a date that opens ``text`` (a dateline: 【ソウル=…】2024年10月21日…), else None."""
    found = find_dates(text, None)
    return _stated_year(found[0]) if found and found[0].start == 0 else None


def _stated_year(expr: TimeExpr) -> str | None:
    ok = expr.value and expr.precision in ("year", "month", "day") and not expr.value.startswith("-")
    return expr.value if ok else None


def find_dates(text: str, published: str | None, *, offset: int = 0) -> list[TimeExpr]:
    """Every temporal expression in ``text``, resolved against ``published`` (never today).

    ``published`` is an ISO prefix ("2023-09-15", "2023-09", "2023") or None;
    spans are offsets into ``text`` plus ``offset``. See the module docstring
    for the resolution rules.
    """
    lex = load_date_lexicon()
    ref = _reference(published)
    found = _join_ranges(_non_overlapping(_candidates(text, lex)), text)
    out: list[TimeExpr] = []
    prev: _Point | None = None
    for c in found:
        r = _resolve(c, ref, prev)
        value = r.value if r else None
        out.append(TimeExpr(
            start=c.start + offset, end=c.end + offset, text=text[c.start:c.end], value=value,
            precision=r.precision if r and value else "unknown",
            end_value=r.end_value if r else None, relative=c.relative))
        point = (r.last or r.first) if r else None
        if point is not None and (point.year is not None or point.month is not None):
            prev = point
    return out


def resolve_relative_date(expr: str, reference: date | str | None) -> TimeExpr | None:
    """Resolve one whole expression (先月, 今年6月, 翌月5日) against a date; None if it is not one."""
    published = reference.isoformat() if isinstance(reference, date) else reference
    found = find_dates(expr, published)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(expr):
        return found[0]
    return None
