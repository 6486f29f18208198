"""Who says so, seen from the flow rules: the subjects of reporting and warning verbs and the
states they address. A speaker is never, by inference, a party to what is said (米当局者は、
北朝鮮に対し…兵器を提供した場合…と警告した: the United States supplies nothing).
"""
from __future__ import annotations

from ..language.accessors import SentenceTree
from .parties import NOMINAL, Article, resolve


def speakers_of(tree: SentenceTree, article: Article) -> set[int]:
    """The subjects of reporting and warning verbs (米当局者は…と警告した): who says so is
    never, by inference, a party to what is said. A bare state marked が is left alone: the
    parser hangs the content's subject there too (ロシアが…同意するのは難しいと提起した)."""
    out = set()
    for verb in tree.tokens:
        if verb.lemma not in article.lex.attribution_verbs or verb.pos not in ("VERB", "NOUN"):
            continue
        for c in tree.children(verb):
            marker = tree.marker(c)
            if c.i > verb.i or c.pos not in NOMINAL + ("PRON",) or not (
                    c.dep in ("nsubj", "dislocated") or marker in ("は", "が", "も")):
                continue
            if marker != "が" or not article.countries_on(c) or tree.phrase(c)[0].i != c.i:
                out.add(c.i)
    out.update(t.i for t in tree.tokens if article.reports(t) and tree.marker(t) in ("は", "が", "も"))
    root = next((t for t in tree.tokens if t.head == t.i), None)
    if root is not None and root.lemma in article.lex.attribution_verbs:  # 韓国・米国情報当局は…と推定している
        topic = next((t for t in tree.tokens if t.i < root.i and t.pos in NOMINAL and tree.marker(t) == "は"), None)
        if topic is not None and (tree.phrase(topic)[0].i != topic.i or not article.countries_on(topic)):
            out.add(topic.i)  # a body or a person, hung by the parser on the content's verb
    return out


def speaker_state(tree: SentenceTree, article: Article, before: int | None = None) -> str | None:
    """The state of the first who-says-so (before ``before``), for a party nothing else gives."""
    return next((resolve(tree, tree.token(i), article) for i in sorted(article.speakers)
                 if before is None or i < before), None)


def addressees_of(tree: SentenceTree, article: Article) -> list[str]:
    """The states a reporting or warning verb speaks to (米国は北朝鮮に対し…と警告した): the one
    warned is who would act in what is said."""
    out = []
    for verb in tree.tokens:
        if verb.lemma in article.lex.attribution_verbs and verb.pos in ("VERB", "NOUN"):
            for c in tree.children(verb):
                if c.i < verb.i and tree.marker(c) in ("に対し", "に対して", "に"):
                    country = resolve(tree, c, article)
                    if country:
                        out.append(country)
    return out
