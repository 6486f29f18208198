"""Figures: numbers with a counter, an actor, an item, a period and a measure
(年間1400万発の砲弾を発射している → RUS, artillery_ammunition, 14000000 rounds a year, fired)."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from ..config import Options
from ..link.numbers import NUMBER, parse_number
from ..model import Document, Figure

_PERIOD_REACH = 12  # characters before a number where its period may stand (1日に1万発)


@lru_cache(maxsize=4)
def _figure_lexicon(data_dir: Path) -> tuple[re.Pattern[str], re.Pattern[str], dict, dict, dict]:
    data = yaml.safe_load((data_dir / "events.yaml").read_text(encoding="utf-8"))["figures"]
    alt = lambda xs: "|".join(map(re.escape, sorted(xs, key=len, reverse=True)))  # noqa: E731
    counter = alt(data["counters"])
    pattern = re.compile(  # 約500万発, 少なくとも1万人, 1000人から3000人, 2~3隻, 500万発を上回る, 1万人近く
        f"(?P<approx>約|およそ|推定|ほぼ|概ね)?(?P<least>少なくとも|最低)?(?P<some>数)?(?P<num>{NUMBER})"
        f"(?:(?:{counter})?(?:から|~|〜|～|－)(?P<upper>{NUMBER}))?(?P<counter>{counter})"
        f"(?P<least_after>以上|超|余り|を上回る|を超える)?(?P<approx_after>近く|前後|程度|ほど|規模)?")
    return pattern, re.compile(alt(data["periods"])), data["counters"], data["periods"], data["measures"]


def extract_figures(doc: Document, options: Options) -> list[Figure]:
    from .items import item_in  # the flow lexicon's item recogniser: one matcher for items

    pattern, period_pattern, counters, periods, measures = _figure_lexicon(options.data_dir)
    country_of = {e.id: e.country for e in doc.entities if e.type == "country"}
    out = []
    for sent in doc.sentences:
        text = doc.text[sent.start:sent.end]
        for m in pattern.finditer(text):
            value = parse_number(m.group("num"))
            rest = text[m.end():]
            before = re.split("[、。]", text[max(0, m.start() - _PERIOD_REACH):m.start()])[-1]
            period = period_pattern.findall(before)
            measure = next((v for k, v in measures.items() if k in rest[:20]), None)
            actors = [country_of.get(x.entity_id) for x in doc.mentions
                      if sent.start <= x.start < sent.start + m.start() and country_of.get(x.entity_id)]
            out.append(Figure(
                actor=actors[0] if actors else None,
                item=item_in(text[m.start():], options),
                value=value,
                unit=counters[m.group("counter")],
                period=periods[period[-1]] if period else None,
                measure=measure,
                evidence=doc.span(sent.start + m.start(), sent.end),
                approximate=bool(m.group("approx") or m.group("approx_after") or m.group("some")),
                at_least=bool(m.group("least") or m.group("least_after")),
                upper=parse_number(m.group("upper")) if m.group("upper") else None,
            ))
    return out
