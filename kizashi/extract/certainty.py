"""How sure a sentence is about a flow or event: certain, uncertain or negated.

A cue counts only when it governs the predicate: we walk from the predicate up
its chain of governing clauses, reading each clause ending (提供する|ことができる),
each governing word (検討, 可能性, 難しい), and stop where the content becomes
presupposed — a relative clause on an ordinary noun, a のは-clause, a cause
marked で, a clause joined by が — or hypothetical (〜ば, 〜としても).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..config import Options
from ..language.accessors import SentenceTree
from ..model import Document, Token
from .lexicon import Lexicon, load_lexicon

CERTAIN, UNCERTAIN, NEGATED = "certain", "uncertain", "negated"
_MODALITY_SUBJECTS = ("可能性", "公算", "見込み", "恐れ", "おそれ", "確率", "可能")
_STOPPING_CONJUNCTIONS = ("が", "けれど", "けれども", "けど", "ものの", "のに", "ので", "から", "一方")


@dataclass
class _Reading:
    negated: bool = False
    uncertain: bool = False

    def negate(self) -> None:
        # a denial of a denial leaves the matter open (提供しないとは言えない)
        if self.negated:
            self.negated, self.uncertain = False, True
        else:
            self.negated = True

    @property
    def value(self) -> str:
        return NEGATED if self.negated else UNCERTAIN if self.uncertain else CERTAIN


def certainty_of(doc: Document, sent_index: int, predicate: Token | None, lex: Lexicon | None = None) -> str:
    """What the sentence commits to about the claim whose predicate is ``predicate``."""
    lex = lex or load_lexicon(Options().data_dir)
    tree = SentenceTree(doc, sent_index)
    if predicate is None or not tree.parsed:
        return _surface_certainty(doc, sent_index, predicate, lex)
    return walk_certainty(tree, predicate, lex)


def walk_certainty(tree: SentenceTree, predicate: Token, lex: Lexicon, trace: list[str] | None = None) -> str:
    """The certainty the clauses above ``predicate`` give it; ``trace`` collects the words that
    changed the reading on the way (とみられる, 否定した), for the claim's why."""
    reading = _Reading()
    if _announced_ahead(tree, predicate, lex):
        reading.uncertain = True
        if trace is not None:
            trace.append(predicate.text + tree.tail(predicate))
    node, prev = predicate, None
    seen: set[int] = set()
    while node is not None and node.i not in seen:
        seen.add(node.i)
        tail = tree.tail(node)
        before = reading.value
        stop = _read_level(tree, node, prev, tail, lex, reading, coordinated=_denied_alongside(tree, prev))
        if trace is not None and reading.value != before:
            trace.append(node.text + tail)
        head = tree.head(node)
        if stop or head is None:
            break
        if (head.lemma in lex.exchange_nouns or head.lemma in _REPAY) and (node.pos in ("NOUN", "PROPN")
                                                                           or _past(tree, node)):
            break  # 兵士を送った見返りに, 派兵に報いるため: what is paid for is given, whatever the return
        if head.lemma in lex.factive_nouns:
            above = tree.head(head)  # 派遣した事実はない: a presupposition denied
            if above is not None and above.lemma in lex.negated_lemmas and above.i != head.i:
                reading.negated = True
            break
        if head.lemma in lex.purpose_nouns:
            if _past(tree, node):
                break  # 〜したため: a reason, taken as given
            reading.uncertain = True  # 〜するため, 〜のために: a purpose, not yet done
        elif not _crosses(tree, node, head, tail, lex):
            break
        prev, node = node, head
    return reading.value


_COUNTERFACTUAL = re.compile(r"^(?:な|無)(?:けれ|かったら|かったなら|くては)")  # なけれ|ば: "but for"
_REPAY = ("報いる", "応える")  # 〜に報いる: in return for
_PLAIN_TAILS = ("", "する", "される", "れる", "られる", "せる", "させる")
_HEARSAY = ("いう", "言う")  # 〜働くという: hearsay of a state of affairs, not of a plan


def _announced_ahead(tree: SentenceTree, predicate: Token, lex: Lexicon) -> bool:
    """プーチン氏は金氏に防空システムを贈ると伝えた: a flow in the plain non-past, quoted by a
    speech verb, is announced for later (a promise, a plan), not reported as done."""
    head = tree.head(predicate)
    if predicate.pos == "NOUN" and head is not None and head.lemma in lex.agent and tree.marker(predicate) == "を":
        predicate, head = head, tree.head(head)  # 軍事支援を|行うと発表した: the light verb carries the tense
    tail = tree.tail(predicate)
    if head is None or not tail.endswith("と") or head.lemma in _HEARSAY \
            or predicate.lemma in lex.contents | lex.presence | lex.combat:  # 含まれる, 働く: states, not acts
        return False
    said = head.lemma in lex.attribution_verbs or head.lemma == "する" and any(  # 明らかに|する
        c.lemma in lex.attribution_verbs and c.i > predicate.i for c in tree.children(head))
    if not said:
        return False
    plain = tail[:-1]
    if predicate.pos == "VERB" and not plain:
        return predicate.text == predicate.lemma  # 贈る, not 贈っ(た)
    return predicate.pos in ("NOUN", "VERB") and plain in _PLAIN_TAILS[1:]  # 提供する, 派遣される


_NEGATIVE_LINK = ("ず", "ず、", "なく", "なく、", "ないで", "ないで、", "なくて", "なくて、")


def _denied_alongside(tree: SentenceTree, prev: Token | None) -> bool:
    """提供しておらず、今後も提供しない: a denied clause joined to the next, whose own negation
    is a second denial beside it, not a denial of the first one."""
    return prev is not None and prev.dep in ("advcl", "conj") and tree.tail(prev).endswith(_NEGATIVE_LINK)


def _read_level(tree: SentenceTree, node: Token, prev: Token | None, tail: str, lex: Lexicon,
                reading: _Reading, *, coordinated: bool = False) -> bool:
    """Apply this clause's cues to ``reading``; True when the walk must stop here. ``coordinated``:
    the clause below is a denial joined to this one (its tail's negation is not over it)."""
    if prev is not None and prev.pos in ("NOUN", "PROPN") and node.lemma in ("ない", "無い") \
            and tree.marker(prev) in ("が", "も") and _COUNTERFACTUAL.match(node.text + tail):
        return True  # 北朝鮮の砲弾供給が|なければ…陥っていた: "but for it" presupposes it
    if lex.conditional_tail.search(node.text + tail):  # 得れ|ば, 送っ|ても
        reading.uncertain = True
        return True
    if any(w.lemma in lex.purpose_nouns for w in tree.function_words(node)):
        if _past(tree, node):
            return True  # 得たために: a reason, taken as given
        reading.uncertain = True  # 得るために: a purpose, not yet had
    first = prev is None
    kids = tree.children(node)
    if prev is not None and _denied_by_complement(tree, node, prev, lex):
        reading.negated = True  # …輸出説を「でっち上げ」だと非難した: the claim is called false
        return True
    if node.lemma == "なる":  # 慎重になる, 困難になる: the state reached is the cue
        node = next((c for c in kids if c.pos in ("ADJ", "NOUN") and tree.marker(c) in ("に", "と")
                     and c.i > (prev.i if prev else -1)), node)
        kids = tree.children(node)
    affirmed = any(c.lemma in lex.affirmative_compounds or c.text in lex.affirmative_compounds for c in kids) \
        or ("のではなく" in tail and _only_before(tree, node, lex))
    negated = _tail_negated(tail, lex) and not affirmed and not coordinated
    denial = False  # 否定する, 難しい, 可能性は低い: a word that itself says no
    if not first and not affirmed:
        if node.lemma in lex.modality_scale and node.pos == "ADJ":
            if any(c.lemma in _MODALITY_SUBJECTS for c in kids):
                if lex.modality_scale[node.lemma] == NEGATED:
                    denial = True
                else:
                    reading.uncertain = True
        elif node.lemma in lex.negated_lemmas or lex.denial_forms.search(node.text + _surface_after(tree, node)):
            denial = True  # 否定した, 考えにくい
        elif node.lemma in lex.uncertain_lemmas:
            reading.uncertain = True
        elif node.lemma in lex.decision_verbs and prev.lemma == "こと":
            reading.uncertain = True  # 派遣することを決めた: decided, not yet done
        elif node.lemma in lex.hearsay_nouns and _quoted_into(tree, prev):
            reading.uncertain = True  # 〜提供したとの情報がある: a report of a report
        elif node.lemma in lex.assessment_nouns and _quoted_into(tree, prev) \
                and tree.marker(node) in ("が", "も", "は"):
            reading.uncertain = True  # 〜供給しているとの分析もある: nobody named says so
        elif node.pos == "VERB" and prev.lemma in lex.linking_verbs and any(
                c.lemma in lex.open_subjects for c in kids if c.dep == "nsubj" or tree.marker(c) in ("が", "は", "も")):
            reading.uncertain = True  # …も含め、あらゆる選択肢がテーブルの上にある
    # a quoting verb reads with its と: 送ったとされる, 受けたと見られる
    quote_mark = next((m for m in ("とも", "と") if prev is not None and tree.tail(prev).endswith(m)), "")
    quoted = quote_mark + node.text + tail if quote_mark else tail  # 供与したと|も|言われる
    if lex.uncertain_tail.search(quoted) or lex.intention_tail.search(node.text + tail):
        reading.uncertain = True  # also つなぎとめよう|と, whose よう GiNZA keeps in the verb
    if not first and lex.uncertain_forms.search(tree.doc.text[max(0, node.start - 6):node.end + len(tail)]):
        reading.uncertain = True  # 〜送るのは時間の問題だ
    if denial and lex.double_negation.search(node.text + _surface_after(tree, node)):
        denial, reading.uncertain = False, True  # 否定も肯定もしなかった: left open
    if denial and negated:
        reading.uncertain = True  # 否定しなかった, 可能性は低くない
    elif denial:
        reading.negated = True  # …はないと否定した: one denial, said twice
    elif negated:
        span = tree.doc.text[(prev or node).start:node.end + len(tail)]
        if lex.double_negation.search(span):
            reading.uncertain = True  # 可能性を排除できない
        else:
            reading.negate()
    return False


def _surface_after(tree: SentenceTree, node: Token) -> str:
    """The words right after a predicate up to the next punctuation: a denial spread over
    tokens the parser did not hang on it (あり|え|ない, 考え|にくい)."""
    text = tree.doc.text[node.end:min(node.end + 8, tree.doc.sentences[tree.sent_index].end)]
    return text.split("、")[0].split("。")[0]


def _denied_by_complement(tree: SentenceTree, node: Token, prev: Token, lex: Lexicon) -> bool:
    """A verb that calls what it takes false: 〜との報道を「フェイクだ」と一蹴した, 〜説を「荒唐無稽」と否定した."""
    for c in tree.children(node):
        if c.i == prev.i or not tree.marker(c).endswith(("と", "だと")):
            continue
        words = tree.doc.text[tree.subtree_start(c):c.end]
        if c.lemma in lex.negated_lemmas or lex.denial_forms.search(words):
            return True
    return False


def _only_before(tree: SentenceTree, node: Token, lex: Lexicon) -> bool:
    """単に兵器だけを提供されるのではなく: "not only", which affirms."""
    start = tree.doc.sentences[tree.sent_index].start
    return any(w in tree.doc.text[start:node.start] for w in lex.only_words)


def _past(tree: SentenceTree, node: Token) -> bool:
    return any(w.lemma == "た" for w in tree.function_words(node))


def _tail_negated(tail: str, lex: Lexicon) -> bool:
    return bool(lex.negation_tail.search(lex.not_negation.sub("", tail)))


def _quoted_into(tree: SentenceTree, clause: Token) -> bool:
    """Is this clause the content of the noun it modifies (送ったとの|推計, 送ったと|する|推計)?"""
    return tree.tail(clause).endswith(("との", "という", "とする")) or (
        clause.lemma in ("する", "いう", "言う") and clause.dep == "acl" and tree.tail(clause) == "")


def _crosses(tree: SentenceTree, node: Token, head: Token, tail: str, lex: Lexicon) -> bool:
    """Does the modality of ``head`` reach down to ``node``?"""
    words = tree.function_words(node)
    last = words[-1] if words else None
    if last is not None and last.pos == "SCONJ" and last.text in _STOPPING_CONJUNCTIONS:
        return False  # 〜が、 〜ので、: another assertion, with its own modality
    if any(form in tail for form in ("のは", "のも", "のには", "のにも")):  # 〜のは難しい reaches in; 〜のは…ためだ does not
        focus = head.pos in ("NOUN", "PROPN", "PRON") and head.lemma not in lex.purpose_nouns and any(
            c.dep == "cop" for c in tree.children(head)) \
            and not any(w in tree.tail(head) for w in lex.only_words)  # 送っているのは|北朝鮮だ|とみられる: the cleft's focus
        return focus or head.lemma in lex.cleft_evaluative or bool(lex.uncertain_forms.search(
            tree.doc.text[max(0, head.start - 6):head.end]))
    if node.dep == "compound" or tree.marker(node) in ("・", "や"):
        return True  # 技術移転・協力は|ありえない: one phrase, one modality
    if head.pos in ("NOUN", "PROPN", "PRON"):
        if head.lemma in lex.factive_nouns:
            return False
        return (head.lemma in lex.uncertain_lemmas or head.lemma in lex.negated_lemmas
                or head.lemma in lex.transparent_nouns or head.lemma in lex.exchange_nouns
                # 〜もたらしているとの|試算もある: the assessment says what its との-clause holds
                or (head.lemma in lex.assessment_nouns | lex.hearsay_nouns and _quoted_into(tree, node)))
    if node.pos in ("NOUN", "PROPN") and tree.marker(node) in lex.roles["instrument"]:
        # 派兵で…: the cause is taken as given, unless it is the means of an intent (提供でつなぎとめよう);
        # a clause named as the means (提供することで, 受け入れという形で) shares the main clause's modality
        if node.lemma in lex.means_nouns:
            return not any(a.lemma in lex.aim_nouns for a in [head, *tree.ancestors(head)])
        return bool(lex.intention_tail.search(head.text + tree.tail(head)))
    return True


def _surface_certainty(doc: Document, sent_index: int, predicate: Token | None, lex: Lexicon) -> str:
    """Unparsed sentence: read the cues in the text after the predicate (a cruder scope)."""
    sent = doc.sentences[sent_index]
    start = predicate.end if predicate is not None else sent.start
    rest = doc.text[start:sent.end]
    if lex.conditional_tail.search(rest.split("、")[0]):
        return UNCERTAIN
    if _tail_negated(rest, lex) and not lex.double_negation.search(rest):
        return NEGATED
    if lex.uncertain_tail.search(rest) or any(w in rest for w in lex.uncertain_lemmas if len(w) > 1):
        return UNCERTAIN
    return CERTAIN
