"""Recognising items (what flows) in a sentence: longest cue first, programmes, generic technology.

One matcher serves flows and figures, so 砲弾 is the same item wherever it is counted.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..config import Options
from ..language.accessors import sentence_tokens
from ..model import Document, Token
from .lexicon import GENERIC_TECHNOLOGY, Lexicon, load_lexicon


@dataclass(frozen=True)
class ItemMention:
    start: int
    end: int
    text: str
    item: str
    head: int  # index (into Document.tokens) of the token that carries the item in the parse
    generic: bool = False  # a bare technology word (技術) whose domain was inherited or defaulted


def item_in(text: str, options: Options) -> str | None:
    """The first item named in ``text`` (used by figures for the thing counted)."""
    lex = load_lexicon(options.data_dir)
    for _start, _end, item, _generic in _matches(text, lex):
        if item is not None:
            return item
    return None


def find_items(doc: Document, sent_index: int, lex: Lexicon) -> list[ItemMention]:
    """Items named in one sentence, in text order, each tied to its head token."""
    sent = doc.sentences[sent_index]
    text = doc.text[sent.start:sent.end]
    tokens = sentence_tokens(doc, sent_index)
    matches = _matches(text, lex)
    out: list[ItemMention] = []
    domain: str | None = None  # the last specific technology named: 技術 alone inherits it
    for k, (start, end, item, generic) in enumerate(matches):
        if generic:
            # else the next one (技術支援を受けて偵察衛星を打ち上げた), else military technology
            ahead = (m[2] for m in matches[k + 1:] if m[2] and m[2].endswith("_technology"))
            item = domain or next(ahead, None) or GENERIC_TECHNOLOGY
        elif item is None:
            continue
        elif item.endswith("_technology"):
            domain = item
        head = _head_token(tokens, sent.start + start, sent.start + end)
        if head is None:
            continue
        out.append(ItemMention(sent.start + start, sent.start + end, text[start:end], item, head.i, generic))
    return out


def _matches(text: str, lex: Lexicon) -> list[tuple[int, int, str | None, bool]]:
    """(start, end, item, generic) for each cue; an item followed by a programme word becomes its technology."""
    out = []
    for m in lex.item_pattern.finditer(text):
        cue = m.group()
        if cue in lex.generic_technology:
            out.append((m.start(), m.end(), None, True))
            continue
        item = lex.item_cues.get(cue)
        if item in lex.technology_of and lex.programme_pattern.match(text, m.end()):
            item = lex.technology_of[item]
        out.append((m.start(), m.end(), item, False))
    return out


def _head_token(tokens: list[Token], start: int, end: int) -> Token | None:
    """The rightmost token inside the cue: Japanese compounds are head-final (潜水艦|技術)."""
    inside = [t for t in tokens if t.start < end and t.end > start]
    return inside[-1] if inside else None
