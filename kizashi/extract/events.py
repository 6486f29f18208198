"""Events (meeting, agreement, launch, nuclear_test, deployment, sanction,
attack, cyber_operation) with date, participants, certainty and evidence."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..config import Options
from ..model import Document, Event, Sentence, TimeExpr
from .attribution import attribution_of
from .certainty import certainty_of


@dataclass(frozen=True)
class EventLexicon:
    cues: tuple[tuple[str, str], ...]  # (cue, event type), longest first
    not_events: tuple[str, ...]
    pattern: re.Pattern[str]

    @property
    def triggers(self) -> tuple[str, ...]:
        return tuple(c for c, _ in self.cues)


@lru_cache(maxsize=4)
def load_event_lexicon(data_dir: Path) -> EventLexicon:
    data = yaml.safe_load((data_dir / "events.yaml").read_text(encoding="utf-8"))
    pairs = [(cue, etype) for etype, spec in data["events"].items() for cue in spec["cues"]]
    pairs.sort(key=lambda p: len(p[0]), reverse=True)
    words = [c for c, _ in pairs] + list(data.get("not_events", []))
    words.sort(key=len, reverse=True)
    return EventLexicon(tuple(pairs), tuple(data.get("not_events", [])),
                        re.compile("|".join(map(re.escape, words))))


def extract_events(doc: Document, options: Options) -> list[Event]:
    lex = load_event_lexicon(options.data_dir)
    types = dict(lex.cues)
    country_of = {e.id: e.country for e in doc.entities}
    out: list[Event] = []
    seen: set[tuple[str, str | None]] = set()
    for k, sent in enumerate(doc.sentences):
        text = doc.text[sent.start:sent.end]
        found: dict[str, int] = {}
        for m in lex.pattern.finditer(text):
            etype = types.get(m.group())
            if etype and etype not in found:
                found[etype] = sent.start + m.start()
        for etype, pos in found.items():
            date = _date_for(doc.dates, sent, pos)
            key = (etype, date)
            if key in seen or (date is None and any(t == etype for t, _ in seen)):
                continue
            seen.add(key)
            participants = sorted({country_of.get(m.entity_id) for m in doc.mentions
                                   if sent.start <= m.start < sent.end and country_of.get(m.entity_id)})
            out.append(Event(
                type=etype, date=date, participants=participants,
                certainty=certainty_of(doc, k, _token_at(doc, pos)),
                evidence=doc.span(sent.start, sent.end),
                attributed_to=attribution_of(doc, k),
            ))
    return out


def _date_for(dates: list[TimeExpr], sent: Sentence, pos: int) -> str | None:
    """The temporal expression of the event's clause: the nearest one before the cue, else after."""
    inside = [d for d in dates if sent.start <= d.start < sent.end and d.value]
    before = [d for d in inside if d.start < pos]
    if before:
        return before[-1].value
    return inside[0].value if inside else None


def _token_at(doc: Document, pos: int):
    for t in doc.tokens:
        if t.start <= pos < t.end:
            return t
    return None
