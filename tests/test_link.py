"""Entity linking on our own sentences: abbreviations, titles, variants, institutions, places, unknown names."""
from __future__ import annotations

import pytest
from extract_helpers import analysed

from kizashi.config import Options
from kizashi.model import Document, Paragraph
from kizashi.pipeline import run


def _linked(text: str) -> Document:
    doc = Document(source="t", raw_sha256="x", text=text, paragraphs=[Paragraph(0, len(text))], stages=["clean"])
    return run(doc, Options(), ("language", "link_entities"))


def _countries(doc: Document) -> list[str]:
    return [m.entity_id for m in doc.mentions if m.type == "country"]


@pytest.mark.parametrize("text, expected", [
    ("露朝の軍事協力が深まっている。", ["RUS", "PRK"]),
    ("朝ロ間の取引が注目される。", ["PRK", "RUS"]),
    ("日米韓の3カ国が会合を開いた。", ["JPN", "USA", "KOR"]),
    ("中露の接近が続く。", ["CHN", "RUS"]),
    ("韓米同盟は強固だ。", ["KOR", "USA"]),
    ("日米中韓露の5カ国が参加した。", ["JPN", "USA", "CHN", "KOR", "RUS"]),
    ("日韓両国は協力を強めた。", ["JPN", "KOR"]),
    ("北朝鮮とロシアが会談した。", ["PRK", "RUS"]),
    ("アメリカと中国とウクライナとイラン", ["USA", "CHN", "UKR", "IRN"]),
    ("米大統領選挙が近い。", ["USA"]),
    ("北との貿易を取り締まった。", ["PRK"]),
    ("今日は晴れで、日中は暑かった。", []),
    ("北京は態度を変えなかった。", ["CHN"]),
    ("北朝鮮の対ロ輸出と対中貿易が伸びた。", ["PRK", "RUS", "CHN"]),
    ("反対意見も出た。", []),
    ("The DPRKはRussian Federationと協議した。", ["PRK", "RUS"]),
    ("DPRKsとXDPRKは名前ではない。", []),
    ("北朝鮮国防省は声明を出した。同国の兵士が派遣された。", ["PRK"]),  # 同国; the ministry is an organisation
])
def test_country_mentions(text: str, expected: list[str]) -> None:
    assert _countries(_linked(text)) == expected


@pytest.mark.parametrize("text, surface, person", [
    ("金委員長は演説した。", "金委員長", "kim-jong-un"),
    ("金総書記が視察した。", "金総書記", "kim-jong-un"),
    ("金氏は列車で出発した。", "金氏", "kim-jong-un"),
    ("プーチン大統領が訪れた。", "プーチン", "vladimir-putin"),
    ("プーチン氏は述べた。", "プーチン", "vladimir-putin"),
    ("キム・ジョンウン氏が語った。", "キム・ジョンウン", "kim-jong-un"),
    ("キムジョンウン氏が語った。", "キムジョンウン", "kim-jong-un"),
    ("ペスコフ報道官は否定した。", "ペスコフ", "dmitry-peskov"),
])
def test_person_forms(text: str, surface: str, person: str) -> None:
    doc = _linked(text)
    people = {(m.text, m.entity_id) for m in doc.mentions if m.type == "person"}
    assert any(s.startswith(surface) and pid == person for s, pid in people), people


@pytest.mark.parametrize("text, org_country", [
    ("ロシア軍が前進した。", "RUS"),
    ("北朝鮮軍の兵士が確認された。", "PRK"),
    ("韓国情報当局は判断した。", "KOR"),
])
def test_institutions_link_to_their_country(text: str, org_country: str) -> None:
    doc = _linked(text)
    assert org_country in _countries(doc)
    orgs = [e for e in doc.entities if e.type == "organization"]
    assert orgs and orgs[0].country == org_country


def test_a_ministry_named_with_its_state_is_not_japans() -> None:
    """イラン外務省 is Iran's: the 外務省 inside it is not also Japan's ministry (a bare 外務省)."""
    ids = {e.id for e in _linked("イラン外務省は声明を出した。外務省は確認中だ。").entities}
    assert "IRN:foreign_ministry" in ids and "japan-foreign-ministry" in ids  # the second, bare one
    assert "japan-foreign-ministry" not in {e.id for e in _linked("イラン外務省は声明を出した。").entities}


def test_kremlin_is_an_organisation_of_russia() -> None:
    doc = _linked("クレムリンは声明を出した。")
    ent = next(e for e in doc.entities if "クレムリン" in e.aliases)
    assert ent.type == "organization" and ent.country == "RUS"


def test_unknown_names_are_kept_as_new_entities() -> None:
    doc = _linked("専門家のヨハネス・ブラウンシュタイン氏によると、状況は変わった。")
    new = [e for e in doc.entities if not e.known]
    assert any(e.type == "person" and "ヨハネス・ブラウンシュタイン" in e.aliases for e in new)


def test_every_mention_points_into_the_text() -> None:
    doc = _linked("露朝首脳会談で金委員長とプーチン大統領が会った。韓国情報当局が確認した。")
    for m in doc.mentions:
        assert doc.text[m.start:m.end] == m.text
    spans = sorted((m.start, m.end) for m in doc.mentions if m.type == "country")
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


# --- places: each stands for its state --------------------------------------------------

def _places(doc: Document) -> dict[str, tuple[str, str | None]]:
    """Place surface → (entity id, the country the entity stands for)."""
    country = {e.id: e.country for e in doc.entities if e.type == "place"}
    return {m.text: (m.entity_id, country[m.entity_id]) for m in doc.mentions if m.type == "place"}


@pytest.mark.parametrize("text, expected", [
    ("北朝鮮兵がクルスク州に投入された。", {"クルスク州": ("kursk-oblast", "RUS")}),
    ("砲弾は羅津港からボストーチヌイ港へ運ばれた。",
     {"羅津港": ("rajin", "PRK"), "ボストーチヌイ港": ("vostochny-port", "RUS")}),
    ("両首脳はボストーチヌイ宇宙基地で会談した。", {"ボストーチヌイ宇宙基地": ("vostochny-cosmodrome", "RUS")}),
    ("ロシア極東のウラジオストクに到着した。", {"ウラジオストク": ("vladivostok", "RUS")}),
    ("列車はハサン駅から豆満江駅に向かった。",
     {"ハサン駅": ("khasan", "RUS"), "豆満江駅": ("tumangang-station", "PRK")}),
    ("ハルキウ州とザポリージャ州が攻撃を受けた。",
     {"ハルキウ州": ("kharkiv-oblast", "UKR"), "ザポリージャ州": ("zaporizhzhia-oblast", "UKR")}),
    ("物資は丹東から新義州へ渡った。", {"丹東": ("dandong", "CHN"), "新義州": ("sinuiju", "PRK")}),
    ("東部ドネツク・ルハンスク両州を占領した。",
     {"ドネツク": ("donetsk", "UKR"), "ルハンスク": ("luhansk", "UKR")}),
])
def test_places_link_to_their_country(text: str, expected: dict[str, tuple[str, str]]) -> None:
    assert _places(analysed(text)) == expected


def test_a_place_mention_covers_its_span_and_stands_for_its_country() -> None:
    """What the flow extractor reads: the mention's offsets and its entity's country."""
    text = "北朝鮮兵がクルスク州に投入された。"
    doc = analysed(text)
    (mention,) = [m for m in doc.mentions if m.type == "place"]
    start = text.index("クルスク州")
    assert (mention.start, mention.end) == (start, start + len("クルスク州"))
    entity = next(e for e in doc.entities if e.id == mention.entity_id)
    assert (entity.type, entity.name, entity.country, entity.known) == ("place", "Kursk Oblast", "RUS", True)
    assert entity.mentions == [[mention.start, mention.end]]


@pytest.mark.parametrize("text, surface, place", [
    ("クルスク州の州都クルスクが攻撃された。", "クルスク州", "kursk-oblast"),
    ("キーウ州で停電が起きた。", "キーウ州", "kyiv-oblast"),
    ("モスクワ州の工場で生産された。", "モスクワ州", "moscow-oblast"),
    ("ロストフ・ナ・ドヌに司令部がある。", "ロストフ・ナ・ドヌ", "rostov-on-don"),
])
def test_the_longest_name_wins(text: str, surface: str, place: str) -> None:
    doc = analysed(text)
    first = min(doc.mentions, key=lambda m: m.start)
    assert (first.text, first.entity_id, first.type) == (surface, place, "place")
    assert not any(m.start < first.end and m.type == "country" for m in doc.mentions)


def test_a_capital_stays_the_country_it_stands_for() -> None:
    doc = analysed("装置は平壌に設置された。")
    assert _places(doc) == {} and _countries(doc) == ["PRK"]


def test_institution_forms_still_hold_beside_a_place() -> None:
    doc = analysed("ロシア軍がクルスク州で反撃した。")
    assert _places(doc) == {"クルスク州": ("kursk-oblast", "RUS")}
    army = next(e for e in doc.entities if e.type == "organization")
    assert (army.id, army.country, army.aliases) == ("RUS:armed_forces", "RUS", ["ロシア軍"])


@pytest.mark.parametrize("text, owner, owner_type", [
    ("上海協力機構の首脳会議が開かれた。", "sco", "organization"),
    ("延辺朝鮮族自治州の幹部が訪れた。", "yanbian", "place"),
    ("平壌国際空港に到着した。", "sunan-airport", "place"),
])
def test_a_name_inside_a_longer_name_is_linked_once(text: str, owner: str, owner_type: str) -> None:
    """上海 inside 上海協力機構, 朝鮮 (North Korea) inside 延辺朝鮮族自治州, 平壌 inside 平壌国際空港."""
    doc = analysed(text)
    assert [(m.entity_id, m.type) for m in doc.mentions] == [(owner, owner_type)]


@pytest.mark.parametrize("text, not_place", [
    ("ハサン・ナスララ師が演説した。", "khasan"),
    ("ムハンマド・ハサン氏が語った。", "khasan"),
    ("元山氏が取材に応じた。", "wonsan"),
    ("地元山口県で演説した。", "wonsan"),
    ("両党は大連立を組んだ。", "dalian"),
    ("清津峡を訪れた。", "chongjin"),
    ("ドニプロ川を渡った。", "dnipro"),
    ("シベリアンハスキーを飼う。", "siberia"),
])
def test_names_that_are_no_place_are_not_linked(text: str, not_place: str) -> None:
    assert not_place not in {m.entity_id for m in analysed(text).mentions}


def test_the_tumen_river_stands_for_no_state() -> None:
    """豆満江 alone is the border river of three states; only its station is a place."""
    doc = analysed("豆満江を越えて運ばれた。")
    assert _places(doc) == {} and _countries(doc) == []
