"""Linking mentions in the clean text to ontology ids.

The ontology decides first: names, compound abbreviations (露朝, 日米韓),
family name + title (金委員長), katakana short forms (ペスコフ), and
country + institution forms (ロシア軍, 韓国情報当局), and places, which stand for
their state (クルスク州 → RUS). Names the ontology lacks
are proposed from SudachiPy's proper-noun tags and title suffixes, and kept as
new entities rather than dropped.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ..model import Document, Entity, Mention, Token
from .ontology import Ontology, load_ontology

_KATAKANA = re.compile(r"^[\u30a0-\u30ffー]+$")
_KANA_LETTER = re.compile(r"[\u30a1-\u30fa\u30fc-\u30ff]")  # katakana without the ・ separator
_KANA_RUN_BEFORE = re.compile(r"[\u30a1-\u30fa\u30fc-\u30ff]+\Z")
_KANA_RUN_AFTER = re.compile(r"[\u30a1-\u30fa\u30fc-\u30ff]+")
_SEPARATORS = "・＝= ·"
_JOINERS = "・＝="
_LONGEST_KANA_RUN = 40  # how far back to look for the word a ・ joins; no place name is longer
_HONORIFICS = ("氏", "さん")  # only a person takes these: 元山氏 is someone named 元山, not Wonsan


@dataclass(frozen=True)
class Surface:
    entity_id: str
    type: str  # country, person, organization, place
    kind: str  # name, capital, short, title; "not" for a place's not_ja word, matched to be skipped


@dataclass(frozen=True)
class Gazetteer:
    ontology: Ontology
    pattern: re.Pattern[str]
    surfaces: dict[str, Surface]
    abbreviations: dict[str, str]  # one character → country id
    context_forms: dict[str, str]  # guarded short forms such as 北 → PRK
    families: dict[str, tuple[str, ...]]  # family name → person ids, primary first
    person_titles: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    institutions: tuple[tuple[str, str, str], ...]  # (suffix, kind, English name template)
    strong_followers: re.Pattern[str]  # what may follow a compound such as 露朝
    particle_followers: re.Pattern[str]
    ambiguous_compounds: frozenset[str]  # compounds that are also ordinary words (日中)


def name_variants(name: str) -> set[str]:
    """Spacing and middle-dot variants of a katakana name (キム・ジョンウン, キム ジョンウン …)."""
    out = {name}
    parts = re.split(f"[{re.escape(_SEPARATORS)}]", name)
    if len(parts) > 1:
        for sep in ("・", "", "＝", "=", " ", "·"):
            out.add(sep.join(parts))
    return out


@lru_cache(maxsize=4)
def load_gazetteer(data_dir: Path) -> Gazetteer:
    onto = load_ontology(data_dir)
    titles_data = yaml.safe_load((data_dir / "titles.yaml").read_text(encoding="utf-8"))
    compounds = yaml.safe_load((data_dir / "compounds.yaml").read_text(encoding="utf-8"))
    surfaces: dict[str, Surface] = {}
    abbreviations: dict[str, str] = {}
    context_forms: dict[str, str] = {}
    families: dict[str, list[str]] = {}

    def add(text: str, surface: Surface) -> None:
        text = unicodedata.normalize("NFC", text.strip())
        if text and text not in surfaces:
            surfaces[text] = surface

    for cid, c in onto.countries.items():
        for n in getattr(c, "names_ja", ()) or ():
            add(n, Surface(cid, "country", "name"))
        for n in getattr(c, "capital_ja", ()) or ():
            add(n, Surface(cid, "country", "capital"))
        for n in getattr(c, "aliases_en", ()) or ():
            if len(n) >= 3:  # DPRK, Russian Federation in translated text; never US, UK (inside words, furniture)
                add(n, Surface(cid, "country", "english"))
        for a in getattr(c, "abbr_ja", ()) or ():
            abbreviations.setdefault(a, cid)
        for a in getattr(c, "context_ja", ()) or ():
            context_forms.setdefault(a, cid)
    for oid, o in onto.organizations.items():
        for n in list(getattr(o, "names_ja", ()) or ()) + list(getattr(o, "names_en", ()) or ()):
            add(n, Surface(oid, "organization", "name"))
    for plid, pl in onto.places.items():
        for n in pl.names_ja:
            add(n, Surface(plid, "place", "name"))
    for pid, p in onto.people.items():
        for n in getattr(p, "names_ja", ()) or ():
            for v in name_variants(n):
                add(v, Surface(pid, "person", "name"))
        fam = getattr(p, "family_ja", None)
        if fam:
            families.setdefault(fam, [])
            if getattr(p, "primary_for_family", False):
                families[fam].insert(0, pid)
            else:
                families[fam].append(pid)
            if _KATAKANA.match(fam) and len(fam) >= 3:
                add(fam, Surface(pid, "person", "short"))
    for plid, pl in onto.places.items():
        for w in pl.not_ja:
            add(w, Surface(plid, "place", "not"))
    titles = set(titles_data.get("person_titles", []))
    for p in onto.people.values():
        titles.update(getattr(p, "titles_ja", ()) or ())
    ordered = sorted(surfaces, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, ordered)))
    institutions = tuple(sorted(
        ((i.suffix, i.kind, getattr(i, "name_en", "") or "{country} " + i.kind) for i in onto.institutions),
        key=lambda x: len(x[0]), reverse=True))
    return Gazetteer(
        ontology=onto,
        pattern=pattern,
        surfaces=surfaces,
        abbreviations=abbreviations,
        context_forms=context_forms,
        families={k: tuple(v) for k, v in families.items()},
        person_titles=tuple(sorted(titles, key=len, reverse=True)),
        org_suffixes=tuple(sorted(titles_data.get("organization_suffixes", []), key=len, reverse=True)),
        institutions=institutions,
        strong_followers=_alternation(compounds["strong_followers"]),
        particle_followers=_alternation(compounds["particle_followers"]),
        ambiguous_compounds=frozenset(compounds.get("ambiguous", [])),
    )


def _alternation(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(map(str, words), key=len, reverse=True))))


def link_mentions(doc: Document, gaz: Gazetteer) -> list[Mention]:
    """Every mention in the clean text, ontology first, then proposals for unknown names."""
    text = doc.text
    taken = [False] * len(text)
    out: list[Mention] = []

    def claim(start: int, end: int, entity_id: str, type_: str, source: str = "ontology") -> None:
        out.append(Mention(start, end, text[start:end], entity_id, type_, source))
        for k in range(start, end):
            taken[k] = True

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    # 1. ontology names, longest first at each position
    for m in gaz.pattern.finditer(text):
        s, e = m.start(), m.end()
        surf = gaz.surfaces[m.group()]
        if surf.kind == "not" or not _word_boundary_ok(text, s, e, surf, gaz) or not free(s, e):
            continue  # not free: inside an institution already claimed (イラン|外務省 is not Japan's)
        claim(s, e, surf.entity_id, surf.type)
        if surf.type == "country":
            _institution(text, e, surf.entity_id, gaz, claim, free, start=s)
    # 2. family name + title (金委員長, 金氏) → the person named last, else the primary one
    _family_titles(doc, gaz, claim, free)
    # 3. compound abbreviations (露朝, 日米韓) and single abbreviations before an institution or title
    _abbreviations(text, gaz, claim, free)
    # 4. 同国 ("the said state"): the state named last before it
    _same_state(text, out, gaz, claim, free)
    # 5. proposals for names the ontology lacks
    _propose_unknown(doc, gaz, claim, free)
    out.sort(key=lambda m: (m.start, -m.end))
    return out


_SAME_STATE = re.compile(r"同国")


def _same_state(text: str, found: list[Mention], gaz: Gazetteer, claim, free) -> None:
    """北朝鮮国防省によると、同国はロシアに特殊部隊を派遣した: 同国 refers back to the last state
    named (a country, or the state of an institution: 北朝鮮国防省, 露|外務省)."""
    def state_of(x: Mention) -> str | None:
        if x.type == "country":
            return x.entity_id
        org = gaz.ontology.organizations.get(x.entity_id)
        if org is not None:
            return getattr(org, "country", None)
        prefix = x.entity_id.split(":", 1)[0]  # PRK:defence_ministry, an institution read from its suffix
        return prefix if ":" in x.entity_id and prefix.isupper() and len(prefix) == 3 else None

    for m in _SAME_STATE.finditer(text):
        s, e = m.start(), m.end()
        if not free(s, e):
            continue
        states = [(x.end, state) for x in found if x.end <= s and (state := state_of(x))]
        if states:
            claim(s, e, max(states)[1], "country", "coreference")


def _word_boundary_ok(text: str, s: int, e: int, surf: Surface, gaz: Gazetteer) -> bool:
    """Reject a name inside a longer katakana word (ロシア in ロシアン is fine; ロシ inside ボロシ is not)."""
    if surf.kind == "english":  # a whole word: DPRK, not the DPRK inside DPRKs or XDPRK
        before, after = text[s - 1:s], text[e:e + 1]
        return not (before.isascii() and before.isalnum() or after.isascii() and after.isalnum())
    if surf.type == "place":
        return _place_boundary_ok(text, s, e, gaz)
    if surf.type == "person" and surf.kind == "short":
        before = text[s - 1] if s else ""
        after = text[e] if e < len(text) else ""
        return not (_KATAKANA.match(before or "a") or _KATAKANA.match(after or "a"))
    if _KATAKANA.match(text[s:e]):
        before = text[s - 1] if s else ""
        return not (before and _KATAKANA.match(before) and before != "・")
    return True


def _place_boundary_ok(text: str, s: int, e: int, gaz: Gazetteer) -> bool:
    """A place is a whole word, not part of a person's name: ハサン in ハサンジ, ハサン・ナスララ or
    ムハンマド・ハサン is no place, nor is 元山 in 元山氏. ・ may join places and states only
    (ドネツク・ルハンスク両州, ロシア・クルスク州)."""
    if text.startswith(_HONORIFICS, e):
        return False
    if _KANA_LETTER.match(text[s]):
        before = text[s - 1] if s else ""
        if before and _KANA_LETTER.match(before):
            return False
        if before and before in _JOINERS:
            run = _KANA_RUN_BEFORE.search(text[max(0, s - 1 - _LONGEST_KANA_RUN):s - 1])
            if run and not _names_place_or_state(run.group(), gaz):
                return False
    if _KANA_LETTER.match(text[e - 1]):
        after = text[e] if e < len(text) else ""
        if after and _KANA_LETTER.match(after):
            return False
        if after and after in _JOINERS:
            run = _KANA_RUN_AFTER.match(text, e + 1)
            if run and not _names_place_or_state(run.group(), gaz):
                return False
    return True


def _names_place_or_state(word: str, gaz: Gazetteer) -> bool:
    surf = gaz.surfaces.get(word)
    return surf is not None and surf.kind != "not" and surf.type in ("place", "country")


def _institution(text, end, country_id, gaz, claim, free, *, start) -> None:
    for suffix, kind, name_en in gaz.institutions:
        if text.startswith(suffix, end) and free(end, end + len(suffix)):
            claim_org = f"{country_id}:{kind}"
            claim(start, end + len(suffix), claim_org, "organization")
            return


def _family_titles(doc, gaz, claim, free) -> None:
    text = doc.text
    if not gaz.families:
        return
    fam_pat = "|".join(map(re.escape, sorted(gaz.families, key=len, reverse=True)))
    title_pat = "|".join(map(re.escape, gaz.person_titles))
    for m in re.finditer(f"({fam_pat})({title_pat})", text):
        s, e = m.start(), m.end()
        if not free(s, e):
            continue
        prev = text[s - 1] if s else ""
        if prev and ("\u4e00" <= prev <= "\u9fff"):
            continue  # inside a longer kanji word (e.g. 資金氏…)
        candidates = gaz.families[m.group(1)]
        pid = _last_named(candidates, text[:s], gaz) or candidates[0]
        claim(s, e, pid, "person")


def _last_named(candidates, before: str, gaz) -> str | None:
    best, pos = None, -1
    for pid in candidates:
        for n in gaz.ontology.people[pid].names_ja or ():
            k = before.rfind(n)
            if k > pos:
                best, pos = pid, k
    return best


def _abbreviations(text, gaz, claim, free) -> None:
    if not gaz.abbreviations:
        return
    chars = "".join(re.escape(c) for c in gaz.abbreviations)
    for m in re.finditer(f"[{chars}]{{2,}}", text):
        s, e = m.start(), m.end()
        prev = text[s - 1] if s else ""
        if prev and "\u4e00" <= prev <= "\u9fff":
            continue
        strong = gaz.strong_followers.match(text, e)
        if not strong and (m.group() in gaz.ambiguous_compounds or not gaz.particle_followers.match(text, e)):
            continue
        if not free(s, e) or len(set(m.group())) != len(m.group()):
            continue
        for k, ch in enumerate(m.group()):
            claim(s + k, s + k + 1, gaz.abbreviations[ch], "country")
    # a single abbreviation before an institution or a title: 露外務省, 米大統領選挙
    followers = [x[0] for x in gaz.institutions] + ["大統領", "首相", "外相", "国防相", "政府", "側"]
    fol = "|".join(map(re.escape, sorted(set(followers), key=len, reverse=True)))
    for m in re.finditer(f"([{chars}])(?={fol})", text):
        s = m.start()
        prev = text[s - 1] if s else ""
        if prev and ("\u4e00" <= prev <= "\u9fff" or _KATAKANA.match(prev)):
            continue
        if free(s, s + 1):
            cid = gaz.abbreviations[m.group(1)]
            claim(s, s + 1, cid, "country")
            _institution(text, s + 1, cid, gaz, claim, free, start=s)
    # a single abbreviation after 対 ("towards"): 対ロ輸出, 対露制裁, 北朝鮮の対中貿易 (not 反対, 絶対)
    for m in re.finditer(f"(?<=対)([{chars}])", text):
        s = m.start()
        before = text[s - 2] if s >= 2 else ""
        after = text[s + 1] if s + 1 < len(text) else ""
        if before and "\u4e00" <= before <= "\u9fff" or _KATAKANA.match(after or "、") and after != "・":
            continue
        if free(s, s + 1):
            claim(s, s + 1, gaz.abbreviations[m.group(1)], "country")
    # guarded short forms such as 北 for North Korea: only as a whole word before a particle
    # (or a headline's comma: 露、北朝鮮に…)
    for form, cid in gaz.context_forms.items():
        for m in re.finditer(re.escape(form) + r"(?=[とのにがはをへ、])", text):
            s, e = m.start(), m.end()
            prev = text[s - 1] if s else ""
            if prev and ("\u4e00" <= prev <= "\u9fff" or _KATAKANA.match(prev)):
                continue
            if free(s, e):
                claim(s, e, cid, "country")


def _propose_unknown(doc: Document, gaz: Gazetteer, claim, free) -> None:
    """People and organisations the ontology lacks, from SudachiPy's tags and title suffixes."""
    toks = doc.tokens
    n = len(toks)
    i = 0
    while i < n:
        run = _name_run(toks, i, doc.text)
        if not run:
            i += 1
            continue
        s, e, j = run  # j: index after the run
        nxt = toks[j] if j < n else None
        is_title = nxt is not None and nxt.start == e and _starts_title(doc.text, e, gaz.person_titles)
        is_org = nxt is not None and nxt.start == e and nxt.text in gaz.org_suffixes
        has_person_tag = any("人名" in t.tag for t in toks[i:j])
        if free(s, e) and (is_title or (has_person_tag and _KATAKANA.match(doc.text[s:e].replace("・", "")) and e - s >= 4)):
            claim(s, e, "person:" + _key(doc.text[s:e]), "person", "ner")
        elif is_org and free(s, nxt.end):
            claim(s, nxt.end, "org:" + _key(doc.text[s:nxt.end]), "organization", "ner")
        i = j


def _name_run(toks: list[Token], i: int, text: str) -> tuple[int, int, int] | None:
    """A run of katakana or proper-noun tokens joined by middle dots: a name candidate."""
    def name_like(t: Token) -> bool:
        return bool(_KATAKANA.match(t.text)) or "固有名詞-人名" in t.tag or (
            "固有名詞-一般" in t.tag and t.text.isascii() and t.text.isalpha())

    if not name_like(toks[i]) or toks[i].text in ("・", "ー"):
        return None
    j = i + 1
    while j < len(toks) and toks[j].start == toks[j - 1].end and toks[j].sent == toks[i].sent and (
            name_like(toks[j]) or (toks[j].text in ("・", "＝", "=") and j + 1 < len(toks) and name_like(toks[j + 1]))):
        j += 1
    s, e = toks[i].start, toks[j - 1].end
    if e - s < 2:
        return None
    return s, e, j


def _starts_title(text: str, pos: int, titles: tuple[str, ...]) -> bool:
    return any(text.startswith(t, pos) for t in titles)


def _key(surface: str) -> str:
    return re.sub(f"[{re.escape(_SEPARATORS)}]", "", surface)


def build_entities(mentions: list[Mention], gaz: Gazetteer) -> list[Entity]:
    """One Entity per id, with its aliases and every mention span."""
    by_id: dict[str, Entity] = {}
    for m in mentions:
        ent = by_id.get(m.entity_id)
        if ent is None:
            ent = Entity(id=m.entity_id, name=_english_name(m, gaz), type=m.type,
                         country=_country_of(m.entity_id, gaz), known=m.source == "ontology")
            by_id[m.entity_id] = ent
        if m.text not in ent.aliases:
            ent.aliases.append(m.text)
        ent.mentions.append([m.start, m.end])
    return list(by_id.values())


def _english_name(m: Mention, gaz: Gazetteer) -> str:
    onto = gaz.ontology
    if ":" in m.entity_id:
        head, kind = m.entity_id.split(":", 1)
        if head in onto.countries:
            template = next((t for s, k, t in gaz.institutions if k == kind), "{country} " + kind)
            return template.format(country=onto.countries[head].name)
        return m.text
    entry = onto.get(m.entity_id)
    return entry.name if entry is not None else m.text


def _country_of(entity_id: str, gaz: Gazetteer) -> str | None:
    """The country a person, organisation, institution or place stands for (プーチン, クルスク州 → RUS)."""
    onto = gaz.ontology
    if entity_id in onto.countries:
        return entity_id
    head = entity_id.split(":", 1)[0]
    if head in onto.countries:
        return head
    entry = onto.get(entity_id)
    return getattr(entry, "country", None) if entry is not None else None
