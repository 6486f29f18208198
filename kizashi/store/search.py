"""Japanese full-text search over the clean texts.

Japanese has no spaces between words, so both backends index character
trigrams: SQLite an FTS5 ``trigram`` table (filled by triggers, see the
migration), PostgreSQL a ``pg_trgm`` GIN index that serves ``ILIKE``.
Trigrams cannot match terms shorter than three characters, which fall back
to ``LIKE``. Whitespace separates terms, all of which must occur. User input
only ever reaches the database as bound parameters; for FTS5 each term is
also quoted as a phrase, so query syntax in it is matched literally.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, column, func, literal, select, table
from sqlalchemy.orm import Session

from .schema import DocumentRow

FTS_TABLE = "documents_fts"  # SQLite only; created by the migration
TRGM_INDEX = "ix_documents_text_trgm"  # PostgreSQL only; created by the migration
TRIGRAM = 3
SNIPPET_CONTEXT = 40  # characters of context either side of the match

_fts = table(FTS_TABLE, column("document_id"))


@dataclass(frozen=True)
class SearchHit:
    """A matching document; ``start``/``end`` point into its clean text, like every offset."""

    document_id: str
    title: str | None
    source: str
    outlet: str | None
    published: str | None
    snippet: str  # text[snippet_start:snippet_start + len(snippet)]
    snippet_start: int
    start: int | None  # first match of the first term that the text contains
    end: int | None
    occurrences: int  # how often the terms occur; the ranking key


def search_documents(session: Session, query: str, *, limit: int, offset: int) -> list[SearchHit]:
    """Documents containing every whitespace-separated term of ``query``, most occurrences first."""
    terms = query.split()
    if not terms or limit <= 0:
        return []
    occurrences = sum((_occurrences(term) for term in terms[1:]), _occurrences(terms[0]))
    stmt = (
        select(DocumentRow.id, DocumentRow.title, DocumentRow.source, DocumentRow.outlet,
               DocumentRow.published, DocumentRow.text, occurrences.label("occurrences"))
        .where(*_conditions(session, terms))
        .order_by(occurrences.desc(), DocumentRow.published.desc().nulls_last(), DocumentRow.id)
        .limit(limit)
        .offset(max(offset, 0))
    )
    return [_hit(row, terms) for row in session.execute(stmt)]


def _conditions(session: Session, terms: list[str]) -> list[ColumnElement[bool]]:
    if session.get_bind().dialect.name == "sqlite":
        long_terms = [t for t in terms if len(t) >= TRIGRAM]
        short_terms = [t for t in terms if len(t) < TRIGRAM]
        conditions = [_contains(t) for t in short_terms]
        if long_terms:
            # Juxtaposed FTS5 phrases are ANDed.
            match = " ".join(_fts5_phrase(t) for t in long_terms)
            matching = select(_fts.c.document_id).where(column(FTS_TABLE).op("MATCH")(literal(match)))
            conditions.append(DocumentRow.id.in_(matching))
        return conditions
    return [_contains(t) for t in terms]  # PostgreSQL: pg_trgm's GIN index serves ILIKE


def _fts5_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _contains(term: str) -> ColumnElement[bool]:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return DocumentRow.text.ilike(f"%{escaped}%", escape="\\")


def _occurrences(term: str) -> ColumnElement[int]:
    lowered = func.lower(DocumentRow.text)
    removed = func.length(lowered) - func.length(func.replace(lowered, func.lower(literal(term)), ""))
    return removed // len(term)


def _hit(row, terms: list[str]) -> SearchHit:
    text: str = row.text
    found = None
    for term in terms:
        found = re.search(re.escape(term), text, flags=re.IGNORECASE)
        if found:
            break
    start, end = (found.start(), found.end()) if found else (None, None)
    snippet_start = max(0, (start or 0) - SNIPPET_CONTEXT)
    snippet_end = min(len(text), (end or 0) + SNIPPET_CONTEXT)
    return SearchHit(
        document_id=row.id, title=row.title, source=row.source, outlet=row.outlet,
        published=row.published, snippet=text[snippet_start:snippet_end],
        snippet_start=snippet_start, start=start, end=end, occurrences=int(row.occurrences),
    )
