"""Passages a page repeats — a pasted-twice article, a repeated heading, a reworded sentence — kept once.

Sentences are compared on character bigrams after dropping spaces and
punctuation: Japanese has no word spaces, and a rewording that swaps で for
によって or inserts その keeps most bigrams (a Jaccard of 0.64–0.77, where
unrelated sentences of one article stay below 0.3). Formulaic news sentences
score as high while reporting other facts (13日 vs 18日, 国防省 vs 情報院), so
a near copy must also differ only in kana and at most a word's worth of other
characters, and never in a digit.
"""
from __future__ import annotations

import heapq
import re
import unicodedata
from collections import Counter
from difflib import SequenceMatcher

from ..model import Removed
from .paragraphs import Line, kept_lines, looks_like_heading, sentence_spans

SHINGLE = 2
SIMILARITY = 0.6
MIN_SENTENCE = 15  # shorter sentences (そうだ。) repeat by chance; only exact repeats count
MAX_CONTENT_CHANGE = 0.1  # share of non-kana characters a near copy may change (at least 2)
# Similar sentences diffed per new sentence, most similar first: a page of formulaic lines
# (第1回…, 第2回…) would otherwise diff every pair, quadratic in the page's length.
MAX_DIFFS = 8
# Sentences indexed under one bigram: past this, a bigram common to the whole page only adds
# work. Copies of the earlier sentences are still found in full, copies of later ones by
# their rarer bigrams.
MAX_POSTING = 256
_KANA = re.compile(r"[ぁ-ゟー]")
_HEADLIKE = ("title", "subtitle", "heading")


def comparison_key(text: str) -> str:
    """The text as compared: NFKC, casefolded, without spaces or punctuation."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def shingles(key: str) -> set[str]:
    return {key[i:i + SHINGLE] for i in range(max(1, len(key) - SHINGLE + 1))}


class SentenceIndex:
    """Sentences seen so far, found again by exact key or by bigram Jaccard."""

    def __init__(self) -> None:
        self.exact: set[str] = set()
        self._keys: list[str] = []
        self._shingles: list[set[str]] = []
        self._postings: dict[str, list[int]] = {}

    def add(self, key: str) -> None:
        self.exact.add(key)
        if len(key) >= MIN_SENTENCE:
            grams = shingles(key)
            for g in grams:
                posting = self._postings.setdefault(g, [])
                if len(posting) < MAX_POSTING:
                    posting.append(len(self._shingles))
            self._shingles.append(grams)
            self._keys.append(key)

    def seen(self, key: str) -> bool:
        if key in self.exact:
            return True
        if len(key) < MIN_SENTENCE:
            return False
        grams = shingles(key)
        shared = Counter(i for g in grams for i in self._postings.get(g, ()))
        similar = ((n / (len(grams) + len(self._shingles[i]) - n), i) for i, n in shared.items())
        closest = heapq.nlargest(MAX_DIFFS, (pair for pair in similar if pair[0] >= SIMILARITY))
        return any(same_facts(key, self._keys[i]) for _, i in closest)


def same_facts(a: str, b: str) -> bool:
    """True when two similar keys differ only in kana and a few other characters, none a digit."""
    if _digits(a) != _digits(b):  # then some changed part holds a digit: no need to diff
        return False
    changed = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            changed.append(a[i1:i2] + b[j1:j2])
    content = _KANA.sub("", "".join(changed))
    return not any(c.isdigit() for c in content) and len(content) <= max(2, MAX_CONTENT_CHANGE * min(len(a), len(b)))


def _digits(key: str) -> list[str]:
    return [c for c in key if c.isdigit()]


def remove_duplicates(lines: list[Line]) -> None:
    """Remove every later copy of a paragraph, heading or sentence; the first occurrence stays."""
    kept = kept_lines(lines)
    paragraphs: set[str] = set()
    sentences = SentenceIndex()
    short_repeats: list[int] = []
    for k, line in enumerate(kept):
        key = comparison_key(line.text)
        if not key:
            continue
        if key in paragraphs:
            if _headlike(line):
                line.remove("duplicate:heading")
            elif len(key) >= MIN_SENTENCE:
                line.remove("duplicate:passage")
            else:
                short_repeats.append(k)
            continue
        if line.kind == "body" and not looks_like_heading(line.text):
            _remove_sentences(line, sentences)
        paragraphs.update({key, comparison_key(line.text)})
    _remove_short_repeats(kept, short_repeats)


def _headlike(line: Line) -> bool:
    return line.kind in _HEADLIKE or looks_like_heading(line.text)


def _remove_sentences(line: Line, index: SentenceIndex) -> None:
    """Drop the long sentences seen before; the paragraph goes when nothing new is left in it."""
    keep: list[tuple[int, int]] = []
    dropped: list[str] = []
    only_repeats = True
    for start, end in sentence_spans(line.text):
        key = comparison_key(line.text[start:end])
        repeated = bool(key) and index.seen(key)
        only_repeats = only_repeats and (repeated or not key)
        if repeated and len(key) >= MIN_SENTENCE:
            dropped.append(line.text[start:end].strip())
            continue
        keep.append((start, end))
        if key and not repeated:
            index.add(key)
    if not dropped:
        return
    if only_repeats:
        line.remove("duplicate:passage")
        return
    line.cuts.extend(Removed(s, "duplicate:sentence") for s in dropped)
    line.text = "".join(line.text[s:e] for s, e in keep).strip()


def _remove_short_repeats(kept: list[Line], candidates: list[int]) -> None:
    """A short repeated paragraph goes only next to other removed copies (a pasted-twice byline)."""
    pending = set(candidates)
    changed = True
    while changed:
        changed = False
        for k in sorted(pending):
            near = [kept[j] for j in (k - 1, k + 1) if 0 <= j < len(kept)]
            if any(n.removed and n.removed.startswith("duplicate:") for n in near):
                kept[k].remove("duplicate:passage")
                pending.discard(k)
                changed = True
