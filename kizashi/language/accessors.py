"""Small read-only accessors over the analysed document (GiNZA's habit)."""
from __future__ import annotations

from bisect import bisect_left

from ..model import Document, Token


def sentence_tokens(doc: Document, sent_index: int) -> list[Token]:
    """Tokens are stored in sentence order, so a binary search finds the run."""
    lo = bisect_left(doc.tokens, sent_index, key=lambda t: t.sent)
    hi = bisect_left(doc.tokens, sent_index + 1, key=lambda t: t.sent)
    return doc.tokens[lo:hi]


def children(doc: Document, tok: Token) -> list[Token]:
    return [t for t in doc.tokens if t.head == tok.i and t.i != tok.i and t.sent == tok.sent]


def subtree(doc: Document, tok: Token) -> list[Token]:
    """``tok`` and everything that depends on it, in text order."""
    out = [tok]
    stack = [tok]
    sent = [t for t in doc.tokens if t.sent == tok.sent]
    while stack:
        cur = stack.pop()
        for t in sent:
            if t.head == cur.i and t.i != cur.i:
                out.append(t)
                stack.append(t)
    return sorted(out, key=lambda t: t.i)


def case_marker(doc: Document, tok: Token) -> str | None:
    """The case particle attached to a nominal (が, を, に, から, へ, の, は, と …)."""
    markers = [c.text for c in children(doc, tok) if c.dep in ("case", "mark") and c.pos in ("ADP", "SCONJ")]
    return markers[-1] if markers else None


# Dependencies that attach function words (particles, auxiliaries) to their content word.
_FUNCTION_DEPS = ("case", "mark", "aux", "cop", "fixed")
# Formal nouns GiNZA attaches as ``compound`` inside a clause ending (提供する|ことができる).
_FORMAL_NOUNS = ("こと", "もの", "はず", "わけ", "よう", "の")


class SentenceTree:
    """One parsed sentence with a children index, so walks up and down are cheap."""

    def __init__(self, doc: Document, sent_index: int) -> None:
        self.doc = doc
        self.sent_index = sent_index
        self.tokens = sentence_tokens(doc, sent_index)
        self._kids: dict[int, list[Token]] = {t.i: [] for t in self.tokens}
        for t in self.tokens:
            if t.head != t.i and t.head in self._kids:
                self._kids[t.head].append(t)

    @property
    def parsed(self) -> bool:
        return any(t.dep for t in self.tokens)

    def token(self, i: int) -> Token:
        return self.doc.tokens[i]

    def head(self, tok: Token) -> Token | None:
        """The head; a content word the parser left unlabelled (``dep``) on a word to its left
        is re-hung on the word after its own particles, since Japanese is head-final."""
        if tok.head == tok.i:
            return None
        if tok.dep == "dep" and tok.head < tok.i:
            words = {t.i for t in self.function_words(tok)}
            nxt = tok.i + 1
            while nxt in words:
                nxt += 1
            if nxt <= self.tokens[-1].i and self.doc.tokens[nxt].pos != "PUNCT":
                return self.doc.tokens[nxt]
        return self.doc.tokens[tok.head]

    def children(self, tok: Token) -> list[Token]:
        return self._kids.get(tok.i, [])

    def ancestors(self, tok: Token) -> list[Token]:
        out, cur, seen = [], self.head(tok), {tok.i}
        while cur is not None and cur.i not in seen:
            out.append(cur)
            seen.add(cur.i)
            cur = self.head(cur)
        return out

    def marker(self, tok: Token) -> str:
        """The particles after a nominal, joined (ロシア|に対する → "に対する", 北朝鮮|からの → "からの")."""
        return "".join(t.text for t in self.function_words(tok) if t.i > tok.i and t.pos in ("ADP", "SCONJ", "VERB", "AUX", "PART"))

    def function_words(self, tok: Token) -> list[Token]:
        """Particles and auxiliaries hanging on ``tok`` (and on each other), in text order."""
        out: list[Token] = []
        stack = [tok]
        while stack:
            cur = stack.pop()
            for c in self.children(cur):
                if c.dep in _FUNCTION_DEPS or (c.dep == "compound" and c.lemma in _FORMAL_NOUNS and c.i > tok.i):
                    out.append(c)
                    stack.append(c)
        return sorted(out, key=lambda t: t.i)

    def tail(self, tok: Token) -> str:
        """The clause ending after a predicate: its contiguous function words (する|ことができるだろう)."""
        words = {t.i for t in self.function_words(tok)}
        text, nxt = "", tok.i + 1
        while nxt in words:
            text += self.doc.tokens[nxt].text
            nxt += 1
        return text

    def subtree_start(self, tok: Token) -> int:
        """The character offset where ``tok``'s dependents begin (「フェイクだ」と → the 「)."""
        start, stack = tok.start, [tok]
        while stack:
            for c in self.children(stack.pop()):
                start = min(start, c.start)
                stack.append(c)
        return start

    def phrase(self, tok: Token) -> list[Token]:
        """The noun phrase core: ``tok`` with its compound, flat and particle-less modifiers (米|国務省)."""
        out = [tok]
        stack = [tok]
        while stack:
            cur = stack.pop()
            for c in self.children(cur):
                # a noun hung on without a particle belongs to the phrase, whatever the parser
                # labelled it (米|国務省, ブダノフ|局長 tagged as an adjective clause)
                bare = c.tag.startswith("名詞") and not any(k.dep == "case" for k in self.children(c))
                if (c.dep in ("compound", "flat", "nummod") or bare) and c.i < tok.i:
                    out.append(c)
                    stack.append(c)
        return sorted(out, key=lambda t: t.i)
