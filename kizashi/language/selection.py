"""Choosing, cheaply, which sentences deserve a full GiNZA parse.

The parse is the whole cost of the pipeline (about 1,400 characters a second),
while SudachiPy tokenisation alone runs at hundreds of thousands. Only a
sentence holding a trigger (an item, event or flow cue from the extraction
lexicons) can yield a claim, so only those are parsed.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable


@lru_cache(maxsize=8)
def trigger_pattern(triggers: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({t for t in triggers if t}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)) or r"(?!)")


def select_sentences(texts: Iterable[str], triggers: tuple[str, ...]) -> list[bool]:
    """One flag per sentence: True when it contains any trigger."""
    pattern = trigger_pattern(triggers)
    return [bool(pattern.search(t)) for t in texts]
