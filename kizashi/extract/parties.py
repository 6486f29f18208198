"""Parties: what a phrase stands for (a state, through its mentions, compounds and owners) and
what the flow rules remember across the sentences of one article (the topic carried, the flows
already read, who speaks in this sentence).

Shared by the flow engine (``flows``), its origin and use rules (``origin``) and the reporting
frames (``speakers``); everything here reads the analysed document and changes nothing in it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..language.accessors import SentenceTree
from ..link.ontology import load_ontology
from ..model import Document, Token
from .items import ItemMention
from .lexicon import Lexicon

SUPPLIER, RECIPIENT = "supplier", "recipient"
NOMINAL = ("NOUN", "PROPN")
# Organisations that report and assess rather than ship anything: never a party to a flow
# (国家情報院は、派遣された兵士が…と説明した — the service is the source, not the supplier).
REPORTING_ORG_TYPES = frozenset({"intelligence", "news_agency", "newspaper", "broadcaster", "think_tank",
                                 "university"})
_RECENT_SENTENCES = 3  # how far back the discourse direction of the last flow is trusted
_COUNT = re.compile(r"^(?:数|[0-9０-９])[0-9０-９十百千万億,，.]*(?:人|発|個|基|台|両|隻|トン|機|門|丁)?$")  # 数千人


@dataclass
class Frame:
    """One flow predicate with the light verbs above it and the items it governs."""

    anchor: Token
    chain: list[Token]
    kinds: list[str]  # give / receive / seek / agent, one per chain token
    items: list[ItemMention] = field(default_factory=list)
    reverse: list[tuple[ItemMention, Token]] = field(default_factory=list)  # exchange: item, exchange noun
    roles: dict[str, str] = field(default_factory=dict)
    explicit: set[str] = field(default_factory=set)  # roles read from the sentence's own syntax
    also: dict[str, list[str]] = field(default_factory=dict)  # coordinated parties (中国とロシアは)
    blocked: bool = False  # a named destination that is not a state (国外に送る)
    agent: bool = False  # a nominal flow with its doer marked による (北朝鮮による…供与)
    given: bool = False  # what was paid in an exchange, named as a noun: presupposed (派兵の見返りに)
    reasons: dict[str, str] = field(default_factory=dict)  # role → the words that gave it
    mirror: Frame | None = None  # the flow this one answers in an exchange (roles reversed)
    settled: bool = False  # both parties decided by a rule that reads the direction as a whole

    def fill(self, role: str, country: str | None, explicit: bool = False, why: str = "") -> None:
        other = RECIPIENT if role == SUPPLIER else SUPPLIER
        if country and role not in self.roles and self.roles.get(other) != country:
            self.roles[role] = country
            self.reasons[role] = why
            if explicit:
                self.explicit.add(role)

    def decide(self, supplier: str, recipient: str, why: str) -> None:
        """Both parties at once, for rules that read the direction as a whole (互いに, 北朝鮮製)."""
        self.roles = {SUPPLIER: supplier, RECIPIENT: recipient}
        self.reasons = {SUPPLIER: why, RECIPIENT: why}


class Article:
    """What the rules remember across sentences of one document."""

    def __init__(self, doc: Document, lex: Lexicon, data_dir) -> None:
        self.lex = lex
        onto = load_ontology(data_dir)
        country_of = {e.id: e.country for e in doc.entities
                      if getattr(onto.organizations.get(e.id), "type", None) not in REPORTING_ORG_TYPES}
        self.char_country: dict[int, str] = {}
        self.reporting: set[int] = {p for m in doc.mentions  # 朝鮮中央通信, 国家情報院: sources, not parties
                                    if getattr(onto.organizations.get(m.entity_id), "type", None) in REPORTING_ORG_TYPES
                                    for p in range(m.start, m.end)}
        self.state_chars: set[int] = {p for m in doc.mentions if m.type in ("country", "place")
                                      for p in range(m.start, m.end)}  # states and places, not people
        counts: Counter[str] = Counter()
        for m in doc.mentions:
            country = country_of.get(m.entity_id) or (m.entity_id if m.type == "country" else None)
            if not country:
                continue
            counts[country] += 1
            for pos in range(m.start, m.end):
                self.char_country[pos] = country
        top = [c for c, _ in counts.most_common(2)]
        self.pair = tuple(top) if len(top) == 2 else None
        self.carried: str | None = None
        self.speakers: set[int] = set()  # this sentence's reporting subjects (token indices)
        self.addressees: list[str] = []  # the states they speak to (北朝鮮に対し…警告した)
        self.done: list[Frame] = []  # this sentence's frames already resolved
        self.previous_states: set[str] = set()  # the states and places the sentence before named
        self.history: list[tuple[int, str, str, str]] = []  # (sentence, supplier, recipient, item)

    def reports(self, tok: Token) -> bool:
        """Is this word a reporting body (a news agency, an intelligence service)?"""
        return any(p in self.reporting for p in range(tok.start, tok.end))

    def countries_on(self, tok: Token) -> set[str]:
        return {self.char_country[p] for p in range(tok.start, tok.end) if p in self.char_country}

    def last_pair(self) -> tuple[str, str] | None:
        """The two states of the text's last flow: what 両国 refers back to."""
        return (self.history[-1][1], self.history[-1][2]) if self.history else None

    def partner(self, country: str) -> str | None:
        """The other party of the last flow this country took part in: a party the sentence
        leaves out is the one the text has been pairing it with, not the article's top two."""
        for _k, s, r, _it in reversed(self.history):
            if country in (s, r):
                return r if s == country else s
        return None

    def usual(self, item: str) -> tuple[str, str] | None:
        """The way ``item`` usually goes between the text's two states, when they are the two of
        the exchange (``usual_directions`` in cues.yaml)."""
        source = self.lex.usual_from.get(item)
        if source is None or self.pair is None or frozenset(self.pair) != self.lex.usual_pair:
            return None
        [other] = self.lex.usual_pair - {source}
        return source, other

    def recent(self, sent_index: int) -> tuple[str, str] | None:
        """The direction of the text's last flow, if it is recent."""
        for k, s, r, _it in reversed(self.history):
            return (s, r) if sent_index - k <= _RECENT_SENTENCES else None
        return None

    def prior(self, item: str, sent_index: int, discourse: bool) -> tuple[str, str] | None:
        """The direction this item already flowed in, else (for goods sent) the recent one."""
        for _k, s, r, it in reversed(self.history):
            if it == item:
                return s, r
        for k, s, r, _it in reversed(self.history):
            if discourse and sent_index - k <= _RECENT_SENTENCES:
                return s, r
        return None


def resolve(tree: SentenceTree, tok: Token, article: Article, depth: int = 0) -> str | None:
    """The country a noun phrase stands for: a mention on it, else its owner (ロシアの大砲), else its compound."""
    on = article.countries_on(tok)
    if on:
        return on.pop() if len(on) == 1 else None
    if depth >= 2:
        return None
    kids = tree.children(tok)
    for c in kids if tok.lemma not in article.lex.side_nouns else ():  # 北朝鮮労働者の|ロシア|側: Russia's side
        if c.dep == "nmod" and tree.marker(c) in ("の", "での") and c.pos in NOMINAL:  # クルスク州での戦闘
            found = resolve(tree, c, article, depth + 1)
            if found:
                return found
    compounds = {resolve(tree, c, article, depth + 1) for c in kids if c.dep == "compound" and c.i < tok.i}
    compounds.discard(None)
    return compounds.pop() if len(compounds) == 1 else None


def sentence_topic(tree: SentenceTree, article: Article, before: int | None = None) -> str | None:
    """The country a sentence is about: its は-topic, the root's subject, a が-subject,
    or a headline's leading 「北朝鮮、…」."""
    if not tree.parsed:
        return _surface_topic(tree, article)
    tokens = [t for t in tree.tokens if t.pos in NOMINAL and t.i not in article.speakers
              and (before is None or t.i < before)]  # a topic after the clause is not its subject
    for wanted in ("は", "root", "が"):
        for t in tokens:
            marker = tree.marker(t)
            head = tree.head(t)
            hit = (marker == wanted if wanted != "root"
                   else t.dep == "nsubj" and head is not None and tree.head(head) is None)
            if hit:
                found = resolve(tree, t, article)
                if found:
                    return found
    if tokens and not tree.marker(tokens[0]):
        head = tokens[0]  # 北朝鮮|外務省、: the headline's leading phrase, through its compounds
        while head.dep == "compound" and tree.head(head) is not None and tree.head(head).i == head.i + 1:
            head = tree.head(head)
        k = tree.tokens.index(head)
        if k + 1 < len(tree.tokens) and tree.tokens[k + 1].text == "、":
            return resolve(tree, head, article)
    return None


def _surface_topic(tree: SentenceTree, article: Article) -> str | None:
    """Unparsed sentence: the first country-bearing word followed by は."""
    for k, t in enumerate(tree.tokens[:-1]):
        on = article.countries_on(t)
        if len(on) == 1:
            j = k + 1
            while j < len(tree.tokens) - 1 and not article.countries_on(tree.tokens[j]) and tree.tokens[j].pos == "NOUN":
                j += 1
            if tree.tokens[j].text == "は":
                return on.pop()
    return None


def nearest_ga_subject(tree: SentenceTree, anchor: Token, article: Article) -> str | None:
    """When the parse loses a clause's subject, the nearest 〜が before the predicate is it
    (韓国の情報機関は、北朝鮮が…派遣することを決めた: 北朝鮮, not the reporting 情報機関)."""
    for t in reversed([t for t in tree.tokens if t.i < anchor.i]):
        if t.pos in NOMINAL and tree.marker(t) == "が" and t.i not in article.speakers:
            head = tree.head(t)
            if head is not None and head.i < anchor.i and (
                    head.dep == "acl" or article.lex.conditional_tail.search(head.text + tree.tail(head))):
                continue  # ロシアが望むなら兵士を送る, 北朝鮮が兵士を送る見返りに: another clause's subject
            return resolve(tree, t, article)
    return None


def is_passive(tree: SentenceTree, tok: Token) -> bool:
    return tok.pos == "VERB" and any(w.lemma in ("れる", "られる") for w in tree.function_words(tok))


def sentence_text(tree: SentenceTree) -> str:
    sent = tree.doc.sentences[tree.sent_index]
    return tree.doc.text[sent.start:sent.end]


def as_said(tree: SentenceTree, tok: Token) -> str:
    """A party as the sentence says it: its phrase and case marker (北朝鮮が, ロシアへの)."""
    words = tree.phrase(tok)
    return tree.doc.text[words[0].start:words[-1].end] + tree.marker(tok)


def owner_of(tree: SentenceTree, item: Token, article: Article) -> str | None:
    """北朝鮮の|弾薬: the state an item belongs to, by の."""
    for c in tree.children(item):
        if tree.marker(c) == "の" and c.pos in NOMINAL:
            return resolve(tree, c, article)
    return None


def quantity(tok: Token, lex: Lexicon) -> bool:
    """砲弾の|6|割|が, 小麦粉|540|トン: a share or an amount, which stands for the item it counts."""
    return (tok.pos == "NUM" or "助数詞" in tok.tag or tok.tag.startswith("接尾辞-名詞的")
            or tok.lemma in lex.quantity_nouns or tok.text in lex.quantity_nouns or bool(_COUNT.match(tok.text)))


def only_other_state(tree: SentenceTree, known: str, article: Article) -> str | None:
    """The one other state the sentence names, outside who says so (ロシアは北朝鮮への衛星技術の
    提供が可能だ): a party from the sentence itself, never from the article's main pair."""
    spoken = set()  # the characters of who says so: 韓国・米国情報当局は…
    for i in article.speakers:
        spoken.update(range(tree.subtree_start(tree.token(i)), tree.token(i).end))
    others = set()
    for t in tree.tokens:
        if t.i in article.speakers or article.reports(t):
            continue
        others |= {article.char_country[p] for p in range(t.start, t.end) if p in article.state_chars
                   and p not in spoken}
    for i in article.speakers:
        others -= article.countries_on(tree.token(i))
    others.discard(known)
    if len(others) != 1:
        return None
    other = others.pop()  # ウクライナとの戦闘で得たノウハウ: a state at war with the party gives it nothing
    return None if frozenset((known, other)) in article.lex.hostile_pairs else other
