"""The ``clean`` stage: boilerplate out, repeats out, paragraphs and metadata in.

``clean_text`` is the pure function behind it; the stage only merges the
result into a Document whose metadata an HTML or JSON reader may have filled.
"""
from __future__ import annotations

from dataclasses import fields

from ..config import Options
from ..exc import IngestError
from ..model import Document, Metadata, Paragraph, Removed
from ..pipeline import stage
from .boilerplate import load_rules, strip_boilerplate
from .duplicates import remove_duplicates
from .metadata import build_metadata, known_outlets, read_head, strip_page_headings, strip_tail
from .paragraphs import body_kind, join_paragraphs, kept_lines, looks_like_headline, removals, split_lines


def clean_text(text: str, options: Options) -> tuple[str, list[Paragraph], list[Removed], Metadata]:
    """Clean ``text``; return the clean text, its paragraphs, what was removed and the metadata read."""
    rules = load_rules(options.data_dir)
    known = known_outlets(options.data_dir)
    lines = split_lines(text)
    credited = strip_boilerplate(lines, rules)
    page_title = strip_page_headings(lines)
    kept = kept_lines(lines)
    for k, line in enumerate(kept):  # provisional kinds: the repeats are judged before the byline is read
        line.kind = "title" if k == 0 and looks_like_headline(line.text) else body_kind(line.text)
    remove_duplicates(lines)
    tail = strip_tail(lines, rules)  # after the repeats, so the tail is the real end of the article
    head = read_head(lines, rules, known)  # last, so it reads exactly the lines a second cleaning would
    kept = kept_lines(lines)
    clean, paragraphs = join_paragraphs([(line.text, line.kind) for line in kept])
    removed = removals(lines)
    first_body = next((line.text for line in kept if line.kind == "body"), None)
    metadata = build_metadata(head, tail, credited=credited, page_title=page_title, first_body=first_body,
                              removed=removed, text=clean, rules=rules, known=known)
    return clean, paragraphs, removed, metadata


@stage("clean", assigns=("text", "paragraphs", "removed", "metadata"))
def clean(doc: Document, options: Options) -> Document:
    """Replace the text by its clean form; metadata already set by ingest is kept."""
    doc.text, doc.paragraphs, removed, found = clean_text(doc.text, options)
    if not doc.text:  # storing an empty article would only hide that the input was all furniture
        raise IngestError(doc.source, "no article text left after cleaning "
                                      "(every line was page furniture or a repeat)")
    doc.removed.extend(removed)
    doc.metadata = merge_metadata(doc.metadata, found)
    doc.assign_id()
    return doc


def merge_metadata(prefilled: Metadata, found: Metadata) -> Metadata:
    """Each field from ``prefilled`` unless it is empty there."""
    return Metadata(**{f.name: getattr(prefilled, f.name) or getattr(found, f.name) for f in fields(Metadata)})
