"""Which articles are one source: translations, rewrites and near-copies.

Corroboration counts lineage groups, not articles: a content farm that
rewrites a wire story does not make the claim twice as likely. Two articles
are linked by a pairwise test (``linked``) over their ``LineageKeys`` or by
similar texts (``Options.lineage_threshold``); a group is what the links join, and its id is its
earliest-published member. Every link is a property of the pair alone, so
the store can link each new article as it comes and reach the groups that
``lineage_groups`` computes from scratch.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..config import Options
from ..model import Document, content_id

CREDIT_CHARS = 300  # how far from either end a translation credit is looked for
MIN_QUOTE_CHARS = 12  # a quoted 「…」 passage this long is unlikely to be reused by chance
TRANSLATION_DAYS = 7  # an outlet's translation appears within a week of its original
_QUOTE = re.compile(r"「([^「」]{%d,})」" % MIN_QUOTE_CHARS)
_TRANSLATION_MARK = re.compile(r"翻訳|原文|原題|英語版|translated\s+(?:from|by)", re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-z]")
_KANA_KANJI = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def doc_id(doc: Document) -> str:
    """The document's id, or the id the store would give it."""
    return doc.id or content_id(doc.text)


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).casefold()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def quotes(text: str) -> set[str]:
    """Long 「…」 quotations, normalised and hashed, as fingerprints of shared reporting."""
    return {_digest(_norm(m.group(1))) for m in _QUOTE.finditer(text)}


def distinctive_figures(doc: Document) -> set[tuple[float, str]]:
    """(value, unit) pairs from figures and flow quantities; unitless numbers say too little."""
    pairs = {(f.value, f.unit) for f in doc.figures if f.unit}
    pairs |= {(f.quantity.value, f.quantity.unit) for f in doc.flows if f.quantity and f.quantity.unit}
    return pairs


def language_of(doc: Document) -> str | None:
    """Metadata language, else a guess from the script (enough to tell English from Japanese)."""
    if doc.metadata.language:
        return doc.metadata.language.lower()[:2]
    latin, cjk = len(_LATIN.findall(doc.text)), len(_KANA_KANJI.findall(doc.text))
    if latin + cjk == 0:
        return None
    return "en" if latin > 4 * cjk else "ja"


def _says_translated(doc: Document) -> bool:
    """Translation credits sit in the head or the tail; a 翻訳 mid-story is about something else."""
    meta = doc.metadata
    ends = (doc.text[:CREDIT_CHARS], doc.text[-CREDIT_CHARS:])
    return any(_TRANSLATION_MARK.search(s or "") for s in (meta.title, meta.subtitle, *ends))


@dataclass(frozen=True)
class LineageKeys:
    """What the pairwise links read of a document."""

    doc_id: str
    published: str | None
    language: str | None
    translated: bool
    author: str | None  # normalised
    outlet: str | None  # normalised
    byline: str | None  # normalised author and title, both present
    quotes: frozenset[str]
    figures: frozenset[tuple[float, str]]

    @property
    def material(self) -> frozenset[str]:
        """Each (long quote, distinctive figure) pair it holds, hashed: two documents share one
        exactly when they share shared material (a quote AND a figure), so a store finds such
        partners through an index of these, not through every document quoting a common line."""
        return frozenset(_digest(f"{q}|{v!r}|{u}") for q in self.quotes for v, u in self.figures)

    @property
    def order(self) -> tuple:
        """Earliest published first, undated last; the group id is the first member."""
        return (self.published is None, self.published or "", self.doc_id)


def lineage_keys(doc: Document) -> LineageKeys:
    meta = doc.metadata
    author, title = _norm(meta.author), _norm(meta.title)
    return LineageKeys(doc_id(doc), meta.published, language_of(doc), _says_translated(doc), author or None,
                       _norm(meta.outlet) or None, f"{author}|{title}" if author and title else None,
                       frozenset(quotes(doc.text)), frozenset(distinctive_figures(doc)))


def _day_number(value: str) -> int:
    parts = [int(p) for p in value.split("-")[:3] if p.isdigit()] + [1, 1]
    return parts[0] * 372 + parts[1] * 31 + parts[2]


def _close_in_time(a: str | None, b: str | None) -> bool:
    """Within a week, or either undated (nothing to say otherwise)."""
    if not a or not b or not a[:4].isdigit() or not b[:4].isdigit():
        return True
    return abs(_day_number(a) - _day_number(b)) <= TRANSLATION_DAYS


def is_translation_of(ja: LineageKeys, en: LineageKeys) -> bool:
    """A text marked as a translation and an English text by the same author or, when the
    translation names no author, of the same outlet within a week."""
    if en.language != "en" or ja.language == "en" or not ja.translated:
        return False
    if ja.author:
        return ja.author == en.author
    return ja.outlet is not None and ja.outlet == en.outlet and _close_in_time(ja.published, en.published)


def linked(a: LineageKeys, b: LineageKeys) -> bool:
    """One source by byline, by shared material (a long quote AND a distinctive figure), or as
    a translation; similar texts are found by their signatures (``SimilarTexts``)."""
    if a.byline is not None and a.byline == b.byline:
        return True
    if a.quotes & b.quotes and a.figures & b.figures:
        return True
    return is_translation_of(a, b) or is_translation_of(b, a)


class UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def candidates(keys: list[LineageKeys]) -> Iterable[tuple[int, int]]:
    """Pairs that may be ``linked``: those sharing a byline, a material key, or (translations) an
    author or outlet."""
    buckets: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        if k.byline:
            buckets[("byline", k.byline)].append(i)
        for m in k.material:
            buckets[("material", m)].append(i)
        if k.author:
            buckets[("author", k.author)].append(i)
        if k.outlet:
            buckets[("outlet", k.outlet)].append(i)
    seen: set[tuple[int, int]] = set()
    for (kind, _), members in buckets.items():
        if kind in ("author", "outlet") and not any(keys[m].translated for m in members):
            continue  # only translations link by author or outlet
        for pos, a in enumerate(members):
            for b in members[pos + 1:]:
                if (a, b) not in seen:
                    seen.add((a, b))
                    yield a, b


def lineage_groups(docs: Iterable[Document], *, options: Options = Options()) -> dict[str, str]:
    """Map each document id to its group id: the earliest-published member of its lineage."""
    from ..store.near_duplicates import NearDuplicateIndex  # the store's signatures: one scheme

    docs = list(docs)
    keys = [lineage_keys(d) for d in docs]
    uf = UnionFind()
    for doc, k in zip(docs, keys):
        uf.find(k.doc_id)
        if doc.near_duplicate_of:
            uf.union(k.doc_id, doc.near_duplicate_of)
    for a, b in candidates(keys):
        if linked(keys[a], keys[b]):
            uf.union(keys[a].doc_id, keys[b].doc_id)
    index = NearDuplicateIndex(options)
    for doc, k in zip(docs, keys):
        if k.doc_id in index or not doc.text.strip():  # listed twice, or nothing to compare
            continue
        signature = index.signature(doc.text)
        for other in index.similar(signature):
            uf.union(k.doc_id, other)
        index.add(k.doc_id, signature)
    by_id = {k.doc_id: k for k in keys}
    members: dict[str, list[LineageKeys]] = defaultdict(list)
    for k in by_id.values():
        members[uf.find(k.doc_id)].append(k)
    groups: dict[str, str] = {}
    for group in members.values():
        first = min(group, key=lambda k: k.order)
        for k in group:
            groups[k.doc_id] = first.doc_id
    return groups
