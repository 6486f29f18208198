"""JSON and JSON Lines: one article per object, as scrapers and APIs export them.

Each record is hashed by its canonical JSON so that re-exporting the same
article with other whitespace or key order keeps the same ``raw_sha256``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from collections.abc import Mapping
from typing import Any

from ..exc import IngestError
from ..model import Document, Metadata
from .encodings import decode_bytes
from .normalise import normalise_date, normalise_text

TEXT_FIELDS = ("text", "body", "content")
_SINGLE_FIELDS = {
    "title": ("title",),
    "subtitle": ("subtitle",),
    "url": ("url",),
    "published": ("date", "published"),
    "outlet": ("outlet", "source", "site"),
    "language": ("language", "lang"),
}


def read_json(data: bytes, path: str) -> list[Document]:
    """A ``.json`` file holds one article object, or a list of them (sources ``path#N``)."""
    text, encoding = decode_bytes(data, path)
    try:
        value = _loads(text)
    except json.JSONDecodeError as err:
        raise IngestError(path, f"invalid JSON: {err.msg} at line {err.lineno} column {err.colno}") from None
    except _JSONLimit as err:
        raise IngestError(path, f"invalid JSON: {err}") from None
    if isinstance(value, dict):
        return [record_document(value, path, path, encoding, where="")]
    if not isinstance(value, list):
        raise IngestError(path, f"expected a JSON object or a list of objects, got {_type_name(value)}")
    if not value:
        raise IngestError(path, "empty JSON list (no records)")
    return [record_document(item, f"{path}#{n}", path, encoding, where=f"record {n}: ")
            for n, item in enumerate(value, start=1)]


def read_jsonl(data: bytes, path: str) -> list[Document]:
    """A ``.jsonl`` file holds one object per line; blank lines are skipped, not counted as records."""
    text, encoding = decode_bytes(data, path)
    documents: list[Document] = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"line {line_no}: "
        try:
            value = _loads(line)
        except json.JSONDecodeError as err:
            raise IngestError(path, f"{where}invalid JSON: {err.msg} at column {err.colno}") from None
        except _JSONLimit as err:
            raise IngestError(path, f"{where}invalid JSON: {err}") from None
        documents.append(record_document(value, f"{path}#{len(documents) + 1}", path, encoding, where))
    if not documents:
        raise IngestError(path, "no JSON records (only blank lines)")
    return documents


class _JSONLimit(ValueError):
    """JSON that parses in principle but exceeds what Python will build."""


def _loads(text: str) -> Any:
    """``json.loads`` with its two non-syntax failures named: nesting and integer length."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise _JSONLimit("nested too deeply") from None
    except ValueError as err:  # Python refuses to convert integers of more than 4,300 digits
        raise _JSONLimit(f"a number has more than {sys.get_int_max_str_digits():,} digits") from None


def record_document(record: Any, source: str, path: str, encoding: str, where: str) -> Document:
    """One article object to a Document; ``where`` prefixes errors with the record or line."""
    if not isinstance(record, dict):
        raise IngestError(path, f"{where}expected a JSON object, got {_type_name(record)}")
    text = _record_text(record, path, where)
    canonical = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        raw = canonical.encode("utf-8")
    except UnicodeEncodeError as err:  # "\ud800" escapes decode to lone surrogates, which are not text
        raise IngestError(path, f"{where}unpaired surrogate \\u{ord(canonical[err.start]):04x} in a JSON string "
                                f"(half of an escaped emoji or other character)") from None
    return Document(
        source=source,
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        text=text,
        encoding=encoding,
        format="json",
        metadata=metadata_from_fields(record, path, where),
    )


def metadata_from_fields(record: Mapping[str, Any], path: str, where: str = "") -> Metadata:
    """Metadata from the usual field names; a field of the wrong type is an error, not a guess."""
    values: dict[str, Any] = {}
    for attr, keys in _SINGLE_FIELDS.items():
        for key in keys:
            if record.get(key) is None:
                continue
            value = record[key]
            if attr == "published" and isinstance(value, dt.date):  # YAML front matter parses dates
                values[attr] = normalise_date(value)
            elif not isinstance(value, str):
                raise IngestError(path, f"{where}field '{key}' must be a string, got {_type_name(value)}")
            else:
                cleaned = normalise_text(value).strip()
                values[attr] = (normalise_date(cleaned) if attr == "published" else cleaned) or None
            break
    authors = _authors(record.get("author"), path, where)
    return Metadata(author=", ".join(authors) or None, authors=authors, **values)


def _record_text(record: Mapping[str, Any], path: str, where: str) -> str:
    present = [key for key in TEXT_FIELDS if record.get(key) is not None]
    if not present:
        raise IngestError(path, f"{where}no text field (expected one of {', '.join(TEXT_FIELDS)})")
    for key in present:
        value = record[key]
        if not isinstance(value, str):
            raise IngestError(path, f"{where}field '{key}' must be a string, got {_type_name(value)}")
        text = normalise_text(value)
        if text.strip():
            return text
    raise IngestError(path, f"{where}field '{present[0]}' is empty")


def _authors(value: Any, path: str, where: str) -> list[str]:
    """``author`` may be one name or a list of names."""
    if value is None:
        return []
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise IngestError(path, f"{where}field 'author' must be a string or a list of strings, "
                                f"got {_type_name(value)}")
    cleaned = (normalise_text(name).strip() for name in names)
    return [name for name in cleaned if name]


def _type_name(value: Any) -> str:
    """JSON's own names for types, which is what the user wrote."""
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
