"""Certainty and attribution on sentences we wrote: the cue must govern the flow's predicate."""
from __future__ import annotations

import pytest
from extract_helpers import analysed

from kizashi.config import Options
from kizashi.extract.attribution import attribution_of
from kizashi.extract.certainty import certainty_of
from kizashi.extract.flows import extract_flows

C, U, N = "certain", "uncertain", "negated"

CERTAINTY = [
    # asserted, past or present
    ("北朝鮮はロシアに砲弾を送った。", C),
    ("北朝鮮はロシアに砲弾を送っている。", C),
    ("北朝鮮がロシアに砲弾を供給したことは間違いない。", C),
    ("北朝鮮のロシアへの派兵で、前線の戦況が変わった。", C),
    ("ロシアに対する北朝鮮の砲弾支援の事実は隠されていない。", C),
    ("北朝鮮がロシアに兵士を派遣したのは、見返りが必要だったためとみられる。", C),
    ("北朝鮮がロシアに弾薬を送ったことを韓国当局が確認した。", C),
    ("北朝鮮はロシアに武器を送ったが、その効果は限られる可能性が高い。", C),
    # possible, expected, planned, requested, wanted, speculated
    ("ロシアは北朝鮮に弾道ミサイル技術を提供する可能性がある。", U),
    ("ロシアは北朝鮮に弾道ミサイル技術を提供する可能性が高い。", U),
    ("北朝鮮がロシアに兵士を派遣したとみられる。", U),
    ("北朝鮮がロシアに兵士を派遣したと見られている。", U),
    ("北朝鮮がロシアに兵士を派遣したようにみえる。", U),
    ("ロシアが北朝鮮に武器を売るかもしれない。", U),
    ("ロシアは北朝鮮に食糧を提供するだろう。", U),
    ("北朝鮮はロシアへの弾薬供給を検討している。", U),
    ("ロシアは北朝鮮に原油を供給する計画だ。", U),
    ("ロシアは北朝鮮に原油を供給する予定だ。", U),
    ("ロシアは北朝鮮に原油を供給する見込みだ。", U),
    ("ロシアは北朝鮮に原子炉の技術を供与することができる。", U),
    ("ロシアは北朝鮮への衛星技術の提供が可能だ。", U),
    ("北朝鮮はロシアが食糧を提供することを期待している。", U),
    ("北朝鮮はロシアから原子炉を受け取ることを望んでいる。", U),
    ("ロシアが北朝鮮に軍事技術を移転するとの懸念が高まっている。", U),
    ("ロシアが北朝鮮に軍事技術を移転すると推測されている。", U),
    ("ロシアが北朝鮮に軍事技術を移転すると予想される。", U),
    ("北朝鮮がロシアに兵士を送ったとささやかれている。", U),
    ("北朝鮮はロシアから外貨を得ることが狙いだ。", U),
    ("ロシアが北朝鮮に軍事技術を移転する可能性も排除できない。", U),
    ("北朝鮮がロシアに砲弾を送るのではないか。", U),
    ("北朝鮮はロシアに兵士を送るのか？", U),
    ("北朝鮮はロシアに兵士を送るだろうか。", U),
    ("ロシアは食料の提供で北朝鮮をつなぎとめようとしている。", U),
    ("北朝鮮がロシアから先端技術を得れば、情勢は一変する。", U),
    ("ロシアが北朝鮮に核心技術を渡すとは考えにくい。", N),
    ("ロシアは北朝鮮への技術移転には慎重にならざるを得ない。", U),
    # conditionals
    ("たとえ北朝鮮がロシアに兵士を派遣したとしても、戦況は変わらない。", U),
    ("ロシアが北朝鮮に原子炉を提供すれば、潜水艦の建造が早まる。", U),
    ("北朝鮮がロシアに兵士を送るなら、韓国は対応する。", U),
    ("北朝鮮がロシアに兵士を送っても、戦況は変わらないだろう。", U),
    # stated as not happening, refused or unlikely
    ("ロシアは北朝鮮に武器を提供していない。", N),
    ("ロシアは北朝鮮に武器を提供しなかった。", N),
    ("ロシアが北朝鮮に核技術を移転する可能性は低い。", N),
    ("ロシアが北朝鮮に先端技術を提供するのは難しい。", N),
    ("中国がロシアに供与できないのは、大量の兵器である。", N),
    ("ロシアは北朝鮮への武器供与を否定した。", N),
    ("北朝鮮はロシアへの派兵を拒否した。", N),
    ("ロシアは北朝鮮への原油供給に抵抗している。", N),
    ("北朝鮮がロシアに兵士を送るとは思えない。", N),
    ("ロシアが北朝鮮に衛星技術を提供することはない。", N),
    ("ペスコフ報道官は、北朝鮮からの派兵はないと否定した。", N),
    ("ロシアは北朝鮮に武器を供与したことを否定しなかった。", U),
    ("ロシアは北朝鮮への軍事技術の移転を公式には認めていない。", U),
    ("北朝鮮は見返りを得るため、ロシアに兵士を派遣した。", C),
    ("北朝鮮とロシアは、一方が攻撃を受けた場合、軍事援助を提供すると定めた条約に署名した。", U),
]

ATTRIBUTION = [
    ("韓国国家情報院によると、北朝鮮はロシアに砲弾を送った。", "韓国国家情報院"),
    ("統一研究院の報告書によると、北朝鮮はロシアに労働者を送った。", "統一研究院の報告書"),
    ("外交消息筋は「北朝鮮がロシアに兵士を派遣した」と伝えた。", "外交消息筋"),
    ("CNNは、ロシアが北朝鮮から弾薬を購入したと報じた。", "CNN"),
    ("専門家たちは、ロシアが北朝鮮に衛星技術を提供しているとみている。", "専門家"),
    ("ロイター通信は、アナリストが北朝鮮のロシアへの武器輸出を指摘したと伝えた。", "ロイター通信"),
    ("韓国情報当局は、北朝鮮がロシアからロケットエンジンを受け取ったと判断した。", "韓国情報当局"),
    ("北朝鮮はロシアに砲弾を送ったというのが韓国政府の評価だ。", "韓国政府"),
    ("北朝鮮はロシアに砲弾を送った。", None),
    ("北朝鮮がロシアに砲弾を送ったと報じられている。", None),
    ("北朝鮮はロシアに砲弾を送ったと推定されている。", None),
    ("ウクライナ国防省のブダノフ局長は、北朝鮮がロシアに供給した砲弾は不良品だと述べた。", "ブダノフ局長"),
    ("米国務省は、北朝鮮がロシアに弾道ミサイルを供与したと非難した。", "米国務省"),
]


@pytest.mark.parametrize("text, expected", CERTAINTY, ids=[t for t, _ in CERTAINTY])
def test_flow_certainty(text: str, expected: str) -> None:
    flows = extract_flows(analysed(text), Options())
    assert flows, "no flow found"
    assert {f.certainty for f in flows} == {expected}


@pytest.mark.parametrize("text, expected", ATTRIBUTION, ids=[t for t, _ in ATTRIBUTION])
def test_flow_attribution(text: str, expected: str | None) -> None:
    flows = extract_flows(analysed(text), Options())
    assert flows, "no flow found"
    assert {f.attributed_to for f in flows} == {expected}


def test_attribution_follows_the_reporting_verb_that_governs_the_flow() -> None:
    text = "金総書記は関係を深めると演説で述べ、日本では北朝鮮がロシアに砲弾を送る計画だとの見方が広がった。"
    assert {f.attributed_to for f in extract_flows(analysed(text), Options())} == {None}


def test_purpose_and_reason_clauses() -> None:
    """〜を得るため (purpose): not yet had; 〜を得たため (reason): had."""
    purpose = "北朝鮮はロシアから食料を得るために砲弾を送った。"
    reason = "北朝鮮はロシアから食料を得たため、砲弾を送った。"
    food = lambda text: {f.certainty for f in extract_flows(analysed(text), Options()) if f.item == "food"}  # noqa: E731
    assert food(purpose) == {U}
    assert food(reason) == {C}


def test_a_cue_elsewhere_in_the_sentence_does_not_count() -> None:
    """The uncertainty of the second clause does not reach the first, asserted one."""
    text = "北朝鮮はロシアに砲弾を送っており、今後は兵士も派遣する可能性がある。"
    got = {(f.item, f.certainty) for f in extract_flows(analysed(text), Options())}
    assert got == {("artillery_ammunition", C), ("troops", U)}


def test_certainty_of_reads_unparsed_sentences_by_surface() -> None:
    doc = analysed("両国の関係は改善した。両国の関係は悪化するかもしれない。")
    assert not any(s.analysed for s in doc.sentences)
    assert certainty_of(doc, 0, None) == C
    assert certainty_of(doc, 1, None) == U


def test_attribution_of_a_sentence() -> None:
    doc = analysed("聯合ニュースによると、両国の首脳が会談した。")
    assert attribution_of(doc, 0) == "聯合ニュース"
