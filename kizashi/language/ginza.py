"""Loading GiNZA once per process and turning its output into model Tokens."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..model import Token


@lru_cache(maxsize=2)
def load_nlp(model: str = "ja_ginza") -> Any:
    """The spaCy pipeline; ``ja_ginza`` ships its weights inside the package (no download)."""
    import spacy

    return spacy.load(model)


def to_tokens(sdoc: Any, *, offset: int, first_index: int, sent_index: int, parsed: bool) -> list[Token]:
    """GiNZA tokens with document-level indices and character offsets."""
    out = []
    for t in sdoc:
        if t.is_space:
            continue
        out.append(Token(
            i=first_index + len(out),
            start=offset + t.idx,
            end=offset + t.idx + len(t.text),
            text=t.text,
            lemma=t.lemma_,
            pos=t.pos_,
            tag=t.tag_,
            dep=t.dep_ if parsed else "",
            head=t.head.i,  # sentence-local for now, remapped below
            sent=sent_index,
            ent=t.ent_type_,
        ))
    # remap heads from spaCy's index (which counts spaces) to ours
    local = {t.i: k for k, t in enumerate(x for x in sdoc if not x.is_space)}
    for tok in out:
        tok.head = first_index + local.get(tok.head, tok.i - first_index) if parsed else tok.i
    return out
