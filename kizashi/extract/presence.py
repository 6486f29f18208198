"""Presence: one state's people at work or at war in another state were sent there
(北朝鮮の労働者がロシアの建設現場で働いている; 北朝鮮兵がクルスクで戦闘に参加している).
A battle's place counts only in a text about those two states, and never the land of a state
the people's own is at war with (``combat`` and ``hostile_pairs`` in cues.yaml).

News often says where the troops or workers are and what they do there rather than that they
were sent: the state they belong to is the supplier, the state of the place (〜で, 〜に駐留)
the recipient.
"""
from __future__ import annotations

from ..language.accessors import SentenceTree
from ..model import Token
from .items import ItemMention
from .origin import origin_of
from .parties import NOMINAL, RECIPIENT, SUPPLIER, Article, Frame, owner_of, quantity, resolve, sentence_text

PLACE_MARKERS = ("で", "に", "での", "では", "には")  # 建設現場では…働いている: a place as topic


def presence_frames(tree: SentenceTree, items: list[ItemMention], article: Article) -> list[Frame]:
    """北朝鮮の労働者数千人がロシアの建設現場で働いている: people of one state, the subject of a
    presence verb whose place lies in another state, went from the first to the second; so did
    an army named as such (北朝鮮軍がクルスク州に展開している)."""
    lex = article.lex
    people = [(m, lex.presence | lex.combat) for m in items if m.item in lex.presence_items]
    taken = {m.head for m, _ in people}
    people += [(m, lex.army_presence) for m in _armies(tree) if m.head not in taken]
    out = []
    for m, verbs in people:
        item = tree.token(m.head)
        found = _presence_verb(tree, item, article, verbs)
        if found is None:
            continue
        verb, subject = found
        origin = origin_of(tree, m, article) or owner_of(tree, item, article) or owner_of(tree, subject, article)
        place = _place(tree, verb, item, article)
        if place is None and verb.pos in NOMINAL and tree.head(verb) is not None:
            place = _place(tree, tree.head(verb), item, article)  # 訓練場で|訓練を|受けている
        if place is None:  # クルスク州に展開し、|戦闘に参加している: the chained clause says where
            chained = next((c for c in tree.children(verb) if c.dep == "advcl" and c.lemma in verbs
                            and _place(tree, c, item, article)), None)
            if chained is not None:
                verb, place = chained, _place(tree, chained, item, article)
        if origin is None or place is None or place == origin or frozenset((origin, place)) in lex.hostile_pairs:
            continue  # ロシア軍がウクライナ東部に駐留: an invasion, not a transfer
        if verb.lemma in lex.combat and set(article.pair or ()) != {origin, place}:
            continue  # ウクライナ東部で戦う: a battlefield, not a destination, unless the text is about the two
        frame = Frame(anchor=verb, chain=[verb], kinds=["give"], items=[m], settled=True)
        frame.fill(SUPPLIER, origin, explicit=True, why=f"{m.text} (whose people)")
        frame.fill(RECIPIENT, place, explicit=True, why=f"where they {verb.lemma}")
        out.append(frame)
    return out


def _armies(tree: SentenceTree) -> list[ItemMention]:
    """The sentence's mentions of a state's armed forces (北朝鮮軍), as troops."""
    out = []
    for m in tree.doc.mentions:
        if not m.entity_id.endswith(":armed_forces") or not tree.tokens or \
                not tree.tokens[0].start <= m.start < tree.tokens[-1].end:
            continue
        inside = [t for t in tree.tokens if t.start < m.end and t.end > m.start]
        if inside:
            out.append(ItemMention(m.start, m.end, m.text, "troops", inside[-1].i))
    return out


def _presence_verb(tree: SentenceTree, item: Token, article: Article,
                   verbs: frozenset[str]) -> tuple[Token, Token] | None:
    """The presence verb the people are the subject of (or that a relative clause on them ends
    with: ロシアで働く|北朝鮮労働者), and the subject phrase's head, through a count
    (兵士|約1万|人|が) and chained clauses (軍服を着て…参加している)."""
    lex = article.lex
    relative = next((c for c in tree.children(item) if c.dep == "acl" and c.lemma in verbs), None)
    if relative is not None:  # ロシアで働く|北朝鮮労働者: a relative clause says where they are
        return relative, item
    subject = item
    head = tree.head(item)
    while head is not None and quantity(head, lex) and head.pos in NOMINAL:  # 労働者|数千人
        subject, head = head, tree.head(head)
    headline_topic = subject.i < tree.tokens[-1].i and tree.token(subject.i + 1).text == "、" \
        and not sentence_text(tree).endswith("。")  # 北朝鮮兵、クルスク州で戦闘参加
    if tree.marker(subject) not in ("が", "は", "も") and subject.dep != "nsubj" and not headline_topic:
        return None
    for _ in range(3):
        if head is None:
            return None
        if head.lemma in verbs:
            return head, subject
        found = next((c for c in tree.children(head) if c.lemma in verbs and c.i > subject.i), None)
        if found is not None:  # 戦闘に|参加: the parser hung the subject on the noun before the verb
            return found, subject
        head = tree.head(head)
    return None


def _place(tree: SentenceTree, verb: Token, item: Token, article: Article) -> str | None:
    """The state of the place the verb names (ロシアの建設現場で, クルスクで, 極東に駐留): a で or に
    phrase on the verb or on the noun it governs (戦闘に参加 ← クルスクで)."""
    holders = [verb] + [c for c in tree.children(verb) if c.pos in NOMINAL and c.i < verb.i]
    for h in holders:
        for c in tree.children(h):
            if c.i == item.i or c.pos not in NOMINAL or tree.marker(c) not in PLACE_MARKERS:
                continue
            country = resolve(tree, c, article) or next(  # ロシアの建設現場や|水産加工場で: a listed place
                (found for k in tree.children(c) if tree.marker(k) in ("や", "、", "・")
                 and (found := resolve(tree, k, article))), None)
            if country:
                return country
    return None
