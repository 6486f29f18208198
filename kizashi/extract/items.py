"""Recognising items (what flows) in a sentence: longest cue first, programmes, generic technology.

One matcher serves flows and figures, so 砲弾 is the same item wherever it is counted.
"""
from __future__ import annotations

import re
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
    out = sorted(out + _shared_heads(text, out, lex))
    return _examples_of_technology(text, _same_thing_twice(text, out, lex), lex)


_CONNECTIVE = re.compile(r"^(?:の|・|に関する|関連の?)+")
_BEFORE_DOT = re.compile(r"([\u4e00-\u9fff\u30a1-\u30fa\u30fc]{1,6})・$")


def _shared_heads(text: str, found: list[tuple[int, int, str | None, bool]],
                  lex: Lexicon) -> list[tuple[int, int, str | None, bool]]:
    """核・ミサイル技術: a word joined by ・ to an item shares the item's head noun (核 + 技術 = 核技術),
    so it names the item that the two make together, when the lexicon knows it."""
    out = []
    taken = [(start, end) for start, end, _item, _generic in found]
    for start, _end, item, _generic in found:
        before = _BEFORE_DOT.search(text, 0, start)
        if item is None or before is None:
            continue
        word = before.group(1)
        if any(s < before.end() - 1 and e > before.start() for s, e in taken):
            continue  # 砲弾・ミサイル: the word is an item of its own
        cue = text[start:_end]
        programme = lex.programme_pattern.match(text, _end)  # 核・ミサイル|開発: the head after the cue
        tails = [cue[k:] for k in range(1, len(cue))] + ([_CONNECTIVE.sub("", programme.group())] if programme else [])
        shared = next((lex.item_cues[word + tail] for tail in tails if lex.item_cues.get(word + tail)), None)
        if shared is not None:
            out.append((before.start(1), before.end(1), shared, False))
    return out


_SAME = re.compile(r"^\s*[(（=＝]\s*$")  # 大陸間弾道ミサイル(ICBM), ICBM=大陸間弾道ミサイル技術
_MODIFIER = re.compile(r"^(?:の|用の|用)$")
_SKILL = re.compile(r"^の[\u4e00-\u9fff]{1,3}$")  # 戦闘機の|操縦|技術, 防空網の|運用|知識: a skill with the item
_KINDS_OF = ("artillery_ammunition", "materials")  # what an item of another kind is ammunition or parts for
_ABOUT_TECHNOLOGY = re.compile(r"(?:に関する|関連の?|の)技術(?:$|(?![\u4e00-\u9fff]))")  # 弾道ミサイルや|核兵器に関する技術: shared by the list
_LIST_GAP = re.compile(r"^(?:[\s、・やと]|など|などの|の|[(（][^)）]*[)）])*$")


def _same_thing_twice(text: str, found: list[tuple[int, int, str | None, bool]],
                      lex: Lexicon) -> list[tuple[int, int, str | None, bool]]:
    """An abbreviation in brackets or an equation names the preceding item again: keep the fuller
    one (the later one after =, which may add 技術); an item that modifies the next by の names its
    kind; a skill with an item (戦闘機の操縦技術) is the item's technology, not the item."""
    out: list[tuple[int, int, str | None, bool]] = []
    for cur in found:
        if out and out[-1][2] and cur[3] and _SKILL.match(text[out[-1][1]:cur[0]]):
            kind = out[-1][2]
            technology = kind if kind.endswith("_technology") else lex.technology_of.get(kind, "military_technology")
            out[-1] = (cur[0], cur[1], technology, False)
            continue
        if out and out[-1][2] in lex.presence_items and cur[2] and not cur[3] and text[out[-1][1]:cur[0]] == "の":
            out[-1] = cur  # 労働者の|月給, 兵士の|食料: the people own what flows, they are not it
            continue
        if out and out[-1][2] and _MODIFIER.match(text[out[-1][1]:cur[0]]) and (
                cur[3] or cur[2] in _KINDS_OF or (cur[2] or "").endswith("_technology")):
            kind = out[-1][2]  # 放射砲の砲弾, 弾道ミサイルの誘導技術: the first only says which kind;
            out[-1] = cur if not cur[3] else (cur[0], cur[1], kind, False)  # ミサイル技術のノウハウ: its kind
            continue
        if out and out[-1][2] and cur[2] and _SAME.match(text[out[-1][1]:cur[0]]):
            gap = text[out[-1][1]:cur[0]]
            if "=" in gap or "＝" in gap:
                out[-1] = cur
            continue
        out.append(cur)
    return out


def _examples_of_technology(text: str, found: list[tuple[int, int, str | None, bool]],
                            lex: Lexicon) -> list[tuple[int, int, str | None, bool]]:
    """ICBM、原子力潜水艦、人工衛星など先端軍事技術: items listed as examples of a technology word name
    their technologies."""
    out = list(found)
    for k, (start, end, item, generic) in enumerate(out):
        if item not in lex.technology_of:
            continue
        reach = end
        for nxt in out[k + 1:]:
            gap = text[reach:nxt[0]]
            if nxt[3] or (nxt[2] or "").endswith("_technology") and "など" in text[start:nxt[0]] or \
                    text.startswith(("先端", "軍事", "先進"), nxt[0]) or _ABOUT_TECHNOLOGY.search(text[nxt[0]:nxt[1]]) \
                    or (nxt[2] or "").endswith("_technology") and _ABOUT_TECHNOLOGY.match(text, nxt[1]):
                if _LIST_GAP.match(gap) or re.match(r"^(?:など|などの)?(?:先端|先進|高度な|重要な)?(?:軍事)?$", gap):
                    out[k] = (start, end, lex.technology_of[item], generic)
                break
            if not _LIST_GAP.match(gap):
                break
            reach = nxt[1]
    return out


def _head_token(tokens: list[Token], start: int, end: int) -> Token | None:
    """The rightmost token inside the cue: Japanese compounds are head-final (潜水艦|技術)."""
    inside = [t for t in tokens if t.start < end and t.end > start]
    return inside[-1] if inside else None
