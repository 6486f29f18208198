"""Paragraph segmentation: one input line is one paragraph; the clean text joins them with a blank line.

Scraped pages put a title, a byline line or a caption on a line of its own,
so a line — not a blank-line block — is the unit every cleaning rule judges.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..language.sentences import split_sentences
from ..model import Paragraph, Removed

SEPARATOR = "\n\n"
SENTENCE_ENDS = "。．！？!?"
_CLOSING = "」』)）】"
HEADING_MARKS = "◇◆■□●○▼▽★☆◎【<＜"
HEADLINE_MAX = 120
HEADING_MAX = 40


@dataclass
class Line:
    """One input line on its way to becoming a paragraph (or a removal)."""

    text: str
    kind: str = "body"
    removed: str | None = None  # the reason, when the whole line goes
    detail: str = ""
    cuts: list[Removed] = field(default_factory=list)  # parts cut out of a kept line

    @property
    def kept(self) -> bool:
        return self.removed is None

    def remove(self, reason: str, detail: str = "") -> None:
        self.removed, self.detail = reason, detail


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text``, stripped."""
    return [Line(line.strip()) for line in text.split("\n") if line.strip()]


def kept_lines(lines: list[Line]) -> list[Line]:
    return [line for line in lines if line.kept]


def removals(lines: list[Line]) -> list[Removed]:
    """Everything taken out, in document order."""
    out: list[Removed] = []
    for line in lines:
        out.extend(line.cuts)
        if not line.kept:
            out.append(Removed(line.text, line.removed or "", line.detail))
    return out


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


def body_kind(line: str) -> str:
    """'heading' or 'body', judged from the line alone."""
    return "heading" if looks_like_heading(line) else "body"


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph; each span keeps the spaces that follow it."""
    spans = [(s.start, s.end) for s in split_sentences(paragraph, [Paragraph(0, len(paragraph))])]
    return [(start, spans[k + 1][0] if k + 1 < len(spans) else len(paragraph))
            for k, (start, _) in enumerate(spans)]
