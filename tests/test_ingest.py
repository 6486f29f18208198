"""Reading files into Documents: walking paths, dispatch, HTML, JSON, bad inputs, the real corpus.

Every input is written here into ``tmp_path``; the corpus test only reads
``../shared/corpus`` at run time.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pytest

from kizashi.config import Options
from kizashi.exc import IngestError
from kizashi.ingest import iter_files, read_file

OPTIONS = Options()
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

PARAGRAPH_1 = "ロシア極東の宇宙基地で両国の首脳が会談したと伝えられた。会談は四時間以上に及んだという。"
PARAGRAPH_2 = "専門家は、砲弾の供与が議題になった可能性があると指摘している。"
PARAGRAPH_3 = "一方、両政府は軍事協力の詳細について公式には言及していない。"


def write(path: Path, content: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def read_error(path: Path, options: Options = OPTIONS) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read_file(path, options)
    assert str(caught.value).startswith(f"{path}: ")  # every message names the file
    return caught.value


# --- plain text and markdown -------------------------------------------------

def test_text_file_is_decoded_and_normalised(tmp_path: Path) -> None:
    raw = f"ＫＣＮＡによると\r\n\r\n\r\n\r\n{PARAGRAPH_1}   \r\n".encode("cp932")
    path = write(tmp_path / "a.txt", raw)
    [doc] = read_file(path, OPTIONS)
    assert doc.text == f"KCNAによると\n\n{PARAGRAPH_1}"
    assert (doc.source, doc.format, doc.encoding) == (str(path), "text", "cp932")
    assert doc.raw_sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.metadata.title is None and doc.metadata.published is None  # nothing invented


def test_markdown_front_matter_gives_metadata(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", f"---\ntitle: 露朝首脳会談\ndate: 2023-09-13\nauthor: [山田太郎, 佐藤花子]\n"
                                    f"outlet: 兆し通信\n---\n\n# 見出し\n\n{PARAGRAPH_1}\n")
    [doc] = read_file(path, OPTIONS)
    assert doc.format == "markdown"
    assert doc.text == f"# 見出し\n\n{PARAGRAPH_1}"
    meta = doc.metadata
    assert (meta.title, meta.published, meta.outlet) == ("露朝首脳会談", "2023-09-13", "兆し通信")
    assert meta.authors == ["山田太郎", "佐藤花子"]


def test_markdown_without_valid_front_matter_keeps_all_text(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", f"---\n{PARAGRAPH_1}\n")
    [doc] = read_file(path, OPTIONS)
    assert doc.text == f"---\n{PARAGRAPH_1}"


# --- HTML ---------------------------------------------------------------------

ARTICLE_HTML = f"""<!DOCTYPE html>
<html lang="ja-JP"><head>
<meta charset="utf-8">
<title>露朝首脳が会談 | 兆し新聞</title>
<meta name="author" content="山田太郎">
<meta property="og:site_name" content="兆し新聞">
<meta property="article:published_time" content="2023-09-14T10:00:00+09:00">
<link rel="canonical" href="https://example.org/news/1">
<script>var tracker = "追跡スクリプトの文字列";</script>
<style>p {{ color: red }}</style>
</head><body>
<nav><a href="/">ホーム</a> | <a href="/world">国際</a></nav>
<article><h1>露朝首脳が会談</h1>
<p>{PARAGRAPH_1}</p>
<p>{PARAGRAPH_2}<script>document.write("埋め込まれた悪意の文字列")</script></p>
<p>{PARAGRAPH_3}</p>
</article></body></html>"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    path = write(tmp_path / "page.html", ARTICLE_HTML)
    [doc] = read_file(path, OPTIONS)
    assert doc.format == "html" and doc.encoding == "utf-8"
    assert doc.text.split("\n\n") == ["露朝首脳が会談", PARAGRAPH_1, PARAGRAPH_2, PARAGRAPH_3]
    assert "スクリプト" not in doc.text and "悪意" not in doc.text and "color" not in doc.text
    meta = doc.metadata
    assert meta.title == "露朝首脳が会談"
    assert (meta.author, meta.authors) == ("山田太郎", ["山田太郎"])
    assert meta.outlet == "兆し新聞"
    assert meta.published == "2023-09-14"
    assert meta.url == "https://example.org/news/1"
    assert meta.language == "ja"


def test_html_without_metadata_invents_none(tmp_path: Path) -> None:
    # a date in the body text is not the page's publication date
    path = write(tmp_path / "bare.html", f"<html><body><p>2023年9月14日、{PARAGRAPH_1}</p></body></html>")
    [doc] = read_file(path, OPTIONS)
    meta = doc.metadata
    assert (meta.published, meta.author, meta.outlet, meta.url, meta.language) == (None,) * 5
    assert doc.text == f"2023年9月14日、{PARAGRAPH_1}"


@pytest.mark.parametrize(("html", "present", "absent"), [
    # unclosed paragraphs and an unclosed script swallowing the rest of the page
    (f"<html><body><p>{PARAGRAPH_1}<p>{PARAGRAPH_2}<script>var x = '隠れた文字列';", PARAGRAPH_2, "隠れた"),
    # a bare fragment, no <html> or <body>
    (f"<p>{PARAGRAPH_1}", PARAGRAPH_1, "<p>"),
    # script and style in the body between paragraphs, mismatched closing tags
    (f"<div><p>{PARAGRAPH_1}</div></span><style>.x{{}}</style><script>alert('攻撃')</script><p>{PARAGRAPH_3}",
     PARAGRAPH_3, "攻撃"),
    # an XML declaration, which lxml refuses on decoded text
    (f'<?xml version="1.0" encoding="utf-8"?><html><body><p>{PARAGRAPH_1}</p></body></html>', PARAGRAPH_1, "xml"),
])
def test_broken_html_with_text_is_read_and_scripts_dropped(tmp_path: Path, html: str, present: str,
                                                           absent: str) -> None:
    [doc] = read_file(write(tmp_path / "broken.html", html), OPTIONS)
    assert present in doc.text
    assert absent not in doc.text


@pytest.mark.parametrize(("raw", "encoding"), [
    (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=EUC-JP"></head>'
     f"<body><p>{PARAGRAPH_1}</p></body></html>".encode("euc_jp"), "euc_jp"),
    (f'<html><head><meta charset="Shift_JIS"></head><body><p>{PARAGRAPH_1}</p></body></html>'.encode("cp932"),
     "cp932"),
    # a wrong declaration is overruled by what the bytes decode as
    (f'<html><head><meta charset="euc-jp"></head><body><p>{PARAGRAPH_1}</p></body></html>'.encode("cp932"),
     "cp932"),
    (f'<html><head><meta charset="iso-8859-1"></head><body><p>{PARAGRAPH_1}</p></body></html>'.encode("utf-8"),
     "utf-8"),
])
def test_html_meta_charset(tmp_path: Path, raw: bytes, encoding: str) -> None:
    [doc] = read_file(write(tmp_path / "page.htm", raw), OPTIONS)
    assert (doc.text, doc.encoding) == (PARAGRAPH_1, encoding)


def test_txt_file_holding_a_saved_page_is_read_as_html(tmp_path: Path) -> None:
    [doc] = read_file(write(tmp_path / "saved.txt", ARTICLE_HTML), OPTIONS)
    assert doc.format == "html" and PARAGRAPH_1 in doc.text and "<p>" not in doc.text


@pytest.mark.parametrize("html", [
    "<html><head><script>var only = 'スクリプト';</script></head><body><nav></nav></body></html>",
    "<html><body></body></html>",
    "   \n  ",
])
def test_html_without_text_is_rejected(tmp_path: Path, html: str) -> None:
    assert read_error(write(tmp_path / "empty.html", html)).reason == "no extractable text in HTML"


# --- JSON and JSON Lines -----------------------------------------------------

RECORD = {"title": "露朝首脳が会談", "text": f"{PARAGRAPH_1}\n\n{PARAGRAPH_2}", "url": "https://example.org/1",
          "date": "2023-09-14T10:00:00+09:00", "author": "山田太郎", "source": "兆し新聞"}


def canonical_sha(record: dict) -> str:
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_json_object(tmp_path: Path) -> None:
    path = write(tmp_path / "a.json", json.dumps(RECORD, ensure_ascii=False, indent=2))
    [doc] = read_file(path, OPTIONS)
    assert (doc.source, doc.format, doc.text) == (str(path), "json", RECORD["text"])
    assert doc.raw_sha256 == canonical_sha(RECORD)
    meta = doc.metadata
    assert (meta.title, meta.url, meta.published, meta.author, meta.outlet) == (
        "露朝首脳が会談", "https://example.org/1", "2023-09-14", "山田太郎", "兆し新聞")


def test_json_hash_ignores_key_order_and_whitespace(tmp_path: Path) -> None:
    reordered = dict(reversed(list(RECORD.items())))
    a = read_file(write(tmp_path / "a.json", json.dumps(RECORD)), OPTIONS)[0]
    b = read_file(write(tmp_path / "b.json", json.dumps(reordered, indent=4, ensure_ascii=False)), OPTIONS)[0]
    assert a.raw_sha256 == b.raw_sha256


@pytest.mark.parametrize(("record", "text", "attrs"), [
    ({"body": PARAGRAPH_1, "published": "2023/09/14", "site": "兆し"}, PARAGRAPH_1,
     {"published": "2023-09-14", "outlet": "兆し"}),
    ({"content": PARAGRAPH_2, "outlet": "兆し", "author": ["山田太郎", "佐藤花子"]}, PARAGRAPH_2,
     {"outlet": "兆し", "authors": ["山田太郎", "佐藤花子"], "author": "山田太郎, 佐藤花子"}),
    ({"text": "", "body": PARAGRAPH_3, "date": "先日"}, PARAGRAPH_3, {"published": None}),
    ({"text": PARAGRAPH_1, "title": "ＫＣＮＡ報道", "date": None}, PARAGRAPH_1,
     {"title": "KCNA報道", "published": None}),
])
def test_json_field_variants(tmp_path: Path, record: dict, text: str, attrs: dict) -> None:
    [doc] = read_file(write(tmp_path / "a.json", json.dumps(record, ensure_ascii=False)), OPTIONS)
    assert doc.text == text
    for name, value in attrs.items():
        assert getattr(doc.metadata, name) == value


def test_json_list_gives_numbered_sources(tmp_path: Path) -> None:
    records = [{"text": PARAGRAPH_1}, {"body": PARAGRAPH_2}]
    path = write(tmp_path / "many.json", json.dumps(records, ensure_ascii=False))
    docs = read_file(path, OPTIONS)
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#2"]
    assert [d.text for d in docs] == [PARAGRAPH_1, PARAGRAPH_2]
    assert [d.raw_sha256 for d in docs] == [canonical_sha(r) for r in records]


def test_jsonl_one_document_per_record(tmp_path: Path) -> None:
    lines = [json.dumps({"text": p}, ensure_ascii=False) for p in (PARAGRAPH_1, PARAGRAPH_2, PARAGRAPH_3)]
    path = write(tmp_path / "feed.jsonl", "\n".join([lines[0], "", lines[1], lines[2]]) + "\n")
    docs = read_file(path, OPTIONS)
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#2", f"{path}#3"]  # blank line not counted
    assert [d.text for d in docs] == [PARAGRAPH_1, PARAGRAPH_2, PARAGRAPH_3]


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("a.json", '{"text": "本文",', "invalid JSON: Expecting property name enclosed in double quotes"
                                    " at line 1 column 15"),
    ("a.json", '"本文だけ"', "expected a JSON object or a list of objects, got string"),
    ("a.json", "[]", "empty JSON list (no records)"),
    ("a.json", '{"title": "見出しだけ"}', "no text field (expected one of text, body, content)"),
    ("a.json", '{"text": 42}', "field 'text' must be a string, got number"),
    ("a.json", '{"text": "  \\n "}', "field 'text' is empty"),
    ("a.json", '{"text": "本文", "title": ["a"]}', "field 'title' must be a string, got array"),
    ("a.json", '{"text": "本文", "author": {"name": "x"}}',
     "field 'author' must be a string or a list of strings, got object"),
    ("a.json", '[{"text": "本文"}, [1, 2]]', "record 2: expected a JSON object, got array"),
    ("a.json", '[{"text": "本文"}, {"body": null}]', "record 2: no text field (expected one of text, body, content)"),
    ("a.jsonl", '{"text": "本文"}\n\n{"text": "本文"\n', "line 3: invalid JSON: Expecting ',' delimiter"
                                                         " at column 14"),
    ("a.jsonl", '{"text": "本文"}\n{"date": "2023-09-14"}\n', "line 2: no text field"
                                                              " (expected one of text, body, content)"),
    ("a.jsonl", '{"text": "本文"}\n[]\n', "line 2: expected a JSON object, got array"),
    ("a.jsonl", "\n\n  \n", "no JSON records (only blank lines)"),
])
def test_bad_json_raises_naming_the_record(tmp_path: Path, name: str, content: str, reason: str) -> None:
    assert read_error(write(tmp_path / name, content)).reason == reason


# --- bad files ---------------------------------------------------------------

@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file (PNG image)"),
    (b"%PDF-1.4\n1 0 obj\n", "binary file (PDF document)"),
    (b"PK\x03\x04\x14\x00\x06\x00", "binary file (ZIP archive)"),
    (b"abc\x00\x00\x00\x01\x02\x03def\x00", "binary file (contains NUL bytes)"),
    (bytes(range(0x80, 0x100)) * 2, "cannot decode as UTF-8, UTF-16, Shift_JIS, EUC-JP or ISO-2022-JP"),
    (" \r\n\t\u3000\n".encode("utf-8"), "no text (only whitespace)"),
])
def test_bad_text_files(tmp_path: Path, content: bytes, reason: str) -> None:
    assert read_error(write(tmp_path / "bad.txt", content)).reason == reason


def test_binary_with_a_text_extension_is_still_binary(tmp_path: Path) -> None:
    assert read_error(write(tmp_path / "photo.html", b"\x89PNG\r\n\x1a\n")).reason == "binary file (PNG image)"


_OPENED: list[str] | None = None


def _record_opens(event: str, args: tuple) -> None:
    if event == "open" and _OPENED is not None:
        _OPENED.append(os.fsdecode(args[0]) if isinstance(args[0], (str, bytes)) else str(args[0]))


def test_file_over_the_limit_is_rejected_before_reading(tmp_path: Path) -> None:
    global _OPENED
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024 + 100)  # sparse: no data is written to disk
    sys.addaudithook(_record_opens)  # stays installed, but records only while _OPENED is a list
    _OPENED = []
    try:
        error = read_error(path)
    finally:
        opened, _OPENED = _OPENED, None
    assert error.reason == "file too large: 50.0 MiB, over the limit of 10.0 MiB (Options.max_file_bytes)"
    assert str(path) not in opened  # the file was never opened, let alone read


def test_limit_is_an_option(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", PARAGRAPH_1)
    error = read_error(path, Options(max_file_bytes=100))
    assert error.reason == (f"file too large: {len(PARAGRAPH_1.encode()):,} bytes, over the limit of 100 bytes"
                            f" (Options.max_file_bytes)")


def test_fifo_is_rejected_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert read_error(fifo).reason == "not a regular file (FIFO)"


def test_dangling_symlink_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "link.txt").symlink_to(tmp_path / "gone.txt")
    assert read_error(tmp_path / "link.txt").reason == "broken symlink"
    assert read_error(tmp_path / "never.txt").reason == "no such file"


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    assert read_error(tmp_path).reason == "not a regular file (directory)"


@pytest.mark.skipif(IS_ROOT, reason="root reads mode-000 files; the FIFO and dangling-link tests stand in")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", PARAGRAPH_1)
    path.chmod(0)
    assert read_error(path).reason == "permission denied"
    [error] = list(iter_files([path]))
    assert isinstance(error, IngestError) and error.reason == "permission denied"


# --- walking paths -----------------------------------------------------------

def results(paths: list[Path | str], root: Path) -> list[str]:
    """Relative names of yielded files, and 'ERROR name: reason' for yielded errors."""
    out = []
    for item in iter_files(paths):
        if isinstance(item, IngestError):
            out.append(f"ERROR {os.path.relpath(item.path, root)}: {item.reason}")
        else:
            out.append(os.path.relpath(item, root))
    return out


def test_recursion_is_sorted_and_skips_hidden_entries(tmp_path: Path) -> None:
    for name in ["b.txt", "a/z.txt", "a/c/d.html", "a/b.json", "c.md", ".hidden.txt", ".git/config",
                 "a/.cache/x.txt"]:
        write(tmp_path / name, PARAGRAPH_1)
    assert results([tmp_path], tmp_path) == ["a/b.json", "a/c/d.html", "a/z.txt", "b.txt", "c.md"]


def test_given_paths_keep_their_order_and_repeats_are_yielded_once(tmp_path: Path) -> None:
    write(tmp_path / "d/x.txt", PARAGRAPH_1)
    write(tmp_path / "y.txt", PARAGRAPH_2)
    (tmp_path / "d/alias.txt").symlink_to(tmp_path / "y.txt")
    assert results([tmp_path / "y.txt", tmp_path / "d", str(tmp_path / "y.txt")], tmp_path) == [
        "y.txt", "d/x.txt"]


def test_symlink_loop_is_reported_not_followed(tmp_path: Path) -> None:
    write(tmp_path / "top/sub/a.txt", PARAGRAPH_1)
    (tmp_path / "top/sub/up").symlink_to(tmp_path / "top")
    (tmp_path / "top/self").symlink_to("self")  # a link that resolves to itself
    assert results([tmp_path / "top"], tmp_path) == [
        "ERROR top/self: symlink loop",
        "top/sub/a.txt",
        "ERROR top/sub/up: symlink loop (links back to a parent directory)",
    ]


def test_bad_entries_are_yielded_as_errors(tmp_path: Path) -> None:
    # Tests run as root, where chmod 000 does not stop reading: a FIFO and a
    # dangling link are the entries that cannot be read as files.
    write(tmp_path / "ok.txt", PARAGRAPH_1)
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    assert results([tmp_path, tmp_path / "missing"], tmp_path) == [
        "ERROR dangling.txt: broken symlink",
        "ok.txt",
        "ERROR pipe: not a regular file (FIFO)",
        "ERROR missing: no such file or directory",
    ]


@pytest.mark.skipif(IS_ROOT, reason="root lists mode-000 directories")
def test_unreadable_directory(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    write(locked / "a.txt", PARAGRAPH_1)
    locked.chmod(0)
    try:
        assert results([tmp_path], tmp_path) == ["ERROR locked: cannot list directory: permission denied"]
    finally:
        locked.chmod(0o755)


# --- the real corpus ---------------------------------------------------------

@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
def test_real_corpus_files_decode_as_utf8() -> None:
    files = list(iter_files([CORPUS]))
    assert len(files) == 3 and all(isinstance(f, Path) for f in files)
    for path in files:
        [doc] = read_file(path, OPTIONS)
        assert doc.encoding == "utf-8" and doc.format == "text"
        assert len(doc.text) > 1000
        assert doc.raw_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_cli_prints_hostile_file_names_as_they_are(tmp_path: Path) -> None:
    """A name with rich markup or a terminal escape is shown, not interpreted."""
    import subprocess

    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("[bold]b\x1b[31m.txt", "x[.txt"):
        (folder / name).write_bytes(b"\x00\x01")
    result = subprocess.run([sys.executable, "-m", "kizashi", "--db", str(tmp_path / "k.db"), "ingest", str(folder)],
                            capture_output=True, text=True, timeout=300, env=os.environ | {"COLUMNS": "300"})
    assert result.returncode == 1
    assert "\x1b" not in result.stderr
    assert f"{folder}/[bold]b\\x1b[31m.txt: binary file" in result.stderr
    assert f"{folder}/x[.txt: binary file" in result.stderr
