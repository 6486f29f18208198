"""Read one file into Documents, choosing the reader by extension, then by content.

The size limit is checked on ``stat`` before any byte is read, so a stray
disk image in a corpus folder costs nothing; the text and sentence limits are
checked before any stage runs, so an oversized document fails in a second
rather than after an hour of parsing.
"""
from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import yaml

from ..config import Options
from ..exc import IngestError
from ..language.sentences import split_sentences
from ..model import Document, Metadata
from .encodings import decode_bytes
from .files import file_kind, os_reason, path_problem
from .html import read_html
from .jsonfile import metadata_from_fields, read_json, read_jsonl
from .normalise import normalise_text

_FORMATS = {
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".md": "markdown", ".markdown": "markdown",
    ".txt": "text", ".text": "text",
}
_HTML_STARTS = (b"<!doctype html", b"<html")
_MIB = 1024 * 1024


def read_file(path: Path, options: Options) -> list[Document]:
    """Documents in ``path`` (several for JSON lists and JSON Lines); IngestError says why not."""
    path = Path(path)
    data = _read_bytes(path, options.max_file_bytes)
    source = str(path)
    kind = _FORMATS.get(path.suffix.lower()) or _sniff(data)
    if kind in ("text", "markdown") and _looks_like_html(data):
        kind = "html"  # a saved page with a .txt name is still a page
    if kind == "html":
        docs = [read_html(data, source)]
    elif kind == "json":
        docs = read_json(data, source)
    elif kind == "jsonl":
        docs = read_jsonl(data, source)
    else:
        docs = [_read_plain(data, source, kind)]
    _check_lengths(docs, source, options)
    return docs


def _read_bytes(path: Path, limit: int) -> bytes:
    name = str(path)
    problem = path_problem(name)
    if problem:
        raise IngestError(name, problem)
    try:
        info = path.stat()
    except FileNotFoundError:
        kind = "broken symlink" if path.is_symlink() else "no such file"
        raise IngestError(name, kind) from None
    except OSError as err:
        raise IngestError(name, os_reason(err)) from None
    if not stat.S_ISREG(info.st_mode):
        raise IngestError(name, f"not a regular file ({file_kind(info.st_mode)})")
    if info.st_size > limit:
        raise IngestError(name, _too_large(info.st_size, limit))
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)  # the file may have grown since stat
    except OSError as err:
        raise IngestError(name, os_reason(err)) from None
    if len(data) > limit:
        raise IngestError(name, _too_large(len(data), limit))
    return data


def _read_plain(data: bytes, source: str, kind: str) -> Document:
    text, encoding = decode_bytes(data, source)
    text = normalise_text(text)
    metadata = Metadata()
    if kind == "markdown":
        text, metadata = _front_matter(text, source)
    if not text.strip():
        raise IngestError(source, "no text (only whitespace)")
    return Document(
        source=source,
        raw_sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        encoding=encoding,
        format=kind,
        metadata=metadata,
    )


def _front_matter(text: str, source: str) -> tuple[str, Metadata]:
    """YAML front matter (``---`` … ``---``) gives metadata; text without a valid block is kept whole."""
    if not text.startswith("---\n"):
        return text, Metadata()
    end = text.find("\n---", 3)
    if end < 0 or text[end + 4:end + 5] not in ("", "\n"):
        return text, Metadata()
    try:
        fields = yaml.safe_load(text[4:end])
    except yaml.YAMLError:
        return text, Metadata()
    except RecursionError:
        raise IngestError(source, "front matter: nested too deeply") from None
    except ValueError as err:  # YAML that parses but names an impossible date (2023-02-30)
        raise IngestError(source, f"front matter: invalid value ({err})") from None
    if not isinstance(fields, dict):
        return text, Metadata()
    return text[end + 4:].strip("\n"), metadata_from_fields(fields, source, "front matter: ")


def _sniff(data: bytes) -> str:
    """Format of a file whose extension says nothing."""
    if _looks_like_html(data):
        return "html"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        return "json"
    return "text"


def _looks_like_html(data: bytes) -> bool:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:64].lower()
    return head.startswith(_HTML_STARTS)


def _check_lengths(docs: list[Document], path: str, options: Options) -> None:
    """Refuse a document too long to analyse, or with a sentence SudachiPy cannot take."""
    numbered = len(docs) > 1 or docs[0].source != path
    for n, doc in enumerate(docs, start=1):
        where = f"record {n}: " if numbered else ""
        if len(doc.text) > options.max_text_chars:
            raise IngestError(path, f"{where}text too long: {len(doc.text):,} characters, over the limit of "
                                    f"{options.max_text_chars:,} (Options.max_text_chars)")
        longest = max(split_sentences(doc.text, []), key=lambda s: s.end - s.start, default=None)
        if longest and longest.end - longest.start > options.max_sentence_chars:
            line = doc.text.count("\n", 0, longest.start) + 1
            raise IngestError(path, f"{where}sentence too long: {longest.end - longest.start:,} characters "
                                    f"without 。！？ or a line break (line {line:,}), over the limit of "
                                    f"{options.max_sentence_chars:,} (Options.max_sentence_chars)")


def _too_large(size: int, limit: int) -> str:
    return f"file too large: {_size(size)}, over the limit of {_size(limit)} (Options.max_file_bytes)"


def _size(n: int) -> str:
    return f"{n / _MIB:.1f} MiB" if n >= _MIB else f"{n:,} bytes"
