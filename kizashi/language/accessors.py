"""Small read-only accessors over the analysed document (GiNZA's habit)."""
from __future__ import annotations

from ..model import Document, Token


def sentence_tokens(doc: Document, sent_index: int) -> list[Token]:
    return [t for t in doc.tokens if t.sent == sent_index]


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
