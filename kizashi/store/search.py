"""Japanese full-text search over the clean texts.

Japanese has no spaces between words, so the texts are indexed by character
n-grams. SQLite: an FTS5 ``trigram`` table, filled by triggers (see the
migrations), keyed by a narrow map from its rowids to document ids and dates;
a two-character term is looked up through the trigrams that begin with it
(listed by an ``fts5vocab`` table; the indexed text ends with a newline so that
its last two characters begin one too). PostgreSQL: a side table of each
text's character bigrams with an exact GIN index; a two-character term is found
by its bigram alone, longer terms by all their bigrams and then checked against
the text. Shorter terms fall back to ``LIKE``. Whitespace separates terms, all
of which must occur. User input only ever reaches the database as bound
parameters; for FTS5 each term is also quoted as a phrase, so query syntax in it
is matched literally.

Ranking: documents with the most occurrences of the terms first, among the
``CANDIDATES`` most recently published matches; past those, the older matches
follow newest first. Counting occurrences means reading each text, so ranking
every match of a common word would read the whole store. The newest matches
are found by reading the newest documents (a common word turns up within the
first ``WINDOW`` of them); when it does not, the index is asked instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, column, false, func, literal, select, table, tuple_
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from .schema import DocumentRow

FTS_TABLE = "documents_fts"  # SQLite only; created by the migrations
FTS_MAP = "documents_fts_map"  # SQLite only: FTS_TABLE's rowid → document id and publication date
FTS_VOCAB = "documents_fts_vocab"  # SQLite only: the trigrams in FTS_TABLE
TRGM_INDEX = "ix_documents_text_trgm"  # PostgreSQL, revision 0001 only (0002 replaces it)
BIGRAMS_TABLE = "documents_fts_bigrams"  # PostgreSQL only: each text's bigrams, by trigger
TRIGRAM = 3
SNIPPET_CONTEXT = 40  # characters of context either side of the match
CANDIDATES = 100  # the newest matches ranked by occurrences
WINDOW = 1000  # newest documents read for matches before the text index is asked

_fts = table(FTS_TABLE, column("rowid"))
_fts_map = table(FTS_MAP, column("rowid"), column("document_id"), column("published"))
_vocab = table(FTS_VOCAB, column("term"))
_bigrams = table(BIGRAMS_TABLE, column("document_id"), column("published"), column("bigrams"))


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
    """Documents containing every whitespace-separated term of ``query``: most occurrences
    first among the newest ``CANDIDATES`` matches, then older matches newest first."""
    terms = query.split()
    offset = max(offset, 0)
    if not terms or limit <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        # The planner prices a sequential scan of the bigram table by its small heap, not by
        # the arrays it would have to unpack for every row (20 µs each); the index is always right.
        session.execute(sql("SET LOCAL enable_seqscan = off"))
    candidates = _newest_matches(session, terms)
    ranked = _ranked(session, terms, candidates)
    page = ranked[offset:offset + limit]
    if len(candidates) == CANDIDATES and len(page) < limit:  # past the ranked matches
        page += _older_matches(session, terms, candidates, offset=max(0, offset - len(ranked)),
                               limit=limit - len(page))
    rows = {row.id: row for row in session.execute(
        select(DocumentRow.id, DocumentRow.title, DocumentRow.source, DocumentRow.outlet,
               DocumentRow.published, DocumentRow.text, _occurrences(terms).label("occurrences"))
        .where(DocumentRow.id.in_(page)))}
    return [_hit(rows[doc_id], terms) for doc_id in page]


# -- finding the newest matches ------------------------------------------------------------------------------


def _newest_matches(session: Session, terms: list[str]) -> list[str]:
    """Ids of the newest ``CANDIDATES`` matching documents, newest first (undated last)."""
    if all(_caseless(t) for t in terms):
        found = _matches_in_window(session, terms)
        if len(found) == CANDIDATES:
            return found
    return list(session.scalars(_newest_first(_matching(session, terms)).limit(CANDIDATES)))


def _matches_in_window(session: Session, terms: list[str]) -> list[str]:
    """The first ``CANDIDATES`` matches among the ``WINDOW`` newest dated documents, read
    newest first along (published, id): a common word stops the reading after a few dozen."""
    dated, newest = DocumentRow.published.is_not(None), (DocumentRow.published.desc(), DocumentRow.id.desc())
    if session.get_bind().dialect.name == "sqlite":
        edge = session.execute(select(DocumentRow.published, DocumentRow.id).where(dated)
                               .order_by(*newest).offset(WINDOW - 1).limit(1)).first()
        if edge is None:  # a small store: the text index is quick
            return []
        within = tuple_(DocumentRow.published, DocumentRow.id) >= tuple_(edge.published, edge.id)
        stmt = select(DocumentRow.id).where(dated, within, *(_like(DocumentRow.text, t) for t in terms))
        return list(session.scalars(stmt.order_by(*newest).limit(CANDIDATES)))
    # PostgreSQL planned the query above as a scan of every match and a sort: it cannot tell a
    # common word from a rare one. A subquery with a LIMIT is never flattened, so the window
    # is read in order and the LIKE runs over it.
    window = (select(DocumentRow.id, DocumentRow.published, DocumentRow.text).where(dated)
              .order_by(*newest).limit(WINDOW).subquery())
    stmt = (select(window.c.id).where(*(_like(window.c.text, t) for t in terms))
            .order_by(window.c.published.desc(), window.c.id.desc()).limit(CANDIDATES))
    return list(session.scalars(stmt))


def _older_matches(session: Session, terms: list[str], candidates: list[str], *, offset: int,
                   limit: int) -> list[str]:
    matching = _matching(session, terms)
    stmt = _newest_first(matching.where(matching.selected_columns.id.not_in(candidates)))
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def _newest_first(stmt: Select[Any]) -> Select[Any]:
    """Publication date, newest first, undated last; ties by id, so the order is total."""
    found = stmt.selected_columns
    return stmt.order_by(found.published.desc().nulls_last(), found.id.desc())


def _ranked(session: Session, terms: list[str], candidates: list[str]) -> list[str]:
    """The candidates by occurrences, then newest first (the order they came in)."""
    if not candidates:
        return []
    counts: dict[str, int] = dict(session.execute(
        select(DocumentRow.id, _occurrences(terms)).where(DocumentRow.id.in_(candidates))).all())
    return sorted(candidates, key=lambda doc_id: -counts[doc_id])  # stable: ties stay newest first


def count_matches(session: Session, query: str, cap: int) -> tuple[int, bool]:
    """How many documents contain every term, counted up to ``cap`` (then ``(cap, True)``):
    the index finds them in its own order, so a common word stops after ``cap`` texts."""
    terms = query.split()
    if not terms:
        return 0, False
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sql("SET LOCAL enable_seqscan = off"))
    n = session.scalar(select(func.count()).select_from(_matching(session, terms, ordered=False)
                                                        .limit(cap + 1).subquery())) or 0
    return (cap, True) if n > cap else (n, False)


def _matching(session: Session, terms: list[str], *, ordered: bool = True) -> Select[Any]:
    """(id, published) of the documents containing every term, through the text index."""
    if session.get_bind().dialect.name != "sqlite":
        return _matching_postgresql(terms, ordered=ordered)
    phrases: list[str] = []
    for term in (t for t in terms if len(t) >= TRIGRAM - 1):
        if len(term) >= TRIGRAM:
            phrases.append(_fts5_phrase(term))
            continue
        # Every occurrence of a two-character term begins a trigram of the indexed text.
        bigram = term.lower()
        trigrams = session.scalars(select(_vocab.c.term).where(
            _vocab.c.term >= bigram, _vocab.c.term < bigram + "\U0010ffff")).all()
        phrases.append("(" + " OR ".join(_fts5_phrase(t) for t in trigrams) + ")" if trigrams else "")
    short = [t for t in terms if len(t) < TRIGRAM - 1]
    documents = select(DocumentRow.id.label("id"), DocumentRow.published.label("published"))
    if "" in phrases:  # a two-character term that no text contains
        return documents.where(false())
    if not phrases:  # one-character terms only: read every text
        return documents.where(*(_like(DocumentRow.text, t) for t in short))
    matched = select(_fts.c.rowid).where(column(FTS_TABLE).op("MATCH")(literal(" AND ".join(phrases))))
    stmt = (select(_fts_map.c.document_id.label("id"), _fts_map.c.published.label("published"))
            .where(_fts_map.c.rowid.in_(matched)))
    if short:
        stmt = stmt.join(DocumentRow, DocumentRow.id == _fts_map.c.document_id).where(
            *(_like(DocumentRow.text, t) for t in short))
    return stmt


def _matching_postgresql(terms: list[str], *, ordered: bool = True) -> Select[Any]:
    """Candidates from the bigram table, ordered there (the caller's ORDER BY and LIMIT run
    over them), then checked against the text: a two-character term is found exactly by its
    bigram, longer terms need the text, which is read only until a page is full."""
    indexed = [t for t in terms if len(t) >= TRIGRAM - 1]
    checked = [t for t in terms if len(t) != TRIGRAM - 1]
    if not indexed:  # one-character terms only: read every text
        return (select(DocumentRow.id.label("id"), DocumentRow.published.label("published"))
                .where(*(_like(DocumentRow.text, t) for t in terms)))
    wanted = func.kizashi_bigrams(literal(indexed[0]))
    for term in indexed[1:]:  # one term at a time: no bigram across the space between them
        wanted = wanted.op("||")(func.kizashi_bigrams(literal(term)))
    candidates = select(_bigrams.c.document_id, _bigrams.c.published).where(_bigrams.c.bigrams.op("@>")(wanted))
    if ordered:
        candidates = (candidates.order_by(_bigrams.c.published.desc().nulls_last(), _bigrams.c.document_id.desc())
                      .offset(0))  # keeps the ordered subquery from being flattened into the join
    candidates = candidates.subquery()
    stmt = select(candidates.c.document_id.label("id"), candidates.c.published.label("published"))
    if checked:
        stmt = stmt.join(DocumentRow, DocumentRow.id == candidates.c.document_id).where(
            *(_like(DocumentRow.text, t) for t in checked))
    return stmt


def _caseless(term: str) -> bool:
    """True when case cannot matter: SQLite's LIKE folds ASCII only, FTS5 and ILIKE fold more."""
    return term.isascii() or term.lower() == term.upper()


def _fts5_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like(text: ColumnElement[str], term: str) -> ColumnElement[bool]:
    """``text`` contains ``term``, letters in either case. A term without letters needs no
    folding and uses LIKE, which compares bytes; PostgreSQL's ILIKE lowercases the whole
    text first (SQLite folds ASCII letters for both)."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    if term.lower() == term.upper():
        return text.like(pattern, escape="\\")
    return text.ilike(pattern, escape="\\")


def _occurrences(terms: list[str]) -> ColumnElement[int]:
    lowered = func.lower(DocumentRow.text)
    counts = [(func.length(lowered) - func.length(func.replace(lowered, func.lower(literal(t)), ""))) // len(t)
              for t in terms]
    return sum(counts[1:], counts[0])


def _hit(row: Any, terms: list[str]) -> SearchHit:
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

