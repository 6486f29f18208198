"""Japanese numerals to values: 1万3000 → 13000, 1億2000万 → 120000000, 三千五百 → 3500.

News writes large numbers in groups of four digits under 万, 億 and 兆, mixing Arabic
digits and kanji (1万3000, 5千, 十数万 is vague and not a value). Reading only the digits
before the counter turns 1万3000個 into 3000, so figures go through this grammar.
"""
from __future__ import annotations

import re

BIG_UNITS = {"兆": 10**12, "億": 10**8, "万": 10**4}
SMALL_UNITS = {"千": 1000, "百": 100, "十": 10}
KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_ARABIC = r"\d+(?:[,，]\d{3})*(?:\.\d+)?"
_KANJI = f"[{''.join(KANJI_DIGITS)}{''.join(SMALL_UNITS)}]+"
_GROUP = f"(?:{_ARABIC}[千百]?|{_KANJI})"  # a value below 万: 3000, 5千, 三千五百
_BIG = f"[{''.join(BIG_UNITS)}]"
NUMBER = f"(?:{_GROUP}{_BIG})+{_GROUP}?(?!{_BIG})|{_ARABIC}[千百]?"
"""A numeral as a regular expression (no groups). Bare kanji without a big unit (一, 三千)
are left out: 一部, 一方 and 千里 are words, not numbers."""

_PARTS = re.compile(f"({_GROUP})({_BIG})?")


def parse_number(text: str) -> float:
    """The value of a numeral that matches ``NUMBER``."""
    total = 0.0
    for group, big in _PARTS.findall(text):
        total += _group_value(group) * (BIG_UNITS[big] if big else 1)
    return total


def _group_value(group: str) -> float:
    if group[0].isdigit():
        unit = SMALL_UNITS.get(group[-1], 1)
        digits = group[:-1] if unit != 1 else group
        return float(digits.replace(",", "").replace("，", "")) * unit
    value, pending = 0, 0
    for ch in group:
        if ch in KANJI_DIGITS:
            pending = pending * 10 + KANJI_DIGITS[ch]  # 二〇二四 reads digit by digit
        else:
            value += (pending or 1) * SMALL_UNITS[ch]  # 千 alone is 1000, 三千 is 3000
            pending = 0
    return float(value + pending)
