"""HTML pages: main text through trafilatura, metadata from the page's own tags.

trafilatura drops navigation, scripts and comments; when its precision mode
finds nothing (short or broken pages) recall mode and then its baseline are
tried, so a damaged page that still holds text is read rather than rejected.

libxml2's default limits (256 levels, 10 MB text nodes) silently cut a page
with many unclosed ``<font>`` tags or one huge paragraph, so the parser runs
without them and the depth is bounded here instead, with an error that says so.
"""
from __future__ import annotations

import hashlib
import re

import lxml.etree
import lxml.html
import trafilatura
from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata

from ..exc import IngestError
from ..model import Document, Metadata
from .encodings import decode_bytes
from .normalise import normalise_date, normalise_text

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# trafilatura rewrites author names (title-cases them, drops unspaced Japanese
# names), so the raw tag is read first.
_AUTHOR_KEYS = {"author", "article:author", "og:article:author", "dc.creator", "byl",
                "parsely-author", "sailthru.author", "citation_author"}
_LANGUAGE_KEYS = {"content-language", "language", "dc.language", "og:locale"}
# Real pages nest some 30 elements deep; trafilatura's walks grow with depth and
# return nothing by a few thousand levels.
MAX_DEPTH = 1000


def declared_charset(data: bytes) -> str | None:
    """The charset a ``<meta>`` tag declares in the page head, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def read_html(data: bytes, path: str) -> Document:
    html, encoding = decode_bytes(data, path, declared=declared_charset(data))
    html = _XML_DECLARATION.sub("", html)  # lxml refuses str input that declares an encoding
    tree = _parse(html)
    depth = _depth(tree) if tree is not None else 0
    if depth > MAX_DEPTH:
        raise IngestError(path, f"HTML nested more than {MAX_DEPTH:,} elements deep ({depth:,} levels parsed): "
                                f"unclosed tags or hostile markup")
    text = normalise_text(main_text(html)) if tree is not None else ""
    if not text:
        raise IngestError(path, "no extractable text in HTML")
    return Document(
        source=path,
        raw_sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        encoding=encoding,
        format="html",
        metadata=html_metadata(html),
    )


def main_text(html: str) -> str:
    """The article body, one paragraph per block, paragraphs separated by a blank line.

    Each pass gets a fresh tree: trafilatura prunes the tree it is given.
    """
    options = {"output_format": "txt", "include_comments": False}
    extracted = (
        trafilatura.extract(_parse(html), favor_precision=True, **options)
        or trafilatura.extract(_parse(html), favor_recall=True, **options)
        or trafilatura.baseline(_parse(html))[1]
    )
    return "\n\n".join(line.strip() for line in extracted.splitlines() if line.strip())


def html_metadata(html: str) -> Metadata:
    """Metadata the page states; htmldate's guessing from body text is switched off."""
    found = extract_metadata(_parse(html), extensive=False)
    tree = _parse(html)
    tags = _meta_tags(tree)
    authors = _authors(tags.get("author")) or _authors(found.author, separator=";")

    def clean(value: str | None) -> str | None:
        return (normalise_text(value).strip() or None) if value else None

    return Metadata(
        title=clean(found.title),
        author=", ".join(authors) or None,
        authors=authors,
        outlet=clean(found.sitename),
        published=normalise_date(found.date) if found.date else None,
        language=_language(tree, tags),
        url=clean(found.url),
    )


def _parse(html: str) -> HtmlElement | None:
    """A whole-document tree even for fragments, which trafilatura's own loader rejects."""
    try:
        return lxml.html.document_fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except (lxml.etree.ParserError, ValueError):
        return None


def _depth(tree: HtmlElement) -> int:
    depth = deepest = 0
    for event, _ in lxml.etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _meta_tags(tree: HtmlElement) -> dict[str, str]:
    """The first author and language values among the page's ``<meta>`` tags."""
    tags: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("http-equiv") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if not content:
            continue
        if key in _AUTHOR_KEYS and not content.startswith(("http://", "https://")):
            tags.setdefault("author", content)
        elif key in _LANGUAGE_KEYS:
            tags.setdefault("language", content)
    return tags


def _authors(value: str | None, separator: str = ",") -> list[str]:
    if not value:
        return []
    names = (normalise_text(name).strip() for name in re.split(f"[{separator}、]", value))
    return [name for name in names if name]


def _language(tree: HtmlElement, tags: dict[str, str]) -> str | None:
    """Primary language subtag from ``<html lang>`` or a language meta tag: ``ja-JP`` → ``ja``."""
    value = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or tags.get("language")
    if not value:
        return None
    primary = re.split(r"[-_,;\s]", value.strip(), maxsplit=1)[0].lower()
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None
