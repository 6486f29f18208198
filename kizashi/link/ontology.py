"""The canonical ontology: countries, people, organisations, places and institution suffixes.

As in followthemoney, the model is data: each kind lives in a YAML file under
``kizashi/data/`` whose entries cite their sources. This module only reads,
checks and indexes those files, so a wrong name is fixed in data, never in code.
"""
from __future__ import annotations

import functools
import re
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Mapping, Union

import yaml

from kizashi.exc import OntologyError

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1] / "data"

COUNTRY_STATUSES = ("un_member", "observer", "other", "historical")
ORG_TYPES = (
    "intergovernmental", "un_body", "military_alliance", "news_agency", "newspaper",
    "broadcaster", "intelligence", "party", "government_body", "military", "company",
    "hacker_group", "think_tank", "university",
)
PLACE_TYPES = ("region", "city", "port", "site")
EntryKind = Literal["country", "person", "organization", "place"]

_COUNTRY_ID = re.compile(r"[A-Z]{3}")
_SLUG_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class CountryEntry:
    """A state, present or historical; ``abbr_ja`` and ``context_ja`` need guarded matching."""

    id: str
    name: str
    status: str
    names_ja: tuple[str, ...]
    sources: tuple[str, ...]
    abbr_ja: tuple[str, ...] = ()  # one-character forms used only inside compounds (露朝, 日米韓)
    context_ja: tuple[str, ...] = ()  # risky standalone short forms (北 for 北朝鮮)
    capital_ja: tuple[str, ...] = ()  # capitals used as a metonym for the government
    aliases_en: tuple[str, ...] = ()
    ambiguous: bool = False


@dataclass(frozen=True)
class PersonEntry:
    """A named person; ``family_ja`` + a title (金委員長) or 氏 also refers to them."""

    id: str
    name: str
    country: str | None
    names_ja: tuple[str, ...]
    sources: tuple[str, ...]
    family_ja: str | None = None
    given_ja: str | None = None
    titles_ja: tuple[str, ...] = ()
    primary_for_family: bool = False  # who a bare 金委員長 means when no other 金 is named
    aliases_en: tuple[str, ...] = ()
    ambiguous: bool = False


@dataclass(frozen=True)
class OrgEntry:
    id: str
    name: str
    type: str
    country: str | None
    names_ja: tuple[str, ...]
    sources: tuple[str, ...]
    names_en: tuple[str, ...] = ()
    ambiguous: bool = False


@dataclass(frozen=True)
class PlaceEntry:
    """A place inside one state; a mention of it stands for that state (クルスク州 → RUS)."""

    id: str
    name: str
    country: str
    names_ja: tuple[str, ...]
    sources: tuple[str, ...]
    type: str | None = None  # region, city, port or site
    not_ja: tuple[str, ...] = ()  # longer words holding a name that mean something else (清津峡)


@dataclass(frozen=True)
class InstitutionSuffix:
    """A suffix that turns a country form into an institution: ロシア + 軍, 韓国 + 情報当局."""

    suffix: str
    kind: str
    name_en: str  # a template with ``{country}``, e.g. "{country} Armed Forces"
    sources: tuple[str, ...]


Entry = Union[CountryEntry, PersonEntry, OrgEntry, PlaceEntry]


@dataclass(frozen=True)
class Ontology:
    countries: Mapping[str, CountryEntry]
    people: Mapping[str, PersonEntry]
    organizations: Mapping[str, OrgEntry]
    places: Mapping[str, PlaceEntry]
    institutions: tuple[InstitutionSuffix, ...]

    def get(self, entry_id: str) -> Entry | None:
        return (self.countries.get(entry_id) or self.people.get(entry_id)
                or self.organizations.get(entry_id) or self.places.get(entry_id))

    def kind_of(self, entry_id: str) -> EntryKind | None:
        if entry_id in self.countries:
            return "country"
        if entry_id in self.people:
            return "person"
        if entry_id in self.organizations:
            return "organization"
        if entry_id in self.places:
            return "place"
        return None

    def name_of(self, entry_id: str) -> str:
        """English name of a known id; an unknown id is a caller's bug, so it raises KeyError."""
        entry = self.get(entry_id)
        if entry is None:
            raise KeyError(entry_id)
        return entry.name


def load_ontology(data_dir: Path | None = None) -> Ontology:
    """Load and validate the five ontology files; cached per resolved directory."""
    return _load_cached(Path(data_dir or DEFAULT_DATA_DIR).resolve())


@functools.lru_cache(maxsize=8)
def _load_cached(data_dir: Path) -> Ontology:
    countries = _load_entries(data_dir / "countries.yaml", CountryEntry)
    people = _load_entries(data_dir / "people.yaml", PersonEntry)
    organizations = _load_entries(data_dir / "organizations.yaml", OrgEntry)
    places = _load_entries(data_dir / "places.yaml", PlaceEntry)
    institutions = _load_entries(data_dir / "institutions.yaml", InstitutionSuffix)

    _check_ids(countries, people, organizations, places)
    country_ids = {c.id for c in countries}
    for c in countries:
        _require(c.status in COUNTRY_STATUSES, "countries.yaml", c.id, f"unknown status {c.status!r}")
    for p in people:
        _check_person(p, country_ids)
    for o in organizations:
        _require(o.type in ORG_TYPES, "organizations.yaml", o.id, f"unknown type {o.type!r}")
        _require(o.country is None or o.country in country_ids, "organizations.yaml", o.id,
                 f"unknown country {o.country!r}")
    for pl in places:
        _require(pl.country in country_ids, "places.yaml", pl.id, f"unknown country {pl.country!r}")
        _require(pl.type is None or pl.type in PLACE_TYPES, "places.yaml", pl.id, f"unknown type {pl.type!r}")
    _check_primaries(people)
    _check_name_clashes("countries.yaml", countries,
                        lambda c: (*c.names_ja, *c.abbr_ja, *c.context_ja, *c.capital_ja))
    _check_name_clashes("people.yaml", people, lambda p: p.names_ja)
    _check_name_clashes("organizations.yaml", organizations, lambda o: o.names_ja)
    _check_place_names(places, [*countries, *people, *organizations])
    _check_institutions(institutions)

    return Ontology(
        countries=MappingProxyType({c.id: c for c in countries}),
        people=MappingProxyType({p.id: p for p in people}),
        organizations=MappingProxyType({o.id: o for o in organizations}),
        places=MappingProxyType({pl.id: pl for pl in places}),
        institutions=tuple(institutions),
    )


def _load_entries(path: Path, cls: type) -> list[Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise OntologyError(f"{path.name}: cannot read ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise OntologyError(f"{path.name}: not valid YAML ({exc})") from exc
    if not isinstance(raw, list):
        raise OntologyError(f"{path.name}: expected a list of entries at top level")
    return [_build(cls, item, f"{path.name}: entry {i + 1}") for i, item in enumerate(raw)]


def _build(cls: type, raw: Any, where: str) -> Any:
    """One dataclass from one YAML mapping; the dataclass fields are the schema."""
    if not isinstance(raw, dict):
        raise OntologyError(f"{where}: expected a mapping, got {type(raw).__name__}")
    label = raw.get("id") or raw.get("suffix")
    if label:
        where = f"{where} ({label})"
    schema = {f.name: f for f in fields(cls)}
    unknown = sorted(set(map(str, raw)) - set(schema))
    if unknown:
        raise OntologyError(f"{where}: unknown key(s) {', '.join(unknown)}")
    values = {}
    for name, f in schema.items():
        if name not in raw:
            if f.default is MISSING and f.default_factory is MISSING:
                raise OntologyError(f"{where}: missing required key {name!r}")
            continue
        values[name] = _coerce(raw[name], str(f.type), f"{where}: {name}")
    entry = cls(**values)
    if not entry.sources:
        raise OntologyError(f"{where}: no sources")
    return entry


def _coerce(value: Any, type_name: str, where: str) -> Any:
    if type_name == "bool":
        if isinstance(value, bool):
            return value
        raise OntologyError(f"{where}: expected true or false")
    if type_name == "tuple[str, ...]":
        if not isinstance(value, list) or not all(_is_text(v) for v in value):
            raise OntologyError(f"{where}: expected a list of non-empty strings")
        return tuple(value)
    if type_name == "str | None" and value is None:
        return None
    if _is_text(value):
        return value
    raise OntologyError(f"{where}: expected a non-empty string")


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _require(ok: bool, file_name: str, entry_id: str, reason: str) -> None:
    if not ok:
        raise OntologyError(f"{file_name}: entry {entry_id}: {reason}")


def _check_ids(countries: list[CountryEntry], people: list[PersonEntry], organizations: list[OrgEntry],
               places: list[PlaceEntry]) -> None:
    """Ids are unique across all kinds, because ``Ontology.get`` looks them up together."""
    seen: dict[str, str] = {}
    for file_name, entries, pattern in (("countries.yaml", countries, _COUNTRY_ID),
                                        ("people.yaml", people, _SLUG_ID),
                                        ("organizations.yaml", organizations, _SLUG_ID),
                                        ("places.yaml", places, _SLUG_ID)):
        for entry in entries:
            _require(pattern.fullmatch(entry.id) is not None, file_name, entry.id,
                     f"id does not match {pattern.pattern}")
            _require(entry.id not in seen, file_name, entry.id,
                     f"duplicate id (also in {seen.get(entry.id)})")
            seen[entry.id] = file_name


def _check_person(p: PersonEntry, country_ids: set[str]) -> None:
    _require(p.country is None or p.country in country_ids, "people.yaml", p.id,
             f"unknown country {p.country!r}")
    _require(p.family_ja is not None or not p.primary_for_family,
             "people.yaml", p.id, "primary_for_family needs family_ja")


def _check_primaries(people: list[PersonEntry]) -> None:
    primary: dict[str, str] = {}
    for p in people:
        if p.primary_for_family and p.family_ja:
            _require(p.family_ja not in primary, "people.yaml", p.id,
                     f"second primary for family {p.family_ja} (first: {primary.get(p.family_ja)})")
            primary[p.family_ja] = p.id


def _check_name_clashes(file_name: str, entries: list[Any], names_of: Any) -> None:
    """A Japanese name may belong to two entries only if both say they are ambiguous."""
    owners: dict[str, Any] = {}
    for entry in entries:
        for name in set(names_of(entry)):
            other = owners.get(name)
            if other is not None:
                _require(entry.ambiguous and other.ambiguous, file_name, entry.id,
                         f"Japanese name {name} also claimed by {other.id} (mark both ambiguous: true)")
            owners[name] = entry


def _check_place_names(places: list[PlaceEntry], others: list[Any]) -> None:
    """A place name belongs to one place and to no other entry: the linker keeps only one owner,
    so a clash would silently hide the place (or a country's capital) instead of failing here."""
    owners: dict[str, str] = {}
    for entry in others:
        for name in (*entry.names_ja, *getattr(entry, "capital_ja", ())):
            owners.setdefault(name, entry.id)
    for pl in places:
        for name in pl.names_ja:
            _require(name not in owners, "places.yaml", pl.id,
                     f"Japanese name {name} also claimed by {owners.get(name)}")
            owners[name] = pl.id
    for pl in places:
        for word in pl.not_ja:
            _require(any(n in word and n != word for n in pl.names_ja), "places.yaml", pl.id,
                     f"not_ja word {word} holds none of the names")
            _require(word not in owners, "places.yaml", pl.id, f"not_ja word {word} is a name of {owners.get(word)}")


def _check_institutions(institutions: list[InstitutionSuffix]) -> None:
    seen: set[str] = set()
    for s in institutions:
        _require(s.suffix not in seen, "institutions.yaml", s.suffix, "duplicate suffix")
        _require("{country}" in s.name_en, "institutions.yaml", s.suffix,
                 "name_en needs a {country} placeholder")
        seen.add(s.suffix)
