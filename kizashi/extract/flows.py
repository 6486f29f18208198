"""Flows — who sends what to whom — from Japanese case frames over GiNZA's parse.

Direction comes from the predicate's frame and the case particles, never from
word order: XがYにZを提供 (X→Y), XがYからZを受ける (Y→X), XがYにZの提供を要請
(Y→X, not yet done), ロシアへの武器供給 / 北朝鮮からの派兵 (the nominal forms).
A party comes from the sentence: roles it leaves out are filled, most trusted first,
from the governing clause's subject, the sentence's topic, a chained clause, the one a
speaker addresses or the speaker, the topic carried from the sentence before, the way
the same item already went in the text, the sentence's one other state, and the
partner of the text's last flow; never from the article's most named states alone.
One sentence gives one claim per (supplier, recipient, item), each with its ``why``.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..config import Options
from ..language.accessors import SentenceTree
from ..model import Document, Flow, Token
from .attribution import attribution_of
from .certainty import CERTAIN, NEGATED, UNCERTAIN, walk_certainty
from .items import ItemMention, find_items
from .lexicon import Lexicon, load_lexicon
from .origin import deployed_by_user, origin_frames, origin_of, user_of
from .parties import (NOMINAL, RECIPIENT, SUPPLIER, Article, Frame, as_said, is_passive, nearest_ga_subject,
                      only_other_state, owner_of, quantity, resolve, sentence_text, sentence_topic)
from .presence import presence_frames
from .training import training_frames
from .speakers import addressees_of, speaker_state, speakers_of

_QUOTE_ENDINGS = ("と", "という", "との", "とし", "とする", "として")
_EXAMPLE_MARKERS = ("など", "や", "などの", "といった", "のような", "をはじめ", "を含む")
_KANJI = re.compile(r"[\u4e00-\u9fff]+")


def extract_flows(doc: Document, options: Options) -> list[Flow]:
    """Every flow the document states, once per sentence that states it: the ledger cites
    each statement, and a later sentence may say it with another certainty or source."""
    lex = load_lexicon(options.data_dir)
    article = Article(doc, lex, options.data_dir)
    out: list[Flow] = []
    for k, sent in enumerate(doc.sentences):
        tree = SentenceTree(doc, k)
        article.speakers = speakers_of(tree, article) if tree.parsed else set()
        article.addressees = addressees_of(tree, article) if tree.parsed else []
        if tree.parsed:
            out.extend(_one_per_statement(_sentence_flows(tree, article)))
        topic = sentence_topic(tree, article)
        if topic:
            article.carried = topic
        following = doc.sentences[k + 1] if k + 1 < len(doc.sentences) else None
        same_paragraph = following is not None and "\n" not in doc.text[sent.end:following.start]
        article.previous_states = {article.char_country[p] for p in range(sent.start, sent.end)
                                   if p in article.state_chars} if same_paragraph else set()
    return out


def _sentence_flows(tree: SentenceTree, article: Article) -> list[tuple[int, Flow]]:
    """Each flow with the depth of its predicate (0 at the sentence's root)."""
    flows: list[tuple[int, Flow]] = []
    article.done = []
    for frame in _frames(tree, article):
        _resolve_roles(tree, frame, article)
        article.done.append(frame)
        depth = len(tree.ancestors(frame.anchor))
        flows.extend((depth, f) for f in _emit(tree, frame, article))
    return flows


def _one_per_statement(flows: list[tuple[int, Flow]]) -> list[Flow]:
    """One claim per (supplier, recipient, item) in a sentence, with one certainty: the one of
    the predicate nearest the root, which is what the sentence asserts (…提供されるのではなく、
    …支援まで受けている: the main clause speaks)."""
    best: dict[tuple[str, str, str], tuple[int, Flow]] = {}
    for depth, flow in flows:
        key = (flow.supplier, flow.recipient, flow.item)
        if key not in best or depth < best[key][0]:
            best[key] = (depth, flow)
    return [flow for _, flow in best.values()]


def _frames(tree: SentenceTree, article: Article) -> list[Frame]:
    """The sentence's items grouped under the predicates that move them, in text order."""
    lex = article.lex
    items = find_items(tree.doc, tree.sent_index, lex)
    items += _object_items(tree, items, lex)
    if not items:  # 北朝鮮軍がクルスク州に展開している: an army is no item word, yet troops
        return presence_frames(tree, [], article) + training_frames(tree, article) or _flow_taken_up(tree, article)
    heads = {m.head for m in items}
    frames: dict[int, Frame] = {}
    loose: list[ItemMention] = []
    exchanged: list[tuple[ItemMention, Token]] = []
    for mention in items:
        anchor, exchange = _anchor_of(tree, tree.token(mention.head), heads, lex)
        if exchange is not None:
            exchanged.append((mention, exchange))
            continue
        relative = None
        if anchor is None:
            relative = anchor = _adjacent_relative(tree, mention, lex)
        if anchor is None:
            loose.append(mention)
            continue
        item_tok = tree.token(mention.head)
        paid_with = tree.marker(item_tok) in ("で", "によって", "により") and tree.head(item_tok) is not None \
            and tree.head(item_tok).i == anchor.i
        if paid_with and anchor.lemma not in lex.object_recipient | lex.payment_verbs and _kind(anchor, tree, lex) == "give":
            continue  # 貨物船と軍用機で送られた: the means of carrying, not the cargo
        frame = frames.get(anchor.i) or _new_frame(tree, anchor, lex)
        # what a relative clause names is done, unless it is said to be (提供したとされる防空システム)
        frame.given = frame.given or (relative is not None and not tree.marker(relative).endswith("と"))
        frames[anchor.i] = frame
        if all(m.item != mention.item for m in frame.items):
            frame.items.append(mention)
    for frame in frames.values():  # 代金を石油で支払う: the payment is the oil, not money
        if frame.anchor.lemma in lex.payment_verbs and any(
                tree.marker(tree.token(m.head)) == "で" and m.item != "cash" for m in frame.items):
            frame.items = [m for m in frame.items if m.item != "cash"]
    for frame in frames.values():  # ロシアは北朝鮮兵に食料を送った: the people given to are the recipient
        if any(tree.marker(tree.token(m.head)) == "を" for m in frame.items):
            frame.items = [m for m in frame.items if not (
                m.item in lex.presence_items and tree.marker(tree.token(m.head)) in ("に", "に対し", "に対して", "へ"))]
    _focus_of_clefts(tree, frames, loose, article)
    for mention in list(loose):
        frame = _destination_frame(tree, tree.token(mention.head), article)
        if frame is not None:
            loose.remove(mention)
            frame.items.append(mention)
            frames[frame.anchor.i] = frame
    for mention in list(loose):  # …500万発を上回る砲弾や…ミサイル100発以上が含まれる
        verb = tree.head(tree.token(mention.head))
        while verb is not None and quantity(verb, lex):
            verb = tree.head(verb)
        if verb is not None and verb.lemma in lex.contents and is_passive(tree, verb) and article.history:
            loose.remove(mention)
            frames.setdefault(verb.i, Frame(anchor=verb, chain=[verb], kinds=["give"])).items.append(mention)
    for mention in list(loose):  # 砲弾や…ミサイル100発以上が: a list member goes where the list goes
        if tree.marker(tree.token(mention.head)) not in _LIST_MARKERS:
            continue
        cur = tree.head(tree.token(mention.head))
        for _ in range(3):
            home = next((f for f in frames.values() if any(m.head == (cur.i if cur else -1) for m in f.items)), None)
            if home is not None or cur is None:
                break
            cur = tree.head(cur)
        if home is not None and all(m.item != mention.item for m in home.items):
            loose.remove(mention)
            home.items.append(mention)
    for mention in list(loose):  # 北朝鮮への見返りは食料や燃料だ
        found = _return_named(tree, tree.token(mention.head), article)
        if found is not None:
            loose.remove(mention)
            frames.setdefault(found.anchor.i, found).items.append(mention)
    for mention in list(loose):  # …技術移転は可能です。しかし、核兵器に関する技術は不可能です
        found = _judged_item_taken_up(tree, tree.token(mention.head), article)
        if found is not None:
            loose.remove(mention)
            frames.setdefault(found.anchor.i, found).items.append(mention)
    for mention in list(loose):  # ロシアの支援を得て原子力潜水艦を建造している
        found = _helped_programme(tree, mention, frames, lex)
        if found is not None:
            loose.remove(mention)
            frames[found.anchor.i] = found
    bare = [t for t in tree.tokens if t.i not in frames and t.pos in NOMINAL and _is_flow_predicate(t, tree, lex)
            and not any(m.head == t.i for m in items) and _own_parties(tree, t, article)]
    if len(bare) == 1:  # 北朝鮮の供給は前線の弾薬不足を補っている: the clause's one flow noun moves them
        mates = [m for m in loose if _clause_verb(tree, tree.token(m.head)) == _clause_verb(tree, bare[0]) is not None]
        if mates:
            frames[bare[0].i] = _new_frame(tree, bare[0], lex)
            frames[bare[0].i].items.append(mates[0])
    taken = {m.head for f in frames.values() for m in f.items}
    untaken = [m for m in items if m.head not in taken]
    for frame in origin_frames(tree, untaken, article) + presence_frames(tree, untaken, article) \
            + training_frames(tree, article):
        frames.setdefault(frame.anchor.i, frame).items.extend(
            m for m in frame.items if m not in frames[frame.anchor.i].items)
    ordered = sorted(frames.values(), key=lambda f: f.anchor.i)
    for mention, noun in exchanged:
        target = _exchange_target(ordered, noun)
        if target is not None:
            target.reverse.append((mention, noun))
            continue
        own = _destination_frame(tree, tree.token(mention.head), article) or _destination_frame(
            tree, noun, article, anchor=tree.token(mention.head))  # ロシアへの派兵の代価として
        if own is not None:
            own.given = _paid_noun(tree, mention)
            own.items.append(mention)
            ordered.append(own)
            got = _bought(tree, noun, [m for m in loose if m is not mention], lex)
            if got is not None:  # …派兵の代価として防空兵器体系を強化している: what came back
                got.mirror = own
                ordered.append(got)
    ordered = [part for frame in ordered for part in (_gapped(tree, frame, article) or [frame])]
    return sorted(ordered, key=lambda f: f.anchor.i)


def _gapped(tree: SentenceTree, frame: Frame, article: Article) -> list[Frame]:
    """ロシアは北朝鮮に小麦を、北朝鮮はロシアに砲弾を送った: one verb shared by clauses that each
    name their own parties and items; each clause is a flow of its own (empty when it is not so)."""
    lex, verb = article.lex, frame.anchor
    if len(frame.chain) != 1 or frame.settled or len(frame.items) < 2:
        return []
    args = [(c, lex.role_of(tree.marker(c)) or ("subject" if c.dep == "nsubj" else None))
            for c in tree.children(verb) if c.pos in NOMINAL and c.i < verb.i]
    subjects = [c.i for c, role in args if role == "subject" and resolve(tree, c, article)]
    if len(subjects) < 2 or any(m.head < subjects[0] for m in frame.items):
        return []  # 砲弾を北朝鮮が、…: an item before the first clause belongs to no one clause
    out = []
    for lo, hi in zip(subjects, subjects[1:] + [verb.i]):
        part = Frame(anchor=verb, chain=[verb], kinds=list(frame.kinds), settled=True,
                     items=[m for m in frame.items if lo < m.head < hi])
        for c, role in args:  # its own words, then those before the first clause (ロシアには|北朝鮮が…、イランが…)
            mapped = _role_for(part, 0, role, lex) if lo <= c.i < hi or c.i < subjects[0] else None
            if mapped:
                part.fill(mapped, resolve(tree, c, article), explicit=True, why=as_said(tree, c))
        if not part.items:
            return []
        out.append(part)
    for part in out:  # 北朝鮮はロシアに砲弾を、イランは無人機を: a party named once serves the clause that leaves it out
        for role in (SUPPLIER, RECIPIENT):
            named = {p.roles[role] for p in out if role in p.roles}
            if role not in part.roles and len(named) == 1:
                part.fill(role, next(iter(named)), explicit=True, why="named in the clause beside it")
        if SUPPLIER not in part.roles or RECIPIENT not in part.roles:
            return []
    return out


def _helped_programme(tree: SentenceTree, mention: ItemMention, frames: dict[int, Frame],
                      lex: Lexicon) -> Frame | None:
    """ロシアの支援を得て原子力潜水艦を建造している: the object of a programme verb whose clause
    is helped (〜の支援を得て, 〜の協力で, 〜の技術支援を受けて) came as the helper's technology;
    the help noun is the flow, its owner the supplier (北朝鮮はロシアの支援で衛星を打ち上げた)."""
    item = tree.token(mention.head)
    verb = tree.head(item)
    if verb is None or tree.marker(item) != "を" or verb.lemma not in lex.programme_verbs:
        return None
    technology = lex.technology_of.get(mention.item, mention.item)
    if not technology.endswith("_technology"):
        return None
    for clause in tree.children(verb):
        holders = [clause] + [c for c in tree.children(clause) if c.pos in NOMINAL]  # 支援を|得て
        noun = next((h for h in holders if h.lemma in lex.help_nouns and h.i < verb.i and h.i not in frames), None)
        if noun is not None:
            frame = _new_frame(tree, noun, lex)
            frame.items.append(replace(mention, item=technology))
            return frame
    return None


def _flow_taken_up(tree: SentenceTree, article: Article) -> list[Frame]:
    """供与は1月上旬から始まり、すでに4回輸送された: a flow noun as the topic of a sentence naming no
    item takes up the flow of the sentence just before (its item and its parties); so do the people
    of a troop or worker flow arriving (第一陣の約1500人は…ウラジオストクに到着した)."""
    if not article.history or tree.sent_index - article.history[-1][0] > 1:
        return []
    _k, supplier, recipient, item = article.history[-1]
    for tok in tree.tokens:
        head = tree.head(tok)
        people = item in ("troops", "workers") and head is not None and _kind(head, tree, article.lex) == "give" \
            and (tok.text.endswith("人") and quantity(tok, article.lex) or tok.lemma == "陣")  # 第一陣の約1500人は…到着した
        if tok.pos in NOMINAL and tree.marker(tok) in ("は", "が", "も") and (
                people or _kind(tok, tree, article.lex) == "give"):
            frame = Frame(anchor=tok, chain=[tok], kinds=["give"],
                          items=[ItemMention(tok.start, tok.end, tok.text, item, tok.i)])
            frame.decide(supplier, recipient, "the flow of the sentence before, taken up")
            frame.settled = True
            return [frame]
    return []


def _bought(tree: SentenceTree, noun: Token, loose: list[ItemMention], lex: Lexicon) -> Frame | None:
    """What the clause of an exchange phrase gets, when its verb moves nothing by itself."""
    verb = tree.head(noun)
    if verb is None or verb.pos != "VERB":
        return None
    objects = [m for m in loose if (tree.head(tree.token(m.head)) or tree.token(m.head)).i == verb.i
               and tree.marker(tree.token(m.head)) in lex.roles["object"]]
    if not objects:
        return None
    return Frame(anchor=verb, chain=[verb], kinds=["give"], items=objects[:1])


# -- finding the predicate an item belongs to -------------------------------------------------

def _object_items(tree: SentenceTree, found: list[ItemMention], lex: Lexicon) -> list[ItemMention]:
    """軍をロシアに派遣する: words that are items only as a flow verb's object; その多くを送った:
    an anaphor as that object stands for the last item named before it."""
    covered = {m.head for m in found}
    out = []
    for t in tree.tokens:
        head = tree.head(t)
        if t.i in covered or t.dep != "obj" or head is None or not _is_flow_predicate(head, tree, lex):
            continue
        item = lex.object_cues.get(t.lemma)
        if item is None and _anaphor(tree, t, lex):
            before = [m for m in found if m.head < t.i]
            item = before[-1].item if before else None
        if item:
            out.append(ItemMention(t.start, t.end, t.text, item, t.i))
    return out


def _anaphor(tree: SentenceTree, tok: Token, lex: Lexicon) -> bool:
    """それを, これらを, その多くを, その一部を: a word pointing back, alone or before a share."""
    if tok.text in lex.anaphors:
        return True
    return quantity(tok, lex) and any(c.text in lex.anaphors and c.i < tok.i for c in tree.children(tok))


def _kind(tok: Token, tree: SentenceTree, lex: Lexicon) -> str | None:
    if tok.dep in ("aux", "fixed"):
        return None
    if tok.lemma in lex.give:
        return "give"
    if tok.lemma in lex.arrival_suffixes and any(
            c.dep == "compound" and c.i == tok.i - 1 and _place_word(tree, c) for c in tree.children(tok)):
        return "give"  # 北朝鮮兵が|ロシア入りした
    if tok.lemma in lex.knowledge_verbs and any(
            c.dep == "obj" and c.lemma in lex.generic_technology for c in tree.children(tok)):
        return "give"  # 実戦のノウハウを|伝えている
    if tok.lemma in lex.receive:
        return "receive"
    if tok.pos in NOMINAL and len(tok.text) > 2:  # one compound token: 労働者派遣, 砲弾支援, 輸入額
        text = tok.text[:-1] if tok.text.endswith(("額", "量")) else tok.text
        deal = _deal_word(text, lex)
        text = text[:-len(deal)] if deal else text  # 輸出契約: the flow is inside the deal
        for word in lex.give | lex.receive:
            if len(word) >= 2 and _KANJI.fullmatch(word) and text.endswith(word):
                return "give" if word in lex.give else "receive"
    if tok.lemma in lex.seek:
        if tok.pos == "ADJ" and tok.dep in ("acl", "amod") and tree.head(tok) is not None \
                and tree.head(tok).pos in NOMINAL:
            return None  # 潜水艦開発に|必要な|原子炉の技術: what something needs, not a request
        return "seek"
    if tok.lemma in lex.agent:
        # 〜を必要とする: する takes the frame of its と-complement
        if tok.lemma == "する" and any(c.lemma in lex.seek and tree.marker(c) == "と" for c in tree.children(tok)):
            return "seek"
        return "agent"
    return None


def _place_word(tree: SentenceTree, tok: Token) -> bool:
    """Is the word a state or a place (linked as one)?"""
    return any(m.type in ("country", "place") and m.start < tok.end and m.end > tok.start for m in tree.doc.mentions)


def _is_flow_predicate(tok: Token, tree: SentenceTree, lex: Lexicon) -> bool:
    return _kind(tok, tree, lex) in ("give", "receive") and tok.pos in ("NOUN", "VERB", "PROPN")


def _anchor_of(tree: SentenceTree, start: Token, heads: set[int], lex: Lexicon) -> tuple[Token | None, Token | None]:
    """The flow predicate governing an item, climbing through coordinated items and linking
    nouns (偵察衛星|関連の|技術支援); second value: the exchange noun passed, if any."""
    cur: Token | None = start
    steps = 0
    # 砲弾など…コンテナ分の武器: an example may hang a few nouns away from what it exemplifies
    # 原子炉と|タービン、|冷却機関を: a list may end in words that are no items
    bridges = 3 if tree.marker(start) in _EXAMPLE_MARKERS else 2 if tree.marker(start) in ("と", "、") else 0
    head = tree.head(start)
    if head is not None and head.lemma in lex.exchange_nouns and tree.marker(start) in ("の", ""):
        return None, head  # 派兵の見返りとして: even a flow noun goes the other way
    above = tree.head(head) if head is not None and start.dep == "compound" else None
    if above is not None and above.lemma in lex.exchange_nouns and _is_flow_predicate(head, tree, lex):
        return None, above  # 武器|支援の|見返りに: the compound flow noun is what was paid
    if start.i < tree.tokens[-1].i:  # 技術|移転|・協力: a flow noun right after the item in one compound
        nxt = tree.token(start.i + 1)
        if nxt.pos in NOMINAL and _is_flow_predicate(nxt, tree, lex) and head is not None \
                and start.dep == "compound" and (tree.head(nxt) or nxt).i in (head.i, nxt.i):
            return nxt, None
    share = _share_after(tree, start, lex)
    if share is not None:
        relative = next((c for c in tree.children(start) if c.dep == "acl" and c.pos == "VERB"
                         and _is_flow_predicate(c, tree, lex) and any(
                             k.pos in NOMINAL and lex.role_of(tree.marker(k)) in ("recipient", "source")
                             for k in tree.children(c))), None)
        return relative or share, None  # クルスク州に派遣した|部隊の一部を…移動させた: the relative names the flow
    if tree.marker(start) == "は":  # 砲弾は、…を支援するため、…発送された: a topic is the main clause's
        root = next((t for t in tree.tokens if t.head == t.i), None)
        if root is not None and root.i != start.i and root.pos == "VERB" and _is_flow_predicate(root, tree, lex) \
                and not _takes_other_object(tree, root, lex):
            return root, None
    prev: Token | None = None
    while cur is not None and steps < 12:
        steps += 1
        if _is_flow_predicate(cur, tree, lex):
            if prev is not None and prev.dep == "nsubj" and _takes_other_object(tree, cur, lex):
                return None, None  # 兵士たちは|訓練を受けた: the subject received, it was not received
            return cur, None
        if cur.i != start.i and cur.lemma in lex.exchange_nouns:
            return None, cur  # 砲弾の代金, 砲弾と引き換えに: the other way
        if cur.lemma in lex.agreements:  # 設備の|輸出|契約: the flow noun compounded into the deal
            deal_flow = next((c for c in tree.children(cur) if c.dep == "compound" and _is_flow_predicate(c, tree, lex)),
                             None)
            if deal_flow is not None:
                return deal_flow, None
        if cur.i in heads or cur.i == start.i:
            for c in tree.children(cur):  # 北朝鮮から購入した|弾道ミサイル: the item is the gap
                if c.dep in ("acl", "dep") and c.pos == "VERB" and _is_flow_predicate(c, tree, lex) \
                        and not any(k.dep == "obj" for k in tree.children(c)) \
                        and not _gained_before(tree, c, cur, lex):  # 物資を受け取る|兵士: a party
                    return c, None
        if cur.pos == "VERB" and cur.lemma in lex.linking_verbs and cur.dep == "acl":
            cur = tree.head(cur)  # ミサイルや砲弾を含む|兵器, 原子炉を含む|動力機関: the whole holds it
            bridges = max(bridges, 1)
            continue
        if cur.pos == "VERB" and cur.i not in heads and tree.marker(start) in ("が", "は", "も") \
                and tree.tail(cur).endswith(("て", "で")) and tree.head(cur) is not None \
                and _is_flow_predicate(tree.head(cur), tree, lex):
            return tree.head(cur), None  # 小麦粉が検査を経て、鉄道で積み出された: one subject, chained verbs
        up = tree.head(cur)
        if cur.pos == "VERB" and not tree.tail(cur) and up is not None and up.start == cur.end \
                and _is_flow_predicate(up, tree, lex):
            return up, None  # 兵士|追加|派遣した: one compound the parser split into two verbs
        if cur.pos in ("VERB", "ADJ", "AUX") and cur.i not in heads:
            kind = _kind(cur, tree, lex)
            if kind in ("seek", "agent"):
                for c in tree.children(cur):
                    if c.pos in NOMINAL and _is_flow_predicate(c, tree, lex):
                        return c, None
                if kind == "seek":
                    return cur, None
            return None, None
        if cur.i != start.i and cur.i not in heads and cur.lemma not in lex.linking_nouns \
                and not quantity(cur, lex):
            if bridges == 0:
                return _misattached_object(tree, start, lex), None
            bridges -= 1
        prev, cur = cur, tree.head(cur)
    return None, None


def _gained_before(tree: SentenceTree, relative: Token, noun: Token, lex: Lexicon) -> bool:
    """戦闘で得た|ノウハウを|伝えている: a relative clause of gaining with no source (no から) only
    says where the thing came from; the verb the noun is the object of moves it."""
    above = tree.head(noun)
    return _kind(relative, tree, lex) == "receive" and above is not None and above.i != noun.i \
        and _is_flow_predicate(above, tree, lex) \
        and not any(tree.marker(k) in ("から", "からの") for k in tree.children(relative))


def _takes_other_object(tree: SentenceTree, verb: Token, lex: Lexicon) -> bool:
    """兵士たちは|訓練を|受けた: an active verb of receiving whose を names what came makes its topic
    the receiver, not the thing received."""
    return _kind(verb, tree, lex) == "receive" and not is_passive(tree, verb) and (
        any(c.dep == "obj" for c in tree.children(verb))
        or verb.dep == "acl" and _gap_noun(tree.head(verb), lex))  # 労働者が得た|賃金


def _gap_noun(noun: Token | None, lex: Lexicon) -> bool:
    """Is the noun a relative clause modifies its gap (得た|賃金), not its content (受け入れる|方針)?"""
    return noun is not None and noun.pos in NOMINAL and noun.lemma not in (
        lex.uncertain_lemmas | lex.negated_lemmas | lex.transparent_nouns | lex.factive_nouns | frozenset(lex.means_nouns))


def _adjacent_relative(tree: SentenceTree, mention: ItemMention, lex: Lexicon) -> Token | None:
    """派遣されていた|北朝鮮兵: a flow clause that ends right before the item modifies it, whatever
    the parser hung it on (also through a hedge: 提供したとされる|防空システム)."""
    first = next((t for t in tree.tokens if t.start <= mention.start < t.end), None)
    if first is None or first.i == tree.tokens[0].i:
        return None
    before = tree.token(first.i - 1)
    verb = before if before.pos == "VERB" else tree.head(before) if before.dep in ("aux", "mark", "fixed") else None
    while verb is not None and verb.dep in ("aux", "mark", "fixed"):
        verb = tree.head(verb)
    if verb is not None and verb.pos == "VERB" and not _is_flow_predicate(verb, tree, lex):
        # 提供したと|される|防空システム: a hedged relative clause; the flow verb is its quote
        verb = next((c for c in tree.children(verb) if tree.marker(c).endswith("と")
                     and c.pos == "VERB" and _is_flow_predicate(c, tree, lex)), None)
    if verb is None or verb.pos != "VERB" or not _is_flow_predicate(verb, tree, lex) \
            or any(k.dep == "obj" for k in tree.children(verb)):
        return None
    return verb


def _told(tree: SentenceTree, frame: Frame, article: Article) -> Token | None:
    """〜しないよう警告した, 〜するよう求めた: the one a clause is told to (the first に of the clause) is
    its doer, not its recipient; so is a に対し before the flow's own recipient under a warning."""
    anchor, lex = frame.anchor, article.lex
    goals = sorted((arg for arg, role in _arguments(tree, anchor, frame, lex)
                    if role == "recipient" and tree.marker(arg) in ("に", "に対し", "に対して")), key=lambda t: t.i)
    said = [a for a in tree.ancestors(anchor)[:3] if a.lemma in lex.attribution_verbs or a.lemma in lex.seek]
    if "よう" in tree.tail(anchor) and any(a in said for a in tree.ancestors(anchor)[:2]):
        return goals[0] if goals else None
    states = [(g, state) for g in goals if (state := resolve(tree, g, article))]
    if said and len(states) >= 2 and tree.marker(states[0][0]) in ("に対し", "に対して") \
            and states[0][1] != states[1][1]:
        return states[0][0]  # 北朝鮮に対し、ロシアに兵器を提供した場合…と警告した: the one warned, then the recipient
    if said and len(states) == 1 and tree.marker(states[0][0]) in ("に対し", "に対して") \
            and _misattached_goal(tree, frame, article) not in (None, states[0][1]):
        return states[0][0]  # 北朝鮮に対し、ロシアに|…ための|兵器を提供した場合: the recipient hangs lower down
    return None


def _misattached_goal(tree: SentenceTree, frame: Frame, article: Article) -> str | None:
    """A goal the parser hung on a neighbour of the predicate: on a word inside the predicate's
    own phrase (ロシアに|自爆|ドローン供与か) or on the noun that governs it (北朝鮮に|技術供与の|恐れ),
    never across a verb of its own or a reporting verb (…に対し…と警告した)."""
    lex, anchor = article.lex, frame.anchor
    above, cur = set(), anchor
    while (cur := tree.head(cur)) is not None and cur.pos in NOMINAL:
        above.add(cur.i)
    for t in tree.tokens:
        if t.i >= anchor.i or t.pos not in NOMINAL or lex.role_of(tree.marker(t)) != "recipient":
            continue
        head, steps = tree.head(t), 0
        while head is not None and head.i != anchor.i and head.i not in above and steps < 3 \
                and head.pos in NOMINAL + ("VERB",) and head.lemma not in lex.attribution_verbs \
                and not _is_flow_predicate(head, tree, lex):  # ロシア側への|派遣や…支援: another flow's goal
            head, steps = tree.head(head), steps + 1
        if head is not None and (head.i == anchor.i and steps > 0 or head.i in above):
            country = resolve(tree, t, article)
            if country:
                return country
    return None


def _misattached_object(tree: SentenceTree, item: Token, lex: Lexicon) -> Token | None:
    """石油を|上限を超えて|供給している: an object the parser hung on a nearer word, when a
    flow verb governs that word within the same clause (never across a relative clause)."""
    if tree.marker(item) != "を":
        return None
    cur = item
    for _ in range(3):
        if cur.dep not in ("obj", "obl", "advcl", "nmod"):
            return None
        cur = tree.head(cur)
        if cur is None:
            return None
        if cur.pos == "VERB" and _is_flow_predicate(cur, tree, lex):
            return cur
        verb = next((c for c in tree.children(cur) if c.dep == "compound" and c.pos == "VERB"
                     and _is_flow_predicate(c, tree, lex)), None)
        if verb is not None:
            return verb  # 製品を|供給する|ため: the parser made the verb a compound of ため
    return None


def _new_frame(tree: SentenceTree, anchor: Token, lex: Lexicon) -> Frame:
    """The anchor and the light verbs it is the object of (提供を|要請する, 支援を|受ける)."""
    chain, kinds = [anchor], [_kind(anchor, tree, lex) or "give"]
    cur = anchor
    while cur.pos in NOMINAL:
        head = tree.head(cur)
        if head is None or head.pos not in ("VERB", "ADJ", "NOUN", "AUX"):
            break
        kind = _kind(head, tree, lex)
        role = lex.role_of(tree.marker(cur))
        if kind is None or role not in ("object", "recipient", "subject") and tree.marker(cur) != "まで":
            break
        chain.append(head)
        kinds.append(kind)
        cur = head
        if head.pos != "NOUN":
            break
    return Frame(anchor=anchor, chain=chain, kinds=kinds)


def _focus_of_clefts(tree: SentenceTree, frames: dict[int, Frame], loose: list[ItemMention],
                     article: Article) -> None:
    """XがYに提供できないのは、Zである: the focus Z is what the のは-clause's verb moves."""
    lex = article.lex
    for tok in tree.tokens:  # 求めているのは砲弾だ: a request's focus too
        seek = _kind(tok, tree, lex) == "seek"
        if not (_is_flow_predicate(tok, tree, lex) or seek) or tok.pos not in ("VERB", "ADJ" if seek else "VERB") \
                or not _cleft(tree, tok):
            continue  # 欲し|がっているのは: a wish is an adjective to the parser
        if tok.i in frames and frames[tok.i].items:
            continue
        focus = [m for m in loose if m.head > tok.i]
        for m in focus:
            loose.remove(m)
        if not focus:
            for i, frame in sorted(frames.items()):
                if i > tok.i and frame.anchor.pos in NOMINAL and not _own_parties(tree, frame.anchor, article):
                    focus = frames.pop(i).items
                    break
        if focus:
            target = frames.get(tok.i) or _new_frame(tree, tok, lex)
            target.items.extend(focus)
            frames[tok.i] = target
            owners = {owner_of(tree, tree.token(m.head), article) for m in focus} - {None}
            if target.kinds[0] == "seek" and len(owners) == 1:  # 欲しがっているのは、ロシアの軍事技術だ
                target.fill(SUPPLIER, owners.pop(), explicit=True, why="owner of what is wanted")
    for tok in tree.tokens:  # 北朝鮮のロシア向け輸出の大半は武器だ: the flow noun's topic names what it moves
        if tok.pos not in NOMINAL or not _is_flow_predicate(tok, tree, lex) or tok.i in frames:
            continue
        topic = tok
        while tree.head(topic) is not None and tree.marker(topic) == "の" and quantity(tree.head(topic), lex):
            topic = tree.head(topic)  # 輸出の|大半は
        if tree.marker(topic) != "は":
            continue
        focus = [m for m in loose if m.head > topic.i and tree.token(m.head).dep == "ROOT"]
        if focus:
            loose.remove(focus[0])
            frames[tok.i] = _new_frame(tree, tok, lex)
            frames[tok.i].items.append(focus[0])


def _cleft(tree: SentenceTree, tok: Token) -> bool:
    """提供できないのは / 提供したとされるのは: the predicate heads a のは-clause."""
    if "のは" in tree.tail(tok):
        return True
    head = tree.head(tok)
    return tree.tail(tok).endswith("と") and head is not None and "のは" in tree.tail(head)


def _own_parties(tree: SentenceTree, tok: Token, article: Article) -> bool:
    return any(resolve(tree, c, article) for c in tree.children(tok) if c.pos in NOMINAL)


def _destination_frame(tree: SentenceTree, item: Token, article: Article,
                       anchor: Token | None = None) -> Frame | None:
    """An item with a destination but no verb: ロシアへの弾薬, ロシア向けの砲弾 (the destination
    may hang on the ``item``'s exchange noun instead: ロシアへの|派兵の|代価); in a headline
    without a verb, also through the count that heads the item (北朝鮮、ロシアに|砲弾数百万|発)
    or a goal the parser made its head (ロシア産原油、|北朝鮮へ)."""
    lex, anchor = article.lex, anchor or item
    headline = _headline_without_verb(tree)
    goals = ("への", "に対する", "向けの", "向け") + (("に", "へ") if headline else ())
    for c in tree.children(item):
        if c.pos in NOMINAL and (tree.marker(c) in goals or c.lemma == "向け"):
            frame = Frame(anchor=anchor, chain=[anchor], kinds=[_kind(anchor, tree, lex) or "give"])
            if anchor.i != item.i:
                frame.fill(RECIPIENT, resolve(tree, c, article), explicit=True, why=as_said(tree, c))
            return frame
    return _headline_goal(tree, item, article) if headline and anchor.i == item.i else None


_LIST_MARKERS = ("や", "と", "、", "・", "や、")


def _list_end(tree: SentenceTree, tok: Token) -> Token:
    """The last member of the list a word opens (食料や|燃料 → 燃料), which takes the list's role."""
    while tree.marker(tok) in _LIST_MARKERS and tree.head(tok) is not None and tree.head(tok).pos in NOMINAL:
        tok = tree.head(tok)
    return tok


def _return_named(tree: SentenceTree, item: Token, article: Article) -> Frame | None:
    """北朝鮮への見返りは、食料や燃料だとされる (見返りには…が含まれる): an item said to be what is
    paid in return went to the one the return is for (への, に対する), from the one it comes from
    (からの) or the other party."""
    lex = article.lex
    top = _list_end(tree, item)  # 食料や|燃料: the list's last word is the predicate
    said = tree.head(top) if tree.tail(top).endswith("と") and tree.head(top) is not None else None
    paid = next((c for c in tree.children(top) + (tree.children(said) if said else [])  # 燃料だと|される
                 if c.lemma in lex.exchange_nouns and c.i < top.i
                 and (c.dep == "nsubj" or tree.marker(c) in ("は", "が"))), None)
    verb = tree.head(top)
    if paid is None and verb is not None and verb.lemma in lex.contents and verb.i != top.i \
            and (top.dep == "nsubj" or tree.marker(top) in ("が", "も", "は")):  # 見返りには|…装備が|含まれる
        paid = next((c for c in tree.children(verb) if c.lemma in lex.exchange_nouns
                     and tree.marker(c) in ("に", "には")), None)
        top = verb if paid is not None else top
    elif paid is None or top.dep not in ("ROOT", "ccomp", "advcl") and not tree.tail(top).startswith(("だ", "で")):
        return None
    if paid is None:
        return None
    frame = Frame(anchor=top, chain=[top], kinds=["give"])  # the predicate noun carries the hedge (だとされる)
    for c in tree.children(paid):
        if c.pos in NOMINAL and tree.marker(c) in ("への", "に対する", "へ"):
            frame.fill(RECIPIENT, resolve(tree, c, article), explicit=True, why=as_said(tree, c))
        elif c.pos in NOMINAL and tree.marker(c) in ("からの", "から"):
            frame.fill(SUPPLIER, resolve(tree, c, article), explicit=True, why=as_said(tree, c))
    return frame if frame.roles else None


def _judged_item_taken_up(tree: SentenceTree, item: Token, article: Article) -> Frame | None:
    """通常兵器の技術移転は可能です。しかし、核兵器に関する技術は不可能です: an item as the topic of a
    judgement (可能, 不可能, 難しい) with no verb of its own carries on the flow of the sentence just
    before, with that flow's parties; the judgement gives its certainty."""
    lex = article.lex
    if not article.history or tree.sent_index - article.history[-1][0] > 1:
        return None
    top = _list_end(tree, item)  # 弾道ミサイルや|核兵器に関する|技術は
    if tree.marker(top) in ("に関する", "関連の", "の") and tree.head(top) is not None \
            and tree.head(top).lemma in lex.generic_technology:
        top = tree.head(top)  # 核兵器に関する|技術: the technology is the topic; ミサイルの|迎撃は is no item
    judge = tree.head(top)
    if tree.marker(top) not in ("は", "も") or judge is None or judge.i == top.i \
            or judge.lemma not in lex.cleft_evaluative or any(t.pos == "VERB" and _kind(t, tree, lex) for t in tree.tokens):
        return None
    _k, supplier, recipient, _item = article.history[-1]
    frame = Frame(anchor=top, chain=[top], kinds=["give"], settled=True)  # the judgement above gives the certainty
    frame.decide(supplier, recipient, "the flow of the sentence before, taken up")
    return frame


def _headline_goal(tree: SentenceTree, item: Token, article: Article) -> Frame | None:
    """北朝鮮、ロシアに砲弾数百万発 / ロシア産原油、北朝鮮へ / 北朝鮮兵、クルスク州に: the goal is
    the recipient, the item's own state (or the headline's topic) the supplier."""
    lex = article.lex
    top = item
    while top.dep in ("compound", "nummod") and tree.head(top) is not None and quantity(tree.head(top), lex):
        top = tree.head(top)  # 砲弾|数百万|発: the count heads the phrase
    above = tree.head(top)
    goals = [c for c in tree.children(top) if top.i != item.i and c.pos in NOMINAL and tree.marker(c) in ("に", "へ")]
    if above is not None and above.i > top.i and above.pos in NOMINAL and tree.marker(above) in ("に", "へ"):
        goals.append(above)
    for goal in goals:
        recipient = resolve(tree, goal, article)
        supplier = resolve(tree, item, article) or sentence_topic(tree, article, before=goal.i)
        if recipient and supplier and supplier != recipient:
            frame = Frame(anchor=item, chain=[item], kinds=["give"], settled=True)
            frame.fill(SUPPLIER, supplier, explicit=True, why="the item's state, or the headline's topic")
            frame.fill(RECIPIENT, recipient, explicit=True, why=f"{as_said(tree, goal)} (the goal)")
            return frame
    return None


def _clause_verb(tree: SentenceTree, tok: Token) -> int | None:
    """The verb whose clause a word sits in."""
    return next((a.i for a in tree.ancestors(tok) if a.pos == "VERB"), None)


def _share_after(tree: SentenceTree, item: Token, lex: Lexicon) -> Token | None:
    """砲弾の|およそ|半分が|…調達されている, 砲弾の|40%から60%は|…供与したものだ: the share after an
    item is the argument, whatever the parser hung the item on; its predicate moves the item."""
    if tree.marker(item) != "の":
        return None
    k = item.i + 2  # past the の
    last = tree.tokens[-1].i
    while k <= last and tree.token(k).pos == "ADV":
        k += 1
    if k > last or not quantity(tree.token(k), lex):
        return None
    cur = tree.token(k)
    for _ in range(6):
        head = tree.head(cur)
        if head is None:
            return None
        if _is_flow_predicate(head, tree, lex):
            return head
        if head.lemma in ("もの", "の"):  # …は北朝鮮が供与したものだ: the clause on もの moves it
            return next((c for c in tree.children(head) if c.dep == "acl" and _is_flow_predicate(c, tree, lex)), None)
        if not (quantity(head, lex) or head.pos == "NUM"):
            return None
        cur = head
    return None


def _paid_noun(tree: SentenceTree, mention: ItemMention) -> bool:
    """派兵の見返りとして, 砲弾の代価に: what one side paid, named as a noun, is taken as done
    (a clause, 砲弾を提供する見返りに, keeps the modality of the sentence)."""
    item = tree.token(mention.head)
    return item.pos in NOMINAL and tree.marker(item) in ("の", "")


def _deal_word(text: str, lex: Lexicon) -> str | None:
    """The deal a compound ends in (輸出契約 → 契約), if it holds more than the deal."""
    return next((a for a in lex.agreements if text.endswith(a) and len(text) > len(a)), None)


def _deal(tree: SentenceTree, tok: Token, lex: Lexicon) -> bool:
    """輸出契約, 輸出|契約, 供給協定: a flow noun compounded with a deal."""
    head = tree.head(tok)
    return tok.pos in NOMINAL and (_deal_word(tok.text, lex) is not None
                                    or tok.dep == "compound" and head is not None and head.lemma in lex.agreements)


def _headline_without_verb(tree: SentenceTree) -> bool:
    """北朝鮮、ロシアに砲弾数百万発: a headline that leaves its verb out."""
    return not sentence_text(tree).endswith("。") and not any(t.pos == "VERB" for t in tree.tokens)


def _exchange_target(frames: list[Frame], noun: Token) -> Frame | None:
    """The flow an exchange phrase belongs to: the one it modifies, else the nearest."""
    if not frames:
        return None
    after = [f for f in frames if f.anchor.i > noun.i]
    if after:
        return min(after, key=lambda f: f.anchor.i)
    return max(frames, key=lambda f: f.anchor.i)


# -- who sends, who receives ------------------------------------------------------------------


def _role_for(frame: Frame, position: int, role: str | None, lex: Lexicon) -> str | None:
    """Map a grammatical role on the chain's ``position``-th predicate to supplier / recipient."""
    tok, kind = frame.chain[position], frame.kinds[position]
    if role == "passive_subject":
        return RECIPIENT if kind == "give" else SUPPLIER
    if position == 0:
        nominal = tok.pos in NOMINAL
        if kind == "give":
            table = {"subject": SUPPLIER, "recipient": RECIPIENT, "source": SUPPLIER}
            if nominal:  # 北朝鮮の|派兵, 北朝鮮による|ロシアの|兵器供与 (the agent named, the owner receives)
                table.update(possessor=RECIPIENT if frame.agent else SUPPLIER, compound=RECIPIENT, agent=SUPPLIER)
            if tok.lemma in lex.object_recipient:
                table["object"] = RECIPIENT  # 北朝鮮を支援する
        elif kind == "receive":
            table = {"subject": RECIPIENT, "source": SUPPLIER}
            if nominal:
                table.update(possessor=RECIPIENT, agent=RECIPIENT)
        else:  # a request for the thing itself: 砲弾を要請する
            table = {"subject": RECIPIENT, "recipient": SUPPLIER, "source": SUPPLIER}
        return table.get(role or "")
    # a light verb over the flow noun: who does the noun's action?
    doer = SUPPLIER if frame.kinds[0] == "give" else RECIPIENT
    other = RECIPIENT if doer == SUPPLIER else SUPPLIER
    if kind == "receive":  # 提供を受ける
        table = {"subject": RECIPIENT, "source": SUPPLIER}
    elif kind == "seek":  # Yに提供を要請する: Y does it, the asker benefits
        table = {"subject": other, "recipient": doer, "source": doer}
    else:  # 供与を検討する, 受け入れを約束する: the subject does it
        table = {"subject": doer, "recipient": other, "source": SUPPLIER}
    return table.get(role or "")


def _arguments(tree: SentenceTree, tok: Token, frame: Frame, lex: Lexicon) -> list[tuple[Token, str | None]]:
    """The predicate's nominal dependents with their roles, nearest first (so of 「Xは、Yが…」
    the nearer Y is the subject of the predicate and X the topic of a larger clause)."""
    heads = {m.head for m in frame.items}
    out = []
    for c in sorted(tree.children(tok), key=lambda c: abs(tok.i - c.i)):
        if c.i in heads or c.pos not in NOMINAL + ("PRON",):
            continue
        role = lex.role_of(tree.marker(c))
        if c.lemma == "向け":  # ロシア|向け(の)|輸出: the destination as a noun
            role = "recipient"
        elif c.dep == "compound" and c.i < tok.i:
            role = "compound"
        elif role is None and c.dep == "nsubj":
            role = "subject"
        out.append((c, role))
        if role in ("recipient", "source"):  # ロシアから|北朝鮮への|移転: the other end hangs on the first
            out.extend((k, lex.role_of(tree.marker(k))) for k in tree.children(c)
                       if k.pos in NOMINAL and lex.role_of(tree.marker(k)) in ("recipient", "source")
                       and lex.role_of(tree.marker(k)) != role)
    if tok.i == frame.anchor.i:
        for m in frame.items:  # destinations hung on the items (ロシアに対する|武器や|兵力支援)
            item = tree.token(m.head)
            if item.i == tok.i:
                continue
            for c in tree.children(item):
                role = lex.role_of(tree.marker(c))
                if c.pos in NOMINAL and c.i not in heads and role in ("recipient", "source"):
                    out.append((c, role))
                elif c.pos in NOMINAL and tree.marker(c) == "での" and frame.kinds[0] == "give" \
                        and item.pos in NOMINAL:  # 北朝鮮での|原子力発電所の|建設支援: the site gets it
                    out.append((c, "recipient"))
                elif role == "possessor" and item.lemma in ("計画", "開発", "プログラム"):
                    out.append((c, "programme_owner"))
    return out


def _resolve_roles(tree: SentenceTree, frame: Frame, article: Article) -> None:
    """Supplier and recipient: from the sentence's own syntax first, then by inference."""
    if frame.settled:
        return
    if frame.mirror is not None:
        other = frame.mirror.roles
        if SUPPLIER in other and RECIPIENT in other:
            frame.decide(other[RECIPIENT], other[SUPPLIER], "the other side of the exchange")
        return
    _read_arguments(tree, frame, article)
    if not _joint_subject(tree, frame, article):
        _infer_missing(tree, frame, article)


def _joint_subject(tree: SentenceTree, frame: Frame, article: Article) -> bool:
    """両国は互いに武器を供与している (both ways); 北朝鮮とロシアは…労働者を派遣している (the
    way this item already went in the text, else no direction). True when it decided."""
    lex = article.lex
    subject = next((c for c in tree.children(frame.chain[-1]) if c.pos in NOMINAL
                    and lex.role_of(tree.marker(c)) == "subject"), None) or next(
        (t for t in tree.tokens if t.i < frame.anchor.i and t.pos in NOMINAL and tree.marker(t) == "は"
         and t.i not in article.speakers), None)
    if subject is None:
        return False
    if subject.lemma in lex.both_parties:
        states = article.last_pair() or article.pair
    else:
        first = resolve(tree, subject, article)
        states = (first, *_coordinated(tree, subject, article)) if first else ()
    if not states or len(set(states)) != 2:
        return False
    a, b = states
    other = RECIPIENT if SUPPLIER in frame.roles and frame.roles[SUPPLIER] in states else SUPPLIER
    if frame.roles.get(other) not in (None, a, b):
        return False  # 中国とロシアは北朝鮮に石油を供給: two suppliers, one recipient
    sentence = tree.doc.text[tree.doc.sentences[tree.sent_index].start:tree.doc.sentences[tree.sent_index].end]
    frame.roles.clear()
    frame.reasons.clear()
    frame.also.clear()
    if any(word in sentence for word in lex.mutual_adverbs):
        frame.blocked = False  # 互いに is the goal, and it names both
        frame.decide(a, b, "both, to each other")
        frame.also.update({SUPPLIER: [b], RECIPIENT: [a]})
        return True
    prior = article.prior(frame.items[0].item, tree.sent_index, discourse=False) if frame.items else None
    if prior and set(prior) == {a, b}:
        frame.decide(prior[0], prior[1], "joint subject: the item's earlier direction")
    else:
        frame.blocked = True
    return True


def _read_arguments(tree: SentenceTree, frame: Frame, article: Article) -> None:
    lex = article.lex
    frame.agent = frame.anchor.pos in NOMINAL and any(
        role == "agent" and resolve(tree, arg, article) for arg, role in _arguments(tree, frame.anchor, frame, lex))
    passive = is_passive(tree, frame.anchor) and any(tree.marker(tree.token(m.head)) == "を" for m in frame.items) \
        and any(role == "subject" and arg.i not in article.speakers and resolve(tree, arg, article)
                for arg, role in _arguments(tree, frame.anchor, frame, lex))
    # 米国は北朝鮮に武器を提供しないよう警告した: the one told would act (unless the verb names its own)
    told = _told(tree, frame, article) if not article.addressees else None
    for position, tok in enumerate(frame.chain):
        for arg, role in _arguments(tree, tok, frame, lex):
            if arg.i in article.speakers:
                continue  # 北朝鮮の朝鮮中央通信は…派遣されていたと報じた: the source, hung on the content
            if told is not None and arg.i == told.i:
                role = "subject"
            if passive and position == 0:
                role = _passive_role(role)
            if role == "recipient" and _unspecified(tree, arg, lex):
                frame.blocked = True  # 前線に送る, 国外に送りだす: no state receives
                continue
            if arg.lemma in lex.not_parties:
                continue  # 同期間に, 一緒に: a time or a manner
            country = resolve(tree, arg, article)
            if country is None and arg.pos != "PROPN" and not _temporal(tree, arg) \
                    and arg.lemma not in lex.exchange_nouns and (
                    role == "source" and frame.kinds[position] == "receive"
                    or role == "recipient" and frame.kinds[position] == "give"):
                frame.blocked = True  # 経験から得た, 戦闘に投じた: no state on that side
                continue
            if role == "programme_owner":
                frame.fill(RECIPIENT if frame.kinds[0] != "receive" else SUPPLIER, country, explicit=True,
                           why=f"{as_said(tree, arg)} (owner of the programme)")
                continue
            target = _role_for(frame, position, role, lex)
            if target is None:
                continue
            if country is not None:
                frame.fill(target, country, explicit=True, why=f"{as_said(tree, arg)} ({role})")
                if frame.roles.get(target) == country:
                    frame.also.setdefault(target, []).extend(_coordinated(tree, arg, article))
    if _deal(tree, frame.anchor, lex):  # 中国企業がベラルーシ企業と…の輸出契約を結んだ: the partner is the other end
        for c in tree.tokens:
            if c.i < frame.anchor.i and tree.marker(c) == "と" and c.pos in NOMINAL:
                frame.fill(RECIPIENT if frame.kinds[0] == "give" else SUPPLIER, resolve(tree, c, article),
                           explicit=True, why=f"{as_said(tree, c)} (the deal's partner)")
    deployed_by_user(tree, frame, article)
    if frame.kinds[0] == "give" and RECIPIENT not in frame.roles and not passive:
        frame.fill(RECIPIENT, _misattached_goal(tree, frame, article), explicit=True, why="goal near the predicate")
    for m in frame.items:  # 北朝鮮兵の派遣, 北朝鮮製の砲弾: the item's own origin
        frame.fill(SUPPLIER, origin_of(tree, m, article), why=f"origin of {m.text}")
        item = tree.token(m.head)
        if frame.kinds[0] == "give" and not passive and item.dep == "nsubj" and tree.head(item) is not None \
                and tree.head(item).i == frame.anchor.i:  # 北朝鮮の弾薬がロシアを支えている: the owner sends
            frame.fill(SUPPLIER, owner_of(tree, item, article), why=f"owner of {m.text}")
        user, verb = user_of(tree, m, article)
        if verb is not None and frame.kinds[0] in ("give", "receive"):  # ロシアが使う砲弾の4割は北朝鮮が供与した
            frame.fill(RECIPIENT, user, explicit=True, why=f"user of {m.text} ({verb.text})")


def _infer_missing(tree: SentenceTree, frame: Frame, article: Article) -> None:
    """Omitted roles: the clause's subject, the topic (here or carried), the other party of
    the article's pair, the way the item already flowed."""
    top = frame.chain[-1]
    subject_role = _role_for(frame, len(frame.chain) - 1, "subject", article.lex)
    if subject_role and subject_role not in frame.roles and _generic(tree, frame.anchor):
        return  # 北朝鮮に武器を提供するのは決議違反だ: a rule about anyone, no one's act
    _topicalised_object(tree, frame, article)
    if subject_role and subject_role not in frame.roles and _clause_bound(tree, frame, article.lex) \
            and not is_passive(tree, frame.anchor):  # ミサイルなどが提供された: the doer is left out, not the topic
        clause_top = top if top.pos not in NOMINAL else tree.head(top) or top
        frame.fill(subject_role, _clause_subject(tree, clause_top, article, before=frame.anchor.i),
                   why="subject of the clause")
        frame.fill(subject_role, nearest_ga_subject(tree, frame.anchor, article), why="nearest が-subject")
        frame.fill(subject_role, sentence_topic(tree, article, before=frame.anchor.i), why="topic of the sentence")
        frame.fill(subject_role, _chained(tree, frame, article, subject_role), why="the chained clause's party")
        if subject_role not in frame.roles:  # …に対し、…提供した場合…と警告した: the one warned, else the speaker
            frame.fill(subject_role, next(iter(article.addressees), None), why="the one addressed")
            frame.fill(subject_role, speaker_state(tree, article, before=frame.anchor.i), why="the speaker")
        if sentence_text(tree).endswith(("。", "」", "!", "?", "！", "？")):  # a headline stands alone
            other = RECIPIENT if subject_role == SUPPLIER else SUPPLIER
            prior = article.prior(frame.items[0].item, tree.sent_index, discourse=False) if frame.items else None
            if prior is not None and other in frame.roles and prior[1 if other == RECIPIENT else 0] == frame.roles[other]:
                # 韓国が…ウクライナへ砲弾を輸出…。ウクライナに砲弾を輸出すれば: who already sent it there
                frame.fill(subject_role, prior[0 if other == RECIPIENT else 1], why="the way this item already went")
            frame.fill(subject_role, article.carried, why="topic carried from before")
    if _embedded(tree, frame, article.lex):
        return  # the origin of something else (…の武器販売から得た資源): only what is stated
    if any(a.lemma in article.lex.regulate for a in tree.ancestors(frame.chain[-1])[:2]):
        return  # 決議は北朝鮮への石油の供給を制限している: a rule, no one's act
    _container_roles(tree, frame, article)
    known = [frame.roles.get(SUPPLIER), frame.roles.get(RECIPIENT)]
    if known.count(None) == 1:
        have = SUPPLIER if known[0] else RECIPIENT
        missing = RECIPIENT if have == SUPPLIER else SUPPLIER
        prior = article.prior(frame.items[0].item, tree.sent_index, discourse=False) if frame.items else None
        if prior is not None and prior[0 if have == SUPPLIER else 1] == frame.roles[have]:
            frame.fill(missing, prior[1 if have == SUPPLIER else 0], why="the way this item already went")
        frame.fill(missing, only_other_state(tree, frame.roles[have], article), why="the sentence's other state")
        frame.fill(missing, article.partner(frame.roles[have]), why="its partner in the text's last flow")
        before = article.previous_states - {frame.roles[have]}
        frame.fill(missing, before.pop() if len(before) == 1 else None, why="the one state of the sentence before")
        if article.addressees or _told(tree, frame, article) is None:
            # ロシア報道官は、北朝鮮からの派兵はないと否定した
            frame.fill(missing, _speaker_as_party(tree, frame, have, article), why="the speaker's state")
        usual = article.usual(frame.items[0].item) if frame.items else None
        if usual is not None and usual[0 if have == SUPPLIER else 1] == frame.roles[have]:
            frame.fill(missing, usual[1 if have == SUPPLIER else 0],
                       why="the way it usually goes between the text's two states (cues.yaml)")
    elif known.count(None) == 2 and frame.items:
        item = frame.items[0].item
        recent = article.recent(tree.sent_index)
        # a request (支援を求める) runs against the text's last flow as often as with it: not inferred
        for found, why in (
                (article.prior(item, tree.sent_index, discourse=False), "the item's earlier direction"),
                (recent[::-1] if recent and _in_return(tree, frame, article.lex) else None,
                 "in return for the text's last flow"),  # 見返りに衛星技術が移転された
                (article.usual(item), "the way it usually goes between the two (cues.yaml)"),
                (article.prior(item, tree.sent_index, discourse=frame.kinds[0] == "give" and "seek" not in frame.kinds),
                 "the item's earlier direction")):
            if found:
                frame.fill(SUPPLIER, found[0], why=why)
                frame.fill(RECIPIENT, found[1], why=why)
                return


def _container_roles(tree: SentenceTree, frame: Frame, article: Article) -> None:
    """ロシアの対北朝鮮支援には、防空システムの提供も含まれる: a flow noun said to be part of another
    flow (〜には…が含まれる) has that flow's parties."""
    lex, anchor = article.lex, frame.anchor
    verb = tree.head(anchor)
    if anchor.pos not in NOMINAL or verb is None or verb.lemma not in lex.contents or verb.i == anchor.i:
        return
    container = next((c for c in tree.children(verb) if tree.marker(c) in ("に", "には")
                      and _is_flow_predicate(c, tree, lex)), None)
    if container is None:
        return
    outer = Frame(anchor=container, chain=[container], kinds=[_kind(container, tree, lex) or "give"])
    for arg, role in _arguments(tree, container, outer, lex):
        mapped = _role_for(outer, 0, role, lex)
        if mapped:
            frame.fill(mapped, resolve(tree, arg, article), explicit=True, why=f"{as_said(tree, arg)} (the whole flow)")


def _topicalised_object(tree: SentenceTree, frame: Frame, article: Article) -> None:
    """「北朝鮮の労働者は受け入れていない」: what an active verb of receiving takes, made its topic,
    belongs to the one it comes from; its owner is the supplier, never the receiving subject."""
    if frame.kinds[0] != "receive" or is_passive(tree, frame.anchor) or SUPPLIER in frame.roles:
        return
    for m in frame.items:
        item = tree.token(m.head)
        if tree.head(item) is not None and tree.head(item).i == frame.anchor.i and tree.marker(item) in ("は", "も") \
                and not any(c.dep == "obj" for c in tree.children(frame.anchor)):
            owner = origin_of(tree, m, article) or owner_of(tree, item, article)
            if owner and frame.roles.get(RECIPIENT) != owner:
                frame.fill(SUPPLIER, owner, explicit=True, why=f"owner of {m.text} (what is taken, as topic)")
                return


def _speaker_as_party(tree: SentenceTree, frame: Frame, have: str, article: Article) -> str | None:
    """The speaker's state as the party left out (ロシア報道官は、北朝鮮からの派兵はないと否定した),
    unless the item usually goes from the known party to a state of the exchange the speaker is
    not (韓国国防省は、北朝鮮兵の派遣を確認できていない: a witness, not the recipient)."""
    speaker = speaker_state(tree, article)
    lex = article.lex
    source = lex.usual_from.get(frame.items[0].item) if frame.items else None
    if speaker is not None and speaker not in lex.usual_pair and frame.roles[have] in lex.usual_pair \
            and source is not None and (source == frame.roles[have]) == (have == SUPPLIER):
        return None
    return speaker


def _generic(tree: SentenceTree, anchor: Token) -> bool:
    """北朝鮮に武器を提供するのは、制裁決議違反に該当する: a subjectless plain non-past のは-clause
    says what such an act would be, of anyone; it reports no act (送っているのは北朝鮮だ does)."""
    tail = tree.tail(anchor)
    return anchor.pos == "VERB" and "のは" in tail and tail.split("のは")[0] in ("", "する", "される", "れる", "られる")


def _in_return(tree: SentenceTree, frame: Frame, lex: Lexicon) -> bool:
    """見返りに衛星技術が移転された: a flow given in return (an exchange noun on its clause)."""
    return any(c.lemma in lex.exchange_nouns and tree.marker(c) in ("に", "として", "で")
               for tok in frame.chain for c in tree.children(tok))


def _chained(tree: SentenceTree, frame: Frame, article: Article, role: str) -> str | None:
    """砲弾が北朝鮮からロシアに渡っていて、ロケット砲なども支援している: a clause chained to an
    earlier flow clause of the sentence (〜て, 〜し) keeps that clause's parties."""
    top = frame.chain[-1]
    for earlier in reversed(article.done):
        linked = tree.head(earlier.chain[-1])
        if role in earlier.roles and linked is not None \
                and linked.i == top.i and earlier.chain[-1].dep in ("advcl", "conj"):
            return earlier.roles[role]
    return None


def _coordinated(tree: SentenceTree, arg: Token, article: Article) -> list[str]:
    """The other states joined to a party by と / や (中国とロシアは, ロシアと中国に)."""
    out = []
    for c in tree.children(arg):
        if c.dep in ("nmod", "conj") and tree.marker(c) in ("と", "や", "、", "とか", "および", "及び"):
            country = resolve(tree, c, article)
            if country:
                out.append(country)
    return out


def _passive_role(role: str | None) -> str | None:
    """XはYに砲弾を供給された: a state as passive subject is the one acted on and the agent
    (に, から, によって) acts. (A thing as passive subject, 兵士がロシアに派遣された, keeps に as goal.)"""
    if role == "subject":
        return "passive_subject"
    if role in ("recipient", "instrument"):
        return "source"
    return role


def _temporal(tree: SentenceTree, tok: Token) -> bool:
    """昨年から, 当時から: a time, not a party."""
    return "副詞可能" in tok.tag or "助数詞" in tok.tag or any(
        d.start < tok.end and tok.start < d.end for d in tree.doc.dates)


def _unspecified(tree: SentenceTree, arg: Token, lex: Lexicon) -> bool:
    words = tree.phrase(arg)
    text = tree.doc.text[words[0].start:words[-1].end]
    return text in lex.unspecified_parties or arg.lemma in lex.unspecified_parties


def _clause_bound(tree: SentenceTree, frame: Frame, lex: Lexicon) -> bool:
    """Does the flow share its clause's subject? Verbs and light-verb chains do; a bare noun does
    when it is the means of the clause's act (食料の提供でつなぎとめる) or a receiving one under
    a verb (人員派遣を外貨稼ぎに活用する: the earner acts)."""
    top = frame.chain[-1]
    if top.pos not in NOMINAL:
        return True
    head = tree.head(top)
    if head is None:
        return True  # a headline's verbal noun is its predicate: 北朝鮮、ロシアに兵器を輸出
    if head.pos != "VERB" or head.lemma in lex.observe:
        return False
    return frame.kinds[-1] == "receive" or tree.marker(top) in lex.roles["instrument"] | lex.roles["object"]


def _clause_subject(tree: SentenceTree, node: Token, article: Article, before: int | None = None) -> str | None:
    """The subject of ``node``'s clause, climbing through clauses that share it (提供し、…与える)."""
    cur: Token | None = node
    while cur is not None:
        for c in reversed(tree.children(cur)):  # the nearest subject: 米国務省は、北朝鮮が…供与し
            if c.i < min(cur.i, before if before is not None else cur.i) and c.pos in NOMINAL \
                    and c.i not in article.speakers \
                    and (c.dep == "nsubj" or tree.marker(c) in ("が", "は")):
                found = resolve(tree, c, article)
                if found:
                    return found
        tail = tree.tail(cur)
        head = tree.head(cur)
        if head is not None and tail.endswith("と") and head.lemma in ("する", "いう", "言う") and head.dep == "acl" \
                and tree.head(head) is not None and tree.head(head).pos in NOMINAL:
            return resolve(tree, tree.head(head), article)  # 支援を求めるとされる|北朝鮮: the noun described
        if head is None or tail.endswith(_QUOTE_ENDINGS) or "のは" in tail:
            return None
        if cur.dep == "acl":
            above = tree.head(head)
            if head.lemma in ("こと", "の", "もの") and above is not None and above.pos == "VERB":
                cur = above  # 派遣することを決めた: the deciding subject sends
                continue
            return resolve(tree, head, article) if head.pos in NOMINAL else None
        if cur.dep not in ("advcl", "conj") or head.pos in NOMINAL:
            return None
        cur = head
    return None


def _embedded(tree: SentenceTree, frame: Frame, lex: Lexicon) -> bool:
    """A flow noun naming where something else came from (…の兵器購入から得た資金)."""
    cur = frame.anchor
    for _ in range(3):
        if cur.pos not in NOMINAL:
            return False
        marker = tree.marker(cur)
        if lex.role_of(marker) == "source":
            return len(frame.explicit) < 2
        if marker not in ("や", "と", "、", "") or tree.head(cur) is None:
            return False
        cur = tree.head(cur)
    return False


# -- flows out --------------------------------------------------------------------------------

def _emit(tree: SentenceTree, frame: Frame, article: Article) -> list[Flow]:
    supplier, recipient = frame.roles.get(SUPPLIER), frame.roles.get(RECIPIENT)
    if frame.blocked or not supplier or not recipient or supplier == recipient:
        return []
    doc, lex = tree.doc, article.lex
    sent = doc.sentences[tree.sent_index]
    evidence = doc.span(sent.start, sent.end)
    trace: list[str] = []
    certainty = CERTAIN if frame.given else walk_certainty(tree, frame.anchor, lex, trace)
    if (frame.kinds[0] == "seek" or _deal(tree, frame.anchor, lex)) and certainty != NEGATED:
        certainty = UNCERTAIN  # asked for, or agreed in a deal: not yet done
    time = _time_of(tree, frame)
    attributed = attribution_of(doc, tree.sent_index, frame.anchor, lex)
    cue = "+".join(t.lemma for t in frame.chain)
    pairs = [(s, r) for s in [supplier, *frame.also.get(SUPPLIER, [])]
             for r in [recipient, *frame.also.get(RECIPIENT, [])] if s != r]
    out = []
    for s, r in pairs:
        for m in frame.items:
            if m.item in lex.presence_items and frozenset((s, r)) in lex.hostile_pairs:
                continue  # 部隊をドネツク州に移動させた: troops moved onto an enemy's land are at war there, not given
            why = _why(frame, m, certainty, trace, "presupposed" if frame.given else "")
            out.append(Flow(s, r, m.item, certainty, evidence, attributed, None, time, cue, why))
            article.history.append((tree.sent_index, s, r, m.item))
        for m, noun in frame.reverse:
            back: list[str] = []
            cert = CERTAIN if _paid_noun(tree, m) else walk_certainty(tree, noun, lex, back)
            cue = ", ".join(back) or ("paid, presupposed" if cert == CERTAIN else "")
            why = (f"exchange {noun.text}: paid back for the {frame.items[0].text if frame.items else 'flow'} "
                   f"{s}→{r} ({'+'.join(t.text for t in frame.chain)}); item {m.text}; certainty {cert}"
                   + (f" ({cue})" if cue else ""))
            out.append(Flow(r, s, m.item, cert, evidence, attributed, None, time, noun.lemma, why))
            article.history.append((tree.sent_index, r, s, m.item))
    return out


def _why(frame: Frame, mention: ItemMention, certainty: str, trace: list[str], note: str) -> str:
    """The words that decided a claim, short enough to show beside it and to debug a rule by."""
    kinds = "+".join(dict.fromkeys(frame.kinds))
    parts = [f"predicate {'+'.join(t.text for t in frame.chain)} ({kinds})"]
    for role in (SUPPLIER, RECIPIENT):
        parts.append(f"{role} {frame.roles.get(role)}: {frame.reasons.get(role) or 'coordinated'}")
    parts.append(f"item {mention.text}")
    cue = ", ".join(trace) or note
    parts.append(f"certainty {certainty}" + (f" ({cue})" if cue else ""))
    return "; ".join(parts)


def _time_of(tree: SentenceTree, frame: Frame) -> str | None:
    """A date in the flow's own clause: one whose words attach to the flow's predicates
    before reaching any other verb (so 2021年に言及した…支援 does not date the support)."""
    doc = tree.doc
    sent = doc.sentences[tree.sent_index]
    clause = {t.i for t in frame.chain}
    for d in doc.dates:
        if not (sent.start <= d.start < sent.end and d.value):
            continue
        cur = next((t for t in tree.tokens if t.start <= d.start < t.end), None)
        while cur is not None:
            if cur.i in clause:
                return d.value
            if cur.pos in ("VERB", "ADJ"):
                break
            cur = tree.head(cur)
    return None
