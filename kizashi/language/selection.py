"""Choosing, cheaply, which sentences deserve a full GiNZA parse.

The parse is the whole cost of the pipeline (about 1,400 characters a second),
while SudachiPy tokenisation alone runs at hundreds of thousands. Only a
sentence naming an item can yield a flow, so those are parsed: a word that names
an item outright (砲弾, 原油), or one that names it only as a flow verb's object
(軍 in 軍を派遣した) beside a flow verb. An event needs the parse only to scope a
hedge, a denial or an attribution, so an event sentence holding none of those
words is read from its tokens alone. A flow noun as topic (供与は…始まった) is parsed too:
it may take up the flow of the sentence before. So is an army where it stands or fights
(北朝鮮軍がクルスク州に展開している): an army named as such is troops there; and training
of people (北朝鮮の人員を再教育している); and an item judged without a verb (核兵器に関する技術は
不可能です), which may carry on the flow of the sentence before.
"""
from __future__ import annotations

from typing import Iterable

from ..extract.lexicon import Lexicon, words_pattern


def select_sentences(sentences: Iterable[tuple[str, list[str]]], lexicon: Lexicon,
                     event_cues: tuple[str, ...]) -> list[bool]:
    """One flag per ``(text, lemmas)`` sentence: True when the parse can change what the
    extractors read in it."""
    items = words_pattern(lexicon.parse_triggers)
    objects = frozenset(lexicon.object_cues)
    events = words_pattern(event_cues)
    return [bool((items.search(text) and (lexicon.may_carry_flow(text, lemmas)
                                          or not lexicon.cleft_evaluative.isdisjoint(lemmas)))  # …技術は不可能だ
                 or ("軍" in text and not lexicon.army_presence.isdisjoint(lemmas))  # 北朝鮮軍が…展開
                 or (not lexicon.training.isdisjoint(lemmas) and not lexicon.trainees.isdisjoint(lemmas))
                 or lexicon.taken_up_pattern.search(text)
                 or (not objects.isdisjoint(lemmas) and not lexicon.flow_predicates.isdisjoint(lemmas))
                 or (events.search(text) and lexicon.may_qualify(text, lemmas)))
            for text, lemmas in sentences]
