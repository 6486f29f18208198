"""Flow extraction by construction: one table of sentences we wrote for each way Japanese news states a flow.

Each case lists every flow the text must yield as (supplier, recipient, item, certainty);
nothing else may come out, so a table of ``set()`` cases checks that a construction yields nothing.
The expectations are what a careful analyst reads out of the sentence, not the extractor's
current output; several cases fail today and are kept as they are.
"""
from __future__ import annotations

import pytest
from extract_helpers import analysed, document, flows_of

from kizashi.config import Options
from kizashi.extract.flows import extract_flows
from kizashi.pipeline import run

Flow = tuple[str, str, str, str]
Case = tuple[str, set[Flow]]

C, U, N = "certain", "uncertain", "negated"

# Transfer verbs and verbal nouns with their case frames (X が Y に Z を give, X から Z を receive):
# 北朝鮮はロシアに砲弾を輸出した。 → PRK→RUS artillery_ammunition
TRANSFER_VERBS: list[Case] = [
    ("中国企業を経由して、ロシアの半導体が北朝鮮に流れている。", {("RUS", "PRK", "materials", C)}),
    ("ロシアから北朝鮮に資金が流れている。", {("RUS", "PRK", "cash", C)}),
    ("ロシアのタンカーが公海上で北朝鮮の船舶に石油を積み替えた。", {("RUS", "PRK", "energy", C)}),
    ("ロシアの船舶が北朝鮮の貨物船から砲弾を積み替えた。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮軍の将兵がロシア入りした。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮は自爆型ドローンの製造技術をロシアから習得したとされる。", {("RUS", "PRK", "military_technology", U)}),
    ("北朝鮮はロシアに砲弾を輸出した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("イランはロシアに短距離弾道ミサイルを供与した。", {("IRN", "RUS", "missiles", C)}),
    ("北朝鮮はロシア側に170ミリ自走砲を引き渡した。", {("PRK", "RUS", "weapons", C)}),
    ("大量の砲弾が北朝鮮からロシアに渡った。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮製の武器がロシア軍の手に渡った。", {("PRK", "RUS", "weapons", C)}),
    ("ロシアは北朝鮮に弾道ミサイルの誘導技術を移転した。", {("RUS", "PRK", "missile_technology", C)}),
    ("ロシアの貨物船が北朝鮮の弾薬をウラジオストクへ運搬した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮は鉄道を使ってロシアに砲弾を輸送している。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシア産の石油が北朝鮮の羅先に搬入された。", {("RUS", "PRK", "energy", C)}),
    ("北朝鮮はロシア西部の弾薬庫に砲弾を搬入した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮は砲弾を詰めたコンテナをロシアへ発送した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシア国防省は北朝鮮から弾道ミサイルを調達した。", {("PRK", "RUS", "missiles", C)}),
    ("北朝鮮はロシアから小麦粉を受け取った。", {("RUS", "PRK", "food", C)}),
    ("北朝鮮の港で弾薬を積んだ貨物船がロシアに向かった。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("貨物船は北朝鮮の羅津港で砲弾を積み、ロシア極東の港に運んだ。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアは北朝鮮兵をクルスク州の前線に投入した。", {("PRK", "RUS", "troops", C)}),
    ("ロシアは北朝鮮に防空システムを提供した。", {("RUS", "PRK", "weapons", C)}),
    ("ロシアは北朝鮮に食糧を支援した。", {("RUS", "PRK", "food", C)}),
    ("中国は北朝鮮に化学肥料を支援している。", {("CHN", "PRK", "fertilizer", C)}),
    ("北朝鮮はロシアに多連装ロケット砲を売却した。", {("PRK", "RUS", "weapons", C)}),
    ("ベラルーシはロシアに弾薬を供給している。", {("BLR", "RUS", "artillery_ammunition", C)}),
    ("ロシアは北朝鮮に原油を輸出した。", {("RUS", "PRK", "energy", C)}),
    ("北朝鮮はロシアに兵器を引き渡した。", {("PRK", "RUS", "weapons", C)}),
    ("北朝鮮はロシアに労働者を送り出した。", {("PRK", "RUS", "workers", C)}),
    ("米国はウクライナに長距離ミサイルを供与した。", {("USA", "UKR", "missiles", C)}),
    ("韓国はウクライナに人道支援物資を送った。", {("KOR", "UKR", "humanitarian_aid", C)}),
    ("中国はロシアに半導体を輸出している。", {("CHN", "RUS", "materials", C)}),
    ("ロシアは北朝鮮にミグ29戦闘機を引き渡した。", {("RUS", "PRK", "weapons", C)}),
    ("ロシアは北朝鮮に外貨を支払った。", {("RUS", "PRK", "cash", C)}),
    ("北朝鮮はロシアへの砲弾の輸送を続けている。", {("PRK", "RUS", "artillery_ammunition", C)}),
]

# Headlines: 「X、Yに Z を verb」 with the particle or verb left out; a closing か is a question:
# 北朝鮮、ロシアにミサイル供与か → PRK→RUS missiles uncertain
HEADLINES: list[Case] = [
    ("「北、ロシアに弾道ミサイル100発余り供与」…ウクライナ情報当局", {("PRK", "RUS", "missiles", C)}),
    ("北朝鮮兵、クルスク州で戦闘参加", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮労働者、ロシアの建設現場で就労", {("PRK", "RUS", "workers", C)}),
    ("北朝鮮兵、ウクライナで戦闘参加", set()),
    ("北朝鮮、ロシアに兵器を追加輸出", {("PRK", "RUS", "weapons", C)}),
    ("北朝鮮、ロシアにミサイル供与か", {("PRK", "RUS", "missiles", U)}),
    ("ロシア軍の砲弾6割、北朝鮮製か", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("ロシア、北朝鮮に防空システム供与　韓国国情院", {("RUS", "PRK", "weapons", C)}),
    ("北朝鮮兵1万人、ロシアに到着", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮、ロシアへ追加派兵へ", {("PRK", "RUS", "troops", U)}),
    ("露、北朝鮮に石油100万バレル超を供給", {("RUS", "PRK", "energy", C)}),
    ("イラン、ロシアに弾道ミサイル輸出か", {("IRN", "RUS", "missiles", U)}),
    ("ロシア軍、北朝鮮製ミサイルを使用か", {("PRK", "RUS", "missiles", U)}),
    ("北朝鮮、ロシアから戦闘機導入を検討", {("RUS", "PRK", "weapons", U)}),
    ("ロシア、北朝鮮に衛星技術を移転", {("RUS", "PRK", "satellite_technology", C)}),
    ("北朝鮮、ロシアへの砲弾供与を否定", {("PRK", "RUS", "artillery_ammunition", N)}),
    ("中国、ロシアへの武器供与を否定", {("CHN", "RUS", "weapons", N)}),
    ("北朝鮮のロシア派兵、1万人規模に", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮労働者、ロシアへ大量流入", {("PRK", "RUS", "workers", C)}),
    ("北朝鮮、ロシアに砲弾数百万発", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアから北朝鮮へ小麦粉　大量輸送", {("RUS", "PRK", "food", C)}),
    ("北朝鮮、露に自走砲引き渡しか", {("PRK", "RUS", "weapons", U)}),
    ("ロシア、北朝鮮に原潜技術供与の恐れ", {("RUS", "PRK", "submarine_technology", U)}),
    ("ロシア、平壌に防空システム配備", {("RUS", "PRK", "weapons", C)}),
    ("北朝鮮、ロシアから外貨獲得　派兵の見返り",
     {("RUS", "PRK", "cash", C), ("PRK", "RUS", "troops", C)}),
]

# Clefts (「…のは X だ」「…は X が供与したものだ」) and quantified subjects, where a share of what
# the recipient uses comes from the supplier: ロシアが使う砲弾の3割が北朝鮮製だ。 → PRK→RUS
CLEFTS_AND_SHARES: list[Case] = [
    ("ロシアに砲弾を送っているのは北朝鮮だとみられる。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("ロシアに砲弾を送っているのは北朝鮮だ。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮がロシアに砲弾を送ったのは、外貨を得るためだとみられる。", {("PRK", "RUS", "artillery_ammunition", C), ("RUS", "PRK", "cash", U)}),
    ("ロシア軍が使う砲弾の半分は北朝鮮が供与したものだ。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアが使う砲弾の3割が北朝鮮製だ。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアに最も多くの砲弾を送っているのは北朝鮮だ。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアが北朝鮮に渡したのは石油だった。", {("RUS", "PRK", "energy", C)}),
    ("北朝鮮がロシアから得たのは外貨だけではない。", {("RUS", "PRK", "cash", C)}),
    ("ロシア軍がクルスク州で使っているミサイルの多くは北朝鮮製だ。", {("PRK", "RUS", "missiles", C)}),
    ("ロシア軍の砲弾備蓄の半分以上を北朝鮮製が占める。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮製の砲弾の大半はロシアに送られた。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアが輸入したミサイルのうち、約50発は北朝鮮のものだった。", {("PRK", "RUS", "missiles", C)}),
    ("クルスク州で戦う兵士の一部は北朝鮮から来た。", {("PRK", "RUS", "troops", C)}),
    ("ロシアに派遣された北朝鮮兵のうち、約3000人が死傷した。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮が最も欲しがっているのは、ロシアの軍事技術だ。", {("RUS", "PRK", "military_technology", U)}),
    ("ロシアが北朝鮮に求めているのは砲弾と兵力だ。",
     {("PRK", "RUS", "artillery_ammunition", U), ("PRK", "RUS", "troops", U)}),
    ("ウクライナで見つかったミサイルの残骸の一部は、北朝鮮がロシアに供与したものだった。",
     {("PRK", "RUS", "missiles", C)}),
    ("北朝鮮の石炭輸出の大部分は中国向けだ。", {("PRK", "CHN", "energy", C)}),
    ("ロシアが輸入する弾薬の約半分は北朝鮮産だ。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシア軍が昨年発射した砲弾の4割は北朝鮮から届いたものだ。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアに送られた兵器の中心は、北朝鮮の自走砲と放射砲だった。", {("PRK", "RUS", "weapons", C)}),
    ("イランがロシアに供与したのは無人機だけだ。", {("IRN", "RUS", "drones", C)}),
]

# Relative clauses: the flow is stated inside a clause that modifies the item, the recipient or
# the supplier, and the head's subject carries: 北朝鮮はロシアから受け取った防空システムを配備した。
RELATIVE_CLAUSES: list[Case] = [
    ("ロシアは北朝鮮から購入した砲弾を前線に送った。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮がロシアに供与したミサイルがウクライナで使われた。", {("PRK", "RUS", "missiles", C)}),
    ("北朝鮮はロシアから受け取った防空システムを平壌周辺に配備した。", {("RUS", "PRK", "weapons", C)}),
    ("ロシア軍は北朝鮮から調達した砲弾でウクライナ東部を攻撃した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアが北朝鮮に提供した石油は、国連の上限を大きく上回った。", {("RUS", "PRK", "energy", C)}),
    ("ロシアに武器を供与した北朝鮮の企業が制裁対象に指定された。", {("PRK", "RUS", "weapons", C)}),
    ("北朝鮮に技術を移転したロシアの研究所を米国が制裁した。", {("RUS", "PRK", "military_technology", C)}),
    ("ロシア軍が北朝鮮から受け取った砲弾の2割は不発だった。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアに派遣された北朝鮮兵はクルスク州で戦っている。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮が送った労働者はロシア極東の建設現場で働いている。", {("PRK", "RUS", "workers", C)}),
    ("中国から届いた肥料は北朝鮮の農村に配られた。", {("CHN", "PRK", "fertilizer", C)}),
    ("イランが供与した無人機をロシア軍は前線で使っている。", {("IRN", "RUS", "drones", C)}),
    ("北朝鮮が輸出した石炭を積んだ船がロシアの港に入った。", {("PRK", "RUS", "energy", C)}),
    ("北朝鮮がロシアへの派兵で得た外貨は数億ドルに上る。",
     {("PRK", "RUS", "troops", C), ("RUS", "PRK", "cash", C)}),
    ("北朝鮮はロシアから購入した戦闘機を公開した。", {("RUS", "PRK", "weapons", C)}),
    ("ロシアが平壌に送った防空部隊は首都の防衛にあたっている。", {("RUS", "PRK", "troops", C)}),
    ("ウクライナ軍は北朝鮮がロシアに送った自走砲を破壊した。", {("PRK", "RUS", "weapons", C)}),
    ("北朝鮮から輸入した砲弾を使うロシア軍の部隊が増えている。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮が供与したKN23をロシア軍はハルキウへの攻撃に使った。", {("PRK", "RUS", "missiles", C)}),
    ("ロシアから北朝鮮に届いた小麦は平壌の市場に出回っている。", {("RUS", "PRK", "food", C)}),
    ("北朝鮮に原油を供給しているロシアの企業は、制裁の網をくぐり抜けている。", {("RUS", "PRK", "energy", C)}),
]

# Passives: the item or the recipient is the subject; the supplier comes from から, によって, an
# origin word or an earlier sentence: 砲弾は北朝鮮によってロシアに供与された。 → PRK→RUS
PASSIVES: list[Case] = [
    ("北朝鮮は兵器工場をフル稼働させている。そこで作られた砲弾がロシアに輸出された。",
     {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮は弾薬の増産を続けている。砲弾の多くがロシアに輸出された。",
     {("PRK", "RUS", "artillery_ammunition", C)}),
    ("砲弾は北朝鮮によってロシアに供与された。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮からロシアに砲弾が輸出された。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮はロシアから兵器を提供された。", {("RUS", "PRK", "weapons", C)}),
    ("ロシアは北朝鮮から弾道ミサイルを供与された。", {("PRK", "RUS", "missiles", C)}),
    ("北朝鮮兵1万人がロシアに送られた。", {("PRK", "RUS", "troops", C)}),
    ("ロシア産の原油が北朝鮮に運ばれた。", {("RUS", "PRK", "energy", C)}),
    ("中国から北朝鮮に大量の肥料が送られた。", {("CHN", "PRK", "fertilizer", C)}),
    ("北朝鮮製のミサイルがロシアに引き渡された。", {("PRK", "RUS", "missiles", C)}),
    ("ロシアの軍事技術が北朝鮮に移転された。", {("RUS", "PRK", "military_technology", C)}),
    ("北朝鮮の労働者がウラジオストクに送り込まれた。", {("PRK", "RUS", "workers", C)}),
    ("イランの無人機がロシアに輸送された。", {("IRN", "RUS", "drones", C)}),
    ("北朝鮮の自走砲が鉄道でロシアに運ばれた。", {("PRK", "RUS", "weapons", C)}),
    ("北朝鮮はロシアから衛星技術を供与されたとみられる。", {("RUS", "PRK", "satellite_technology", U)}),
    ("ロシアは北朝鮮から兵力の提供を受けた。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮に向けてロシアの小麦粉が出荷された。", {("RUS", "PRK", "food", C)}),
    ("北朝鮮の砲弾がロシア軍に供給された。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアはイランから無人機を供給された。", {("IRN", "RUS", "drones", C)}),
    ("ロシアに弾薬が送られたが、誰が送ったかは明らかになっていない。", set()),
]

# Use that implies a transfer: a state's forces use an item made in or belonging to another state:
# ロシア軍が北朝鮮製のミサイルを使用した。 → PRK→RUS missiles
USE_OF_FOREIGN_ITEMS: list[Case] = [
    ("ロシア製の部品が北朝鮮のミサイルから見つかった。", {("RUS", "PRK", "materials", C)}),
    ("ロシア軍が北朝鮮製のミサイルを使用した。", {("PRK", "RUS", "missiles", C)}),
    ("ロシア軍が北朝鮮の砲弾を使っている。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシア軍はハルキウへの攻撃に北朝鮮製の弾道ミサイルKN23を使った。", {("PRK", "RUS", "missiles", C)}),
    ("ロシア軍は北朝鮮製の自走砲を前線で運用している。", {("PRK", "RUS", "weapons", C)}),
    ("ロシア軍がイラン製の無人機でキーウを攻撃した。", {("IRN", "RUS", "drones", C)}),
    ("ロシア軍は北朝鮮産の砲弾を大量に消費している。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ウクライナ軍は米国製の戦車を東部戦線に投入した。", {("USA", "UKR", "weapons", C)}),
    ("北朝鮮軍はロシア製の防空システムを使っている。", {("RUS", "PRK", "weapons", C)}),
    ("ロシアの部隊は北朝鮮の多連装ロケット砲で砲撃した。", {("PRK", "RUS", "weapons", C)}),
    ("ロシア軍が発射したミサイルは北朝鮮製だった。", {("PRK", "RUS", "missiles", C)}),
    ("ロシアは北朝鮮の放射砲をクルスク州に配備した。", {("PRK", "RUS", "weapons", C)}),
    ("ロシア軍はイランのシャヘドを多用している。", {("IRN", "RUS", "drones", C)}),
    ("ロシア軍が北朝鮮製のミサイルを使用した可能性がある。", {("PRK", "RUS", "missiles", U)}),
    ("ロシア軍は北朝鮮の砲弾を使っていないと主張した。", {("PRK", "RUS", "artillery_ammunition", N)}),
    ("ロシア軍は北朝鮮の兵士を突撃部隊として使っている。", {("PRK", "RUS", "troops", C)}),
    ("ロシアは北朝鮮の労働者を無人機工場で働かせている。", {("PRK", "RUS", "workers", C)}),
    ("ウクライナ軍は米国製の長距離ミサイルでロシア領内を攻撃した。", {("USA", "UKR", "missiles", C)}),
    ("ロシア軍の兵士は北朝鮮製の小銃を手にしていた。", {("PRK", "RUS", "weapons", C)}),
]

# Deployment to a place inside another country: the place names the recipient:
# 北朝鮮兵がクルスク州に投入された。 → PRK→RUS troops (Kursk is in Russia)
DEPLOYMENT_TO_A_PLACE: list[Case] = [
    ("北朝鮮はクルスク州に派遣した部隊の一部をドネツク州に移動させた可能性がある。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮は部隊をドネツク州に移動させた。", set()),
    ("北朝鮮兵がクルスク州に投入された。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮軍の部隊がロシア西部に派遣された。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮は特殊部隊をロシア極東に送った。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮の工兵がクルスク州に派遣された。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮の労働者がウラジオストクの建設現場に送られた。", {("PRK", "RUS", "workers", C)}),
    ("北朝鮮はクルスク州に兵士1万人を派遣した。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮兵はロシア東部の訓練場で訓練を受けている。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮の兵士がベルゴロド州に到着した。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮の軍事顧問がモスクワに入った。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮軍がクルスク州に展開している。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮は沿海地方に労働者を送り込んでいる。", {("PRK", "RUS", "workers", C)}),
    ("ロシア軍は北朝鮮兵をウクライナ東部の前線に投入した。", {("PRK", "RUS", "troops", C)}),
    ("ロシアの防空部隊が平壌に配備された。", {("RUS", "PRK", "troops", C)}),
    ("ロシアは平壌に防空システム「パンツィリ」を配備した。", {("RUS", "PRK", "weapons", C)}),
    ("北朝鮮の建設労働者がハバロフスクに到着した。", {("PRK", "RUS", "workers", C)}),
    ("北朝鮮兵の第2陣がロシア極東のウラジオストクに上陸した。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮は追加の部隊をクルスク州に送る見通しだ。", {("PRK", "RUS", "troops", U)}),
    ("北朝鮮の砲兵部隊がロシアのブリャンスク州に移動した。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮の兵士がロシア・クルスク州の前線で戦っている。", {("PRK", "RUS", "troops", C)}),
]

# Mutual supply and exchanges: one flow each way, each with its own certainty
# (見返り, 代わりに, 代価, 対価, 引き換え, 交換): ロシアは砲弾の代わりに、北朝鮮に石油を渡した。
MUTUAL_AND_EXCHANGE: list[Case] = [
    ("北朝鮮はロシアに砲弾を、イランは無人機をそれぞれ供与している。", {("PRK", "RUS", "artillery_ammunition", C), ("IRN", "RUS", "drones", C)}),
    ("ロシアには北朝鮮が砲弾を、イランが無人機を供与している。", {("PRK", "RUS", "artillery_ammunition", C), ("IRN", "RUS", "drones", C)}),
    ("ロシアは北朝鮮から輸入した砲弾の代金を、石油で支払っているとされる。", {("PRK", "RUS", "artillery_ammunition", C), ("RUS", "PRK", "energy", U)}),
    ("ロシアは砲弾の代金を北朝鮮に現金で支払った。", {("PRK", "RUS", "artillery_ammunition", C), ("RUS", "PRK", "cash", C)}),
    ("ロシアから北朝鮮への見返りには、防空システムや電子戦装備が含まれるとみられる。", {("RUS", "PRK", "weapons", U)}),
    ("ロシアは北朝鮮に石油を、北朝鮮はロシアに兵士を送っている。", {("RUS", "PRK", "energy", C), ("PRK", "RUS", "troops", C)}),
    ("北朝鮮はロシアから石油を、ロシアは北朝鮮から砲弾を受け取った。", {("RUS", "PRK", "energy", C), ("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮はロシアに砲弾を送った。北朝鮮への見返りは、主に食料や燃料だとされる。",
     {("PRK", "RUS", "artillery_ammunition", C), ("RUS", "PRK", "food", U), ("RUS", "PRK", "energy", U)}),
    ("北朝鮮はロシアに砲弾を送った。ロシアからの見返りは原油と外貨だった。",
     {("PRK", "RUS", "artillery_ammunition", C), ("RUS", "PRK", "energy", C), ("RUS", "PRK", "cash", C)}),
    ("北朝鮮とロシアは互いに武器を供与している。",
     {("PRK", "RUS", "weapons", C), ("RUS", "PRK", "weapons", C)}),
    ("北朝鮮とロシアは軍事協力を深めている。両国は互いに武器を供与している。",
     {("PRK", "RUS", "weapons", C), ("RUS", "PRK", "weapons", C)}),
    ("北朝鮮は砲弾を提供した見返りに、ロシアから食糧を受け取った。",
     {("PRK", "RUS", "artillery_ammunition", C), ("RUS", "PRK", "food", C)}),
    ("北朝鮮は派兵の見返りとして、ロシアから防空システムを受け取った。",
     {("PRK", "RUS", "troops", C), ("RUS", "PRK", "weapons", C)}),
    ("ロシアは砲弾の代わりに、北朝鮮に石油を渡した。",
     {("PRK", "RUS", "artillery_ammunition", C), ("RUS", "PRK", "energy", C)}),
    ("北朝鮮は兵士を送る代わりに、ロシアから軍事技術を得ようとしている。",
     {("PRK", "RUS", "troops", U), ("RUS", "PRK", "military_technology", U)}),
    ("ロシアは北朝鮮に砲弾の代価として外貨を支払った。",
     {("PRK", "RUS", "artillery_ammunition", C), ("RUS", "PRK", "cash", C)}),
    ("ロシアは派兵の対価として北朝鮮に軍事技術を提供した。",
     {("PRK", "RUS", "troops", C), ("RUS", "PRK", "military_technology", C)}),
    ("北朝鮮はロシアに兵士を派遣した。その見返りに、ロシアは北朝鮮に衛星技術を提供するとみられる。",
     {("PRK", "RUS", "troops", C), ("RUS", "PRK", "satellite_technology", U)}),
    ("北朝鮮はミサイルと引き換えに、ロシアから石油を受け取ったとされる。",
     {("PRK", "RUS", "missiles", U), ("RUS", "PRK", "energy", U)}),
    ("ロシアは北朝鮮から砲弾を受け取り、引き換えに小麦を送った。",
     {("PRK", "RUS", "artillery_ammunition", C), ("RUS", "PRK", "food", C)}),
    ("北朝鮮は砲弾と交換に、ロシアから戦闘機の技術を得た。",
     {("PRK", "RUS", "artillery_ammunition", C), ("RUS", "PRK", "military_technology", C)}),
    ("ロシアは北朝鮮の派兵に報いるため、防空システムを供与する方針だ。",
     {("PRK", "RUS", "troops", C), ("RUS", "PRK", "weapons", U)}),
    ("北朝鮮はロシアに弾薬を送り、ロシアは北朝鮮に原油を送っている。",
     {("PRK", "RUS", "artillery_ammunition", C), ("RUS", "PRK", "energy", C)}),
    ("イランはロシアに無人機を供与した。見返りに戦闘機を受け取る予定だ。",
     {("IRN", "RUS", "drones", C), ("RUS", "IRN", "weapons", U)}),
    ("韓国政府は、ロシアが派兵の見返りとして北朝鮮に資金を渡したと発表した。",
     {("PRK", "RUS", "troops", C), ("RUS", "PRK", "cash", C)}),
    ("北朝鮮はロシアから砲弾の対価を現金で受け取った。",
     {("PRK", "RUS", "artillery_ammunition", C), ("RUS", "PRK", "cash", C)}),
    ("北朝鮮はロシアに兵士を送った見返りに、原子力潜水艦の技術を求めている。",
     {("PRK", "RUS", "troops", C), ("RUS", "PRK", "submarine_technology", U)}),
]

# Containers, shipments and quantities: the item is what the container or the ship carries, and a
# count or a volume does not change the flow: 北朝鮮から、弾薬を積んだコンテナ1万個がロシアに送られた。
SHIPMENTS_AND_QUANTITIES: list[Case] = [
    ("北朝鮮から、弾薬を積んだコンテナ1万個がロシアに送られた。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮はロシアに砲弾約500万発を送った。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮は弾薬を積んだコンテナ2万個以上をロシアへ送った。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアは北朝鮮に石油100万バレル以上を供給した。", {("RUS", "PRK", "energy", C)}),
    ("北朝鮮は兵士1万2000人をロシアに派遣した。", {("PRK", "RUS", "troops", C)}),
    ("ロシアは北朝鮮に小麦粉5万トンを送った。", {("RUS", "PRK", "food", C)}),
    ("北朝鮮からロシアへ、砲弾を満載した貨物列車が毎週向かっている。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮はロシアに砲弾数百万発分のコンテナを送った。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮の羅津港からロシアのドゥナイ港へ、弾薬入りのコンテナが運ばれた。",
     {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮は短距離弾道ミサイル約100発をロシアに供与した。", {("PRK", "RUS", "missiles", C)}),
    ("ロシアは北朝鮮に年間数十万トンの石油精製品を供給している。", {("RUS", "PRK", "energy", C)}),
    ("北朝鮮の労働者数千人がロシアの建設現場に送られた。", {("PRK", "RUS", "workers", C)}),
    ("ロシアが北朝鮮から受け取ったコンテナは2万個を超えた。", set()),
    ("北朝鮮はロシアに170ミリ自走砲120門と240ミリ放射砲を送った。", {("PRK", "RUS", "weapons", C)}),
    ("ロシアに到着した北朝鮮の砲弾は少なくとも300万発に上る。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮の羅津港に貨物船が停泊していた。弾薬を積んだ貨物船はその後、ロシアに向かった。",
     {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮はロシアに2回にわたって計1万5000人の兵士を派遣した。", {("PRK", "RUS", "troops", C)}),
]

# North Korea's other names: 北韓, 北 (in Korean reporting), 朝 in 朝ロ, 朝鮮, 平壌 as the state,
# 北朝鮮製/産 as origin: 北韓はロシアに砲弾を送った。 → PRK→RUS
NORTH_KOREA_NAMES: list[Case] = [
    ("北韓はロシアに砲弾を送った。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北韓軍の兵士がクルスク州に派遣された。", {("PRK", "RUS", "troops", C)}),
    ("韓国政府は、北韓がロシアに弾道ミサイルを供与したと発表した。", {("PRK", "RUS", "missiles", C)}),
    ("南北の緊張が高まる中、北はロシアに砲弾を送り続けている。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("韓国国防省は、北の兵士がロシアの前線に送られたと明らかにした。", {("PRK", "RUS", "troops", C)}),
    ("朝ロ首脳会談で、ロシアは北朝鮮に戦闘機の供与を約束した。", {("RUS", "PRK", "weapons", U)}),
    ("朝ロ条約に基づき、北朝鮮はロシアに兵士を派遣した。", {("PRK", "RUS", "troops", C)}),
    ("露朝の武器取引で、北朝鮮はロシアに砲弾を輸出した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("朝ロ首脳会談が平壌で開かれた。", set()),
    ("北朝鮮製の砲弾がロシアに渡った。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮産の石炭がロシアに輸出された。", {("PRK", "RUS", "energy", C)}),
    ("朝鮮民主主義人民共和国はロシア連邦に兵士を派遣した。", {("PRK", "RUS", "troops", C)}),
    ("朝鮮中央通信によると、朝鮮はロシアに支援部隊を送った。", {("PRK", "RUS", "troops", C)}),
    ("ロシアは北朝鮮当局に防空システムを引き渡した。", {("RUS", "PRK", "weapons", C)}),
    ("平壌はモスクワに砲弾を送った。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮はロシアに兵を送った。", {("PRK", "RUS", "troops", C)}),
    ("金正恩政権はロシアに弾薬を供給している。", {("PRK", "RUS", "artillery_ammunition", C)}),
]

# Item words: each names one item of the contract, however specific the weapon:
# ロシアは北朝鮮にパンツィリを提供した。 → weapons; 電子戦の技術 → military_technology
ITEM_WORDS: list[Case] = [
    ("北朝鮮当局はロシアから労働者の月給の一部を受け取っている。", {("RUS", "PRK", "cash", C)}),
    ("ロシアは北朝鮮兵の食料を北朝鮮に送った。", {("RUS", "PRK", "food", C)}),
    ("労働者の派遣は禁止されているが、ロシアは北朝鮮の研修生を受け入れているとみられる。", {("PRK", "RUS", "workers", U)}),
    ("ブダノフ局長は、ロシアが実戦データを北朝鮮に提供している可能性を指摘した。", {("RUS", "PRK", "intelligence", U)}),
    ("北朝鮮はロシアに砲弾100万発余りを送った。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮は水産物をロシアに輸出している。", {("PRK", "RUS", "food", C)}),
    ("北朝鮮のIT技術者がロシアで働いている。", {("PRK", "RUS", "workers", C)}),
    ("ロシアは北朝鮮にルーブルで代金を払った。", {("RUS", "PRK", "cash", C)}),
    ("ロシアは北朝鮮に防空レーダーを引き渡した。", {("RUS", "PRK", "weapons", C)}),
    ("ロシアは北朝鮮に砲弾や核兵器に関する技術を提供した。", {("RUS", "PRK", "artillery_ammunition", C), ("RUS", "PRK", "nuclear_technology", C)}),
    ("ロシアは北朝鮮にミサイルや潜水艦に関する技術を提供した。", {("RUS", "PRK", "missile_technology", C), ("RUS", "PRK", "submarine_technology", C)}),
    ("ロシアが北朝鮮に対して核・ミサイル技術を移転する恐れがある。", {("RUS", "PRK", "nuclear_technology", U), ("RUS", "PRK", "missile_technology", U)}),
    ("ロシアは北朝鮮の核・ミサイル開発を支援している。", {("RUS", "PRK", "nuclear_technology", C), ("RUS", "PRK", "missile_technology", C)}),
    ("北朝鮮はロシアに砲弾・ミサイルを供与した。", {("PRK", "RUS", "artillery_ammunition", C), ("PRK", "RUS", "missiles", C)}),
    ("ロシアは北朝鮮に石油精製品を供給した。", {("RUS", "PRK", "energy", C)}),
    ("北朝鮮はロシアに自走砲を輸出した。", {("PRK", "RUS", "weapons", C)}),
    ("北朝鮮はロシアに240ミリ放射砲を送った。", {("PRK", "RUS", "weapons", C)}),
    ("北朝鮮はロシアに多連装ロケット砲を供与した。", {("PRK", "RUS", "weapons", C)}),
    ("北朝鮮はロシアに重砲を送った。", {("PRK", "RUS", "weapons", C)}),
    ("ロシアは北朝鮮に防空システムを供与した。", {("RUS", "PRK", "weapons", C)}),
    ("ロシアは北朝鮮にパンツィリを提供した。", {("RUS", "PRK", "weapons", C)}),
    ("ロシアは北朝鮮に電子戦装備を送った。", {("RUS", "PRK", "weapons", C)}),
    ("ロシアは北朝鮮に電子戦の技術を提供した。", {("RUS", "PRK", "military_technology", C)}),
    ("北朝鮮はロシアにKN23を供与した。", {("PRK", "RUS", "missiles", C)}),
    ("北朝鮮はロシアにKN-23を輸出した。", {("PRK", "RUS", "missiles", C)}),
    ("ロシアは北朝鮮に小麦粉を送った。", {("RUS", "PRK", "food", C)}),
    ("北朝鮮は多連装ロケット砲用の砲弾をロシアに送った。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮は放射砲の砲弾をロシアに供給した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアは北朝鮮に衛星画像を提供している。", {("RUS", "PRK", "intelligence", C)}),
    ("ロシアは北朝鮮に原子力潜水艦の建造技術を移転した。", {("RUS", "PRK", "submarine_technology", C)}),
    ("ロシアは北朝鮮に小型原子炉を提供した。", {("RUS", "PRK", "nuclear_technology", C)}),
    ("北朝鮮はロシアに石炭を輸出した。", {("PRK", "RUS", "energy", C)}),
    ("ロシアは北朝鮮に医薬品を送った。", {("RUS", "PRK", "humanitarian_aid", C)}),
    ("北朝鮮はロシアに鉱物資源を輸出した。", {("PRK", "RUS", "materials", C)}),
    ("北朝鮮はロシアに迫撃砲弾を供与した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアは北朝鮮に軽油とガソリンを送った。", {("RUS", "PRK", "energy", C)}),
    ("北朝鮮はロシアに対戦車ミサイルを供与した。", {("PRK", "RUS", "missiles", C)}),
    ("北朝鮮はロシアに偵察用ドローンを送った。", {("PRK", "RUS", "drones", C)}),
]

# Discourse: Japanese leaves out a subject or a partner the previous sentence gave:
# 北朝鮮はロシアに砲弾を送った。さらにミサイルも提供した。 → both PRK→RUS
DISCOURSE: list[Case] = [
    ("北朝鮮はロシアに労働者を送った。北朝鮮の労働者が得た賃金の大半は、北朝鮮当局に送金されている。", {("PRK", "RUS", "workers", C), ("RUS", "PRK", "cash", C)}),
    ("ロシアは北朝鮮に石油を送った。国連の決議は、北朝鮮への石油精製品の供給を年間50万バレルに制限している。", {("RUS", "PRK", "energy", C)}),
    ("ロシアが北朝鮮に通常兵器の技術を移転することは可能だ。しかし、弾道ミサイルや核兵器に関する技術は難しい。",
     {("RUS", "PRK", "military_technology", U), ("RUS", "PRK", "missile_technology", N), ("RUS", "PRK", "nuclear_technology", N)}),
    ("ロシアは北朝鮮に砲弾を送った。ミサイルの迎撃は難しい。", {("RUS", "PRK", "artillery_ammunition", C)}),
    ("北朝鮮とロシアの軍事協力が深まっている。韓国国防省は、北朝鮮兵の派遣を確認できていないと述べた。",
     {("PRK", "RUS", "troops", U)}),
    ("北朝鮮はロシアに砲弾を送った。さらにミサイルも提供した。",
     {("PRK", "RUS", "artillery_ammunition", C), ("PRK", "RUS", "missiles", C)}),
    ("ロシアは北朝鮮に石油を送った。小麦も届けた。", {("RUS", "PRK", "energy", C), ("RUS", "PRK", "food", C)}),
    ("北朝鮮は昨年秋、ロシアに兵士を派遣した。今年に入って追加の部隊も送った。", {("PRK", "RUS", "troops", C)}),
    ("ロシアは北朝鮮との関係を重視している。北朝鮮に防空システムを供与した。", {("RUS", "PRK", "weapons", C)}),
    ("北朝鮮はロシアに砲弾を送った。見返りに石油を受け取った。",
     {("PRK", "RUS", "artillery_ammunition", C), ("RUS", "PRK", "energy", C)}),
    ("中国は北朝鮮の最大の貿易相手国だ。昨年は肥料を大量に輸出した。", {("CHN", "PRK", "fertilizer", C)}),
    ("ロシア軍は砲弾不足に苦しんでいる。北朝鮮から砲弾を調達した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮はロシアに砲弾を送った。ロシアは北朝鮮に食料を提供した。",
     {("PRK", "RUS", "artillery_ammunition", C), ("RUS", "PRK", "food", C)}),
    ("北朝鮮はロシアに兵士を送った。ただ、ミサイルは送っていない。",
     {("PRK", "RUS", "troops", C), ("PRK", "RUS", "missiles", N)}),
    ("北朝鮮はロシアに砲弾を送った。一方、中国は支援を控えている。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("金正恩総書記はロシアを訪問した。プーチン大統領に武器の供与を約束した。", {("PRK", "RUS", "weapons", U)}),
    ("プーチン大統領は平壌を訪れた。金総書記に高級車を贈った。", set()),
    ("イランはロシアとの軍事協力を強めている。無人機を大量に供与した。", {("IRN", "RUS", "drones", C)}),
    ("ロシアは北朝鮮から兵士を受け入れた。今後は労働者も受け入れる方針だ。",
     {("PRK", "RUS", "troops", C), ("PRK", "RUS", "workers", U)}),
    ("北朝鮮はロシアに弾薬を送り続けている。今年は自走砲も引き渡した。",
     {("PRK", "RUS", "artillery_ammunition", C), ("PRK", "RUS", "weapons", C)}),
    ("北朝鮮は国際的な制裁を受けている。それでもロシアに武器を輸出している。", {("PRK", "RUS", "weapons", C)}),
    ("北朝鮮はロシアに兵士を派遣した。兵士の一部はすでに戦死した。", {("PRK", "RUS", "troops", C)}),
    ("ロシアは北朝鮮に小麦を送った。北朝鮮の食糧事情は改善していない。", {("RUS", "PRK", "food", C)}),
    ("韓国の国家情報院は会見を開いた。北朝鮮がロシアに追加派兵したと明らかにした。", {("PRK", "RUS", "troops", C)}),
    ("ロシアは北朝鮮に戦闘機を供与した。これに対し、北朝鮮は砲弾で応えた。",
     {("RUS", "PRK", "weapons", C), ("PRK", "RUS", "artillery_ammunition", C)}),
]

# No flow: needs without a supplier, warnings, production, meetings, sanctions, theft, deployment
# at home, tests, attacks, diplomats and a state's own equipment: ロシアは砲弾不足に悩んでいる。 → nothing
NO_FLOW: list[Case] = [
    ("弾薬入りのコンテナが港で見つかった。", set()),
    ("北朝鮮の代表団が平壌からモスクワ入りした。", set()),
    ("韓国国防省は、北朝鮮兵の派遣を確認できていないと述べた。", set()),
    ("ロシアは砲弾不足に悩んでいる。", set()),
    ("ロシアには大量の砲弾が必要だ。", set()),
    ("ロシア軍は前線で深刻な兵力不足に直面している。", set()),
    ("北朝鮮の食糧事情は依然として厳しい。", set()),
    ("ロシアは戦争の長期化で弾薬の確保に苦しんでいる。", set()),
    ("ロシア軍の砲弾の需要は年間数百万発に上る。", set()),
    ("米国は北朝鮮に武器を提供しないよう警告した。", set()),
    ("米国は北朝鮮に対し、挑発行為をやめるよう警告した。", set()),
    ("日米韓の外相は北朝鮮とロシアの軍事協力を非難する共同声明を出した。", set()),
    ("北朝鮮は砲弾の生産を増やした。", set()),
    ("北朝鮮の兵器工場はフル稼働している。", set()),
    ("ロシアは無人機の国内生産を拡大している。", set()),
    ("北朝鮮は新型の自走砲を開発した。", set()),
    ("北朝鮮の弾薬工場は昼夜を問わず稼働している。", set()),
    ("金正恩総書記はウラジオストクでプーチン大統領と会談した。", set()),
    ("ロシアのショイグ安全保障会議書記が平壌を訪問した。", set()),
    ("北朝鮮とロシアの外相がモスクワで会談した。", set()),
    ("ロシアと北朝鮮は包括的戦略パートナーシップ条約に署名した。", set()),
    ("国連安全保障理事会は北朝鮮に対する制裁決議を採択した。", set()),
    ("米財務省は北朝鮮の個人3人を制裁対象に指定した。", set()),
    ("EUはロシアに対する追加制裁を決めた。", set()),
    ("ロシアは安保理で北朝鮮制裁の専門家パネルの延長に拒否権を行使した。", set()),
    ("日本政府は北朝鮮に対する独自制裁を延長した。", set()),
    ("北朝鮮のハッカー集団は暗号資産取引所から多額の資金を盗み出した。", set()),
    ("北朝鮮はサイバー攻撃で日本の交換業者から暗号資産を奪った。", set()),
    ("北朝鮮のハッカーが韓国の防衛企業から機密情報を盗んだ。", set()),
    ("北朝鮮は新型ミサイルを前線部隊に配備した。", set()),
    ("ロシアはクルスク州に予備役を投入した。", set()),
    ("北朝鮮は南北境界付近に兵力を増強した。", set()),
    ("ロシアは極東に部隊を増派した。", set()),
    ("韓国軍は北朝鮮の挑発に備え、防空システムを首都圏に配備した。", set()),
    ("北朝鮮は国境付近にドローン部隊を新設した。", set()),
    ("北朝鮮は日本海に向けて短距離弾道ミサイルを発射した。", set()),
    ("北朝鮮は新型の固体燃料エンジンの燃焼試験を行った。", set()),
    ("北朝鮮は軍事偵察衛星を打ち上げたと発表した。", set()),
    ("ロシアは大陸間弾道ミサイルの発射実験を行った。", set()),
    ("北朝鮮の軍事パレードに新型ミサイルが登場した。", set()),
    ("ロシア軍はウクライナの都市にミサイルを撃ち込んだ。", set()),
    ("ロシアはウクライナのエネルギー施設に無人機攻撃を仕掛けた。", set()),
    ("ウクライナ軍はクルスク州のロシア軍陣地を砲撃した。", set()),
    ("ロシア軍はウクライナ東部で攻勢を強めている。", set()),
    ("ロシアは北朝鮮に新しい大使を派遣した。", set()),
    ("北朝鮮はロシアに代表団を送った。", set()),
    ("北朝鮮はロシアに留学生を送った。", set()),
    ("ロシアの観光客が北朝鮮の元山を訪れた。", set()),
    ("プーチン大統領は金総書記に高級車を贈った。", set()),
    ("北朝鮮はロシアに抗議した。", set()),
    ("ロシアは北朝鮮に強い連帯を表明した。", set()),
    ("北朝鮮軍は自国製の砲弾を使っている。", set()),
    ("ロシア軍は自国製の砲弾を使っている。", set()),
    ("中国は北朝鮮の最大の貿易相手国だ。", set()),
    ("北朝鮮はロシアとの国境に新しい橋を建設している。", set()),
    ("北朝鮮とロシアを結ぶ鉄道の運行が再開された。", set()),
    ("ロシアは北朝鮮との軍事協力を拡大する考えを示した。", set()),
    ("韓国はロシアに北朝鮮との協力をやめるよう求めた。", set()),
    ("北朝鮮は兵士の訓練を強化している。", set()),
    ("ロシアは北朝鮮の核保有を事実上容認している。", set()),
    ("国連は北朝鮮の人権状況に懸念を示した。", set()),
    ("ロシアの武器輸出は減少している。", set()),
    ("北朝鮮は武器を輸出する能力を持っている。", set()),
    ("米国はロシアの兵器調達網を調べている。", set()),
    ("北朝鮮は石油の密輸を続けている。", set()),
    ("北朝鮮は兵器の輸出先を広げようとしている。", set()),
    ("北朝鮮の外貨収入は減っている。", set()),
    ("中国は北朝鮮への観光客の送り出しを再開した。", set()),
    ("日本政府はロシアと北朝鮮の動向を注視している。", set()),
    ("米国はウクライナへの支援を続ける考えを示した。", set()),
]

# Denial frames: the flow is stated as not happening, denied or refused, often by a named side:
# 北朝鮮はロシアへの砲弾供与を否定した。 → PRK→RUS artillery_ammunition negated
DENIALS: list[Case] = [
    ("ロシア政府はこれについて、「北朝鮮の労働者は受け入れていない」としている。", {("PRK", "RUS", "workers", N)}),
    ("北朝鮮はロシアへの砲弾供与を否定した。", {("PRK", "RUS", "artillery_ammunition", N)}),
    ("ロシア外務省は、北朝鮮から兵士を受け入れたとの報道は事実無根だと述べた。", {("PRK", "RUS", "troops", N)}),
    ("ロシア側は、北朝鮮がロシアに武器を提供しているとの見方は誤りだと反論した。", {("PRK", "RUS", "weapons", N)}),
    ("北朝鮮は、ロシアに武器を提供していないと主張した。", {("PRK", "RUS", "weapons", N)}),
    ("中国は、ロシアに殺傷兵器を供与したことはないと強調した。", {("CHN", "RUS", "weapons", N)}),
    ("イラン政府はロシアへの無人機供与を否定した。", {("IRN", "RUS", "drones", N)}),
    ("金与正氏は談話で、ロシアに武器を輸出したことはないと述べた。", {("PRK", "RUS", "weapons", N)}),
    ("ロシア政府は北朝鮮への衛星技術の移転を否定した。", {("RUS", "PRK", "satellite_technology", N)}),
    ("ペスコフ大統領報道官は、北朝鮮兵がロシアで戦っているとの報道を「フェイクだ」と一蹴した。",
     {("PRK", "RUS", "troops", N)}),
    ("北朝鮮の国防省は、ロシアに弾薬を売ったという米国の主張を根拠がないと退けた。",
     {("PRK", "RUS", "artillery_ammunition", N)}),
    ("北朝鮮外務省は、ロシアへの武器輸出説を「でっち上げ」だと非難した。", {("PRK", "RUS", "weapons", N)}),
    ("ロシアは北朝鮮に核技術を渡していないと否定した。", {("RUS", "PRK", "nuclear_technology", N)}),
    ("中国外務省は、ロシアに無人機を輸出しているとの報道を全面的に否定した。", {("CHN", "RUS", "drones", N)}),
    ("中国はロシアからの武器供与の要請を拒否した。", {("CHN", "RUS", "weapons", N)}),
    ("北朝鮮はロシアへの追加派兵の要請を断った。", {("PRK", "RUS", "troops", N)}),
    ("韓国政府はウクライナに殺傷兵器を直接供与しない方針を維持している。", {("KOR", "UKR", "weapons", N)}),
    ("韓国はウクライナに武器を供与していない。", {("KOR", "UKR", "weapons", N)}),
    ("ロシア国防省は、北朝鮮製の砲弾を使っているとの情報は虚偽だと発表した。",
     {("PRK", "RUS", "artillery_ammunition", N)}),
    ("北朝鮮がロシアに兵士を派遣したという報道について、ロシア大統領府は「根拠のない話だ」と否定した。",
     {("PRK", "RUS", "troops", N)}),
    ("イランはロシアに弾道ミサイルを一発も送っていないと述べた。", {("IRN", "RUS", "missiles", N)}),
    ("北朝鮮は、ロシアから食糧援助を受けたとの報道を否定した。", {("RUS", "PRK", "food", N)}),
    ("ロシアは北朝鮮への原子力潜水艦技術の提供をきっぱりと否定した。", {("RUS", "PRK", "submarine_technology", N)}),
    ("ベラルーシはロシアに弾薬を供給したことはないと主張している。", {("BLR", "RUS", "artillery_ammunition", N)}),
    ("ロシアは北朝鮮からの砲弾購入を否定したが、米国は購入を確認したと発表した。",
     {("PRK", "RUS", "artillery_ammunition", N), ("PRK", "RUS", "artillery_ammunition", C)}),
    ("中国政府は、北朝鮮に石油を供給しているとの指摘は事実と異なると反論した。", {("CHN", "PRK", "energy", N)}),
    ("北朝鮮は「ロシアに労働者を派遣した事実はない」と主張した。", {("PRK", "RUS", "workers", N)}),
    ("ロシアは北朝鮮への武器供与を一貫して否定している。", {("RUS", "PRK", "weapons", N)}),
    ("朝鮮中央通信は、ロシアへの武器輸出疑惑を「荒唐無稽だ」と否定した。", {("PRK", "RUS", "weapons", N)}),
    ("北朝鮮はロシアに兵士を送らなかった。", {("PRK", "RUS", "troops", N)}),
    ("ロシアは北朝鮮に戦闘機を一機も引き渡していない。", {("RUS", "PRK", "weapons", N)}),
]

# Hedge frames: possible, expected, planned, requested, conditional (uncertain), and unlikely
# (negated): ロシアは北朝鮮に衛星技術を提供する可能性がある。 → uncertain; 可能性は低い → negated
HEDGES: list[Case] = [
    ("北朝鮮の砲弾供給がなければ、ロシアは砲弾不足に陥っていた。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮が砲弾を送らなければ、ロシアは苦戦する。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("北朝鮮がロシアに砲弾を供与したとも言われる。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("北朝鮮がロシアに砲弾を供与したとも伝えられた。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアは北朝鮮に核技術を渡すべきではないと米国は警告した。", {("RUS", "PRK", "nuclear_technology", U)}),
    ("ロシアは、北朝鮮に供与する予定だった小麦の輸送を延期した。", {("RUS", "PRK", "food", U)}),
    ("ロシアは北朝鮮に年間数億ドル規模の外貨をもたらしているとの試算もある。", {("RUS", "PRK", "cash", U)}),
    ("北朝鮮はロシアに約2万人の兵士を送ったとする推計もある。", {("PRK", "RUS", "troops", U)}),
    ("北朝鮮がロシアに兵士を送ったとする情報もある。", {("PRK", "RUS", "troops", U)}),
    ("ロシアは北朝鮮に衛星技術を提供する可能性がある。", {("RUS", "PRK", "satellite_technology", U)}),
    ("北朝鮮はロシアに追加の兵力を派遣したとみられる。", {("PRK", "RUS", "troops", U)}),
    ("北朝鮮はロシアに数百万発の砲弾を送ったとされる。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("北朝鮮、ロシアに自爆ドローン供与か", {("PRK", "RUS", "drones", U)}),
    ("ロシアは北朝鮮に石油の供給を続ける見通しだ。", {("RUS", "PRK", "energy", U)}),
    ("北朝鮮はロシアへの追加派兵を検討している。", {("PRK", "RUS", "troops", U)}),
    ("ロシアは北朝鮮に戦闘機を供与する計画だ。", {("RUS", "PRK", "weapons", U)}),
    ("ロシアは北朝鮮に砲弾の追加供与を求めた。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("北朝鮮はロシアに見返りとして原子力潜水艦の技術を要求した。", {("RUS", "PRK", "submarine_technology", U)}),
    ("北朝鮮がロシアに兵士を派遣した場合、韓国はウクライナへの武器供与を検討する。",
     {("PRK", "RUS", "troops", U), ("KOR", "UKR", "weapons", U)}),
    ("ロシアが北朝鮮に核技術を提供するとは思えない。", {("RUS", "PRK", "nuclear_technology", N)}),
    ("中国がロシアに武器を供与する可能性は低い。", {("CHN", "RUS", "weapons", N)}),
    ("ロシアが北朝鮮にミサイル技術を移転した可能性は否定できない。", {("RUS", "PRK", "missile_technology", U)}),
    ("ロシアは北朝鮮に防空システムを供与する予定だ。", {("RUS", "PRK", "weapons", U)}),
    ("北朝鮮はロシアに労働者を派遣する見込みだ。", {("PRK", "RUS", "workers", U)}),
    ("ロシアの先端技術が北朝鮮に流出する恐れがある。", {("RUS", "PRK", "military_technology", U)}),
    ("ロシアが北朝鮮に偵察衛星の技術を渡したとの懸念が強まっている。", {("RUS", "PRK", "satellite_technology", U)}),
    ("北朝鮮はロシアに弾薬を送っているかもしれない。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("ロシアは北朝鮮に見返りとして食糧を提供するだろう。", {("RUS", "PRK", "food", U)}),
    ("北朝鮮はロシアに砲弾を送っているようだ。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("北朝鮮の兵士はすでにロシアに入っているらしい。", {("PRK", "RUS", "troops", U)}),
    ("北朝鮮がロシアに送った砲弾は数百万発と推定される。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮がロシアに弾道ミサイルを供与したと推測されている。", {("PRK", "RUS", "missiles", U)}),
    ("北朝鮮がロシアに兵士を送るとの観測が広がっている。", {("PRK", "RUS", "troops", U)}),
    ("北朝鮮がロシアに武器を輸出した疑いがある。", {("PRK", "RUS", "weapons", U)}),
    ("ロシアは北朝鮮から労働者を受け入れる方針だ。", {("PRK", "RUS", "workers", U)}),
    ("北朝鮮はロシアに兵士を派遣する方向で調整している。", {("PRK", "RUS", "troops", U)}),
    ("ロシアは北朝鮮に小麦を供給する意向を示した。", {("RUS", "PRK", "food", U)}),
    ("ロシアが北朝鮮に衛星技術を提供すると予想される。", {("RUS", "PRK", "satellite_technology", U)}),
    ("ロシアが北朝鮮に原潜技術を渡せば、地域の安全保障環境は一変する。", {("RUS", "PRK", "submarine_technology", U)}),
    ("北朝鮮がロシアに兵士を送るなら、韓国はウクライナに武器を供与する可能性がある。",
     {("PRK", "RUS", "troops", U), ("KOR", "UKR", "weapons", U)}),
    ("北朝鮮はロシアから戦闘機を導入することを目指している。", {("RUS", "PRK", "weapons", U)}),
    ("北朝鮮はロシアからの食糧支援を期待している。", {("RUS", "PRK", "food", U)}),
    ("ロシアは北朝鮮に砲弾の供給を打診した。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("ロシアと北朝鮮は、ロシアが北朝鮮に石油を供給することで合意した。", {("RUS", "PRK", "energy", U)}),
    ("ロシアは北朝鮮に食料を支援すると約束した。", {("RUS", "PRK", "food", U)}),
    ("北朝鮮はロシアに工兵を派遣すると申し出た。", {("PRK", "RUS", "troops", U)}),
    ("北朝鮮、ロシアへ労働者派遣へ", {("PRK", "RUS", "workers", U)}),
    ("北朝鮮がロシアに兵器を送るのは時間の問題だ。", {("PRK", "RUS", "weapons", U)}),
    ("北朝鮮がロシアにミサイルを送る可能性は否定できない。", {("PRK", "RUS", "missiles", U)}),
    ("北朝鮮がロシアにこれ以上兵士を送る可能性は低い。", {("PRK", "RUS", "troops", N)}),
    ("ロシアが北朝鮮に原子力潜水艦を引き渡すとは考えにくい。", {("RUS", "PRK", "submarine_technology", N)}),
    ("北朝鮮はロシアへの派兵報道を否定も肯定もしなかった。", {("PRK", "RUS", "troops", U)}),
    ("ロシアは北朝鮮からの砲弾を必要としている。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("北朝鮮は、ロシアが食糧を送ってくれることを望んでいる。", {("RUS", "PRK", "food", U)}),
    ("米国は、中国がロシアに武器を供与すれば代償を払うことになると警告した。", {("CHN", "RUS", "weapons", U)}),
    ("ロシアが北朝鮮に戦闘機を供与した可能性が高い。", {("RUS", "PRK", "weapons", U)}),
    ("北朝鮮がロシアに砲弾を供給している疑いが強まっている。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("北朝鮮はロシアへの派兵を決めたもようだ。", {("PRK", "RUS", "troops", U)}),
    ("専門家は、ロシアが北朝鮮に技術を提供している可能性が高いと分析した。",
     {("RUS", "PRK", "military_technology", U)}),
]

# Reported facts: a named source's statement stays certain unless the reported clause hedges:
# 韓国国家情報院は、北朝鮮がロシアに砲弾を送ったと明らかにした。 → certain
REPORTED_FACTS: list[Case] = [
    ("北朝鮮がロシアに砲弾を供与したことが判明した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮がロシアに砲弾を供与したと国連は結論づけた。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("韓国国家情報院は、北朝鮮がロシアに砲弾を送ったと明らかにした。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ゼレンスキー大統領は、北朝鮮がロシアに兵士を派遣したと述べた。", {("PRK", "RUS", "troops", C)}),
    ("韓国軍合同参謀本部によると、北朝鮮はロシアに自走砲を引き渡した。", {("PRK", "RUS", "weapons", C)}),
    ("朝鮮中央通信は、ロシアが北朝鮮に小麦粉を送ったと伝えた。", {("RUS", "PRK", "food", C)}),
    ("ロイター通信は、北朝鮮がロシアに弾道ミサイルを供与したと報じた。", {("PRK", "RUS", "missiles", C)}),
    ("米国防総省は、北朝鮮兵がクルスク州に展開していると指摘した。", {("PRK", "RUS", "troops", C)}),
    ("英国のシンクタンクは、ロシア軍が使う砲弾の半分が北朝鮮製だと分析した。",
     {("PRK", "RUS", "artillery_ammunition", C)}),
    ("米国務省は、ロシアに武器を供与している北朝鮮を非難した。", {("PRK", "RUS", "weapons", C)}),
    ("国連の専門家パネルは、北朝鮮がロシアに石炭を輸出したと報告した。", {("PRK", "RUS", "energy", C)}),
    ("ウクライナ国防省情報総局は、ロシア軍がクルスク州で北朝鮮製の多連装ロケット砲を使っていると発表した。",
     {("PRK", "RUS", "weapons", C)}),
    ("韓国の聯合ニュースによると、ロシアは北朝鮮に防空システムを供与した。", {("RUS", "PRK", "weapons", C)}),
    ("北朝鮮の国営メディアは、ロシアに派遣された朝鮮人民軍の部隊が戦功を上げたと伝えた。", {("PRK", "RUS", "troops", C)}),
    ("NHKは、ロシアから北朝鮮に石油精製品が運ばれたと伝えた。", {("RUS", "PRK", "energy", C)}),
    ("日本政府関係者によると、北朝鮮はロシアに短距離弾道ミサイルを輸出した。", {("PRK", "RUS", "missiles", C)}),
    ("カービー戦略広報調整官は、北朝鮮がロシアに砲弾を1000個以上のコンテナで送ったと述べた。",
     {("PRK", "RUS", "artillery_ammunition", C)}),
    ("衛星画像を分析した米シンクタンクは、北朝鮮の羅津港からロシアへ弾薬が運び出されたと指摘した。",
     {("PRK", "RUS", "artillery_ammunition", C)}),
    ("韓国国防省は、北朝鮮兵約1万1000人がロシアに派遣されたと確認した。", {("PRK", "RUS", "troops", C)}),
    ("共同通信は、ロシアが北朝鮮に外貨を支払ったと報じた。", {("RUS", "PRK", "cash", C)}),
    ("消息筋は、ロシアが北朝鮮にパンツィリを引き渡したと語った。", {("RUS", "PRK", "weapons", C)}),
    ("NATOのルッテ事務総長は、ロシアが北朝鮮に技術を提供したと述べた。", {("RUS", "PRK", "military_technology", C)}),
    ("国情院は、北朝鮮がロシアに追加派兵する可能性があると明らかにした。", {("PRK", "RUS", "troops", U)}),
    ("米国務省報道官は、イランがロシアに弾道ミサイルを輸送したと発表した。", {("IRN", "RUS", "missiles", C)}),
    ("韓国政府当局者は、ロシアが北朝鮮に軍事偵察衛星の技術を供与したと証言した。",
     {("RUS", "PRK", "satellite_technology", C)}),
    ("ウクライナ軍の司令官は、ロシア軍が北朝鮮の砲弾を使っていると語った。",
     {("PRK", "RUS", "artillery_ammunition", C)}),
    ("専門家は、北朝鮮がロシアに兵士を送った理由は関係強化にあると指摘した。", {("PRK", "RUS", "troops", C)}),
    ("韓国メディアは、北朝鮮の労働者がロシアの建設現場で働いていると報じた。", {("PRK", "RUS", "workers", C)}),
    ("英国防省は、ロシアが北朝鮮からミサイルを調達したと分析した。", {("PRK", "RUS", "missiles", C)}),
    ("ロシアのタス通信は、北朝鮮から来た建設労働者がクルスク州の復旧作業に加わると伝えた。",
     {("PRK", "RUS", "workers", C)}),
    ("米政府は、北朝鮮がロシアに弾薬を送ったことを確認したと発表した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("報告書は、ロシアが北朝鮮に100万バレルを超える石油を供給したと結論づけた。", {("RUS", "PRK", "energy", C)}),
    ("韓国の情報当局は、北朝鮮がロシアにKN23を追加で送ったとみていると明らかにした。",
     {("PRK", "RUS", "missiles", U)}),
]

# The rules added for real news, one sentence each (their names in kizashi/extract/flows.py):
# deals (_deal), means of carrying, chained te-verbs, contents of a named shipment, shares after an
# item (_share_after), clefts on もの, hearsay nouns, open options, decisions over a clause, headline
# credits, the standalone 露, what an exchange clause gets back (_bought), passives without a doer.
RULES: list[Case] = [
    ("中国の企業がロシアの企業と部品の輸出契約を結んだ。", {("CHN", "RUS", "materials", U)}),
    ("北朝鮮は貨物船と軍用機でロシアに兵士を送った。", {("PRK", "RUS", "troops", C)}),
    ("小麦粉は検査を経て、ロシアから北朝鮮へ鉄道で積み出された。", {("RUS", "PRK", "food", C)}),
    ("北朝鮮はロシアにコンテナ1万個分の武器を送った。その中には短距離弾道ミサイル50発が含まれる。",
     {("PRK", "RUS", "weapons", C), ("PRK", "RUS", "missiles", C)}),
    ("ロシア軍が使う砲弾の半分が北朝鮮から調達されている。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアが使う砲弾の3割は北朝鮮が供与したものだ。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアが北朝鮮に潜水艦用の原子炉を提供したとの情報がある。", {("RUS", "PRK", "nuclear_technology", U)}),
    ("プーチン氏は北朝鮮への衛星技術の提供も含め、あらゆる選択肢があると述べた。",
     {("RUS", "PRK", "satellite_technology", U)}),
    ("北朝鮮はロシアに工兵を派遣することを決めた。", {("PRK", "RUS", "troops", U)}),
    ("北朝鮮は条約に基づきロシアへの派兵を決めた。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮、ロシアにミサイル輸出か　韓国国防省", {("PRK", "RUS", "missiles", U)}),
    ("露、北朝鮮に小麦を追加供給", {("RUS", "PRK", "food", C)}),
    ("ロシア、北朝鮮に原油を供給　砲弾支援の見返りに", {("RUS", "PRK", "energy", C)}),
    ("北朝鮮は、ロシアへの派兵の代価として防空システムを強化している。",
     {("PRK", "RUS", "troops", C), ("RUS", "PRK", "weapons", C)}),
    ("ロシアは北朝鮮に砲弾を求めた。その後、大量の砲弾が送られた。",
     {("PRK", "RUS", "artillery_ammunition", U), ("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮の兵士約1万人がロシア西部に派遣された。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮はロシアに砲弾を送った。軍事技術の支援を求めるとされる北朝鮮は、ロシアとの連携を強めている。",
     {("PRK", "RUS", "artillery_ammunition", C), ("RUS", "PRK", "military_technology", U)}),
    ("北朝鮮は、ロシアに中国の部品を供給するための仲介役になる可能性がある。", {("PRK", "RUS", "materials", U)}),
    ("ロシアは北朝鮮に砲弾を送るよう求めた。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("ロシアは北朝鮮に短距離防空システムとその運用ノウハウを提供した。",
     {("RUS", "PRK", "weapons", C), ("RUS", "PRK", "military_technology", C)}),
]

# Presence (extract/presence.py): one state's people at work or at war in another were sent there,
# unless the two states are at war with each other, and a battle's place counts only in a text
# about the two states.
# 北朝鮮の労働者数千人がロシアの建設現場で働いている。 → PRK→RUS workers
PRESENCE: list[Case] = [
    ("北朝鮮軍はクルスク州に展開し、ウクライナ軍との戦闘に参加している。", {("PRK", "RUS", "troops", C)}),
    ("ロシア極東の建設現場では多くの北朝鮮労働者が働いている。", {("PRK", "RUS", "workers", C)}),
    ("北朝鮮の兵士たちはロシアで訓練を受けた後、前線に送られた。", {("PRK", "RUS", "troops", C)}),
    ("米国務省は、北朝鮮の兵士がロシアで訓練を受けていると明らかにした。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮の労働者数千人がロシアの建設現場で働いている。", {("PRK", "RUS", "workers", C)}),
    ("ロシアで働く北朝鮮労働者は約1万5000人に上る。", {("PRK", "RUS", "workers", C)}),
    ("北朝鮮の兵士約1万人がロシア極東に駐留しているとみられる。", {("PRK", "RUS", "troops", U)}),
    ("ロシア極東に駐留する北朝鮮の工兵部隊が地雷除去にあたっている。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮軍の兵士がロシア軍の軍服を着てクルスクで戦闘に参加している。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮の労働者はロシアで働いていないと外務省は主張した。", {("PRK", "RUS", "workers", N)}),
    ("ロシア軍がウクライナ東部に駐留している。", set()),
    ("ロシアの兵士がウクライナ東部で戦っている。", set()),
    ("ウクライナ軍の兵士がクルスク州で戦っている。", set()),
    ("北朝鮮兵がウクライナ東部で戦闘に参加しているとの情報がある。", set()),
    ("ロシアの労働者がロシアで働いている。", set()),
]

# Anaphors as a flow verb's object stand for the last item named before them (その多くを, それを).
# 北朝鮮は砲弾の生産を拡大し、その多くをロシアに送っている。 → PRK→RUS artillery_ammunition
ANAPHORS: list[Case] = [
    ("北朝鮮は砲弾の生産を拡大し、その多くをロシアに送っている。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮は大量の砲弾を製造し、それをロシアに輸出した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアは新型の防空システムを開発しており、その一部を北朝鮮に供与する計画だ。", {("RUS", "PRK", "weapons", U)}),
    ("北朝鮮はこれをロシアに送った。", set()),
]

# Help with another state's programme (協力): the helper supplies its technology.
# ロシアは北朝鮮の衛星打ち上げに協力しているとみられる。 → RUS→PRK satellite_technology, uncertain
COOPERATION: list[Case] = [
    ("ロシアの対北朝鮮支援には、防空システムの提供も含まれる。", {("RUS", "PRK", "weapons", C)}),
    ("ロシアの北朝鮮への支援には、防空システムも含まれる。", {("RUS", "PRK", "weapons", C)}),
    ("ロシアは北朝鮮の衛星打ち上げに協力しているとみられる。", {("RUS", "PRK", "satellite_technology", U)}),
    ("北朝鮮はロシアのミサイル開発に協力した。", {("PRK", "RUS", "missile_technology", C)}),
    ("ロシアと北朝鮮は軍事分野で協力している。", set()),
]

# Assessments nobody is named for, and reports left uncommented: open, not asserted or denied.
# ロシアは北朝鮮に原油を供給しているとの分析がある。 → uncertain
OPEN_REPORTS: list[Case] = [
    ("ロシアは北朝鮮に原油を供給しているとの分析がある。", {("RUS", "PRK", "energy", U)}),
    ("北朝鮮がロシアに砲弾を送っているとの指摘もある。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("韓国軍は、北朝鮮がロシアに砲弾を送ったとの分析を示した。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮の労働者がロシアに送られているとの報道について、ロシア政府はコメントしていない。",
     {("PRK", "RUS", "workers", U)}),
    ("ロシア政府は北朝鮮への武器供与についてコメントを控えた。", {("RUS", "PRK", "weapons", U)}),
]

# A relative clause said to be so (〜したとされる, 〜とみられる) names a flow that is not asserted.
# ロシアが北朝鮮に提供したとされる防空システムが確認された。 → RUS→PRK weapons, uncertain
HEDGED_RELATIVES: list[Case] = [
    ("ロシアが北朝鮮に提供したとされる防空システムが確認された。", {("RUS", "PRK", "weapons", U)}),
    ("北朝鮮がロシアに送ったとみられる砲弾がウクライナで見つかった。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("北朝鮮がロシアに派遣したといわれる兵士は1万人に上る。", {("PRK", "RUS", "troops", U)}),
    ("ロシアが北朝鮮に提供した防空システムは平壌周辺に配置された。", {("RUS", "PRK", "weapons", C)}),
]

# Making-know-how of an item is its technology (無人機の製造技術); a load carried into a
# port arrives there (ロシア産原油を積んだタンカーが北朝鮮の南浦港に入港した).
KNOW_HOW_AND_PORTS: list[Case] = [
    ("イランがロシアに無人機の製造技術を移転した。", {("IRN", "RUS", "military_technology", C)}),
    ("ロシア産原油を積んだタンカーが北朝鮮の南浦港に入港した。", {("RUS", "PRK", "energy", C)}),
]

# Help with what the helped one builds (_helped_programme): the helper's technology.
HELPED_PROGRAMMES: list[Case] = [
    ("ロシアが北朝鮮の原子力潜水艦開発に必要な原子炉の技術を提供した可能性がある。", {("RUS", "PRK", "nuclear_technology", U)}),
    ("ロシアが北朝鮮の原子力潜水艦建造を支援している。", {("RUS", "PRK", "submarine_technology", C)}),
    ("専門家は、ロシアが北朝鮮の原子力潜水艦建造を支援する恐れがあると指摘した。", {("RUS", "PRK", "submarine_technology", U)}),
    ("北朝鮮は、ロシアの支援を得て原子力潜水艦を建造しているとみられる。", {("RUS", "PRK", "submarine_technology", U)}),
    ("北朝鮮はロシアの技術協力で偵察衛星を打ち上げた。", {("RUS", "PRK", "satellite_technology", C)}),
    ("北朝鮮はロシアの協力を受けて新型ミサイルを開発している可能性がある。", {("RUS", "PRK", "missile_technology", U)}),
    ("イランの技術支援を受けてロシアは無人機を量産している。", {("IRN", "RUS", "military_technology", C)}),
    ("北朝鮮は独自に原子力潜水艦を建造していると主張している。", set()),
]

# A wire's credit after an equals sign; a state abbreviated after 対; English names in translations;
# whether it happened, not known.
CREDITS_AND_SHORT_NAMES: list[Case] = [
    ("ロシア、北朝鮮に防空システム提供＝韓国情報機関", {("RUS", "PRK", "weapons", C)}),
    ("北朝鮮、ロシアに砲弾追加供与か＝米当局者", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("北朝鮮による対ロ武器支援が続いている。", {("PRK", "RUS", "weapons", C)}),
    ("北朝鮮の対露砲弾輸出は国連安保理決議に違反する。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("イランの対ロ無人機供与について、米国が懸念を示した。", {("IRN", "RUS", "drones", C)}),
    ("DPRKはロシア連邦に対して砲弾の供給を続けている。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシアが北朝鮮に偵察衛星の技術を提供したかどうかは明らかでない。", {("RUS", "PRK", "satellite_technology", U)}),
    ("ロシアが北朝鮮に砲弾を送ったかは分かっていない。", {("RUS", "PRK", "artillery_ammunition", U)}),
    ("北朝鮮はロシアに兵士を派遣した。北朝鮮兵はクルスク州でウクライナ軍と交戦している。",
     {("PRK", "RUS", "troops", C)}),
]

# Knowledge passed on, a skill with an item, and an item as the topic of its user's verb.
KNOWLEDGE_AND_USE: list[Case] = [
    ("北朝鮮の新型ミサイルには、ロシアの技術が応用されているとの見方がある。", {("RUS", "PRK", "military_technology", U)}),
    ("北朝鮮が弾道ミサイルを発射した際、ロシアの技術が使われた可能性がある。", {("RUS", "PRK", "military_technology", U)}),
    ("ロシアのミサイルがウクライナの都市で使われた。", set()),
    ("ロシアは北朝鮮に対して、ウクライナとの戦闘で得た実戦のノウハウを伝えているとみられる。", {("RUS", "PRK", "military_technology", U)}),
    ("タス通信は、北朝鮮の兵士についての情報を伝えた。", set()),
    ("ロシアは北朝鮮に対し、戦闘機の操縦技術を伝授した。", {("RUS", "PRK", "military_technology", C)}),
    ("ロシアは北朝鮮軍に電子戦の知識を共有した。", {("RUS", "PRK", "military_technology", C)}),
    ("ロシアは北朝鮮にミサイルの誘導技術を提供した。", {("RUS", "PRK", "missile_technology", C)}),
    ("北朝鮮はロシアに電子戦の知見を共有するよう求めた。", {("RUS", "PRK", "military_technology", U)}),
    ("北朝鮮の弾道ミサイルは、ロシア軍がウクライナの都市への攻撃に使っている。", {("PRK", "RUS", "missiles", C)}),
    ("北朝鮮製の砲弾は、ロシア軍が東部戦線で使用しているとみられる。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("ロシアの建設会社は北朝鮮の労働者を雇っている。", {("PRK", "RUS", "workers", C)}),
    ("ロシアは北朝鮮兵をウクライナ東部に投入する計画だ。", {("PRK", "RUS", "troops", U)}),
    ("中国の企業が北朝鮮の労働者を雇用している。", {("PRK", "CHN", "workers", C)}),
    ("韓国の企業は外国人労働者を雇用している。", set()),
    # a flow noun as topic, an item as what it is (〜輸出の大半は武器だ)
    ("北朝鮮のロシア向け輸出の大半は武器だ。", {("PRK", "RUS", "weapons", C)}),
    ("北朝鮮、ロシアに兵士追加派遣したもよう", {("PRK", "RUS", "troops", U)}),
    # an army named as such, where it stands or fights (presence.py)
    ("ロシア軍がクルスク州に展開している。", set()),
    ("ウクライナ軍がクルスク州で戦っている。", set()),
    ("北朝鮮軍の部隊がロシア極東に到着した。", {("PRK", "RUS", "troops", C)}),
    ("ロシアは北朝鮮の労働者を建設現場で働かせている。", {("PRK", "RUS", "workers", C)}),
    ("ロシアは北朝鮮の兵士を前線で戦わせている。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮の労働者はロシアの建設現場や水産加工場で働いている。", {("PRK", "RUS", "workers", C)}),
    ("ロシアは北朝鮮に小麦を、北朝鮮はロシアに砲弾をそれぞれ送った。",
     {("RUS", "PRK", "food", C), ("PRK", "RUS", "artillery_ammunition", C)}),
    # people given to are the recipient, not the item
    ("ロシアは北朝鮮兵に食料を送った。", {("RUS", "PRK", "food", C)}),
    ("ロシアは北朝鮮兵に月2000ドルの給料を支払っている。", {("RUS", "PRK", "cash", C)}),
    ("ロシアの企業は北朝鮮の労働者に賃金を払っている。", {("RUS", "PRK", "cash", C)}),
    # training another state's people (training.py)
    ("北朝鮮はロシアに兵士を送った。ロシアは北朝鮮の人員を再教育している。",
     {("PRK", "RUS", "troops", C), ("RUS", "PRK", "military_technology", C)}),
    ("ロシア軍の教官が北朝鮮の兵士を訓練している。", {("RUS", "PRK", "military_technology", C)}),
    ("ロシア軍は北朝鮮兵を極東で訓練した。", {("RUS", "PRK", "military_technology", C)}),
    ("韓国軍は兵士を訓練している。", set()),
    ("北朝鮮は自国の兵士を訓練した。", set()),
    # a rule about anyone is no one's act
    ("北朝鮮に武器を提供するのは、安保理決議違反に該当する。", set()),
    ("北朝鮮はロシアに兵士を送った。ロシアに兵士を送るのは国際法違反だ。", {("PRK", "RUS", "troops", C)}),
    ("ロシアが北朝鮮に戦闘機を提供するのは時間の問題だ。", {("RUS", "PRK", "weapons", U)}),
    ("北朝鮮がロシアに兵士を送る見返りに、ロシアは技術を提供する可能性がある。",
     {("PRK", "RUS", "troops", C), ("RUS", "PRK", "military_technology", U)}),
    ("北朝鮮軍がロシア軍と合同演習に参加した。", set()),
    ("北朝鮮は、ロシアが望むなら兵士を送る用意があるとした。", {("PRK", "RUS", "troops", U)}),
    ("北朝鮮はロシアに砲弾を送っただけでなく、兵士も派遣した。",
     {("PRK", "RUS", "artillery_ammunition", C), ("PRK", "RUS", "troops", C)}),
    ("北朝鮮はロシアへの派兵を通じて実戦経験を得ている。", {("PRK", "RUS", "troops", C)}),  # experience: no transfer
    ("ロシアへの北朝鮮の輸出品の多くは砲弾だった。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("中国は、ロシアに武器を提供しておらず、今後も提供しないと述べた。", {("CHN", "RUS", "weapons", N)}),
    ("北朝鮮がロシアに追加の兵力を送る兆候がある。", {("PRK", "RUS", "troops", U)}),
    ("米国と韓国は情報を共有した。", set()),
    ("北朝鮮とロシアは合同訓練を実施した。", set()),
]

# Announced for later (a plain non-past quoted by a speech verb), ready to, joining, bringing,
# holding what another state made, and 同国 for the state named last.
ANNOUNCEMENTS_AND_REFERENCES: list[Case] = [
    ("米国防総省は、ウクライナに対して追加軍事支援を行うと発表した。", {("USA", "UKR", "weapons", U)}),
    ("米国防総省は、ウクライナに対して追加軍事支援を行ったと発表した。", {("USA", "UKR", "weapons", C)}),
    ("米国は北朝鮮に対し、ロシアに前線で使うための砲弾を送れば制裁を科すと警告した。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("プーチン氏は金正恩氏に防空システムを贈ると伝えた。", {("RUS", "PRK", "weapons", U)}),
    ("韓国国防省は、北朝鮮がロシアに兵を追加派遣すると明らかにした。", {("PRK", "RUS", "troops", U)}),
    ("北朝鮮はロシアに砲弾を送ったと伝えた。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮はロシアに兵士を送っていると伝えた。", {("PRK", "RUS", "troops", C)}),
    ("当局者は、砲弾100万発が積み荷に含まれると指摘した。北朝鮮はロシアに砲弾を送った。",
     {("PRK", "RUS", "artillery_ammunition", C)}),
    ("モスクワは平壌に対して先端技術を提供する用意があると表明した。", {("RUS", "PRK", "military_technology", U)}),
    ("朝鮮人民軍の部隊がロシア軍に合流した。", {("PRK", "RUS", "troops", C)}),
    ("北朝鮮はロシアに労働力を提供し、ロシアは北朝鮮に外貨をもたらしている。",
     {("PRK", "RUS", "workers", C), ("RUS", "PRK", "cash", C)}),
    ("ロシア軍は北朝鮮製のロケット弾を大量に保有している。", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("北朝鮮国防省によると、同国はロシアに特殊部隊を派遣した。", {("PRK", "RUS", "troops", C)}),
    ("ロシアが北朝鮮に核技術を移転したとは言い切れない。", {("RUS", "PRK", "nuclear_technology", U)}),
    ("北朝鮮がロシアに砲弾を送ったとの一部報道がある。", {("PRK", "RUS", "artillery_ammunition", U)}),
    ("この協定により、ロシアは北朝鮮に対して軍事援助を行う義務を負う。", {("RUS", "PRK", "weapons", U)}),
    ("ロシアは北朝鮮に原油を送った。米国は日本に防空システムを売却した。防空システムを日本に売却すれば、緊張が高まる。",
     {("RUS", "PRK", "energy", C), ("USA", "JPN", "weapons", C), ("USA", "JPN", "weapons", U)}),
    ("米政府は北朝鮮に対し、ロシアに砲弾を送った場合は代償を払うと警告した。",
     {("PRK", "RUS", "artillery_ammunition", U)}),
    ("韓国メディアは、ロシアが北朝鮮に対して今年上半期に原子炉を提供したと報じた。",
     {("RUS", "PRK", "nuclear_technology", C)}),
    ("ロシア外務省は、北朝鮮から砲弾を買ったとの報道を否定した。", {("PRK", "RUS", "artillery_ammunition", N)}),
    ("イラン外務省は声明を出した。同国はロシアに無人機を供与していないという。", {("IRN", "RUS", "drones", N)}),
]

# A flow that names neither party: in return for the text's last flow (見返りに), else, in a text
# about the two states of the exchange, the way the item usually goes between them.
NO_PARTY_NAMED: list[Case] = [
    ("露朝、軍事協力を一段と強化…「偵察衛星の技術も移転」", {("RUS", "PRK", "satellite_technology", C)}),
    ("露朝の取引が拡大している。ミサイル技術も移転されたという。",
     {("RUS", "PRK", "missile_technology", C)}),
    ("北朝鮮はロシアに兵士を送った。見返りに衛星技術が移転されたとみられる。",
     {("PRK", "RUS", "troops", C), ("RUS", "PRK", "satellite_technology", U)}),
    ("北朝鮮はロシアに兵士を送った。衛星技術も移転されたとみられる。",
     {("PRK", "RUS", "troops", C), ("RUS", "PRK", "satellite_technology", U)}),
    ("ロシアと北朝鮮の協力が深まる。砲弾の輸送は鉄道で行われている。",
     {("PRK", "RUS", "artillery_ammunition", C)}),
    ("米国とウクライナは協議した。防空システムの技術も提供されたという。", set()),
    # headlines that leave the verb out: the goal receives, the item's state or the topic sends
    ("北朝鮮兵、クルスク州に到着", {("PRK", "RUS", "troops", C)}),
    ("「北朝鮮がロシアに砲弾600万発」 韓国国防省", {("PRK", "RUS", "artillery_ammunition", C)}),
    ("ロシア産原油、北朝鮮へ", {("RUS", "PRK", "energy", C)}),
    ("イラン製無人機、ロシアへ 数百機規模", {("IRN", "RUS", "drones", C)}),
    ("ロシアと北朝鮮の首脳が会談した。日産自動車が1兆円の資金調達を発表した。", set()),
]

TABLES: dict[str, list[Case]] = {
    "rules": RULES,
    "transfer_verbs": TRANSFER_VERBS,
    "headlines": HEADLINES,
    "clefts_and_shares": CLEFTS_AND_SHARES,
    "relative_clauses": RELATIVE_CLAUSES,
    "passives": PASSIVES,
    "use_of_foreign_items": USE_OF_FOREIGN_ITEMS,
    "deployment_to_a_place": DEPLOYMENT_TO_A_PLACE,
    "mutual_and_exchange": MUTUAL_AND_EXCHANGE,
    "shipments_and_quantities": SHIPMENTS_AND_QUANTITIES,
    "north_korea_names": NORTH_KOREA_NAMES,
    "item_words": ITEM_WORDS,
    "discourse": DISCOURSE,
    "no_flow": NO_FLOW,
    "denials": DENIALS,
    "hedges": HEDGES,
    "reported_facts": REPORTED_FACTS,
    "presence": PRESENCE,
    "anaphors": ANAPHORS,
    "cooperation": COOPERATION,
    "open_reports": OPEN_REPORTS,
    "hedged_relatives": HEDGED_RELATIVES,
    "know_how_and_ports": KNOW_HOW_AND_PORTS,
    "helped_programmes": HELPED_PROGRAMMES,
    "credits_and_short_names": CREDITS_AND_SHORT_NAMES,
    "knowledge_and_use": KNOWLEDGE_AND_USE,
    "announcements_and_references": ANNOUNCEMENTS_AND_REFERENCES,
    "no_party_named": NO_PARTY_NAMED,
}

# What the rules do not read yet, each with the reason; strict, so a fix shows up as XPASS.
KNOWN_MISSES: dict[str, str] = {
    "ロシア製の部品が北朝鮮のミサイルから見つかった。":
        "parts found inside another state's weapon: 見つかる is no use verb, so the parts have no user",
    "貨物船は北朝鮮の羅津港で砲弾を積み、ロシア極東の港に運んだ。":
        "a ship loaded in one state's port and sailing to another's: ports are places, the carrier no party",
    "ウクライナで見つかったミサイルの残骸の一部は、北朝鮮がロシアに供与したものだった。":
        "the item is the owner of the topic (ミサイルの残骸の一部は), two nouns away from the cleft",
    "ロシア軍はハルキウへの攻撃に北朝鮮製の弾道ミサイルKN23を使った。":
        "the parse hangs the missile on the name KN23 and the use verb on 攻撃",
    "ロシアは北朝鮮の労働者を無人機工場で働かせている。": "the parse hangs the workers on 無人機 (a causative of work is read as use: 建設現場で働かせている)",
    "ロシア軍の兵士は北朝鮮製の小銃を手にしていた。": "holding (手にする) is not a use verb; 兵士 is read as the item",
    "北朝鮮の羅津港からロシアのドゥナイ港へ、弾薬入りのコンテナが運ばれた。":
        "ドゥナイ港 is not in places.yaml and the ports' owners hang on the ports",
    "韓国国防省は、北の兵士がロシアの前線に送られたと明らかにした。":
        "a front (前線) names no state even when owned (ロシアの前線), as ウクライナの前線 must not",
    "ロシアは北朝鮮に戦闘機を供与した。これに対し、北朝鮮は砲弾で応えた。":
        "responding with (〜で応えた) is not read as a return flow",
    "中国はロシアからの武器供与の要請を拒否した。":
        "the requester (ロシアからの) hangs on the supply noun and is read as its source",
    "ロシアは北朝鮮からの砲弾購入を否定したが、米国は購入を確認したと発表した。":
        "a second mention of the flow noun alone (購入を確認した) does not inherit the first one's parties",
    "朝鮮中央通信は、ロシアへの武器輸出疑惑を「荒唐無稽だ」と否定した。":
        "a news agency as the denier gives no supplier: the exporter is its state, left unread",
}

CASES = [pytest.param(text, expected, id=f"{name}:{text}",
                      marks=[pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[text])] if text in KNOWN_MISSES else [])
         for name, table in TABLES.items() for text, expected in table]

COUNTRIES = {"PRK", "RUS", "CHN", "IRN", "KOR", "USA", "UKR", "BLR", "JPN"}
ITEMS = {"artillery_ammunition", "missiles", "drones", "weapons", "troops", "workers", "military_technology",
         "missile_technology", "satellite_technology", "submarine_technology", "nuclear_technology", "food",
         "fertilizer", "energy", "cash", "humanitarian_aid", "materials", "intelligence"}


@pytest.mark.parametrize("text, expected", CASES)
def test_construction(text: str, expected: set[Flow]) -> None:
    assert flows_of(text) == expected


def test_expectations_use_the_contract_vocabulary() -> None:
    """A typo in a table would make a case fail for the wrong reason."""
    for table in TABLES.values():
        for _, expected in table:
            for supplier, recipient, item, certainty in expected:
                assert {supplier, recipient} <= COUNTRIES and supplier != recipient
                assert item in ITEMS and certainty in (C, U, N)


def test_each_text_appears_once() -> None:
    texts = [text for table in TABLES.values() for text, _ in table]
    assert len(texts) == len(set(texts))


def test_known_misses_are_cases() -> None:
    """A reason for a sentence no table holds would hide nothing and explain nothing."""
    texts = {text for table in TABLES.values() for text, _ in table}
    assert set(KNOWN_MISSES) <= texts


# Who says so: the subject of the reporting frame (〜と明らかにした, 〜と述べた, 〜によると, 〜の話で分かった,
# 〜としている, 〜との見方を示した, 〜と分析した, 〜と指摘した), as written.
# 韓国国家情報院は、北朝鮮がロシアに砲弾を供与したと明らかにした。 → 韓国国家情報院
ATTRIBUTION: list[tuple[str, str]] = [
    ("韓国国家情報院は、北朝鮮がロシアに砲弾を供与したと明らかにした。", "韓国国家情報院"),
    ("ユ委員は、北朝鮮がロシアに砲弾を輸出したと述べた。", "ユ委員"),
    ("米国務省によると、ロシアは北朝鮮に原油を供給している。", "米国務省"),
    ("ウクライナ国防省によりますと、北朝鮮はロシアに弾道ミサイルを送りました。", "ウクライナ国防省"),
    ("北朝鮮がロシアに砲弾を輸出していたことが、政府関係者の話で分かった。", "政府関係者"),
    ("ウクライナ国防省は、北朝鮮がロシアに砲弾を供与しているとしている。", "ウクライナ国防省"),
    ("専門家は、北朝鮮がロシアに兵士を派遣したとの見方を示した。", "専門家"),
    ("韓国軍は、北朝鮮がロシアにミサイルを送ったと分析した。", "韓国軍"),
    ("米国務省は、ロシアが北朝鮮に技術を移転したと指摘した。", "米国務省"),
    ("中央日報は複数の消息筋の話として、北朝鮮がロシアに兵士を送ったと報じた。", "複数の消息筋"),
    ("北朝鮮外務省は、ロシアに砲弾を提供したとの報道を否定した。", "北朝鮮外務省"),
    ("ペスコフ報道官は、北朝鮮からの派兵はないと否定した。", "ペスコフ報道官"),
    ("韓国国防省は「北朝鮮は年間数百万発の砲弾をロシアに送っている」と説明した。", "韓国国防省"),
    ("ロイター通信は、イランがロシアに弾道ミサイルを供与したと伝えた。", "ロイター通信"),
    ("北朝鮮はロシアに対し、砲弾数百万発を供給したと韓国国防省が明らかにした。", "韓国国防省"),
]


@pytest.mark.parametrize("text, source", ATTRIBUTION, ids=[t for t, _ in ATTRIBUTION])
def test_attribution_names_who_says_so(text: str, source: str) -> None:
    flows = extract_flows(analysed(text), Options())
    assert flows and {f.attributed_to for f in flows} == {source}


# Quantities of the flow's own clause: value, unit, approximate (約, 数百万, 近く), at least (少なくとも,
# 以上, を上回る), a range's upper end (1000人から3000人).
# 北朝鮮はロシアに砲弾約500万発を送った。 → 5,000,000 rounds, approximate
QUANTITIES: list[tuple[str, tuple[float, str, bool, bool, float | None]]] = [
    ("北朝鮮はロシアに砲弾約500万発を送った。", (5_000_000, "rounds", True, False, None)),
    ("北朝鮮はロシアに砲弾数百万発を送った。", (1_000_000, "rounds", True, False, None)),
    ("北朝鮮は少なくとも1万人の兵士をロシアに派遣した。", (10_000, "people", False, True, None)),
    ("北朝鮮はロシアに1000人から3000人の兵士を追加で派遣した。", (1000, "people", False, False, 3000)),
    ("北朝鮮はロシアに500万発を上回る砲弾を送った。", (5_000_000, "rounds", False, True, None)),
    ("北朝鮮はロシアに兵士1万人近くを送った。", (10_000, "people", True, False, None)),
    ("ロシアは北朝鮮に小麦粉540トンを送った。", (540, "tonnes", False, False, None)),
    ("北朝鮮はロシアに弾薬を積んだコンテナ1万3000個を送った。", (13_000, "containers", False, False, None)),
]


@pytest.mark.parametrize("text, want", QUANTITIES, ids=[t for t, _ in QUANTITIES])
def test_flow_carries_its_clause_quantity(text: str, want: tuple[float, str, bool, bool, float | None]) -> None:
    doc = run(document(text), Options(), ("language", "link_entities", "link_dates", "extract"))
    assert len(doc.flows) == 1 and doc.flows[0].quantity is not None
    q = doc.flows[0].quantity
    assert (q.value, q.unit, q.approximate, q.at_least, q.upper) == want


# Why: each claim names the words that decided it: the predicate, each party's words and the certainty cue.
# 北朝鮮がロシアに砲弾を供与したとみられる。 → predicate 供与 … 北朝鮮が … ロシアに … みられる
WHY: list[tuple[str, tuple[str, ...]]] = [
    ("北朝鮮がロシアに砲弾を供与したとみられる。", ("供与", "北朝鮮が", "ロシアに", "砲弾", "uncertain", "みられ")),
    ("ロシアは北朝鮮から兵士を受け入れた。", ("受け入れ", "北朝鮮から", "ロシアは", "兵士", "certain")),
    ("ロシア軍の砲弾6割、北朝鮮製か", ("製", "made in", "user of 砲弾", "uncertain")),
    ("北朝鮮は派兵の見返りとしてロシアから食料を受け取った。", ("見返り", "paid", "派兵")),
    ("中国は北朝鮮への石油の供給を否定した。", ("供給", "北朝鮮への", "negated", "否定")),
]


@pytest.mark.parametrize("text, words", WHY, ids=[t for t, _ in WHY])
def test_every_claim_says_why(text: str, words: tuple[str, ...]) -> None:
    flows = extract_flows(analysed(text), Options())
    assert flows and all(f.why for f in flows)
    said = " ".join(f.why for f in flows)
    assert all(w in said for w in words), said


def test_a_flow_noun_as_topic_takes_up_the_flow_before() -> None:
    """供与は1月に始まり、すでに4回輸送された: no item named, the supply is the one just told."""
    doc = analysed("イランはロシアに弾道ミサイルを供与した。供与は1月に始まり、すでに4回輸送された。")
    flows = extract_flows(doc, Options())
    second = doc.sentences[1]
    assert [(f.supplier, f.recipient, f.item) for f in flows if f.evidence.start >= second.start] == [
        ("IRN", "RUS", "missiles")]
    assert extract_flows(analysed("供与は1月に始まり、すでに4回輸送された。"), Options()) == []


def test_counted_people_arriving_take_up_a_troop_flow() -> None:
    """第一陣の約1500人は…ウラジオストクに到着した: the people of the dispatch just told, no item named."""
    doc = analysed("北朝鮮は約1万人の兵士をロシアに派遣した。第一陣の約1500人はウラジオストクに到着した。")
    second = doc.sentences[1]
    assert [(f.supplier, f.recipient, f.item) for f in extract_flows(doc, Options())
            if f.evidence.start >= second.start] == [("PRK", "RUS", "troops")]
    assert extract_flows(analysed("北朝鮮は兵士をロシアに派遣した。金総書記は平壌に到着した。"), Options())[1:] == []
