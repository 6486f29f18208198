"""Bytes to text for Japanese news files, decided deterministically.

Japanese articles still arrive as Shift_JIS, EUC-JP or ISO-2022-JP, and a
wrong guess silently turns a claim into mojibake, so detection runs in a
fixed order (BOM, escapes, strict UTF-8, strict legacy codecs) and refuses
bytes that are not text at all.
"""
from __future__ import annotations

import codecs
import re

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
# Japanese prose is a third or more kana; Chinese or Korean read as a Japanese codec is not.
_MIN_KANA_SHARE = 0.2
# Valid multi-byte characters per bad sequence above which bytes are damaged UTF-8:
# Shift_JIS or EUC-JP read as UTF-8 fail on nearly every character.
_MIN_UTF8_PER_ERROR = 20
_REPLACED_RUN = re.compile("\ufffd+")

# Encodings a page may declare (the WHATWG Encoding Standard's, by Python codec name).
# Anything else — utf-7, punycode, unicode_escape, EBCDIC — is a label no browser honours.
_WEB_CODECS = frozenset({
    "utf-8", "cp932", "shift_jis", "shift_jis_2004", "euc_jp", "euc_jis_2004", "iso2022_jp",
    "iso2022_jp_ext", "iso2022_jp_2004", "gbk", "gb2312", "gb18030", "big5", "big5hkscs", "euc_kr",
    "cp949", "ascii", "cp866", "cp874", "koi8-r", "koi8-u", "mac-roman", "mac-cyrillic",
    *(f"iso8859-{n}" for n in range(1, 17)), *(f"cp125{n}" for n in range(9)),
})
_JAPANESE_CODECS = ("utf-8", "cp932", "shift_jis", "euc_j", "iso2022_jp")


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
    iso2022 = any(esc in data for esc in _ISO2022_ESCAPES) and data.isascii()
    label = _codec_name(declared) if declared else None
    if iso2022 and label and not label.startswith("iso2022_jp"):
        label = None  # every ASCII-compatible label "decodes" JIS escapes, as garbage
    if label and not _mislabelled_utf8(data, label):
        text = _try(data, label)
        if text is not None and "\x00" not in text and not _japanese_under_other_label(data, label):
            return _check_text(text, label, path)
    utf16 = _utf16_by_nul_pattern(data)
    if utf16:
        return _check_text(utf16[0], utf16[1], path)
    if len(data) % 2 and _utf16_by_nul_pattern(data[:-1]):
        raise IngestError(path, f"truncated: the file ends inside a UTF-16 character (at byte {len(data):,})")
    if b"\x00" in data:
        raise IngestError(path, "binary file (contains NUL bytes)")
    if iso2022:
        return _check_text(_iso2022(data, path), "iso2022_jp", path)
    text = _try(data, "utf-8")
    if text is not None:
        return _check_text(text, "utf-8", path)
    damage = _utf8_damage(data)
    if damage:
        raise IngestError(path, damage)
    legacy = [(name, text) for name in ("cp932", "euc_jp") if (text := _try(data, name)) is not None]
    if legacy:
        # max() keeps the first on ties: cp932 is the commoner of the two.
        name, text = max(legacy, key=lambda pair: japanese_plausibility(pair[1]))
        return _check_text(text, name, path)
    cut = _cut_legacy(data)
    if cut:
        raise IngestError(path, cut)
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
    the NUL pattern decides those. So is any label outside the web's encodings.
    """
    label = label.strip().lower()
    if label in {"shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "windows-31j", "csshiftjis"}:
        return "cp932"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return name if name in _WEB_CODECS else None


def _japanese_under_other_label(data: bytes, name: str) -> bool:
    """Bytes that read as Japanese prose in a Japanese codec, labelled with another script's codec.

    Single-byte labels decode any bytes and GB18030 decodes most Shift_JIS,
    so a label that "works" is no evidence; kana are.
    """
    if name.startswith(_JAPANESE_CODECS):
        return False
    return any(text is not None and _kana_share(text) >= _MIN_KANA_SHARE
               for text in (_try(data, codec) for codec in ("utf-8", "cp932", "euc_jp")))


def _kana_share(text: str) -> float:
    """Hiragana and full-width katakana among the non-ASCII characters."""
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    kana = sum(1 for ch in text if "\u3040" <= ch <= "\u30ff")
    return kana / non_ascii if non_ascii else 0.0


def _mislabelled_utf8(data: bytes, name: str) -> bool:
    """A single-byte label decodes any bytes, so valid non-ASCII UTF-8 under it is a wrong label."""
    single_byte = name.startswith(("latin", "iso8859", "cp125", "mac-"))
    return single_byte and not data.isascii() and _try(data, "utf-8") is not None


def _iso2022(data: bytes, path: str) -> str:
    """ASCII bytes with JIS escapes are ISO-2022-JP whatever else they might decode as."""
    errors = []
    for name in ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2004"):
        try:
            return data.decode(name)
        except UnicodeDecodeError as err:
            errors.append(err)
    raise IngestError(path, _damage_reason("ISO-2022-JP", max(errors, key=lambda e: e.start), len(data)))


def _utf8_damage(data: bytes) -> str | None:
    """Why bytes that are UTF-8 but for a cut-off end or a few bad spots fail, or None if not UTF-8.

    A legacy encoding read as UTF-8 fails on nearly every non-ASCII character,
    so valid multi-byte characters must outnumber the bad spots many times over.
    """
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as err:
        first = err
    if first.reason == "unexpected end of data" and not data[:first.start].isascii():
        return _damage_reason("UTF-8", first, len(data))  # all before the cut is valid UTF-8
    text = data.decode("utf-8", errors="replace")
    genuine = data.count("\ufffd".encode())
    bad = len(_REPLACED_RUN.findall(text)) - genuine
    valid = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd") + genuine
    if bad <= 0 or valid < _MIN_UTF8_PER_ERROR * bad:
        return None
    return _damage_reason("UTF-8", first, len(data), more=bad - 1)


def _cut_legacy(data: bytes) -> str | None:
    """Shift_JIS or EUC-JP text that decodes but for a character cut off at the very end."""
    for name, label in (("cp932", "Shift_JIS"), ("euc_jp", "EUC-JP")):
        try:
            data.decode(name)
        except UnicodeDecodeError as err:
            head = _try(data[:err.start], name)
            if err.end == len(data) and head is not None and _kana_share(head) >= _MIN_KANA_SHARE:
                return _damage_reason(label, err, len(data))
    return None


def _damage_reason(label: str, err: UnicodeDecodeError, size: int, more: int = 0) -> str:
    if not more and err.end >= size and err.reason in ("unexpected end of data", "incomplete multibyte sequence"):
        return f"truncated: the file ends inside a multi-byte {label} character (at byte {size:,})"
    elsewhere = f" and {more:,} more place(s)" if more else ""
    return f"invalid {label} at byte {err.start:,} ({err.reason}){elsewhere}: the file is damaged"


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
