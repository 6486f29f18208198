"""Page furniture that is not the article: comment forms, captions, copyright, share rows, footers.

The strings live in ``data/boilerplate.yaml``; this module only knows the
three shapes they take — a whole line, a block running to the end of the
page, and a bracket cut from the edge of a paragraph.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..exc import OntologyError
from ..model import Removed
from .paragraphs import Line, ends_sentence, kept_lines

_SHARE_SPLIT = re.compile(r"[\s|｜/／・,、]+")
# A line longer than this is article prose whatever it contains.
_MAX_BOILERPLATE_LINE = 200


@dataclass(frozen=True)
class Rules:
    """The compiled contents of boilerplate.yaml."""

    lines: tuple[tuple[str, re.Pattern[str]], ...]
    share_words: frozenset[str]
    blocks: tuple[tuple[str, re.Pattern[str]], ...]
    credits: tuple[re.Pattern[str], ...]
    inline_captions: tuple[re.Pattern[str], ...]
    site_names: tuple[re.Pattern[str], ...]
    self_description_words: tuple[str, ...]
    bio_words: tuple[str, ...]
    outlet_words: frozenset[str]
    outlet_suffixes: tuple[str, ...]
    byline_name_suffixes: tuple[str, ...]


def load_rules(data_dir: Path) -> Rules:
    return _load_rules(str(data_dir))


@lru_cache(maxsize=4)
def _load_rules(data_dir: str) -> Rules:
    path = Path(data_dir) / "boilerplate.yaml"
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
        return Rules(
            lines=tuple((reason, re.compile(p)) for reason, group in raw["lines"].items()
                        for p in group.get("patterns", [])),
            share_words=frozenset(w.casefold() for w in raw["lines"]["share"]["words"]),
            blocks=tuple((reason, re.compile(p)) for reason, group in raw["blocks"].items()
                         for p in group["patterns"]),
            credits=tuple(re.compile(p) for p in raw["credits"]["patterns"]),
            inline_captions=tuple(re.compile(p) for p in raw["inline_captions"]),
            site_names=tuple(re.compile(p) for p in raw["site_names"]["patterns"]),
            self_description_words=tuple(raw["self_description_words"]["ja"]
                                         + [w.casefold() for w in raw["self_description_words"]["en"]]),
            bio_words=tuple(w.casefold() for w in raw["bio_words"]),
            outlet_words=frozenset(w.casefold() for w in raw["outlet_words"]["en"]),
            outlet_suffixes=tuple(raw["outlet_words"]["ja_suffixes"]),
            byline_name_suffixes=tuple(sorted(raw["byline_name_suffixes"], key=len, reverse=True)),
        )
    except (OSError, KeyError, TypeError, AttributeError, re.error, yaml.YAMLError) as exc:
        raise OntologyError(f"{path}: {exc}") from exc


def line_reason(text: str, rules: Rules) -> str | None:
    """The boilerplate reason of a whole line, or None when it may be article text."""
    if len(text) > _MAX_BOILERPLATE_LINE:
        return None
    for reason, pattern in rules.lines:
        if pattern.search(text):
            return reason
    if is_share_row(text, rules):
        return "share"
    return None


def is_share_row(text: str, rules: Rules) -> bool:
    words = [w for w in _SHARE_SPLIT.split(text.casefold()) if w and not w.isdigit()]
    return bool(words) and all(w in rules.share_words for w in words)


def block_reason(text: str, rules: Rules) -> str | None:
    if _is_prose(text):
        return None
    for reason, pattern in rules.blocks:
        if pattern.search(text):
            return reason
    return None


def strip_boilerplate(lines: list[Line], rules: Rules) -> list[str]:
    """Mark boilerplate lines removed and cut captions and credits; return the credited names."""
    credited: list[str] = []
    for line in lines:
        reason = line_reason(line.text, rules)
        if reason:
            line.remove(f"boilerplate:{reason}")
            continue
        original = line.text
        names = _cut_credits(line, rules)
        _cut_inline_captions(line, rules)
        if not line.text:  # the whole line was a credit or a caption
            line.text, line.cuts = original, []
            line.remove("boilerplate:credit" if names else "boilerplate:photo_caption", ", ".join(names))
        credited.extend(names)
    _strip_blocks(lines, rules)
    return credited


def _cut_credits(line: Line, rules: Rules) -> list[str]:
    names: list[str] = []
    for pattern in rules.credits:
        matches = list(pattern.finditer(line.text))
        if not matches:
            continue
        found = [credit_name(m.group("name")) for m in matches]
        names.extend(found)
        line.cuts.append(Removed(" ".join(m.group().strip() for m in matches), "boilerplate:credit", ", ".join(found)))
        line.text = pattern.sub("", line.text).strip()
    return names


def credit_name(raw: str) -> str:
    """The first name of a credit, without its parenthesised affiliation."""
    name = re.split(r"[、,，/／]", raw)[0]
    return re.sub(r"[(（][^)）]*[)）]", "", name).strip()


def _cut_inline_captions(line: Line, rules: Rules) -> None:
    for pattern in rules.inline_captions:
        match = pattern.search(line.text)
        if match:
            line.cuts.append(Removed(match.group().strip(), "boilerplate:photo_caption"))
            line.text = (line.text[:match.start()] + line.text[match.end():]).strip()


def _strip_blocks(lines: list[Line], rules: Rules) -> None:
    """A block header takes every later line with it when none of them is prose."""
    kept = kept_lines(lines)
    for k, line in enumerate(kept):
        reason = block_reason(line.text, rules)
        if reason is None:
            continue
        rest = kept[k + 1:]
        if all(block_reason(r.text, rules) or not _is_prose(r.text) for r in rest):
            for r in (line, *rest):
                r.remove(f"boilerplate:{reason}")
            return
        line.remove(f"boilerplate:{reason}")


def _is_prose(text: str) -> bool:
    return ends_sentence(text) or len(text) > 80
