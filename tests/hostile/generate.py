"""Hostile inputs for ingest, generated: every case a file (or a path) plus what ingest must do with it.

    .venv/bin/python tests/hostile/generate.py OUT_DIR     # writes the cases and OUT_DIR/manifest.json

A case expects either an error whose reason contains ``error`` (and nothing stored), or a
correct result: ``stored`` new documents whose text and title are what the input says, with no
control, bidirectional or invisible character left in them. ``plan()`` lists the cases without
writing anything (test ids are collected from it); ``generate(out_dir)`` writes them.

All text here is fictional, written for these cases.
"""
from __future__ import annotations

import argparse
import codecs
import contextlib
import json
import os
import socket
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

TITLE = "港湾都市で新しい定期航路が開設"
P1 = "北方の港湾都市と対岸の町を結ぶ定期航路が2024年から運航を始めた。"
P2 = "市の担当者によると、週に三便の貨物船が木材と水産物を運ぶという。"
ARTICLE = f"{TITLE}\n\n{P1}\n\n{P2}\n"
READ: dict[str, Any] = {"title": TITLE, "text_has": (P1, P2)}  # what a correctly read article gives

MIB = 1024 * 1024
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = BIDI + "\u00ad\u200b\u200c\u200d\u2060\ufeff"


@dataclass(frozen=True)
class Case:
    """One hostile input and the outcome ingest owes it."""

    name: str
    category: str
    paths: tuple[str, ...]  # given to ingest_paths in this order
    error: str | None = None  # a phrase of the failure reason; None: the input must be read
    failed: str | None = None  # the path the failure names, when it is not paths[0]
    stored: int | None = None  # new documents; default 1 when read, 0 on error
    title: str | None = None
    text_has: tuple[str, ...] = ()
    text_lacks: tuple[str, ...] = ()
    encoding: str | None = None
    note: str = ""

    @property
    def expected_stored(self) -> int:
        return self.stored if self.stored is not None else (0 if self.error else 1)

    @property
    def failed_path(self) -> str:
        return self.failed or self.paths[0]


Writer = Callable[[Path], object]


def plan() -> list[Case]:
    """Every case, paths relative to the output folder; nothing is written."""
    return [case for case, _ in _cases()]


def generate(out_dir: str | Path) -> list[Case]:
    """Write every case under ``out_dir`` (and manifest.json); return the cases with absolute paths."""
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    cases, manifest = [], []
    for case, write in _cases():
        write(out)
        manifest.append(asdict(case))
        cases.append(replace(case, paths=tuple(str(out / p) for p in case.paths),
                             failed=str(out / case.failed) if case.failed else None))
    (out / "manifest.json").write_text(_readable_json(manifest), "utf-8")
    return cases


def _readable_json(value: object) -> str:
    """JSON with Japanese as written but every control, format or surrogate character escaped,
    so the manifest cannot reorder or hide its own text. Paths are relative to the manifest."""
    text = json.dumps(value, ensure_ascii=False, indent=1)
    return "".join(json.dumps(ch)[1:-1] if unicodedata.category(ch)[0] == "C" and ch != "\n" else ch
                   for ch in text) + "\n"


# --- writing helpers ----------------------------------------------------------------------

def _bytes(rel: str, data: bytes | str | Callable[[], bytes]) -> Writer:
    def write(out: Path) -> None:
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        content = data() if callable(data) else data
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return write


def _nothing(_out: Path) -> None:
    """For paths that must not exist, or that cannot exist (a NUL in the name)."""


def _page(title: str = TITLE, head: str = "", body: str = "", charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (f'<!DOCTYPE html>\n<html lang="ja"><head>{meta}<title>{title}</title>{head}</head>\n'
            f"<body><article><h1>{TITLE}</h1>\n<p>{P1}</p>\n<p>{P2}</p>{body}</article></body></html>\n")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


RECORD = {"title": TITLE, "text": f"{P1}\n\n{P2}"}


# --- the cases ----------------------------------------------------------------------------

def _cases() -> Iterator[tuple[Case, Writer]]:
    for group in (_encodings, _truncated, _controls, _bidi, _sizes, _html, _scripts, _json_cases,
                  _filesystem, _plain):
        yield from group()


def _case(name: str, category: str, rel: str, data: bytes | str | Callable[[], bytes],
          **expect: object) -> tuple[Case, Writer]:
    return Case(name, category, (rel,), **expect), _bytes(rel, data)  # type: ignore[arg-type]


# Pages whose <meta charset> is wrong, for each encoding Japanese news comes in. The label is a
# hint: a Japanese reading of the bytes, an ISO-2022-JP escape or valid UTF-8 overrules it, and
# a label no browser honours (utf-7, unicode_escape, punycode, EBCDIC) is ignored.
_WRONG_LABELS = {
    "utf-8": ("shift_jis", "euc-jp", "iso-8859-1", "windows-1252", "iso-2022-jp", "utf-16", "utf-7",
              "gb18030", "koi8-r", "undefined"),
    "cp932": ("utf-8", "euc-jp", "iso-8859-1", "windows-1252", "gb18030", "big5", "koi8-r", "utf-7",
              "x-user-defined", "unicode_escape"),
    "euc_jp": ("utf-8", "shift_jis", "iso-8859-1", "windows-1252", "gb18030", "big5", "euc-kr", "macintosh",
               "cp037"),
    "iso2022_jp": ("utf-8", "shift_jis", "euc-jp", "iso-8859-1", "windows-1252", "punycode", "unicode_escape",
                   "gb18030"),
}


def _encodings() -> Iterator[tuple[Case, Writer]]:
    cat = "encoding-mislabelled"
    for codec, labels in _WRONG_LABELS.items():
        for label in labels:
            yield _case(f"{codec}-page-declared-{label}", cat, f"enc/{codec}-as-{label}.html",
                        _page(charset=label).encode(codec), encoding=codec, **READ)
    for bom, codec, label in ((codecs.BOM_UTF16_LE, "utf-16-le", "shift_jis"),
                              (codecs.BOM_UTF16_LE, "utf-16-le", "utf-8"),
                              (codecs.BOM_UTF16_BE, "utf-16-be", "euc-jp"),
                              (codecs.BOM_UTF8, "utf-8-sig", "shift_jis")):
        data = bom + _page(charset=label).encode(codec.replace("-sig", ""))
        yield _case(f"{codec}-bom-page-declared-{label}", cat, f"enc/{codec}-bom-as-{label}.html", data,
                    encoding=codec, **READ)
    yield _case("utf-16-le-no-bom-page-declared-utf-8", cat, "enc/utf16-nobom-as-utf8.html",
                _page(charset="utf-8").encode("utf-16-le"), encoding="utf-16-le", **READ)
    xhtml = '<?xml version="1.0" encoding="EUC-JP"?>\n' + _page()
    yield _case("xhtml-declaring-euc-jp-in-shift_jis", cat, "enc/xml-decl.xhtml", xhtml.encode("cp932"),
                encoding="cp932", **READ)
    yield _case("json-in-shift_jis", cat, "enc/sjis.json", _json(RECORD).encode("cp932"), encoding="cp932", **READ)
    yield _case("json-in-utf-16-with-bom", cat, "enc/utf16.json",
                codecs.BOM_UTF16_LE + _json(RECORD).encode("utf-16-le"), encoding="utf-16-le", **READ)
    yield _case("jsonl-in-iso-2022-jp", cat, "enc/jis.jsonl", (_json(RECORD) + "\n").encode("iso2022_jp"),
                encoding="iso2022_jp", **READ)
    front = f"---\ntitle: {TITLE}\ndate: 2024-05-01\n---\n\n{P1}\n\n{P2}\n"
    yield _case("markdown-front-matter-in-euc-jp", cat, "enc/euc.md", front.encode("euc_jp"),
                encoding="euc_jp", **READ)


def _truncated() -> Iterator[tuple[Case, Writer]]:
    cat = "truncated-multibyte"
    utf8 = ARTICLE.encode("utf-8")
    cut = "truncated: the file ends inside a multi-byte"
    mid = len(f"{TITLE}\n\n{P1[:2]}".encode())  # a character boundary in the first paragraph
    page, record = _page().encode(), _json(RECORD).encode()
    for name, rel, data, phrase in [
        ("utf-8-cut-in-last-character", "cut/utf8-1.txt", utf8.rstrip(b"\n")[:-1], f"{cut} UTF-8 character"),
        ("utf-8-cut-two-bytes-into-character", "cut/utf8-2.txt", utf8.rstrip(b"\n")[:-2], f"{cut} UTF-8 character"),
        ("utf-8-page-cut-mid-paragraph", "cut/page.html", page[:page.index(P2.encode()) + 4],
         f"{cut} UTF-8 character"),
        ("utf-8-json-cut-inside-string", "cut/record.json", record[:record.index(P1.encode()) + 7],
         f"{cut} UTF-8 character"),
        ("utf-8-continuation-byte-lost", "cut/lost.txt", utf8[:mid + 1] + utf8[mid + 2:], "invalid UTF-8 at byte"),
        ("utf-8-stray-lead-byte", "cut/lead.txt", utf8[:mid] + b"\xe3" + utf8[mid:], "invalid UTF-8 at byte"),
        ("utf-8-overlong-slash", "cut/overlong.txt", utf8[:mid] + b"\xc0\xaf" + utf8[mid:], "invalid UTF-8 at byte"),
        ("utf-8-encoded-surrogate", "cut/surrogate.txt", utf8[:mid] + b"\xed\xa0\x80" + utf8[mid:],
         "invalid UTF-8 at byte"),
        ("utf-8-five-byte-sequence", "cut/five.txt", utf8[:mid] + b"\xf8\x88\x80\x80\x80" + utf8[mid:],
         "invalid UTF-8 at byte"),
        ("utf-8-two-damaged-places", "cut/two.txt", utf8[:mid] + b"\xff" + utf8[mid:-1] + b"\xfe\n",
         "and 1 more place(s)"),
        ("shift_jis-cut-in-last-character", "cut/sjis.txt", ARTICLE.rstrip().encode("cp932")[:-1],
         f"{cut} Shift_JIS character"),
        ("euc-jp-cut-in-last-character", "cut/euc.txt", ARTICLE.rstrip().encode("euc_jp")[:-1],
         f"{cut} EUC-JP character"),
        ("iso-2022-jp-cut-inside-character", "cut/jis-char.txt", ARTICLE.encode("iso2022_jp")[:30],
         f"{cut} ISO-2022-JP character"),
        ("iso-2022-jp-cut-inside-escape", "cut/jis-esc.txt", ARTICLE.rstrip().encode("iso2022_jp")[:-1],
         f"{cut} ISO-2022-JP character"),
        ("utf-16-without-bom-odd-length", "cut/utf16.txt", ARTICLE.encode("utf-16-le")[:-1],
         "truncated: the file ends inside a UTF-16 character"),
        ("utf-16-bom-odd-length", "cut/utf16-bom.txt", codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le")[:-1],
         "bytes after the utf-16-le byte order mark do not decode"),
        ("utf-16-bom-lone-surrogate", "cut/utf16-sur.txt",
         codecs.BOM_UTF16_LE + ARTICLE[:5].encode("utf-16-le") + b"\x00\xd8" + ARTICLE[5:].encode("utf-16-le"),
         "bytes after the utf-16-le byte order mark do not decode"),
        ("utf-32-bom-truncated", "cut/utf32.txt", codecs.BOM_UTF32_LE + ARTICLE.encode("utf-32-le")[:-2],
         "bytes after the utf-32-le byte order mark do not decode"),
        ("utf-8-bom-truncated", "cut/utf8-bom.txt", codecs.BOM_UTF8 + utf8.rstrip(b"\n")[:-1],
         "bytes after the utf-8-sig byte order mark do not decode"),
        ("euc-jp-stray-lead-byte", "cut/euc-lead.txt",
         ARTICLE.encode("euc_jp")[:20] + b"\xa4" + ARTICLE.encode("euc_jp")[20:], "cannot decode as UTF-8"),
    ]:
        yield _case(name, cat, rel, data, error=phrase)
    lines = _json(RECORD) + "\n" + _json({"text": P2}) + "\n" + _json({"text": P1})[:25]
    yield _case("jsonl-last-line-cut-short", cat, "cut/feed.jsonl", lines,
                error="line 3: invalid JSON: Unterminated string")


def _controls() -> Iterator[tuple[Case, Writer]]:
    cat = "nul-and-control"
    nul = "binary file (contains NUL bytes)"
    yield _case("nul-inside-utf-8-text", cat, "ctl/nul.txt", f"{TITLE}\n\n{P1}\x00{P2}\n", error=nul)
    yield _case("single-trailing-nul", cat, "ctl/nul-end.txt", ARTICLE + "\x00", error=nul)
    yield _case("nul-inside-html", cat, "ctl/nul.html", _page().replace("<p>", "<p>\x00", 1), error=nul)
    yield _case("nul-inside-shift_jis-text", cat, "ctl/nul-sjis.txt", ARTICLE.encode("cp932") + b"\x00\x00",
                error=nul)
    dotted = "".join(ch + ("\x01" if i % 5 == 0 else "") for i, ch in enumerate(ARTICLE))
    yield _case("one-control-character-in-six", cat, "ctl/controls.txt", dotted,
                error="binary file (control characters)")
    yield _case("nothing-but-control-characters", cat, "ctl/only.txt", "\x01\x02\x03\x04\x05\x06",
                error="binary file (control characters)")
    escaped = {"title": f"{TITLE}\u0000", "text": f"{P1}\u0000\u0007\u001b\u007f\n\n\u0000{P2}"}
    yield _case("json-escaped-nul-and-controls", cat, "ctl/escaped.json", json.dumps(escaped), **READ)
    yield _case("a-few-raw-control-characters", cat, "ctl/bell.txt",
                f"{TITLE}\n\n{P1[:10]}\x07\x08{P1[10:]}\x1b\n\n{P2}\x7f\n", **READ)
    yield _case("c1-control-characters", cat, "ctl/c1.txt",
                f"{TITLE}\n\n\u0080{P1}\u0091\u009b\n\n{P2}\u009f\n", **READ)
    yield _case("terminal-colour-codes", cat, "ctl/ansi.txt",
                f"{TITLE}\n\n\x1b[1;31m{P1}\x1b[0m\n\n{P2}\x1b[2K\n", text_lacks=("[31m", "[0m", "[2K"), **READ)
    yield _case("form-feed-vertical-tab-and-separators", cat, "ctl/breaks.txt",
                f"{TITLE}\x0c\x0c{P1}\u2028\u2029{P2}\x0b\x85", **READ)
    yield _case("mixed-cr-crlf-line-endings", cat, "ctl/crlf.txt", f"{TITLE}\r\r\n{P1}\r\n\r\n{P2}\r", **READ)
    yield _case("html-character-references-to-controls", cat, "ctl/refs.html",
                _page(body="<p>&#0;&#1;&#x7f;&#x9b;&#xD800;補足の一文を加えた。</p>"), **READ)
    yield _case("front-matter-title-with-escaped-bell", cat, "ctl/front.md",
                f'---\ntitle: "{TITLE}\\a\\e"\n---\n\n{P1}\n\n{P2}\n', **READ)
    name = "ctl/line\nbreak\x1b[31m.txt"
    yield _case("file-name-with-newline-and-escape", cat, name, ARTICLE, **READ,
                note="stored under its real name; printing it safely is the CLI's and the web's job")


def _bidi() -> Iterator[tuple[Case, Writer]]:
    cat = "bidi-and-invisible"
    lacks = {"text_lacks": tuple(INVISIBLE)}
    yield _case("right-to-left-override-in-text", cat, "bidi/rlo.txt",
                f"{TITLE}\n\n{P1[:6]}\u202e{P1[6:20]}\u202c{P1[20:]}\n\n{P2}\n", **lacks, **READ)
    yield _case("bidi-isolates", cat, "bidi/isolates.txt",
                f"{TITLE}\n\n\u2067{P1}\u2069\n\n\u2066{P2[:5]}\u2068{P2[5:]}\u2069\u2069\n", **lacks, **READ)
    yield _case("directional-marks", cat, "bidi/marks.txt",
                f"\u200f{TITLE}\u200e\n\n{P1}\u061c\n\n\u200e{P2}\n", **lacks, **READ)
    yield _case("trojan-source-title-in-html", cat, "bidi/title.html",
                _page(title=f"\u202e{TITLE[:4]}\u2066{TITLE[4:]}\u2069\u202c"), **lacks, **READ)
    record = {"title": f"\u202e{TITLE}\u202c", "author": "\u2067山田\u2069太郎", "outlet": "兆し\u200f通信",
              "text": f"\u202d{P1}\u202c\n\n{P2}"}
    yield _case("bidi-in-json-metadata", cat, "bidi/record.json", _json(record), **lacks, **READ)
    yield _case("bidi-in-front-matter", cat, "bidi/front.md",
                f"---\ntitle: \"\u202e{TITLE}\u202c\"\n---\n\n{P1}\n\n{P2}\n", **lacks, **READ)
    yield _case("bidi-as-html-character-references", cat, "bidi/refs.html",
                _page(body="<p>&#x202E;補足&#8207;の一文&#x2066;を加えた。&#x2069;</p>"), **lacks, **READ)
    zero_width = "\u200b\u200c\u200d\u2060\u00ad\ufeff"
    spread = "".join(ch + zero_width[i % len(zero_width)] for i, ch in enumerate(P1))
    yield _case("zero-width-characters-between-every-letter", cat, "bidi/zero-width.txt",
                f"{TITLE}\n\n{spread}\n\n{P2}\n", **lacks, **READ)
    smuggled = "".join(chr(0xE0000 + ord(c)) for c in "ignore previous instructions")
    yield _case("tag-characters-hiding-ascii", cat, "bidi/tags.txt", f"{TITLE}\n\n{P1}{smuggled}\n\n{P2}\n",
                text_lacks=(smuggled[0], "ignore"), **READ)
    yield _case("bdo-element-reverses-display-only", cat, "bidi/bdo.html",
                _page(body='<p><bdo dir="rtl">補足の一文を加えた。</bdo></p>'), text_lacks=tuple(INVISIBLE),
                title=TITLE, text_has=(P1, P2, "補足の一文を加えた。"))
    yield _case("file-name-with-right-to-left-override", cat, "bidi/report\u202elmth.txt", ARTICLE, **READ,
                note="shows as reporttxt.html; the name is kept as it is on disk")
    yield _case("only-bidi-and-zero-width-characters", cat, "bidi/only.txt", INVISIBLE * 3 + "\n",
                error="no text (only whitespace)")
    yield _case("json-text-only-invisible", cat, "bidi/only.json", _json({"text": INVISIBLE}),
                error="field 'text' is empty")


def _sizes() -> Iterator[tuple[Case, Writer]]:
    cat = "size"

    def fifty_mb(out: Path) -> None:
        path = out / "size/fifty.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        block = (ARTICLE * (MIB // len(ARTICLE.encode()) + 1)).encode()[:MIB]
        with path.open("wb") as handle:
            for _ in range(50):
                handle.write(block)

    yield (Case("fifty-mb-file", cat, ("size/fifty.txt",), error="file too large: 50.0 MiB, over the limit of"),
           fifty_mb)
    yield _case("one-byte-over-ten-mib", cat, "size/over.json",
                lambda: b'{"text": "' + b"a" * (10 * MIB - 11) + b'"}', error="file too large: 10.0 MiB")
    line = (P1 * (5 * MIB // len(P1.encode()) + 1)).encode()
    yield _case("five-mb-single-line", cat, "size/line.txt", lambda: line,
                error="characters, over the limit of 100,000 (Options.max_text_chars)")
    yield _case("five-mb-single-line-html", cat, "size/line.html",
                lambda: b"<html><body><p>" + line + b"</p></body></html>", error="text too long")
    yield _case("five-mb-json-text-field", cat, "size/line.json",
                lambda: b'{"text": "' + line + b'"}', error="text too long")
    yield _case("five-mb-of-spaces-in-one-line", cat, "size/spaces.txt",
                lambda: "前".encode() + b" " * (5 * MIB) + "後".encode(), error="text too long")
    yield _case("150000-one-character-lines", cat, "size/lines.txt", "あ\n" * 150_000, error="text too long")
    feed = "\n".join(_json(r) for r in ({"text": P1}, {"text": P2 * 4000}, {"text": P1}))
    yield _case("jsonl-second-record-too-long", cat, "size/feed.jsonl", feed,
                error="record 2: text too long")
    yield _case("20000-characters-without-sentence-end", cat, "size/sentence.txt",
                f"{TITLE}\n\n" + "北方の港湾都市と対岸の町を結ぶ定期航路、" * 1000, error="sentence too long")
    yield _case("unclosed-quote-over-many-sentences", cat, "size/quote.txt", f"{TITLE}\n\n「" + P1 * 400,
                error="sentence too long")


def _html() -> Iterator[tuple[Case, Writer]]:
    cat = "html-structure"
    yield _case("hundred-thousand-nested-divs", cat, "html/deep.html",
                "<html><body>" + "<div>" * 100_000 + P1 + "</div>" * 100_000 + "</body></html>",
                error="HTML nested more than 1,000 elements deep")
    yield _case("three-thousand-unclosed-font-tags", cat, "html/fonts.html",
                "<html><body>" + "<font size=2>" * 3000 + f"<p>{P1}</p><p>{P2}</p></body></html>",
                error="HTML nested")
    yield _case("three-hundred-unclosed-font-tags", cat, "html/fonts-300.html",
                _page(body="<font>" * 300 + "<p>補足の一文を加えた。</p>"), title=TITLE,
                text_has=(P1, P2, "補足の一文を加えた。"),
                note="libxml2's default 256-level limit used to drop the text after it silently")
    yield _case("nine-hundred-nested-divs", cat, "html/deep-ok.html",
                _page(body="<div>" * 900 + "<p>補足の一文を加えた。</p>" + "</div>" * 900), title=TITLE,
                text_has=(P1, P2, "補足の一文を加えた。"))
    yield _case("nothing-closed", cat, "html/unclosed.html",
                f"<html><head><title>{TITLE}</title><body><div><p>{P1}<p>{P2}<b><i><span>", **READ)
    yield _case("misnested-tags", cat, "html/misnested.html",
                f"<html><head><title>{TITLE}</title></head><body><b><i><p>{P1}</b></i></p><div><p>{P2}</div></p>",
                **READ)
    yield _case("two-html-and-body-elements", cat, "html/double.html",
                f"<html><head><title>{TITLE}</title><body><p>{P1}</p></head><html><body><p>{P2}</p></body></html>",
                **READ)
    yield _case("ten-thousand-empty-paragraphs", cat, "html/empty-p.html", _page(body="<p></p>" * 10_000), **READ)
    yield _case("megabyte-attribute-value", cat, "html/attr.html",
                _page(head=f'<meta name="description" content="{"x" * MIB}">'), **READ)
    yield _case("unclosed-comment-swallows-body", cat, "html/comment.html",
                f"<html><body><!-- {P1}<p>{P2}</p></body></html>", error="no extractable text in HTML")
    yield _case("doctype-only", cat, "html/doctype.html", "<!DOCTYPE html>\n", error="no extractable text in HTML")
    yield _case("frameset-page", cat, "html/frames.html",
                '<html><frameset cols="50%,50%"><frame src="a.html"><frame src="b.html"></frameset></html>',
                error="no extractable text in HTML")
    yield _case("only-script-and-style", cat, "html/script-only.html",
                f"<html><head><style>p{{}}</style></head><body><script>var s = '{P1}';</script></body></html>",
                error="no extractable text in HTML")


_PAYLOADS = "alert", "onerror", "onload", "javascript:", "expression(", "隠し"


def _scripts() -> Iterator[tuple[Case, Writer]]:
    cat = "script-and-event-handlers"
    safe = {"text_lacks": ("<script", *_PAYLOADS), **READ}
    for name, head, body in [
        ("script-in-head-and-body", "<script>document.write('隠し文')</script>",
         "<script>alert('隠しスクリプト')</script><p>補足の一文<script>alert(1)</script>を加えた。</p>"),
        ("event-handler-attributes", "",
         '<p onclick="alert(1)">補足の一文を加えた。</p><img src=x onerror="alert(\'隠し\')">'
         '<div onmouseover="alert(2)" onload="alert(3)">画像の説明文。</div>'),
        ("svg-script-and-onload", "", '<svg onload="alert(1)"><script>alert(2)</script></svg><p>補足の一文を加えた。</p>'),
        ("iframe-srcdoc", "", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;隠し"></iframe>'),
        ("javascript-links", "", '<p><a href="javascript:alert(1)">関連記事</a>を参照。</p>'),
        ("style-expression-and-import", "<style>@import 'javascript:alert(1)'; p{width:expression(alert(2))}</style>",
         '<p style="background:url(javascript:alert(3))">補足の一文を加えた。</p>'),
        ("object-and-embed", "", '<object data="data:text/html,<script>alert(1)</script>"></object>'
         '<embed src="javascript:alert(2)">'),
        ("mathml-and-noscript", "", "<math><mtext><script>alert(1)</script></mtext></math>"
         "<noscript><p>隠しテキスト</p></noscript>"),
        ("split-script-tag", "", "<scr<script>ipt>alert(1)</scr</script>ipt><p>補足の一文を加えた。</p>"),
        ("meta-refresh-and-base", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'
         '<base href="javascript:alert(2)//">', ""),
        ("html-comment-with-fake-claim", "", "<!-- 隠し: 大量の砲弾が送られた -->"),
        ("script-type-json-and-module", '<script type="application/ld+json">{"headline": "%s", '
         '"description": "隠し説明"}</script>' % TITLE +
         '<script type="module">import("javascript:alert(1)")</script>', ""),
    ]:
        yield _case(name, cat, f"script/{name}.html", _page(head=head, body=body), **safe)
    literal = "<script>alert(1)</script>"
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    yield _case("escaped-script-in-title", cat, "script/title.html",
                _page(title=escaped).replace(f"<h1>{TITLE}</h1>", f"<h1>{escaped}</h1>"), title=literal,
                text_has=(literal, P1, P2),
                note="a title that spells a tag is text: kept verbatim, the web layer must escape it")
    yield _case("script-text-in-json-record", cat, "script/record.json",
                _json({"title": TITLE, "text": f"{P1}{literal}\n\n{P2}"}), title=TITLE, text_has=(literal, P2),
                note="JSON text is text, not markup: kept verbatim, the web layer must escape it")
    yield _case("script-text-in-plain-text", cat, "script/plain.txt", f"{TITLE}\n\n{P1}\n{literal}\n\n{P2}\n",
                title=TITLE, text_has=(literal, P1), note="a text file's content is text")


def _json_cases() -> Iterator[tuple[Case, Writer]]:
    cat = "json-wrong-types"
    for name, value, phrase in [
        ("text-is-an-array-of-paragraphs", {"text": [P1, P2]}, "field 'text' must be a string, got array"),
        ("text-is-an-object", {"text": {"ja": P1}}, "field 'text' must be a string, got object"),
        ("text-is-a-boolean", {"text": True}, "field 'text' must be a string, got boolean"),
        ("subtitle-is-a-number", {**RECORD, "subtitle": 2}, "field 'subtitle' must be a string, got number"),
        ("url-is-an-object", {**RECORD, "url": {"href": "https://example.org"}}, "field 'url' must be a string"),
        ("date-is-a-unix-timestamp", {**RECORD, "date": 1714521600}, "field 'date' must be a string, got number"),
        ("language-is-a-boolean", {**RECORD, "lang": False}, "field 'lang' must be a string, got boolean"),
        ("outlet-is-a-list", {**RECORD, "source": ["兆し通信"]}, "field 'source' must be a string, got array"),
        ("author-list-holds-null", {**RECORD, "author": ["山田太郎", None]},
         "field 'author' must be a string or a list of strings, got array"),
        ("top-level-null", None, "expected a JSON object or a list of objects, got null"),
        ("top-level-number", 42, "expected a JSON object or a list of objects, got number"),
        ("top-level-string", P1, "expected a JSON object or a list of objects, got string"),
        ("list-of-strings", [P1, P2], "record 1: expected a JSON object, got string"),
        ("no-text-field", {"title": TITLE, "bodyy": P1}, "no text field (expected one of text, body, content)"),
        ("empty-object", {}, "no text field"),
        ("empty-text-and-null-body", {"text": "", "body": None}, "field 'text' is empty"),
        ("good-record-then-bad-record", [RECORD, {"text": 7}], "record 2: field 'text' must be a string"),
    ]:
        yield _case(f"json-{name}", cat, f"json/{name}.json", _json(value), error=phrase)
    for name, raw, phrase in [
        ("trailing-comma", f'{{"text": "{P1}",}}', "invalid JSON: Expecting property name"),
        ("comments", f'{{\n  // 本文\n  "text": "{P1}"\n}}', "invalid JSON"),
        ("two-objects-in-a-json-file", _json(RECORD) + "\n" + _json(RECORD), "invalid JSON: Extra data"),
        ("html-page-named-json", _page(), "invalid JSON"),
        ("hundred-thousand-nested-arrays", "[" * 100_000 + "]" * 100_000, "invalid JSON: nested too deeply"),
        ("nesting-inside-a-good-record", f'{{"text": "{P1}", "x": ' + "[" * 5000 + "]" * 5000 + "}",
         "invalid JSON: nested too deeply"),
        ("five-thousand-digit-number", f'{{"text": "{P1}", "n": {"9" * 5000}}}', "digits"),
        ("lone-surrogate-in-text", f'{{"text": "{P1}\\ud83d"}}', "unpaired surrogate \\ud83d"),
        ("lone-surrogate-in-other-field", f'{{"text": "{P1}", "x": "\\udfff"}}', "unpaired surrogate \\udfff"),
    ]:
        yield _case(f"json-{name}", cat, f"json/{name}.json", raw, error=phrase)
    good = _json(RECORD)
    for name, raw, phrase in [
        ("pretty-printed-object", json.dumps(RECORD, ensure_ascii=False, indent=2), "line 1: invalid JSON"),
        ("line-is-a-number", f"{good}\n42\n", "line 2: expected a JSON object, got number"),
        ("line-is-null", f"{good}\nnull\n", "line 2: expected a JSON object, got null"),
        ("two-good-lines-then-a-bad-one", f"{good}\n{_json({'text': P2})}\n{{\"text\": [1]}}\n",
         "line 3: field 'text' must be a string, got array"),
        ("record-missing-text", f"{good}\n{_json({'title': TITLE})}\n", "line 2: no text field"),
    ]:
        yield _case(f"jsonl-{name}", cat, f"json/{name}.jsonl", raw, error=phrase)
    furniture = [RECORD, {"text": "この記事をシェアする\nTwitter Facebook LINE"}]
    yield (Case("json-second-record-is-only-page-furniture", cat, ("json/furniture.json",),
                error="no article text left after cleaning", failed="json/furniture.json#2", stored=1,
                note="records are stored one by one: the good first record is kept"),
           _bytes("json/furniture.json", _json(furniture)))
    yield _case("json-nan-and-infinity-in-other-fields", cat, "json/nan.json",
                f'{{"title": "{TITLE}", "text": "{P1}\\n\\n{P2}", "score": NaN, "max": Infinity}}', **READ)
    yield _case("json-duplicate-keys-last-wins", cat, "json/dupkeys.json",
                f'{{"title": "古い見出し", "title": "{TITLE}", "text": "{P1}\\n\\n{P2}"}}', **READ)
    yield _case("json-unknown-fields-of-every-type", cat, "json/extra.json",
                _json({**RECORD, "tags": [1, None, {"a": []}], "meta": {"x": True}, "n": -0.0}), **READ)
    yield _case("json-with-utf-8-bom", cat, "json/bom.json", codecs.BOM_UTF8 + _json(RECORD).encode(), **READ)
    yield _case("json-thousand-character-title", cat, "json/long-title.json",
                _json({"title": "長" * 1000, "text": RECORD["text"]}), title="長" * 1000, text_has=(P1, P2))


def _filesystem() -> Iterator[tuple[Case, Writer]]:
    cat = "filesystem"

    def at(rel: str, make: Writer) -> Writer:
        def write(out: Path) -> None:
            path = out / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if not os.path.lexists(path):
                make(path)
        return write

    def unix_socket(path: Path) -> None:
        with contextlib.chdir(path.parent), socket.socket(socket.AF_UNIX) as sock:
            sock.bind(path.name)  # relative: AF_UNIX paths are limited to 107 bytes

    def link_loop(path: Path) -> None:
        path.symlink_to("loop-b.txt")
        (path.parent / "loop-b.txt").symlink_to(path.name)

    def dir_with_loop(path: Path) -> None:
        (path / "sub").mkdir(parents=True)
        (path / "sub" / "a.txt").write_text(ARTICLE, "utf-8")
        (path / "sub" / "up").symlink_to("..")

    def dir_with_bad_name(path: Path) -> None:
        path.mkdir()
        (path / "good.txt").write_text(ARTICLE, "utf-8")
        Path(os.fsdecode(os.fsencode(path) + b"/caf\xe9.txt")).write_text(ARTICLE, "utf-8")

    def named_like_a_file(path: Path) -> None:
        path.mkdir()
        (path / "inner.txt").write_text(ARTICLE, "utf-8")

    def mode_000(path: Path) -> None:
        path.write_text(ARTICLE, "utf-8")
        path.chmod(0)

    def twice(path: Path) -> None:
        path.write_text(ARTICLE, "utf-8")
        (path.parent / "twice-alias.txt").symlink_to(path.name)

    def hidden_only(path: Path) -> None:
        path.mkdir()
        (path / ".draft.txt").write_text(ARTICLE, "utf-8")

    bad_name = os.fsdecode(b"fs/caf\xe9.txt")
    yield Case("fifo-named-txt", cat, ("fs/pipe.txt",), error="not a regular file (FIFO)"), at("fs/pipe.txt", os.mkfifo)
    yield (Case("unix-socket-named-html", cat, ("fs/sock.html",), error="not a regular file (socket)"),
           at("fs/sock.html", unix_socket))
    yield (Case("dangling-symlink", cat, ("fs/dangling.txt",), error="broken symlink"),
           at("fs/dangling.txt", lambda p: p.symlink_to("nowhere.txt")))
    yield (Case("two-links-pointing-at-each-other", cat, ("fs/loop-a.txt",), error="symlink loop"),
           at("fs/loop-a.txt", link_loop))
    yield (Case("link-to-itself", cat, ("fs/self.txt",), error="symlink loop"),
           at("fs/self.txt", lambda p: p.symlink_to(p.name)))
    yield (Case("directory-link-back-to-parent", cat, ("fs/tree",), failed="fs/tree/sub/up", stored=1,
                error="symlink loop (links back to a parent directory)", title=TITLE),
           at("fs/tree", dir_with_loop))
    yield (Case("link-to-dev-null", cat, ("fs/null.txt",), error="not a regular file (character device)"),
           at("fs/null.txt", lambda p: p.symlink_to("/dev/null")))
    yield (Case("link-to-dev-zero", cat, ("fs/zero.json",), error="not a regular file (character device)"),
           at("fs/zero.json", lambda p: p.symlink_to("/dev/zero")))
    yield (Case("file-whose-read-fails", cat, ("fs/mem.txt",), error="input/output error",
                note="/proc/self/mem is a regular file whose read at offset 0 raises EIO"),
           at("fs/mem.txt", lambda p: p.symlink_to("/proc/self/mem")))
    yield (Case("directory-named-like-a-file", cat, ("fs/folder.txt",), title=TITLE, text_has=(P1, P2)),
           at("fs/folder.txt", named_like_a_file))
    yield (Case("empty-directory-named-like-a-file", cat, ("fs/empty.html",), stored=0),
           at("fs/empty.html", lambda p: p.mkdir()))
    yield (Case("only-hidden-files", cat, ("fs/hidden",), stored=0), at("fs/hidden", hidden_only))
    yield (Case("path-through-a-file", cat, ("fs/plain.txt/child.txt",), error="not a directory"),
           at("fs/plain.txt", lambda p: p.write_text(ARTICLE, "utf-8")))
    yield Case("file-name-too-long", cat, ("fs/" + "長" * 100 + ".txt",), error="file name too long"), _nothing
    yield Case("nul-in-path", cat, ("fs/nul\x00name.txt",), error="invalid path (contains a NUL character)"), _nothing
    yield Case("missing-file", cat, ("fs/never-written.txt",), error="no such file or directory"), _nothing
    yield (Case("file-name-not-utf-8", cat, (bad_name,), error="file name is not valid UTF-8"),
           at(bad_name, lambda p: p.write_text(ARTICLE, "utf-8")))
    yield (Case("directory-holding-a-non-utf-8-name", cat, ("fs/mixed",), failed=os.fsdecode(b"fs/mixed/caf\xe9.txt"),
                stored=1, error="file name is not valid UTF-8", title=TITLE),
           at("fs/mixed", dir_with_bad_name))
    yield (Case("same-file-named-twice-and-through-a-link", cat,
                ("fs/twice.txt", "fs/twice-alias.txt", "fs/twice.txt"), **READ), at("fs/twice.txt", twice))
    mode = Case("mode-000-file", cat, ("fs/locked.txt",), **READ,
                note="root reads it, as the OS allows") if IS_ROOT else \
        Case("mode-000-file", cat, ("fs/locked.txt",), error="permission denied")
    yield mode, at("fs/locked.txt", mode_000)


def _plain() -> Iterator[tuple[Case, Writer]]:
    cat = "plain-text-and-format"
    yield _case("empty-file", cat, "plain/empty.txt", b"", error="empty file")
    yield _case("only-whitespace", cat, "plain/blank.txt", " \r\n\t\u3000\n\u00a0\n", error="no text (only whitespace)")
    yield _case("only-page-furniture", cat, "plain/furniture.txt", "この記事をシェアする\nTwitter Facebook LINE\n",
                error="no article text left after cleaning")
    deep = "---\ntitle: " + "[" * 5000 + "]" * 5000 + f"\n---\n\n{P1}\n"
    yield _case("front-matter-nested-too-deeply", cat, "plain/deep.md", deep, error="front matter: nested too deeply")
    yield _case("front-matter-impossible-date", cat, "plain/date.md",
                f"---\ntitle: {TITLE}\ndate: 2024-02-30\n---\n\n{P1}\n",
                error="front matter: invalid value (day is out of range for month)")
    bomb = "".join(f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9))
    yield _case("front-matter-alias-bomb", cat, "plain/bomb.md",
                f"---\nl0: &l0 [lol]\n{bomb}title: *l8\n---\n\n{P1}\n",
                error="front matter: field 'title' must be a string, got array")
    yield _case("front-matter-python-object-tag", cat, "plain/tag.md",
                f"---\ntitle: !!python/object/apply:os.system ['touch pwned']\n---\n\n{TITLE}\n\n{P1}\n\n{P2}\n",
                text_has=("!!python/object/apply", P1, P2),
                note="safe_load refuses the tag; the block is then not front matter and stays text")
    for name, rel, data, kind in [
        ("png-named-txt", "plain/photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        ("gzip-named-json", "plain/archive.json", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", "gzip archive"),
        ("elf-named-html", "plain/program.html", b"\x7fELF\x02\x01\x01\x00", "ELF executable"),
        ("pdf-named-md", "plain/paper.md", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        ("sqlite-named-jsonl", "plain/db.jsonl", b"SQLite format 3\x00\x10\x00", "SQLite database"),
    ]:
        yield _case(name, cat, rel, data, error=f"binary file ({kind})")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    cases = generate(parser.parse_args(argv).out_dir)
    counts = Counter(case.category for case in cases)
    for category, n in counts.items():
        print(f"{category:28} {n:4}")
    errors = sum(1 for case in cases if case.error)
    print(f"{'total':28} {len(cases):4}  ({errors} errors, {len(cases) - errors} read)")


if __name__ == "__main__":
    main()
