"""Which articles are one source: translations, rewrites and near-copies.

Corroboration counts lineage groups, not articles: a content farm that
rewrites a wire story does not make the claim twice as likely.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from datasketch import MinHash, MinHashLSH

from ..config import Options
from ..model import Document, content_id

LINEAGE_JACCARD = 0.5  # character-shingle Jaccard at which two texts count as one source
CREDIT_CHARS = 300  # how far from either end a translation credit is looked for
MIN_QUOTE_CHARS = 12  # a quoted 「…」 passage this long is unlikely to be reused by chance
_QUOTE = re.compile(r"「([^「」]{%d,})」" % MIN_QUOTE_CHARS)
_TRANSLATION_MARK = re.compile(r"翻訳|原文|原題|英語版|translated\s+(?:from|by)", re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-z]")
_KANA_KANJI = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def doc_id(doc: Document) -> str:
    """The document's id, or the id the store would give it."""
    return doc.id or content_id(doc.text)


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).casefold()


class _UnionFind:
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


def shingles(text: str, size: int) -> set[str]:
    """Character shingles of the normalised text (whitespace dropped, NFKC)."""
    norm = _norm(text)
    if len(norm) <= size:
        return {norm} if norm else set()
    return {norm[i:i + size] for i in range(len(norm) - size + 1)}


def quotes(text: str) -> set[str]:
    """Long 「…」 quotations, normalised, as fingerprints of shared reporting."""
    return {_norm(m.group(1)) for m in _QUOTE.finditer(text)}


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


def _link_similar_texts(docs: list[Document], uf: _UnionFind, threshold: float, options: Options) -> None:
    lsh = MinHashLSH(threshold=threshold, num_perm=options.minhash_permutations)
    hashes: dict[str, MinHash] = {}
    for doc in docs:
        grams = shingles(doc.text, options.shingle_size)
        if not grams:
            continue
        mh = MinHash(num_perm=options.minhash_permutations)
        mh.update_batch(g.encode("utf-8") for g in grams)
        key = doc_id(doc)
        if key in hashes:  # the same article listed twice
            continue
        for other in lsh.query(mh):
            if mh.jaccard(hashes[other]) >= threshold:
                uf.union(key, other)
        lsh.insert(key, mh)
        hashes[key] = mh


def _link_bylines(docs: list[Document], uf: _UnionFind) -> None:
    by_byline: dict[tuple[str, str], str] = {}
    for doc in docs:
        author, title = _norm(doc.metadata.author), _norm(doc.metadata.title)
        if author and title:
            first = by_byline.setdefault((author, title), doc_id(doc))
            uf.union(first, doc_id(doc))


def _link_shared_material(docs: list[Document], uf: _UnionFind) -> None:
    """Same distinctive figure AND same long quote: one text reworded from the other."""
    by_quote: dict[str, list[int]] = defaultdict(list)
    prints = [(distinctive_figures(d), quotes(d.text)) for d in docs]
    for i, (_, qs) in enumerate(prints):
        for q in qs:
            by_quote[q].append(i)
    for members in by_quote.values():
        for a_pos, a in enumerate(members):
            for b in members[a_pos + 1:]:
                if prints[a][0] & prints[b][0]:
                    uf.union(doc_id(docs[a]), doc_id(docs[b]))


def _link_translations(docs: list[Document], uf: _UnionFind) -> None:
    """A Japanese text marked as a translation joins the English original by the same author or outlet."""
    english = [d for d in docs if language_of(d) == "en"]
    for doc in docs:
        if language_of(doc) == "en" or not _says_translated(doc):
            continue
        author, outlet = _norm(doc.metadata.author), _norm(doc.metadata.outlet)
        candidates = []
        for en in english:
            same_author = bool(author) and _norm(en.metadata.author) == author
            same_outlet = bool(outlet) and _norm(en.metadata.outlet) == outlet
            if same_author or same_outlet:
                gap = _date_gap(doc.metadata.published, en.metadata.published)
                candidates.append((not same_author, gap, doc_id(en)))
        if candidates:
            uf.union(doc_id(doc), min(candidates)[2])


def _date_gap(a: str | None, b: str | None) -> int:
    """A coarse distance in days between two ISO prefixes, for choosing the nearest original."""
    if not a or not b or not a[:4].isdigit() or not b[:4].isdigit():
        return 10**6
    return abs(_day_number(a) - _day_number(b))


def _day_number(value: str) -> int:
    parts = [int(p) for p in value.split("-")[:3] if p.isdigit()] + [1, 1]
    return parts[0] * 372 + parts[1] * 31 + parts[2]


def lineage_groups(docs: Iterable[Document], *, threshold: float = LINEAGE_JACCARD,
                   options: Options = Options()) -> dict[str, str]:
    """Map each document id to its group id: the earliest-published member of its lineage."""
    docs = list(docs)
    uf = _UnionFind()
    for doc in docs:
        uf.find(doc_id(doc))
        if doc.near_duplicate_of:
            uf.union(doc_id(doc), doc.near_duplicate_of)
    _link_bylines(docs, uf)
    _link_shared_material(docs, uf)
    _link_translations(docs, uf)
    _link_similar_texts(docs, uf, threshold, options)
    members: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        members[uf.find(doc_id(doc))].append(doc)
    groups: dict[str, str] = {}
    for group in members.values():
        first = min(group, key=lambda d: (d.metadata.published is None, d.metadata.published or "", doc_id(d)))
        for doc in group:
            groups[doc_id(doc)] = doc_id(first)
    return groups
