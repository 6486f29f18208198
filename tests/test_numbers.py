"""Japanese numerals and the figures built on them, on our own sentences."""
from __future__ import annotations

import re

import pytest

from kizashi.config import Options
from kizashi.link.numbers import NUMBER, parse_number
from kizashi.model import Document
from kizashi.workflow import process_document


@pytest.mark.parametrize(("text", "value"), [
    ("3000", 3000), ("1,200", 1200), ("2.5", 2.5), ("5千", 5000), ("1400万", 14_000_000),
    ("1万3000", 13_000), ("1億2000万", 120_000_000), ("2.5万", 25_000), ("三万", 30_000),
    ("一億二千万", 120_000_000), ("3兆", 3 * 10**12), ("1億5千万", 150_000_000),
])
def test_numerals(text: str, value: float) -> None:
    assert re.fullmatch(NUMBER, text)
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["一部", "一方", "十数万", "数千"])
def test_words_and_vague_amounts_are_not_numbers(text: str) -> None:
    assert not re.fullmatch(NUMBER, text)


def figures(text: str) -> list[tuple]:
    doc = process_document(Document(source="t.txt", raw_sha256="0" * 64, text=text), Options())
    return [(f.actor, f.item, f.value, f.unit, f.period, f.measure) for f in doc.figures]


@pytest.mark.parametrize(("text", "expected"), [
    ("北朝鮮はロシアに約1万2000人の兵士を派遣した。", ("PRK", "troops", 12_000, "people", None, "deployed")),
    ("北朝鮮はコンテナ1万3000個分の砲弾を送った。", ("PRK", "artillery_ammunition", 13_000, "containers", None, "supplied")),
    ("ロシアは1億2000万ドルを支払ったとされる。", ("RUS", None, 120_000_000, "usd", None, "paid")),
    ("ロシア軍は1日に1万発の砲弾を使っている。", ("RUS", "artillery_ammunition", 10_000, "rounds", "day", "used")),
    # the actor is a state named in the sentence, not the country of the agency quoted
    ("韓国国家情報院によると、北朝鮮は約3000人を追加で派遣した。", ("PRK", None, 3000, "people", None, "deployed")),
])
def test_figures_read_whole_numerals(text: str, expected: tuple) -> None:
    assert figures(text) == [expected]


def quantities(text: str) -> list[tuple]:
    doc = process_document(Document(source="t.txt", raw_sha256="0" * 64, text=text), Options())
    return [(f.item, f.quantity) for f in doc.flows]


def test_a_flow_takes_the_figure_of_its_own_sentence() -> None:
    [(item, q)] = quantities("北朝鮮はロシアに約1万2000人以上の兵士を派遣した。")
    assert item == "troops"
    assert (q.value, q.unit, q.approximate, q.at_least, q.period) == (12_000, "people", True, True, None)


def test_a_production_figure_is_not_a_flow_quantity() -> None:
    assert quantities("北朝鮮は年間100万発の砲弾を生産し、ロシアに砲弾を送った。") == [("artillery_ammunition", None)]


def test_a_figure_in_another_sentence_is_not_taken() -> None:
    assert quantities("北朝鮮はロシアに砲弾を送った。砲弾は年間300万発に上る。") == [("artillery_ammunition", None)]
