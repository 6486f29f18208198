"""The one document model every stage reads and extends.

Every offset in this module points into ``Document.text`` (the clean text),
so any claim can be traced back to the characters it came from.
Plain dataclasses keep documents picklable (Dask) and trivially JSON-able.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

Certainty = str  # "certain" | "uncertain" | "negated"
CERTAINTIES = ("certain", "uncertain", "negated")


@dataclass
class Span:
    """A stretch of the clean text: ``text == document.text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass
class Paragraph:
    start: int
    end: int
    kind: str = "body"  # "title", "subtitle", "byline", "heading", "body"


@dataclass
class Removed:
    """A passage taken out of the clean text, kept so that nothing is lost."""

    text: str
    reason: str  # e.g. "boilerplate:comment_form", "duplicate:paragraph"
    detail: str = ""


@dataclass
class Metadata:
    title: str | None = None
    subtitle: str | None = None
    author: str | None = None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    published: str | None = None  # ISO 8601 prefix: YYYY, YYYY-MM or YYYY-MM-DD
    language: str | None = None
    url: str | None = None


@dataclass
class Sentence:
    start: int
    end: int
    analysed: bool = False  # True when GiNZA parsed it


@dataclass
class Token:
    """One GiNZA token; ``i`` and ``head`` index ``Document.tokens``."""

    i: int
    start: int
    end: int
    text: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    sent: int  # index into Document.sentences
    ent: str = ""  # GiNZA's NER label, a proposal only


@dataclass
class Mention:
    """A span linked to an entity id (ontology id, or a new id for unknown names)."""

    start: int
    end: int
    text: str
    entity_id: str
    type: str  # country, person, organization, place
    source: str = "ontology"  # "ontology" or "ner"


@dataclass
class Entity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    mentions: list[list[int]] = field(default_factory=list)
    country: str | None = None
    known: bool = True  # False when only GiNZA's NER proposed it


@dataclass
class TimeExpr:
    """A temporal expression with its ISO value (``None`` when it cannot be resolved)."""

    start: int
    end: int
    text: str
    value: str | None  # ISO prefix: "2023", "2023-09", "2023-09-13" or "--09-12" (month-day, no year)
    precision: str  # "year", "month", "day", "unknown"
    end_value: str | None = None  # for ranges
    relative: bool = False


@dataclass
class Quantity:
    value: float
    unit: str | None = None
    approximate: bool = False
    at_least: bool = False
    period: str | None = None  # "year", "month", "day"
    upper: float | None = None  # a range's upper end (1000人から3000人: value 1000, upper 3000)


@dataclass
class Flow:
    supplier: str
    recipient: str
    item: str
    certainty: Certainty
    evidence: Span
    attributed_to: str | None = None
    quantity: Quantity | None = None
    time: str | None = None
    cue: str | None = None  # the predicate or pattern that gave the direction
    why: str | None = None  # the words that decided it: predicate, parties, item, certainty
    claim_id: str = ""  # stable across re-analysis (claim_ids.py)


@dataclass
class Event:
    type: str
    date: str | None
    participants: list[str]
    certainty: Certainty
    evidence: Span
    attributed_to: str | None = None
    claim_id: str = ""  # stable across re-analysis (claim_ids.py)


@dataclass
class Figure:
    actor: str | None
    item: str | None
    value: float
    unit: str | None
    period: str | None
    measure: str | None
    evidence: Span
    approximate: bool = False  # 約, およそ, 数百万, 近く
    at_least: bool = False  # 以上, 少なくとも, を上回る
    upper: float | None = None  # 1000人から3000人: the range's upper end
    claim_id: str = ""  # stable across re-analysis (claim_ids.py)


@dataclass
class Anomaly:
    kind: str
    text: str
    start: int
    end: int
    detail: str = ""


@dataclass
class Document:
    """An article as it moves through the pipeline; each stage adds its layer."""

    source: str
    raw_sha256: str
    text: str  # clean text; every offset points here
    id: str = ""
    encoding: str | None = None
    format: str = "text"
    metadata: Metadata = field(default_factory=Metadata)
    paragraphs: list[Paragraph] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    # language layer
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    # link layer
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    dates: list[TimeExpr] = field(default_factory=list)
    # extract layer
    flows: list[Flow] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)  # names of stages already run
    # where the article lives (its URL, or the one file it was read from): a new text under the
    # same key is a new version of the article, not another article (ingest/versions.py)
    version_key: str | None = None
    # filled by the store: the earlier article this one nearly copies (MinHash similarity), and
    # the newer version that replaced this one in the ledger (kept as history)
    near_duplicate_of: str | None = None
    similarity: float | None = None
    superseded_by: str | None = None

    def span(self, start: int, end: int) -> Span:
        """A Span whose text is guaranteed to equal the clean text there."""
        return Span(start, end, self.text[start:end])

    def assign_id(self) -> None:
        """The id is a hash of the clean text, so a re-scrape with other bytes maps to one id."""
        self.id = content_id(self.text)

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as ``dataclasses.asdict`` gives but without its deep copies: a parsed
        article has thousands of tokens, and asdict cost as much as storing them."""
        return _plain(self)


def _plain(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    names = _field_names(type(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...] | None:
    return tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None


def content_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def from_dict(cls: type, data: Any) -> Any:
    """Rebuild nested dataclasses from ``asdict`` output (store, Dask, JSON)."""
    if data is None or not is_dataclass(cls):
        return data
    kwargs = {}
    hints = {f.name: f for f in fields(cls)}
    for name, value in data.items():
        if name not in hints:
            continue
        kwargs[name] = _rebuild(hints[name].type, value)
    return cls(**kwargs)


_TYPES: dict[str, type] = {}


def _rebuild(annotation: Any, value: Any) -> Any:
    ann = str(annotation)
    for name, cls in _TYPES.items():
        if ann == name or ann == f"{name} | None":
            return from_dict(cls, value) if value is not None else None
        if ann == f"list[{name}]":
            return [from_dict(cls, v) for v in value]
    return value


for _cls in (Span, Paragraph, Removed, Metadata, Sentence, Token, Mention, Entity, TimeExpr,
             Quantity, Flow, Event, Figure, Anomaly):
    _TYPES[_cls.__name__] = _cls


def document_from_dict(data: dict[str, Any]) -> Document:
    return from_dict(Document, data)
