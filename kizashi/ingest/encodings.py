"""Bytes to text for Japanese news files, decided deterministically.

Japanese articles still arrive as Shift_JIS, EUC-JP or ISO-2022-JP, and a
wrong guess silently turns a claim into mojibake, so detection runs in a
fixed order (BOM, escapes, strict UTF-8, strict legacy codecs) and refuses
bytes that are not text at all.
"""
from __future__ import annotations

import codecs

import charset_normalizer

from ..exc import IngestError

UNDECODABLE = "cannot decode as UTF-8, UTF-16, Shift_JIS, EUC-JP or ISO-2022-JP"

# Magic numbers of files people drop into a corpus folder by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh91AY&SY", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office document"),
    (b"SQLite format 3\x00", "SQLite database"),
)

# Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# ISO-2022-JP designations: JIS X 0208-1978/1983, JIS X 0212, ASCII, JIS-Roman, half-width kana.
_ISO2022_ESCAPES = (b"\x1b$@", b"\x1b$B", b"\x1b$(D", b"\x1b(B", b"\x1b(J", b"\x1b(I")

# Above this share of control characters the "text" is really binary data.
_MAX_CONTROL_SHARE = 0.05
# A BOM-less UTF-16 reading must be this printable to beat "binary".
_MIN_PRINTABLE_SHARE = 0.95
# charset-normalizer's guess is accepted only when it reads as clean text.
_MAX_FALLBACK_CHAOS = 0.2


def decode_bytes(data: bytes, path: str, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``; ``declared`` (an HTML meta charset) wins only if it decodes strictly."""
    if not data:
        raise IngestError(path, "empty file")
    kind = binary_kind(data)
    if kind:
        raise IngestError(path, f"binary file ({kind})")
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _check_text(_strict(data[len(bom):], name, path), name, path)
    name = _codec_name(declared) if declared else None
    if name and not _mislabelled_utf8(data, name):
        text = _try(data, name)
        if text is not None and "\x00" not in text:
            return _check_text(text, name, path)
    utf16 = _utf16_by_nul_pattern(data)
    if utf16:
        return _check_text(utf16[0], utf16[1], path)
    if b"\x00" in data:
        raise IngestError(path, "binary file (contains NUL bytes)")
    if any(esc in data for esc in _ISO2022_ESCAPES) and data.isascii():
        for name in ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2004"):
            text = _try(data, name)
            if text is not None:
                return _check_text(text, "iso2022_jp", path)
    text = _try(data, "utf-8")
    if text is not None:
        return _check_text(text, "utf-8", path)
    legacy = [(name, text) for name in ("cp932", "euc_jp") if (text := _try(data, name)) is not None]
    if legacy:
        # max() keeps the first on ties: cp932 is the commoner of the two.
        name, text = max(legacy, key=lambda pair: japanese_plausibility(pair[1]))
        return _check_text(text, name, path)
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.chaos <= _MAX_FALLBACK_CHAOS:
        return _check_text(str(best), codecs.lookup(best.encoding).name, path)
    raise IngestError(path, UNDECODABLE)


def binary_kind(data: bytes) -> str | None:
    """Name the non-text format announced by the file's first bytes, if any."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP image"
    return None


def japanese_plausibility(text: str) -> float:
    """Score how much a decoding looks like Japanese prose; mojibake scores low.

    Decoding EUC-JP bytes as CP932 yields runs of half-width katakana and
    rare symbols, so those count against a candidate.
    """
    score = 0.0
    for ch in text:
        code = ord(ch)
        if 0x3040 <= code <= 0x309F:  # hiragana: the strongest sign of Japanese
            score += 2
        elif 0x30A0 <= code <= 0x30FF or 0x4E00 <= code <= 0x9FFF or 0x3000 <= code <= 0x303F:
            score += 1
        elif code < 0x80 or 0xFF01 <= code <= 0xFF5E:
            score += 0.5
        else:  # half-width kana, private use, Greek/Cyrillic/box-drawing rows, rare kanji
            score -= 2
    return score / max(len(text), 1)


def _utf16_by_nul_pattern(data: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-16: every ASCII character leaves a NUL on one byte parity.

    The other parity sees NULs only from rare code points such as U+4E00 一
    or the ideographic space, hence a 2:1 majority rather than all-or-none.
    """
    if len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    for nuls, others, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if nuls and nuls >= 2 * others:
            text = _try(data, name)
            if text is not None and "\x00" not in text and _mostly_printable(text):
                return text, name
    return None


def _mostly_printable(text: str) -> bool:
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\n\r")
    return printable >= _MIN_PRINTABLE_SHARE * len(text)


def _codec_name(label: str) -> str | None:
    """Python's codec for a declared charset; Shift_JIS labels mean CP932, as in browsers.

    A UTF-16/32 label in a meta tag is ignored (as browsers do): the BOM or
    the NUL pattern decides those.
    """
    label = label.strip().lower()
    if label in {"shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "windows-31j", "csshiftjis"}:
        return "cp932"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return None if name.startswith(("utf-16", "utf-32")) else name


def _mislabelled_utf8(data: bytes, name: str) -> bool:
    """A single-byte label decodes any bytes, so valid non-ASCII UTF-8 under it is a wrong label."""
    single_byte = name.startswith(("latin", "iso8859", "cp125", "mac-"))
    return single_byte and not data.isascii() and _try(data, "utf-8") is not None


def _try(data: bytes, name: str) -> str | None:
    try:
        return data.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None


def _strict(data: bytes, name: str, path: str) -> str:
    text = _try(data, name)
    if text is None:
        raise IngestError(path, f"bytes after the {name} byte order mark do not decode as {name}")
    return text


def _check_text(text: str, name: str, path: str) -> tuple[str, str]:
    """Reject decodings full of control characters: those are binary data that happened to decode."""
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\n\r\f\v\x1b")
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise IngestError(path, "binary file (control characters)")
    return text, name
