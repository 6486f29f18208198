"""Training: one state training another state's people passes military know-how to that state
(ロシアは北朝鮮の人員を再教育している → Russia → North Korea, military technology).

The trainer is the subject (or the topic); the trainees are the object, named with their state
(北朝鮮の兵士を, 北朝鮮兵を). What is passed is the contract's ``military_technology``.
"""
from __future__ import annotations

from ..language.accessors import SentenceTree
from ..model import Token
from .items import ItemMention
from .parties import (NOMINAL, RECIPIENT, SUPPLIER, Article, Frame, nearest_ga_subject, owner_of, resolve,
                      sentence_topic)
from .origin import origin_of


def training_frames(tree: SentenceTree, article: Article) -> list[Frame]:
    """ロシア軍の教官が北朝鮮の兵士を訓練している: trainer's state → trainees' state."""
    lex = article.lex
    out = []
    for verb in tree.tokens:
        if verb.lemma not in lex.training:
            continue
        trainees = [c for c in tree.children(verb) if c.pos in NOMINAL and tree.marker(c) == "を"
                    and (c.lemma in lex.trainees or _people_item(tree, c, article))]
        if not trainees:
            continue
        people = trainees[0]
        learner = owner_of(tree, people, article) or resolve(tree, people, article)
        trainer = next((resolve(tree, c, article) for c in tree.children(verb)
                        if c.pos in NOMINAL and c.i < verb.i and (c.dep == "nsubj" or tree.marker(c) in ("が", "は"))),
                       None) or nearest_ga_subject(tree, verb, article) or sentence_topic(tree, article, before=verb.i)
        if not learner or not trainer or learner == trainer:
            continue
        item = ItemMention(verb.start, verb.end, verb.text, lex.training_item, verb.i)
        frame = Frame(anchor=verb, chain=[verb], kinds=["give"], items=[item], settled=True)
        frame.fill(SUPPLIER, trainer, explicit=True, why="the trainer")
        frame.fill(RECIPIENT, learner, explicit=True, why=f"{people.text} (the trainees' state)")
        out.append(frame)
    return out


def _people_item(tree: SentenceTree, tok: Token, article: Article) -> bool:
    """北朝鮮兵を: the object names people of a state (troops, workers) by its own words."""
    mention = ItemMention(tok.start, tok.end, tok.text, "troops", tok.i)
    return origin_of(tree, mention, article) is not None and any(tok.text.endswith(w) for w in article.lex.trainees)
