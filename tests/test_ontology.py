"""The ontology data files load, hold what the linker relies on, and reject bad data loudly."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kizashi.exc import OntologyError
from kizashi.link.ontology import DEFAULT_DATA_DIR, CountryEntry, OrgEntry, PersonEntry, PlaceEntry, load_ontology

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
FILES = ("countries.yaml", "people.yaml", "organizations.yaml", "places.yaml", "institutions.yaml")


@pytest.fixture(scope="module")
def onto():
    return load_ontology()


def test_loads_and_is_cached(onto):
    assert load_ontology() is onto
    assert load_ontology(DEFAULT_DATA_DIR) is onto
    assert len(onto.people) >= 60
    assert len(onto.organizations) >= 60
    assert len(onto.places) >= 80
    assert onto.institutions


def test_every_un_member_state_is_present(onto):
    members = [c for c in onto.countries.values() if c.status == "un_member"]
    assert len(members) == 193


@pytest.mark.parametrize("country_id", ["PRK", "KOR", "RUS", "USA", "CHN", "JPN", "UKR", "IRN",
                                        "SUN", "DDR", "YUG", "PSE", "TWN", "VAT", "XKX"])
def test_countries_likely_in_the_news_exist(onto, country_id):
    assert onto.kind_of(country_id) == "country"


def test_ids_are_unique_across_the_raw_files():
    ids = []
    for name in FILES[:4]:
        ids += [e["id"] for e in yaml.safe_load((DEFAULT_DATA_DIR / name).read_text(encoding="utf-8"))]
    assert len(ids) == len(set(ids))


def test_every_entry_cites_sources(onto):
    entries = [*onto.countries.values(), *onto.people.values(), *onto.organizations.values(),
               *onto.places.values(), *onto.institutions]
    assert all(e.sources and all(s.strip() for s in e.sources) for e in entries)


@pytest.mark.parametrize("form, field, expected", [
    ("北朝鮮", "names_ja", "PRK"),
    ("朝鮮民主主義人民共和国", "names_ja", "PRK"),
    ("朝", "abbr_ja", "PRK"),
    ("北", "context_ja", "PRK"),
    ("平壌", "capital_ja", "PRK"),
    ("韓国", "names_ja", "KOR"),
    ("韓", "abbr_ja", "KOR"),
    ("ロシア", "names_ja", "RUS"),
    ("露", "abbr_ja", "RUS"),
    ("ロ", "abbr_ja", "RUS"),
    ("モスクワ", "capital_ja", "RUS"),
    ("米", "abbr_ja", "USA"),
    ("アメリカ", "names_ja", "USA"),
    ("中", "abbr_ja", "CHN"),
    ("日", "abbr_ja", "JPN"),
    ("キーウ", "capital_ja", "UKR"),
    ("キエフ", "capital_ja", "UKR"),
    ("英", "abbr_ja", "GBR"),
    ("ソ連", "names_ja", "SUN"),
    ("ソ", "abbr_ja", "SUN"),
    ("東ドイツ", "names_ja", "DDR"),
])
def test_country_forms(onto, form, field, expected):
    owners = [c.id for c in onto.countries.values() if form in getattr(c, field)]
    assert owners == [expected]


def test_one_character_abbreviations_are_single_characters(onto):
    assert all(len(a) == 1 for c in onto.countries.values() for a in c.abbr_ja)


@pytest.mark.parametrize("family, title, expected", [
    ("金", "委員長", "kim-jong-un"),
    ("金", "総書記", "kim-jong-un"),
    ("崔", "外相", "choe-son-hui"),
    ("プーチン", "大統領", "vladimir-putin"),
    ("習", "国家主席", "xi-jinping"),
    ("尹", "大統領", "yoon-suk-yeol"),
])
def test_family_name_with_title_resolves_to_the_primary_person(onto, family, title, expected):
    primary = [p for p in onto.people.values() if p.family_ja == family and p.primary_for_family]
    assert [p.id for p in primary] == [expected]
    assert title in primary[0].titles_ja


@pytest.mark.parametrize("name, expected_id, kind", [
    ("ドミトリー・ペスコフ", "dmitry-peskov", "person"),
    ("リーフエリック・イーズリー", "leif-eric-easley", "person"),
    ("アルチョム・ルーキン", "artyom-lukin", "person"),
    ("文在寅", "moon-jae-in", "person"),
    ("安保理", "un-security-council", "organization"),
    ("国連安全保障理事会", "un-security-council", "organization"),
    ("専門家パネル", "un-panel-of-experts", "organization"),
    ("ラザルス", "lazarus", "organization"),
    ("朝鮮中央通信", "kcna", "organization"),
    ("インタファクス通信", "interfax", "organization"),
    ("クレムリン", "kremlin", "organization"),
])
def test_names_point_at_one_entry(onto, name, expected_id, kind):
    pool = onto.people if kind == "person" else onto.organizations
    assert [e.id for e in pool.values() if name in e.names_ja] == [expected_id]
    assert onto.kind_of(expected_id) == kind


def test_entries_carry_their_facts(onto):
    assert onto.name_of("un-security-council") == "UN Security Council"
    kremlin = onto.get("kremlin")
    assert isinstance(kremlin, OrgEntry) and kremlin.country == "RUS" and kremlin.type == "government_body"
    assert isinstance(onto.get("PRK"), CountryEntry)
    assert isinstance(onto.get("kim-jong-un"), PersonEntry)
    assert onto.get("no-such-id") is None and onto.kind_of("no-such-id") is None
    with pytest.raises(KeyError):
        onto.name_of("no-such-id")


@pytest.mark.parametrize("form, place_id, country", [
    ("クルスク州", "kursk-oblast", "RUS"),
    ("クルスク", "kursk", "RUS"),
    ("沿海地方", "primorsky-krai", "RUS"),
    ("沿海州", "primorsky-krai", "RUS"),
    ("ウラジオストック", "vladivostok", "RUS"),
    ("ボストーチヌイ宇宙基地", "vostochny-cosmodrome", "RUS"),
    ("ボストーチヌイ港", "vostochny-port", "RUS"),
    ("クズバス", "kemerovo-oblast", "RUS"),
    ("羅津港", "rajin", "PRK"),
    ("羅先", "rason", "PRK"),
    ("豆満江駅", "tumangang-station", "PRK"),
    ("東倉里", "sohae", "PRK"),
    ("金策市", "kimchaek", "PRK"),
    ("ハリコフ", "kharkiv", "UKR"),
    ("ドネツク州", "donetsk-oblast", "UKR"),
    ("クリミア半島", "crimea", "UKR"),
    ("丹東", "dandong", "CHN"),
    ("釜山", "busan", "KOR"),
])
def test_place_forms(onto, form, place_id, country):
    assert [p.id for p in onto.places.values() if form in p.names_ja] == [place_id]
    place = onto.get(place_id)
    assert isinstance(place, PlaceEntry) and place.country == country
    assert onto.kind_of(place_id) == "place"


@pytest.mark.parametrize("form", ["平壌", "モスクワ", "キーウ", "ソウル", "北京",  # capitals: countries.yaml
                                  "極東", "沿海", "金策", "開城", "豆満江", "ボストーチヌイ"])
def test_place_forms_left_out(onto, form):
    """Capitals stay with their country; everyday words and names of two places are no place."""
    assert not any(form in p.names_ja for p in onto.places.values())


def test_every_place_type_is_known(onto):
    assert {p.type for p in onto.places.values()} == {"region", "city", "port", "site"}


@pytest.mark.parametrize("suffix, kind, english", [
    ("軍", "armed_forces", "Russia Armed Forces"),
    ("情報当局", "intelligence_authorities", "Russia intelligence authorities"),
    ("外務省", "foreign_ministry", "Russia Ministry of Foreign Affairs"),
])
def test_institution_suffixes(onto, suffix, kind, english):
    (entry,) = [s for s in onto.institutions if s.suffix == suffix]
    assert entry.kind == kind
    assert entry.name_en.format(country=onto.name_of("RUS")) == english


@pytest.mark.skipif(not (SHARED / "eval" / "gold").is_dir(), reason="shared gold not present")
def test_every_gold_entity_is_in_the_ontology(onto):
    """Each country, person and organisation the gold annotations name has an entry."""
    forms = {}
    for e in [*onto.people.values(), *onto.organizations.values()]:
        names = {e.name, *e.names_ja, *getattr(e, "aliases_en", ()), *getattr(e, "names_en", ())}
        names |= {getattr(e, "family_ja", None)} - {None}
        for n in names:
            forms.setdefault(n, set()).add(e.id)
    missing = []
    for path in sorted((SHARED / "eval" / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))["entities"]
        missing += [c for c in gold["countries"] if onto.kind_of(c) != "country"]
        for names in [*gold["persons"], *gold["organizations"]]:
            if not any(n in forms for n in names):
                missing.append(names[0])
    assert missing == []


# --- malformed data -------------------------------------------------------------------

MINIMAL = {
    "countries.yaml": """
- {id: PRK, name: North Korea, status: un_member, names_ja: [北朝鮮], abbr_ja: [朝], sources: [ISO 3166-1]}
- {id: RUS, name: Russia, status: un_member, names_ja: [ロシア], abbr_ja: [露], sources: [ISO 3166-1]}
""",
    "people.yaml": """
- {id: kim-jong-un, name: Kim Jong Un, country: PRK, names_ja: [金正恩], family_ja: 金,
   primary_for_family: true, sources: [wiki]}
""",
    "organizations.yaml": """
- {id: kremlin, name: Kremlin, type: government_body, country: RUS, names_ja: [クレムリン], sources: [site]}
""",
    "places.yaml": """
- {id: kursk-oblast, name: Kursk Oblast, country: RUS, type: region, names_ja: [クルスク州], sources: [ISO 3166-2:RU]}
""",
    "institutions.yaml": """
- {suffix: 軍, kind: armed_forces, name_en: "{country} Armed Forces", sources: [usage]}
""",
}


def write_dataset(directory: Path, **overrides: str) -> Path:
    for name, text in {**MINIMAL, **overrides}.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_minimal_dataset_loads(tmp_path):
    onto = load_ontology(write_dataset(tmp_path))
    assert onto.kind_of("kremlin") == "organization" and onto.name_of("PRK") == "North Korea"
    assert onto.kind_of("kursk-oblast") == "place" and onto.places["kursk-oblast"].country == "RUS"


def test_shared_name_is_allowed_when_both_entries_say_ambiguous(tmp_path):
    countries = """
- {id: COG, name: Congo, status: un_member, names_ja: [コンゴ], ambiguous: true, sources: [ISO 3166-1]}
- {id: COD, name: DR Congo, status: un_member, names_ja: [コンゴ], ambiguous: true, sources: [ISO 3166-1]}
- {id: PRK, name: North Korea, status: un_member, names_ja: [北朝鮮], sources: [ISO 3166-1]}
- {id: RUS, name: Russia, status: un_member, names_ja: [ロシア], sources: [ISO 3166-1]}
"""
    onto = load_ontology(write_dataset(tmp_path, **{"countries.yaml": countries}))
    assert onto.countries["COG"].ambiguous


@pytest.mark.parametrize("file_name, text, reason", [
    ("countries.yaml", "- id: [PRK\n", "not valid YAML"),
    ("countries.yaml", "id: PRK\n", "list of entries"),
    ("countries.yaml", MINIMAL["countries.yaml"] + "- {id: KOR, name: South Korea, status: un_member,"
     " names_ja: [北朝鮮], sources: [ISO]}\n", "also claimed by PRK"),
    ("countries.yaml", MINIMAL["countries.yaml"] + "- {id: Kor, name: South Korea, status: un_member,"
     " names_ja: [韓国], sources: [ISO]}\n", "id does not match"),
    ("countries.yaml", MINIMAL["countries.yaml"] + "- {id: KOR, name: South Korea, status: friend,"
     " names_ja: [韓国], sources: [ISO]}\n", "unknown status"),
    ("people.yaml", "- {id: kim-jong-un, name: Kim Jong Un, country: PRK, names_ja: [金正恩]}\n",
     "missing required key 'sources'"),
    ("people.yaml", "- {id: kim-jong-un, name: Kim Jong Un, country: PRK, names_ja: [金正恩], sources: []}\n",
     "no sources"),
    ("people.yaml", MINIMAL["people.yaml"] + "- {id: kim-yo-jong, name: Kim Yo Jong, country: PRK,"
     " names_ja: [金与正], family_ja: 金, primary_for_family: true, sources: [wiki]}\n",
     "second primary for family 金"),
    ("people.yaml", "- {id: x-y, name: X Y, country: ZZZ, names_ja: [エックス], sources: [wiki]}\n",
     "unknown country"),
    ("organizations.yaml", MINIMAL["organizations.yaml"] + "- {id: kremlin, name: Kremlin 2,"
     " type: government_body, country: RUS, names_ja: [ロシア大統領府], sources: [site]}\n", "duplicate id"),
    ("organizations.yaml", "- {id: kremlin, name: Kremlin, type: government_body, country: RUS,"
     " names_ja: [クレムリン], sources: [site], nmaes_en: [Kremlin]}\n", "unknown key(s) nmaes_en"),
    ("organizations.yaml", "- {id: kremlin, name: Kremlin, type: palace, country: RUS,"
     " names_ja: [クレムリン], sources: [site]}\n", "unknown type"),
    ("places.yaml", "- {id: kursk-oblast, name: Kursk Oblast, country: ZZZ, names_ja: [クルスク州],"
     " sources: [ISO]}\n", "entry kursk-oblast: unknown country 'ZZZ'"),
    ("places.yaml", "- {id: kursk-oblast, name: Kursk Oblast, names_ja: [クルスク州], sources: [ISO]}\n",
     "missing required key 'country'"),
    ("places.yaml", "- {id: kursk-oblast, name: Kursk Oblast, country: RUS, type: oblast, names_ja: [クルスク州],"
     " sources: [ISO]}\n", "unknown type 'oblast'"),
    ("places.yaml", "- {id: kremlin, name: Kremlin, country: RUS, names_ja: [クレムリン宮殿], sources: [wiki]}\n",
     "duplicate id (also in organizations.yaml)"),
    ("places.yaml", "- {id: moscow, name: Moscow, country: RUS, names_ja: [ロシア], sources: [wiki]}\n",
     "Japanese name ロシア also claimed by RUS"),
    ("places.yaml", MINIMAL["places.yaml"] + "- {id: kursk, name: Kursk, country: RUS, names_ja: [クルスク州],"
     " sources: [wiki]}\n", "Japanese name クルスク州 also claimed by kursk-oblast"),
    ("places.yaml", "- {id: nampo, name: Nampo, country: PRK, names_ja: [南浦], not_ja: [浦和], sources: [wiki]}\n",
     "not_ja word 浦和 holds none of the names"),
    ("institutions.yaml", "- {suffix: 軍, kind: armed_forces, name_en: Armed Forces, sources: [usage]}\n",
     "placeholder"),
])
def test_malformed_file_raises_naming_file_and_entry(tmp_path, file_name, text, reason):
    with pytest.raises(OntologyError) as err:
        load_ontology(write_dataset(tmp_path, **{file_name: text}))
    message = str(err.value)
    assert message.startswith(file_name)
    assert reason in message
    whole_file = reason in ("not valid YAML", "list of entries")
    assert whole_file or message.startswith(f"{file_name}: entry ")


def test_missing_file_raises_naming_it(tmp_path):
    write_dataset(tmp_path)
    (tmp_path / "people.yaml").unlink()
    with pytest.raises(OntologyError, match=r"^people\.yaml: cannot read"):
        load_ontology(tmp_path)
