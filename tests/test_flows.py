"""Flow extraction on sentences we wrote: direction from case frames, items, omitted subjects.

Each case lists every flow the text must yield as (supplier, recipient, item, certainty);
nothing else may come out.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from extract_helpers import analysed, flows_of

from kizashi.config import Options
from kizashi.extract.flows import extract_flows
from kizashi.extract.items import find_items
from kizashi.extract.lexicon import load_lexicon

C, U, N = "certain", "uncertain", "negated"

DIRECTION = [
    # X に Y を give: the subject supplies
    ("ロシアは北朝鮮に武器を提供した。", {("RUS", "PRK", "weapons", C)}),
    ("北朝鮮はロシアに砲弾を供給している。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮がロシアに弾道ミサイルを売った。", {("PRK", "RUS", "missiles", C)}),
    ("北朝鮮はロシアへ無人機を輸出した。", {("PRK", "RUS", "drones", C)}),
    ("ロシアは北朝鮮に軍事技術を移転した。", {("RUS", "PRK", "military_technology", C)}),
    ("北朝鮮はロシアに兵士を派遣した。", {("PRK", "RUS", "troops", C)}),
    ("中国は北朝鮮に肥料を援助した。", {("CHN", "PRK", "fertilizer", C)}),
    ("ロシアは北朝鮮に原油を引き渡した。", {("RUS", "PRK", "energy", C)}),
    ("イランはロシアにドローンを供与した。", {("IRN", "RUS", "drones", C)}),
    ("北朝鮮は軍をロシアに派遣した。", {("PRK", "RUS", "troops", C)}),
    # carrying verbs: 運ぶ, 搬出, 届ける take a destination like 送る
    ("ロシアの貨物列車が小麦を北朝鮮北部へ運んだ。", {("RUS", "PRK", "food", C)}),
    ("北朝鮮が砲弾をロシアに搬出した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアは北朝鮮に食料を届けた。", {("RUS", "PRK", "food", C)}),
    ("ロシアは北朝鮮に労働者の受け入れを約束した。", {("PRK", "RUS", "workers", U)}),
    # X から Y を receive: the subject receives
    ("ロシアは北朝鮮から砲弾を受け取った。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮はロシアから石油を輸入した。", {("RUS", "PRK", "energy", C)}),
    ("ロシアは北朝鮮から弾薬を購入した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮はロシアから小麦を調達した。", {("RUS", "PRK", "food", C)}),
    ("北朝鮮はロシアから衛星技術の提供を受けた。", {("RUS", "PRK", "satellite_technology", C)}),
    ("北朝鮮はロシアから多額の外貨を得た。", {("RUS", "PRK", "cash", C)}),
    # support frames: Yで Xを支援する, Xの計画を支援する
    ("中国は肥料と原油で北朝鮮を支援した。", {("CHN", "PRK", "fertilizer", C), ("CHN", "PRK", "energy", C)}),
    ("ロシアは北朝鮮の偵察衛星開発を支援している。", {("RUS", "PRK", "satellite_technology", C)}),
    # a person or an institution stands for its country
    ("プーチン大統領は金正恩総書記に潜水艦技術を提供した。", {("RUS", "PRK", "submarine_technology", C)}),
    ("ロシア軍は北朝鮮から弾薬を受け取った。", {("PRK", "RUS", "artillery_ammunition", C)}),
]

NOMINAL = [
    ("北朝鮮のロシアへの武器供給が続いている。", {("PRK", "RUS", "weapons", C)}),
    ("ロシアから北朝鮮への軍事技術の移転が確認された。", {("RUS", "PRK", "military_technology", C)}),
    ("ロシアは北朝鮮からの派兵を受け入れた。", {("PRK", "RUS", "troops", C)}),
    ("ロシアに対する北朝鮮の砲弾支援が明らかになった。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮はロシアの大砲に弾薬を供給した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮のロシアへの派兵で戦況が変わった。", {("PRK", "RUS", "troops", C)}),
    ("ロシア派兵を進める北朝鮮軍", {("PRK", "RUS", "troops", C)}),
    ("専門家は、この貨物はロシア軍への北朝鮮の砲弾だと述べた。", {("PRK", "RUS", "artillery_ammunition", C)}),
]

COORDINATION_AND_EXCHANGE = [
    ("ロシアは北朝鮮にエネルギー、食糧だけでなく、資材、物資も提供した。",
     {("RUS", "PRK", "energy", C), ("RUS", "PRK", "food", C), ("RUS", "PRK", "materials", C)}),
    ("中国は北朝鮮にコメや肥料、その他の人道援助を送った。",
     {("CHN", "PRK", "food", C), ("CHN", "PRK", "fertilizer", C), ("CHN", "PRK", "humanitarian_aid", C)}),
    ("ロシアは北朝鮮に武器や兵力の支援を求めた。",
     {("PRK", "RUS", "weapons", U), ("PRK", "RUS", "troops", U)}),
    ("ロシアは弾薬と引き換えに北朝鮮に石油を供給した。",
     {("RUS", "PRK", "energy", C), ("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮は砲弾の見返りに、ロシアから食糧を受け取った。",
     {("RUS", "PRK", "food", C), ("PRK", "RUS", "artillery_ammunition", C)}),
    ("中国とロシアは北朝鮮に石油を供給している。", {("CHN", "PRK", "energy", C), ("RUS", "PRK", "energy", C)}),
    ("北朝鮮はロシアと中国に武器を輸出した。", {("PRK", "RUS", "weapons", C), ("PRK", "CHN", "weapons", C)}),
    ("ロシアが北朝鮮に提供したとされるのは、主に食料と石油だ。",
     {("RUS", "PRK", "food", U), ("RUS", "PRK", "energy", U)}),
    ("ロシアは北朝鮮に砲弾の代金を支払った。",
     {("RUS", "PRK", "cash", C), ("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアは軍事偵察衛星に関連する技術を北朝鮮に提供した。", {("RUS", "PRK", "satellite_technology", C)}),
    ("ロシアは北朝鮮に原子力潜水艦技術を移転した。", {("RUS", "PRK", "submarine_technology", C)}),
]

REQUESTS = [
    ("ロシアは北朝鮮に弾薬の供給を要請した。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("北朝鮮はロシアに原子力潜水艦技術の支援を求めている。", {("RUS", "PRK", "submarine_technology", U)}),
    ("北朝鮮はロシアに食料援助を望んでいる。", {("RUS", "PRK", "food", U)}),
    ("北朝鮮はロシアの支援を受けて偵察衛星を開発した。", {("RUS", "PRK", "satellite_technology", C)}),  # help with a programme
    ("北朝鮮はロシアの先端技術の支援を得て新型戦車を完成させた。", {("RUS", "PRK", "military_technology", C)}),
]

CLAUSE_SHAPES = [
    # passive: a state as subject is acted on; a thing as subject keeps に as the goal
    ("ロシアは北朝鮮から砲弾を供給された。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮の労働者がロシアに派遣されている。", {("PRK", "RUS", "workers", C)}),
    ("ロシアから北朝鮮に原油が送られている。", {("RUS", "PRK", "energy", C)}),
    # relative clauses: the item or the state is the gap
    ("ロシアは北朝鮮から購入した弾道ミサイルを発射した。", {("PRK", "RUS", "missiles", C)}),
    ("北朝鮮に武器を提供したロシアは制裁の対象となった。", {("RUS", "PRK", "weapons", C)}),
    ("北朝鮮はロシアに砲弾など数千個のコンテナ分の武器を送った。",
     {("PRK", "RUS", "artillery_ammunition", C), ("PRK", "RUS", "weapons", C)}),
    ("北朝鮮はロシアに対して、ミサイルや砲弾を含む大量の兵器を輸出している。",
     {("PRK", "RUS", "missiles", C), ("PRK", "RUS", "artillery_ammunition", C), ("PRK", "RUS", "weapons", C)}),
    # of 「Xは、Yが…」 the nearer Y is the subject
    ("米国務省は、北朝鮮がロシアに弾道ミサイルを供与したと非難した。", {("PRK", "RUS", "missiles", C)}),
    ("韓国の情報機関は、北朝鮮が兵力をロシアに派遣することを決めたと発表した。", {("PRK", "RUS", "troops", U)}),
    # a flow named as the source of another yields only what is stated (no weapons flow here)
    ("北朝鮮がロシアの兵器購入から得た資金の額は不明だ。", {("RUS", "PRK", "cash", C)}),
    # a receiving noun takes the acting subject: the earner of 外貨稼ぎ
    ("北朝鮮はロシアに兵士を送った。派遣を外貨稼ぎに活用している。",
     {("PRK", "RUS", "troops", C), ("RUS", "PRK", "cash", C)}),
]

OMITTED_SUBJECTS = [
    # the topic of the previous sentence is the subject Japanese leaves out
    ("北朝鮮は最近、ロシアとの関係を深めている。ロシアに砲弾を大量に送ったとされる。",
     {("PRK", "RUS", "artillery_ammunition", U)}),
    ("金委員長は9月にロシアを訪れた。ロシアに兵力を派遣する見込みだ。", {("PRK", "RUS", "troops", U)}),
    ("金正恩総書記はプーチン大統領と平壌で会った。ロシアから衛星技術の支援を受けるとみられる。",
     {("RUS", "PRK", "satellite_technology", U)}),
    ("北朝鮮、ロシアに砲弾供与か", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("北朝鮮政権はロシアとの関係を深めている。ロシアから石油を輸入している。", {("RUS", "PRK", "energy", C)}),
    # a bare noun takes the direction the item already flowed in
    ("北朝鮮はロシアに砲弾を送った。砲弾支援の規模は大きい。", {("PRK", "RUS", "artillery_ammunition", C)}),
]

NO_FLOW = [
    "北朝鮮は中国との貿易を取り締まる。",
    "北朝鮮はロシアと会談した。",
    "北朝鮮の食糧不足が深刻だ。",
    "ロシアの武器生産能力は限られている。",
    "北朝鮮は弾道ミサイルを発射した。",
    "ロシア軍は砲弾を大量に消費している。",
    "北朝鮮は核兵器の開発を続けている。",
    "北朝鮮は会談の日程に関する情報を韓国に提供しなかった。",
    "北朝鮮は大規模な兵力を国外に送り出した。",
    "ロシアは北朝鮮に戦略的な選択肢を提供している。",
    "北朝鮮は軍事偵察衛星の打ち上げを再び試みた。",
    "韓国は北朝鮮とロシアの武器交渉を注視している。",
    "北朝鮮はこれまでに核実験を繰り返した。",
    "ロシアはウクライナの前線に兵士を送った。",
    "北朝鮮は戦闘に兵士を投じた。",
    "ロシアは長年の研究から得た誘導技術を持つ。",
]


CASES = DIRECTION + NOMINAL + COORDINATION_AND_EXCHANGE + REQUESTS + CLAUSE_SHAPES + OMITTED_SUBJECTS


@pytest.mark.parametrize("text, expected", CASES, ids=[t for t, _ in CASES])
def test_flows(text: str, expected: set[tuple[str, str, str, str]]) -> None:
    assert flows_of(text) == expected


@pytest.mark.parametrize("text", NO_FLOW, ids=NO_FLOW)
def test_no_flow(text: str) -> None:
    assert flows_of(text) == set()


def test_flow_evidence_and_cue_point_into_the_text() -> None:
    text = "北朝鮮は最近、ロシアとの関係を深めている。\nロシアに砲弾を大量に送った。"
    doc = analysed(text)
    [flow] = extract_flows(doc, Options())
    assert flow.evidence.text == doc.text[flow.evidence.start:flow.evidence.end] == "ロシアに砲弾を大量に送った。"
    assert flow.cue == "送る"


def test_flow_time_is_the_sentence_date() -> None:
    doc = analysed("北朝鮮は2024年10月にロシアに兵士を派遣した。")
    [flow] = extract_flows(doc, Options())
    assert flow.time == "2024-10"


def test_every_sentence_that_states_a_flow_is_its_evidence() -> None:
    """The ledger cites each statement: a repeat in a later sentence is another citation."""
    text = "北朝鮮はロシアに砲弾を送った。北朝鮮はロシアに砲弾を再び送る可能性がある。北朝鮮はロシアに砲弾を送った。"
    flows = extract_flows(analysed(text), Options())
    assert [(f.item, f.certainty) for f in flows] == [("artillery_ammunition", C), ("artillery_ammunition", U),
                                                      ("artillery_ammunition", C)]
    assert len({f.evidence.start for f in flows}) == 3


ITEMS = [
    ("ロシアは潜水艦技術を持つ。", ["submarine_technology"]),
    ("原子力潜水艦と小型原子炉", ["submarine_technology", "nuclear_technology"]),
    ("北朝鮮の衛星計画とミサイル開発", ["satellite_technology", "missile_technology"]),
    ("スパイ衛星関連の技術協力", ["satellite_technology", "satellite_technology"]),
    ("技術支援を受けて偵察衛星を打ち上げた", ["satellite_technology", "satellite_technology"]),
    ("技術の移転", ["military_technology"]),
    ("核兵器と固体燃料と食糧不足", []),
    ("小麦や化学肥料、その他の人道援助", ["food", "fertilizer", "humanitarian_aid"]),
    ("砲弾と弾薬と無人機と外貨稼ぎ", ["artillery_ammunition", "artillery_ammunition", "drones", "cash"]),
    ("兵力と労働者と軍事援助", ["troops", "workers", "weapons"]),
]


@pytest.mark.parametrize("text, expected", ITEMS, ids=[t for t, _ in ITEMS])
def test_items(text: str, expected: list[str]) -> None:
    doc = analysed(text)
    lex = load_lexicon(Options().data_dir)
    assert [m.item for k in range(len(doc.sentences)) for m in find_items(doc, k, lex)] == expected


def test_parse_triggers_are_item_words_without_blockers() -> None:
    triggers = load_lexicon(Options().data_dir).parse_triggers
    assert {"砲弾", "潜水艦技術", "技術"} <= set(triggers)
    assert "核兵器" not in triggers
    assert list(triggers) == sorted(triggers, key=len, reverse=True)
