"""Origin and use: an item made in, or owned by, one state and used or deployed by another went
from the first to the second (ロシア軍の砲弾6割、北朝鮮製か; ロシア軍が北朝鮮の砲弾を使っている;
ロシアは北朝鮮兵を前線に投入した).
"""
from __future__ import annotations

from ..language.accessors import SentenceTree
from ..model import Token
from .items import ItemMention
from .parties import (NOMINAL, RECIPIENT, SUPPLIER, Article, Frame, is_passive, nearest_ga_subject, only_other_state,
                      owner_of, quantity, resolve, sentence_topic)
from .speakers import speaker_state


def origin_frames(tree: SentenceTree, items: list[ItemMention], article: Article) -> list[Frame]:
    """An item made in one state and used or held by another went from the first to the second:
    ロシア軍の砲弾6割、北朝鮮製か; ロシア軍が北朝鮮製のミサイルを使用した."""
    out = []
    for tok in tree.tokens:
        origin = made_in(tree, tok, article)
        if origin is None:
            continue
        for m in items:
            if tok.dep in ("nmod", "compound", "amod") and not _modifies(tree, tok, tree.token(m.head)):
                continue  # ロシア製の部品が|北朝鮮のミサイルから見つかった: the parts were made there
            user, verb = user_of(tree, m, article)
            if user is None or user == origin:
                continue
            # 北朝鮮製の|ミサイルを使用か: a modifier reads with the use; 北朝鮮製か: the predicate itself
            anchor = verb if verb is not None and tok.dep in ("nmod", "compound", "amod") else tok
            frame = Frame(anchor=anchor, chain=[anchor], kinds=["give"], items=[m])
            frame.fill(SUPPLIER, origin, explicit=True, why=f"{tok.text} (made in)")
            frame.fill(RECIPIENT, user, explicit=True, why=f"user of {m.text}")
            out.append(frame)
    for m in items:  # ロシア軍が北朝鮮の砲弾を使っている: the owner of what is used sent it
        user, verb = user_of(tree, m, article)
        owner = owner_of(tree, tree.token(m.head), article)
        if verb is not None and owner and user and owner != user and tree.head(tree.token(m.head)) is not None \
                and tree.head(tree.token(m.head)).i == verb.i:
            frame = Frame(anchor=verb, chain=[verb], kinds=["give"], items=[m], settled=True)
            frame.fill(SUPPLIER, owner, explicit=True, why=f"owner of {m.text}")
            frame.fill(RECIPIENT, user, explicit=True, why=f"user ({verb.text})")
            out.append(frame)
    return out


def _modifies(tree: SentenceTree, modifier: Token, item: Token) -> bool:
    """Does 北朝鮮製の stand on this item's noun phrase (北朝鮮製の|弾道ミサイル|KN23), rather than
    on another noun of the sentence?"""
    def up(tok: Token) -> set[int]:
        out, cur = {tok.i}, tok
        for _ in range(2):
            nxt = tree.head(cur)
            if nxt is None or nxt.i == cur.i or nxt.pos not in NOMINAL:
                break
            out.add(nxt.i)
            cur = nxt
        return out
    head = tree.head(modifier)
    return head is not None and bool(up(head) & up(item))


def made_in(tree: SentenceTree, tok: Token, article: Article) -> str | None:
    """The country of 北朝鮮製 / イラン|製 / ロシア産: a suffix of origin on a country."""
    lex = article.lex
    if tok.text in lex.origin_suffixes and tok.i > tree.tokens[0].i:
        on = article.countries_on(tree.token(tok.i - 1))
    elif tok.text.endswith(lex.origin_suffixes) and len(tok.text) > 1:
        on = article.countries_on(tok)
    else:
        return None
    return on.pop() if len(on) == 1 else None


def user_of(tree: SentenceTree, mention: ItemMention, article: Article) -> tuple[str | None, Token | None]:
    """Who uses or holds an item: the subject of a use verb on it (ロシア軍が使用する砲弾,
    砲弾を撃ち込むロシア), else its owner (ロシア軍の砲弾)."""
    lex = article.lex
    item = tree.token(mention.head)
    holders = [item] + [h for h in tree.ancestors(item)[:2] if quantity(h, lex)]  # ロシア軍の|砲弾|6割
    for verb in [c for h in holders for c in tree.children(h)] + tree.ancestors(item)[:3]:
        causative = verb.lemma in lex.presence | lex.combat and any(w.lemma in ("せる", "させる") for w in tree.function_words(verb))
        if verb.lemma in lex.use or causative:  # 北朝鮮の労働者を工場で働かせている: made to work, so used
            passive = is_passive(tree, verb)  # ロシアの技術が利用された: the subject is what was used
            for c in tree.children(verb) if not passive else []:
                if c.i != item.i and c.pos in NOMINAL and c.i < verb.i and (  # the item as topic is no user
                        c.dep == "nsubj" or tree.marker(c) in ("が", "は")):
                    country = resolve(tree, c, article)
                    if country:
                        return country, verb
            if verb.dep == "acl" and tree.head(verb) is not None and tree.head(verb).i != item.i:
                country = resolve(tree, tree.head(verb), article)  # 砲弾を撃ち込むロシア
            else:  # the parser hung the user on a later verb: the nearest が (else は) before the use,
                # else who says so (ロシア国防省は、北朝鮮製の砲弾を使っているとの情報は虚偽だと発表した)
                country = (None if passive else nearest_ga_subject(tree, verb, article)) or sentence_topic(
                    tree, article, before=min(verb.i, tree.phrase(item)[0].i) if passive else verb.i) \
                    or speaker_state(tree, article, before=verb.i)
            owner = owner_of(tree, item, article)
            if country is None and passive and owner and mention.item.endswith("_technology"):
                # 北朝鮮の新型ミサイルには、ロシアの技術が応用されている: used by the one other state
                country = only_other_state(tree, owner, article)
            if country:
                return country, verb
    for c in [c for h in holders for c in tree.children(h)]:
        if tree.marker(c) == "の" and c.pos in NOMINAL and not tree.doc.text[c.start:c.end].endswith(
                lex.origin_suffixes):
            country = resolve(tree, c, article)
            if country:
                return country, None
    return None, None


def deployed_by_user(tree: SentenceTree, frame: Frame, article: Article) -> None:
    """ロシアは北朝鮮兵を前線に投入した: a state deploying what another state's words name
    (北朝鮮兵, 北朝鮮製の砲弾) uses it; it did not send it."""
    if frame.anchor.lemma not in article.lex.deploy:
        return
    # ロシアは北朝鮮兵をウクライナ東部に投入する計画だ: the topic of the plan is the user
    supplier = frame.roles.get(SUPPLIER) or sentence_topic(tree, article, before=frame.anchor.i)
    if supplier is None:
        return
    for m in frame.items:
        origin = origin_of(tree, m, article) or owner_of(tree, tree.token(m.head), article)
        if origin and origin != supplier:
            frame.decide(origin, supplier, f"{frame.anchor.text} by the user of {m.text}")
            frame.explicit = {SUPPLIER, RECIPIENT}
            frame.blocked = False  # 前線に投入した: the front names no state, the user does
            return


def origin_of(tree: SentenceTree, mention: ItemMention, article: Article) -> str | None:
    """The state an item belongs to by its own words: 北朝鮮兵, 北朝鮮製の砲弾, ロシア産原油."""
    inside = {article.char_country[p] for p in range(mention.start, mention.end) if p in article.char_country}
    if len(inside) == 1:
        return inside.pop()
    for c in tree.children(tree.token(mention.head)):
        words = tree.phrase(c)
        last = words[-1] if words else c
        if tree.marker(c) in ("の", "") and last.text in article.lex.origin_suffixes:
            return resolve(tree, c, article)
    return None
