"""Who says so: the source a sentence attributes its claim to, as written (韓国情報当局, NBCニュース).

Read from the reporting frame: 〜によると, the subject of a reporting verb
(〜と伝えた, 〜と判断した, 〜を引用した), the owner of a judgement noun
(〜というのがXの評価だ), and, failing those, an unnamed-source word (消息筋).
"""
from __future__ import annotations

from ..config import Options
from ..language.accessors import SentenceTree
from ..model import Document, Token
from .lexicon import Lexicon, load_lexicon


def attribution_of(doc: Document, sent_index: int, predicate: Token | None = None,
                   lex: Lexicon | None = None) -> str | None:
    """The surface text of the source, or None when the author speaks. With ``predicate``,
    only a reporting verb that governs it counts (金氏は…と発表し、…との懸念が高まった)."""
    lex = lex or load_lexicon(Options().data_dir)
    tree = SentenceTree(doc, sent_index)
    found = _by_form(tree, lex)
    if found is None and tree.parsed:
        found = _reporting_subject(tree, lex, predicate) or _judgement_owner(tree, lex)
    if found is None:
        found = _source_word(tree, lex)
    return _clean(found, lex) if found else None


def _by_form(tree: SentenceTree, lex: Lexicon) -> str | None:
    """Xによると: the noun phrase right before the form."""
    sent = tree.doc.sentences[tree.sent_index]
    text = tree.doc.text[sent.start:sent.end]
    for form in lex.by_forms:
        pos = text.find(form)
        if pos > 0:
            before = [t for t in tree.tokens if t.end <= sent.start + pos]
            return _phrase_before(tree, before)
    return None


def _phrase_before(tree: SentenceTree, before: list[Token]) -> str | None:
    """The noun phrase ending right before a position, across の (統一研究院の報告書によると)
    and skipping a parenthesis (教授(梨花大学)によると)."""
    k = len(before) - 1
    if k >= 0 and before[k].text in (")", "）"):
        while k >= 0 and before[k].text not in ("(", "（"):
            k -= 1
        k -= 1
    end = k
    while k >= 0:
        if _nominal(before[k]):
            k -= 1
        elif before[k].text == "の" and k > 0 and _nominal(before[k - 1]) and k < end:
            k -= 1
        else:
            break
    if end <= k:
        return None
    return tree.doc.text[before[k + 1].start:before[end].end]


def _nominal(tok: Token) -> bool:
    return (tok.pos in ("NOUN", "PROPN", "NUM", "SYM") or tok.tag.startswith("名詞")) and tok.text not in ("、", "。")


def _reporting_subject(tree: SentenceTree, lex: Lexicon, predicate: Token | None) -> str | None:
    """The subject of the reporting verb closest to the root (外交消息筋は「…」と伝えた)."""
    verbs = [t for t in tree.tokens if (t.lemma in lex.attribution_verbs and t.pos in ("VERB", "NOUN", "ADJ")
                                        or t.lemma == "する" and t.pos == "VERB")  # …としている: する with a quote
             and (t.lemma == "引用" or t.head == t.i and t.lemma != "する"
                  or any(_is_quote(tree, c) for c in tree.children(t)))
             and not any(w.lemma in ("れる", "られる") for w in tree.function_words(t))]  # 推定されている
    if predicate is not None:
        governing = {a.i for a in tree.ancestors(predicate)}
        verbs = [t for t in verbs if t.i in governing]
    verbs.sort(key=lambda t: len(tree.ancestors(t)))
    for verb in verbs:
        subjects = [c for c in tree.children(verb)
                    if (c.dep in ("nsubj", "dislocated") or tree.marker(c) in ("は", "が", "も"))
                    and c.pos in ("NOUN", "PROPN") and c.i < verb.i and c.lemma not in lex.transparent_nouns]
        quotes = [c.i for c in tree.children(verb) if _is_quote(tree, c)]
        after = [c for c in subjects if quotes and c.i > max(quotes)]
        if after or subjects:  # 北朝鮮は…供給したと|韓国国防省が|明らかにした: the subject after the quote speaks
            return _phrase_text(tree, (after or subjects)[0])
    if verbs:
        # the parser often hangs a sentence-initial 「Xは、」 on the nearest clause instead
        for k, t in enumerate(tree.tokens[:-1]):
            topical = t.dep == "dislocated" or tree.tokens[k + 1].text == "、" or (
                k + 2 < len(tree.tokens) and tree.tokens[k + 2].text == "、")
            if t.pos in ("NOUN", "PROPN") and tree.marker(t) == "は" and topical and t.i < verbs[0].i:
                return _phrase_text(tree, t)
    return None


def _is_quote(tree: SentenceTree, tok: Token) -> bool:
    """A complement ending in と / という / との: what is reported."""
    marker = tree.marker(tok)
    return marker.endswith(("と", "という", "との", "とし")) and tok.dep not in ("nsubj", "obj")


def _judgement_owner(tree: SentenceTree, lex: Lexicon) -> str | None:
    """〜というのがXの評価だ: the possessor of a judgement noun heading the sentence."""
    roots = [t for t in tree.tokens if t.head == t.i and t.lemma in lex.judgement_nouns]
    for root in roots:
        for c in tree.children(root):
            if c.dep == "nmod" and tree.marker(c) == "の":
                return _phrase_text(tree, c)
    return None


def _source_word(tree: SentenceTree, lex: Lexicon) -> str | None:
    """An unnamed source acting as a subject (消息筋は, 当局が)."""
    for t in tree.tokens:
        for word in lex.source_nouns:
            if t.text.endswith(word) or t.lemma == word:
                head = t
                while tree.parsed and head.dep == "compound" and tree.head(head) is not None:
                    head = tree.head(head)
                if tree.parsed and tree.marker(head) not in ("は", "が", "も"):
                    continue
                return _phrase_text(tree, head) if tree.parsed else t.text
    return None


def _phrase_text(tree: SentenceTree, tok: Token) -> str:
    words = tree.phrase(tok)
    return tree.doc.text[words[0].start:words[-1].end]


def _clean(text: str, lex: Lexicon) -> str:
    for suffix in lex.strip_suffixes:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text
