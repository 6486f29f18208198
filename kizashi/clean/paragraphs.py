"""Paragraph segmentation: one input line is one paragraph; the clean text joins them with a blank line.

Scraped pages put a title, a byline line or a caption on a line of its own,
so a line — not a blank-line block — is the unit every cleaning rule judges.
"""
from __future__ import annotations

from ..language.sentences import split_sentences
from ..model import Paragraph

SEPARATOR = "\n\n"
SENTENCE_ENDS = "。．！？!?"
_CLOSING = "」』)）】"
HEADING_MARKS = "◇◆■□●○▼▽★☆◎【<＜"
HEADLINE_MAX = 120
HEADING_MAX = 40


def split_lines(text: str) -> list[str]:
    """The non-blank lines of ``text``, stripped."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def join_paragraphs(parts: list[tuple[str, str]]) -> tuple[str, list[Paragraph]]:
    """Join (text, kind) pairs into the clean text and its paragraph spans."""
    pieces: list[str] = []
    paragraphs: list[Paragraph] = []
    pos = 0
    for text, kind in parts:
        if pieces:
            pos += len(SEPARATOR)
        pieces.append(text)
        paragraphs.append(Paragraph(pos, pos + len(text), kind))
        pos += len(text)
    return SEPARATOR.join(pieces), paragraphs


def ends_sentence(line: str) -> bool:
    """True when the line ends like prose: 。 or ！？, possibly inside closing brackets."""
    core = line.rstrip(_CLOSING + " ")
    return bool(core) and core[-1] in SENTENCE_ENDS and not line.endswith(("…", "..."))


def looks_like_headline(line: str) -> bool:
    """A title or subtitle: short, and not ending in a sentence-final 。."""
    return 4 <= len(line) <= HEADLINE_MAX and line.rstrip(_CLOSING)[-1:] not in "。．"


def looks_like_heading(line: str) -> bool:
    """A section heading inside the body: marked (◇, ■, 【…】) or short and not prose."""
    if line[0] in HEADING_MARKS and len(line) <= HEADLINE_MAX // 2 and not line.endswith("。"):
        return True
    return len(line) <= HEADING_MAX and line[-1] not in "。．" + _CLOSING


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph; each span keeps the spaces that follow it."""
    spans = [(s.start, s.end) for s in split_sentences(paragraph, [Paragraph(0, len(paragraph))])]
    return [(start, spans[k + 1][0] if k + 1 < len(spans) else len(paragraph))
            for k, (start, _) in enumerate(spans)]
