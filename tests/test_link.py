"""Entity linking on our own sentences: abbreviations, titles, variants, institutions, unknown names."""
from __future__ import annotations

import pytest

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
