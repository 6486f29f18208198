"""Figures: numbers with a counter, an actor, an item, a period and a measure
(年間1400万発の砲弾を発射している → RUS, artillery_ammunition, 14000000 rounds a year, fired)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from ..config import Options
from ..model import Document, Figure

_NUMBER = r"(?P<num>\d+(?:[,，]\d{3})*(?:\.\d+)?)"


@lru_cache(maxsize=4)
def _figure_lexicon(data_dir: Path) -> tuple[re.Pattern[str], dict, dict, dict, dict]:
    data = yaml.safe_load((data_dir / "events.yaml").read_text(encoding="utf-8"))["figures"]
    alt = lambda xs: "|".join(map(re.escape, sorted(xs, key=len, reverse=True)))  # noqa: E731
    pattern = re.compile(
        f"(?P<period>{alt(data['periods'])})?(?P<approx>約|およそ|推定)?{_NUMBER}"
        f"(?P<mult>(?:{alt(data['multipliers'])})*)(?P<counter>{alt(data['counters'])})(?P<least>以上)?")
    return pattern, data["counters"], data["multipliers"], data["periods"], data["measures"]


def extract_figures(doc: Document, options: Options) -> list[Figure]:
    from .items import item_in  # the flow lexicon's item recogniser: one matcher for items

    pattern, counters, mults, periods, measures = _figure_lexicon(options.data_dir)
    country_of = {e.id: e.country for e in doc.entities}
    out = []
    for sent in doc.sentences:
        text = doc.text[sent.start:sent.end]
        for m in pattern.finditer(text):
            value = float(m.group("num").replace(",", "").replace("，", ""))
            for ch in m.group("mult") or "":
                value *= mults[ch]
            rest = text[m.end():]
            measure = next((v for k, v in measures.items() if k in rest[:20]), None)
            actors = [country_of.get(x.entity_id) for x in doc.mentions
                      if sent.start <= x.start < sent.start + m.start() and country_of.get(x.entity_id)]
            out.append(Figure(
                actor=actors[0] if actors else None,
                item=item_in(text[m.start():], options),
                value=value,
                unit=counters[m.group("counter")],
                period=periods.get(m.group("period")) if m.group("period") else None,
                measure=measure,
                evidence=doc.span(sent.start + m.start(), sent.end),
            ))
    return out
