"""Where an article lives, so that a new text from the same place is a new version of it.

An article edited after publication (a corrected figure, an added paragraph) comes back with
other bytes from the same address; stored beside the old text it would contradict itself as
two "sources". The key is the article's URL when the reader found one (a JSON record's
``url``, an HTML page's canonical link), else the file it was read from when the file holds
that one article. Records of a feed without a URL, and uploads (a client's file name says
nothing about which article it is), have none: they are never versions of each other.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urldefrag

from ..model import Document


def version_key(doc: Document, path: Path | None) -> str | None:
    """``url:…`` or ``file:…`` for ``doc`` read from ``path`` (None for an upload)."""
    url = (doc.metadata.url or "").strip()
    if url:
        return f"url:{urldefrag(url).url}"
    if path is not None and doc.source == str(path):
        return f"file:{path.resolve()}"
    return None
