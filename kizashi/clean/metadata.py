"""Title, subtitle, author, outlet, date and language, read from where pages put them.

The head of an article (title, subtitle, byline block) and its tail (author
bio, site name, copyright) are read here; the tail lines are removed from the
text, the head lines stay as paragraphs of kind title/subtitle/byline.
A date is only ever one the text writes with its year: none is inferred.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..link.dates import leading_date, parse_date
from ..model import Metadata, Removed
from .boilerplate import Rules
from .paragraphs import HEADING_MARKS, Line, body_kind, ends_sentence, kept_lines, looks_like_headline

_MAX_BYLINE_LINES = 4
_BYLINE_SEPARATOR = re.compile(r"\s+[/|｜]\s+|\s*[｜|]\s*")

# --- names -----------------------------------------------------------------
_PARTICLES = "de|van|von|der|den|da|di|du|la|le|bin|al|el|ibn"
_LATIN_NAME = re.compile(
    rf"[A-Z][a-zA-Z'’\-]+\.?(?:\s+(?:[A-Z]\.|[A-Z][a-zA-Z'’\-]+|{_PARTICLES})){{1,3}}")
_KANA_NAME = re.compile(r"[ァ-ヶー]{2,}(?:[・=＝ ][ァ-ヶー]{2,}){1,3}")
_KANJI_NAME = re.compile(r"[一-龥々〆ヶ]{1,3} ?(?:[一-龥々〆ヶ]{1,3}|[ぁ-ん]{2,4})")
_NAME_MARKER = re.compile(r"^(?:By|BY|by|文|筆者|執筆|著者|記者)\s*[:：・=＝]?\s*")


@dataclass
class Name:
    text: str
    strong: bool  # Latin, katakana or marked (記者, 文・, By): a byline on its own


def person_name(line: str, rules: Rules) -> Name | None:
    """The person a short line names, or None."""
    text = line.strip()
    marked = False
    stripped = _NAME_MARKER.sub("", text)
    if stripped != text:
        text, marked = stripped, True
    for suffix in rules.byline_name_suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            text, marked = text[: -len(suffix)].strip(), True
            break
    if _LATIN_NAME.fullmatch(text) or _KANA_NAME.fullmatch(text):
        return Name(text, True)
    if _KANJI_NAME.fullmatch(text):
        return Name(text, marked)
    return None


def split_names(line: str, rules: Rules) -> list[Name]:
    """Several authors on one byline line: 'A and B', 'A、B'."""
    parts = re.split(r"\s+and\s+|\s*[、,，]\s*|\s*&\s*", line)
    names = [person_name(p, rules) for p in parts]
    return names if names and all(names) else []  # type: ignore[return-value]


# --- outlets -----------------------------------------------------------------
@lru_cache(maxsize=4)
def known_outlets(data_dir: Path) -> dict[str, str]:
    """Normalised name → canonical name of the news organisations in organizations.yaml."""
    if not (data_dir / "organizations.yaml").exists():
        return {}
    from ..link.ontology import load_ontology

    out: dict[str, str] = {}
    for org in load_ontology(data_dir).organizations.values():
        if org.type in ("news_agency", "newspaper", "broadcaster"):
            for name in (org.name, *org.names_en, *org.names_ja):
                out[_key(name)] = org.name
    return out


def outlet_name(line: str, rules: Rules, known: dict[str, str]) -> str | None:
    """The outlet a short line names: a known outlet, or a name built like one."""
    text = line.strip()
    if _key(text) in known:
        return known[_key(text)]
    words = text.split()
    if 1 <= len(words) <= 5 and text[:1].isupper() and any(w.casefold().strip(".,") in rules.outlet_words for w in words):
        return text
    if len(text) <= 20 and text.endswith(rules.outlet_suffixes) and " " not in text:
        return text
    return None


def _key(text: str) -> str:
    return re.sub(r"[\s.・·]", "", unicodedata.normalize("NFKC", text).casefold())


# --- dates -----------------------------------------------------------------
_DATE_PREFIX = re.compile(
    r"^(?:(?:Published|Updated|Posted|Last updated|公開日?|更新日?|投稿日?|配信日?|掲載日?|発行日?|作成日?)(?:時)?\s*[:：]?\s*)?"
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+)?")
_DATE_SUFFIX = re.compile(
    r"\s*(?:[(（][月火水木金土日][)）])?\s*(?:(?:午前|午後)?\s*\d{1,2}(?::\d{2}(?::\d{2})?|時(?:\s*\d{1,2}分)?)\s*"
    r"(?:[AaPp]\.?[Mm]\.?)?\s*(?:JST|KST|GMT|UTC|[A-Z]{2,4})?)?\s*(?:配信|更新|公開|発行)?$")


def parse_date_line(line: str) -> str | None:
    """ISO date of a line that is only a date (with its weekday, time, 'Published:'…), else None."""
    return parse_date(_DATE_SUFFIX.sub("", _DATE_PREFIX.sub("", line.strip()), count=1))


_DATELINE = re.compile(r"^【(?P<place>[^】=＝]{1,15})[=＝](?P<who>[^】]{1,20})】\s*")


def read_dateline(paragraph: str, rules: Rules, known: dict[str, str]) -> tuple[str | None, str | None, str | None]:
    """(date, author, outlet) of a 【ソウル=山田太郎】2024年10月21日 dateline opening a paragraph."""
    match = _DATELINE.match(paragraph)
    if not match:
        return None, None, None
    rest = paragraph[match.end():]
    date = leading_date(rest)
    who = match.group("who").strip()
    outlet = outlet_name(who, rules, known)
    name = None if outlet else person_name(who, rules)
    return date, name.text if name else None, outlet


# --- language ----------------------------------------------------------------
_KANA = re.compile(r"[ぁ-ゟ゠-ヿ]")
_KANJI = re.compile(r"[一-鿿㐀-䶿々〆]")
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")


def detect_language(text: str) -> str | None:
    """'ja' when Japanese script dominates (with kana, so not Chinese), 'en' when Latin does."""
    kana, kanji, latin = (len(p.findall(text)) for p in (_KANA, _KANJI, _LATIN))
    letters = kana + kanji + latin
    if not letters:
        return None
    if (kana + kanji) / letters >= 0.5 and kana >= 0.05 * (kana + kanji):
        return "ja"
    if latin / letters >= 0.7:
        return "en"
    return None


# --- head: title, subtitle, byline -------------------------------------------
@dataclass
class Found:
    """What the head and tail of a page say about the article."""

    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    published: str | None = None


@dataclass
class _Byline:
    names: list[Name] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)

    def accepted(self) -> bool:
        return bool(self.dates or self.outlets or any(n.strong for n in self.names))


def read_head(lines: list[Line], rules: Rules, known: dict[str, str]) -> Found:
    """Mark the title, subtitle and byline lines at the top and read them."""
    kept = kept_lines(lines)
    for line in kept[:2 + _MAX_BYLINE_LINES]:
        line.kind = body_kind(line.text)
    found = Found()
    pos = 0
    if kept and looks_like_headline(kept[0].text) and _byline_line(kept[0].text, rules, known) is None:
        kept[0].kind, found.title = "title", kept[0].text
        pos = 1
    byline = _read_byline(kept, pos, rules, known)
    if byline is None and found.title and pos + 1 < len(kept) and _subtitle_like(kept[pos].text):
        byline = _read_byline(kept, pos + 1, rules, known)
        if byline is not None:
            kept[pos].kind, found.subtitle = "subtitle", kept[pos].text
    if byline is not None:
        found.authors = [n.text for n in byline.names]
        found.outlets = byline.outlets
        found.published = byline.dates[0] if byline.dates else None
    return found


def _subtitle_like(text: str) -> bool:
    return looks_like_headline(text) and text[0] not in HEADING_MARKS


def _read_byline(kept: list[Line], pos: int, rules: Rules, known: dict[str, str]) -> _Byline | None:
    block = _Byline()
    end = pos
    while end < len(kept) and end - pos < _MAX_BYLINE_LINES:
        parts = _byline_line(kept[end].text, rules, known)
        if parts is None:
            break
        for kind, value in parts:
            getattr(block, kind).append(value)
        end += 1
    if end == pos or not block.accepted():
        return None
    for line in kept[pos:end]:
        line.kind = "byline"
    return block


def _byline_line(text: str, rules: Rules, known: dict[str, str]) -> list[tuple[str, object]] | None:
    """A byline line's fields as (kind, value) pairs, or None when it is not a byline line."""
    if ends_sentence(text) or len(text) > 80:
        return None
    out: list[tuple[str, object]] = []
    for part in _BYLINE_SEPARATOR.split(text):
        date = parse_date_line(part)
        outlet = None if date else outlet_name(part, rules, known)
        names = [] if date or outlet else split_names(part, rules)
        if date:
            out.append(("dates", date))
        elif outlet:
            out.append(("outlets", outlet))
        elif names:
            out.extend(("names", n) for n in names)
        else:
            return None
    return out


# --- tail: author bio, self-description, site name -------------------------------
_BIO = re.compile(r"^(?P<name>[^:：]{2,30}?)\s*[:：]\s*(?P<bio>.{2,120})$")
_QUOTES = "「」『』\"“”'‘’"


def strip_tail(lines: list[Line], rules: Rules) -> Found:
    """Remove author bios, self-descriptions, site names and a page heading from the end of the page."""
    found = Found()
    while True:
        kept = kept_lines(lines)
        if len(kept) < 2:
            return found
        last = kept[-1]
        site = _site_name(last.text, rules)
        if site:
            last.remove("boilerplate:site_name", site)
            found.outlets.insert(0, site)
            continue
        title = page_heading(last.text)
        if title:
            last.remove("boilerplate:page_heading", title)
            found.title = found.title or title
            continue
        bio = _bio_name(last.text, rules)
        if bio:
            last.remove("boilerplate:author_bio", bio)
            found.authors.insert(0, bio)
            continue
        if _is_self_description(last.text, rules):
            last.remove("boilerplate:author_bio")
            name = person_name(kept[-2].text, rules)
            if name and len(kept) > 2:
                kept[-2].remove("boilerplate:author_bio", name.text)
                found.authors.insert(0, name.text)
            continue
        return found


def _site_name(text: str, rules: Rules) -> str | None:
    for pattern in rules.site_names:
        match = pattern.fullmatch(text)
        if match:
            return match.group("name").strip()
    return None


def _bio_name(text: str, rules: Rules) -> str | None:
    match = _BIO.match(text)
    if not match or ends_sentence(text):
        return None
    name = person_name(match.group("name"), rules)
    bio = match.group("bio").casefold()
    if name and any(w in bio for w in rules.bio_words):
        return name.text
    return None


def _is_self_description(text: str, rules: Rules) -> bool:
    """A run of short fragments ('… specialist. … geek.'), at least two of them self-praise."""
    core = text.strip(_QUOTES + " ")
    fragments = [f.strip(_QUOTES + " ") for f in re.split(r"[。.!！]", core)]
    fragments = [f for f in fragments if f]
    if len(fragments) < 2 or any(len(f) > 30 for f in fragments):
        return False
    cues = sum(f.casefold().endswith(rules.self_description_words) for f in fragments)
    return cues >= 2 and cues * 2 >= len(fragments)


_COPYRIGHT_HOLDER = re.compile(
    r"^(?:Copyright\s*)?(?:\([cC]\)|©|Ⓒ)?\s*(?:Copyright\s*)?(?:[0-9]{4}(?:\s*[-–]\s*[0-9]{4})?)?[\s,]*"
    r"(?P<name>.+?)[\s.,。]*(?:All [Rr]ights [Rr]eserved\.?)?\s*$")


def copyright_holder(text: str, rules: Rules, known: dict[str, str]) -> str | None:
    """The outlet a copyright line names ('© 2024 Example Times. All rights reserved.')."""
    match = _COPYRIGHT_HOLDER.match(text)
    if not match or "無断" in text:
        return None
    name = match.group("name").strip(" .,")
    return known.get(_key(name), name) if 0 < len(name) <= 40 else None


# --- the page heading that replaces a missing title ---------------------------------
_PAGE_COUNTER = re.compile(r"^(?P<title>.+?)\s*[(（]\s*\d{1,2}(?:\s*/\s*\d{1,2})?\s*[)）]$")


def strip_page_headings(lines: list[Line]) -> str | None:
    """Remove a page heading ('HEADLINE(2)') repeated after each page, keeping its first copy
    (a headline states claims like any sentence); return the headline.

    A single one closing the text is a tail line (``strip_tail``).
    """
    groups: dict[str, list[Line]] = {}
    for line in kept_lines(lines):
        title = page_heading(line.text)
        if title:
            groups.setdefault(title, []).append(line)
    for title, copies in groups.items():
        if len(copies) >= 2:
            first = copies[0]  # kept once, without its page counter: a headline states claims too
            first.cuts.append(Removed(first.text[len(title):], "boilerplate:page_heading", title))
            first.text = title
            for line in copies[1:]:
                line.remove("boilerplate:page_heading", title)
            return title
    return None


def page_heading(text: str) -> str | None:
    """The headline of a 'HEADLINE(2)' line, or None."""
    match = _PAGE_COUNTER.match(text)
    if match and looks_like_headline(text) and len(match.group("title")) >= 10:
        return match.group("title")
    return None


# --- putting it together -----------------------------------------------------
def build_metadata(head: Found, tail: Found, *, credited: list[str], page_title: str | None,
                   first_body: str | None, removed: list[Removed], text: str,
                   rules: Rules, known: dict[str, str]) -> Metadata:
    """Combine what the head, tail, credits and dateline say; the head wins where they differ."""
    date, dateline_author, dateline_outlet = read_dateline(first_body or "", rules, known)
    authors = _unique([*head.authors, *credited, *([dateline_author] if dateline_author else []), *tail.authors])
    holders = [copyright_holder(r.text, rules, known) for r in removed if r.reason == "boilerplate:copyright"]
    outlets = [*head.outlets, *([dateline_outlet] if dateline_outlet else []),
               *_rank_sites(tail.outlets, known), *[h for h in holders if h]]
    return Metadata(
        title=head.title or page_title or tail.title,
        subtitle=head.subtitle,
        author=authors[0] if authors else None,
        authors=authors,
        outlet=outlets[0] if outlets else None,
        published=head.published or date,
        language=detect_language(text),
    )


def _rank_sites(sites: list[str], known: dict[str, str]) -> list[str]:
    """Known outlets first, then names, then bare domains."""
    def rank(site: str) -> int:
        if _key(site) in known or _key(site.split(".")[0]) in known:
            return 0
        return 2 if "." in site else 1
    return [known.get(_key(s), known.get(_key(s.split(".")[0]), s)) for s in sorted(sites, key=rank)]


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        if _key(name) not in seen:
            seen.add(_key(name))
            out.append(name)
    return out
