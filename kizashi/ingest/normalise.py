"""Width, line-break and invisible-character normalisation of decoded text.

Blanket NFKC would rewrite Japanese punctuation (``…`` → ``...``), so only
the width variants that carry no meaning are folded: full-width ASCII
letters, digits, space, parentheses and percent become ASCII; half-width
katakana become full-width. ``、。・「」『』【】…〜～`` are kept as written.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import re
import unicodedata

from ..link.dates import parse_date

# Full-width forms folded to ASCII: digits, letters, ideographic space, （）and ％.
_WIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})
_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})
_WIDTH.update({0x3000: 0x20, 0xFF08: 0x28, 0xFF09: 0x29, 0xFF05: 0x25})

# Vertical tab, form feed, NEL and the Unicode line/paragraph separators break lines.
_LINE_BREAKS = {code: "\n" for code in (0x0B, 0x0C, 0x85, 0x2028, 0x2029)}
# Zero-width, bidi and other invisible marks that only get in the way of matching; the tag
# characters (U+E0000 block) spell hidden ASCII that no reader sees.
_INVISIBLE = [0x00AD, 0x061C, *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065),
              *range(0x2066, 0x206A), 0xFEFF, *range(0xE0000, 0xE0080)]
_CONTROLS = [code for code in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if code not in (0x09, 0x0A)]
_DELETE = {code: None for code in (*_INVISIBLE, *_CONTROLS)}

_HALF_WIDTH_KANA = re.compile("[\uff61-\uff9f]+")
# A full-width separator between ASCII digits is a decimal point or a thousands separator.
_DECIMAL_POINT = re.compile("(?<=[0-9])\uff0e(?=[0-9])")
_THOUSANDS = re.compile("(?<=[0-9])\uff0c(?=[0-9]{3}(?![0-9]))")
# Terminal colour and cursor codes (ESC [ … m) in captured text: without ESC the rest is noise.
_ANSI_ESCAPE = re.compile("\x1b\\[[0-?]*[ -/]*[@-~]")
_BLANK_RUN = re.compile("\n{3,}")


def normalise_text(text: str) -> str:
    """Fold width variants and invisible characters; idempotent."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    text = _ANSI_ESCAPE.sub("", text).translate(_DELETE).translate(_WIDTH)
    text = _HALF_WIDTH_KANA.sub(_full_width_kana, text)
    text = _DECIMAL_POINT.sub(".", text)
    text = _THOUSANDS.sub(",", text)
    # NFC only composes (か + ゛ → が); it never touches width or punctuation.
    text = unicodedata.normalize("NFC", text)
    # Per line, not a "[ \t]+$" regex: that retries every space of a long run, quadratic.
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", text).strip("\n")


def _full_width_kana(match: re.Match[str]) -> str:
    # NFKC of a half-width run composes ｶﾞ into ガ; a voiced mark left over
    # (after ｱ, or alone) becomes the spacing ゛/゜ rather than a combining one.
    kana = unicodedata.normalize("NFKC", match.group())
    return kana.replace("\u3099", "\u309b").replace("\u309a", "\u309c")


def normalise_date(value: str | dt.date) -> str | None:
    """An ISO prefix (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) from a date as sources write it, else None.

    Dates written as prose go through the one date reader (``link.dates``); a trailing time
    (``2023-09-15T10:00``, ``2023年9月15日 10時``) is dropped; RFC 2822 is the feeds' own form."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    value = normalise_text(value).strip()
    return (parse_date(value) or parse_date(re.split(r"[T\s]", value, maxsplit=1)[0])
            or _rfc2822_date(value))


def _rfc2822_date(value: str) -> str | None:
    """``Fri, 15 Sep 2023 10:00:00 +0900``, as RSS feeds and mail headers write dates."""
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None
