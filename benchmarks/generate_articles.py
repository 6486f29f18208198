"""Fictional Japanese news articles, with the layers the pipeline would give them.

Parsing 100,000 articles with GiNZA is out of reach here (~5,000 chars/s), and
the query benchmark needs only what the store keeps, so each article is built
from our own templates together with its entities, mentions, dates, flows,
events and figures: the templates know what they say. Every span is cut from
the finished text, so ``text[start:end] == span.text`` holds by construction
(``check_spans`` verifies it). No token layer is built (see BENCHMARKS.md).

Usage: .venv/bin/python benchmarks/generate_articles.py [N]  (prints a sample article)
"""
from __future__ import annotations

import hashlib
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from kizashi.claim_ids import assign_claim_ids
from kizashi.model import (
    Document,
    Entity,
    Event,
    Figure,
    Flow,
    Mention,
    Metadata,
    Paragraph,
    Quantity,
    Sentence,
    Span,
    TimeExpr,
)

STAGES = ["clean", "language", "link_entities", "link_dates", "extract", "claim_ids"]
FIRST_DAY, LAST_DAY = date(2022, 1, 1), date(2026, 11, 20)
REWRITE_SHARE = 0.02  # content-farm rewrites of an earlier article: the near-duplicate path runs

# Names the linker knows (ids as in kizashi/data), longest match wins when mentions are cut.
COUNTRIES = {"PRK": "北朝鮮", "RUS": "ロシア", "IRN": "イラン", "CHN": "中国", "BLR": "ベラルーシ",
             "SYR": "シリア", "UKR": "ウクライナ", "USA": "米国", "KOR": "韓国", "JPN": "日本"}
NAMES: dict[str, tuple[str, str]] = {name: (cid, "country") for cid, name in COUNTRIES.items()} | {
    "韓国国家情報院": ("kor-nis", "organization"), "国家情報院": ("kor-nis", "organization"),
    "米国防総省": ("us-dod", "organization"), "クレムリン": ("kremlin", "organization"),
    "朝鮮中央通信": ("kcna", "organization"), "国連安全保障理事会": ("un-security-council", "organization"),
    "国連専門家パネル": ("un-panel-of-experts", "organization"), "金正恩": ("kim-jong-un", "person"),
    "ウラジーミル・プーチン": ("vladimir-putin", "person"), "セルゲイ・ショイグ": ("sergei-shoigu", "person"),
    "セルゲイ・ラブロフ": ("sergei-lavrov", "person"), "崔善姫": ("choe-son-hui", "person"),
}
ENTITY_NAMES_EN = {"PRK": "North Korea", "RUS": "Russia", "IRN": "Iran", "CHN": "China", "BLR": "Belarus",
                   "SYR": "Syria", "UKR": "Ukraine", "USA": "United States", "KOR": "South Korea", "JPN": "Japan"}
# (supplier, recipient, weight): mostly the exchange itself, then its neighbours.
PAIRS = [("PRK", "RUS", 40), ("RUS", "PRK", 30), ("IRN", "RUS", 8), ("CHN", "RUS", 6), ("RUS", "IRN", 4),
         ("CHN", "PRK", 4), ("BLR", "RUS", 3), ("RUS", "SYR", 2), ("PRK", "IRN", 2), ("RUS", "BLR", 1)]
# item id → (Japanese words, quantity phrase templates: (text with {n}, value factor, unit))
ITEMS: dict[str, tuple[list[str], list[tuple[str, float, str]]]] = {
    "artillery_ammunition": (["砲弾", "弾薬", "ロケット弾", "榴弾"], [("{n}万発の", 1e4, "rounds")]),
    "missiles": (["弾道ミサイル", "短距離弾道ミサイル", "KN-23", "巡航ミサイル"], [("{n}発の", 1, "missiles")]),
    "troops": (["兵士", "部隊", "兵力", "工兵"], [("約{n}000人の", 1e3, "people")]),
    "workers": (["労働者", "建設労働者"], [("{n}000人規模の", 1e3, "people")]),
    "energy": (["石油", "原油", "精製石油", "石油製品"], [("{n}万トンの", 1e4, "tonnes"), ("{n}万バレルの", 1e4, "barrels")]),
    "food": (["食糧", "小麦", "穀物", "食料"], [("{n}万トンの", 1e4, "tonnes")]),
    "cash": (["外貨", "資金", "現金"], [("{n}億ドル相当の", 1e8, "USD")]),
    "satellite_technology": (["衛星技術", "偵察衛星の技術", "衛星打ち上げの技術"], []),
    "missile_technology": (["ミサイル技術", "再突入技術", "誘導技術"], []),
    "submarine_technology": (["潜水艦技術", "原子力潜水艦の技術"], []),
    "drones": (["無人機", "ドローン", "攻撃型ドローン"], [("{n}00機の", 100, "units")]),
    "weapons": (["武器", "戦車", "多連装ロケット砲", "自走砲"], [("{n}0両の", 10, "units")]),
    "fertilizer": (["肥料", "化学肥料"], [("{n}万トンの", 1e4, "tonnes")]),
    "humanitarian_aid": (["医薬品", "救援物資"], []),
}
ITEM_WEIGHTS = {"artillery_ammunition": 20, "missiles": 12, "troops": 12, "energy": 10, "food": 8, "cash": 7,
                "satellite_technology": 6, "missile_technology": 5, "drones": 6, "weapons": 5, "workers": 3,
                "submarine_technology": 2, "fertilizer": 2, "humanitarian_aid": 2}
# (template, certainty, cue); {S} supplier, {R} recipient, {X} quantity + item.
FLOW_TEMPLATES = [
    ("{S}が{R}に{X}を供与した。", "certain", "供与"),
    ("{S}は{R}へ{X}を送った。", "certain", "送る"),
    ("{S}から{R}に{X}が引き渡された。", "certain", "引き渡し"),
    ("{S}は{R}に対し{X}を提供している。", "certain", "提供"),
    ("{S}が{R}に{X}を輸出したことが確認された。", "certain", "輸出"),
    ("{S}が{R}に{X}を供与したとみられる。", "uncertain", "供与"),
    ("{S}は{R}に{X}を送った可能性がある。", "uncertain", "送る"),
    ("{S}が{R}へ{X}を提供していると報じられた。", "uncertain", "提供"),
    ("{S}から{R}に{X}が渡ったとの見方が出ている。", "uncertain", "渡る"),
    ("{S}は{R}への{X}の供与を否定した。", "negated", "供与+否定"),
    ("{S}は{R}に{X}を提供していないと述べた。", "negated", "提供+否定"),
]
ATTRIBUTIONS = ["韓国国家情報院", "米国防総省", "国連専門家パネル", "韓国軍合同参謀本部", "英国防省",
                "ウクライナ国防省情報総局", "日本政府関係者", "米シンクタンク", "複数の外交筋"]
OUTLETS = ["東亜時事通信", "東方新報", "北東アジア日報", "極東ウォッチ", "半島タイムズ", "国際安保ジャーナル",
           "日本海新聞デジタル", "朝刊ニッポン", "アジア経済速報", "環太平洋通信", "外信ダイジェスト",
           "週刊ユーラシア", "防衛レビュー", "ソウル特派員報", "モスクワ通信ネット", "北海道国際報"]
SURNAMES = ["山本", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "小林", "加藤", "吉田", "山田",
            "松本", "井上", "木村", "林", "清水", "森", "池田", "橋本", "石川", "前田", "藤田", "岡田"]
GIVEN = ["彩花", "健太", "翔", "美咲", "大輔", "陽菜", "拓也", "結衣", "誠", "真由美", "亮", "恵",
         "直樹", "由紀", "悠人", "千尋", "隆", "沙織", "航", "友美"]
PLACES_COMMON = ["平壌", "モスクワ", "ウラジオストク", "羅津港", "ハバロフスク", "クルスク州"]
PLACES_RARE = ["ボストチヌイ宇宙基地", "豆満江", "ナホトカ", "ザルビノ港", "ハサン駅", "清津", "元山", "南浦",
               "新義州", "丹東", "咸興", "東倉里", "豊渓里", "ドネツク州", "ノボシビルスク", "イルクーツク",
               "テヘラン", "ミンスク", "ダマスカス", "カザン", "セバストポリ", "先鋒", "会寧", "恵山"]
PLACES_VERY_RARE = ["羅先", "満浦", "茂山", "穏城", "慈江道", "江界", "稳城郡", "ティクシ"]
SHIPS = [f"{name}{n}号" for name in ("白頭", "万景", "青海", "金剛", "大洋", "北星", "順風", "豊漁", "長生", "光明")
         for n in range(1, 21)]  # 200 fictional ship names, each in about 0.1% of articles
THINK_TANKS = ["東アジア安全保障研究所", "北東アジア政策センター", "海洋安全保障フォーラム", "国際戦略分析機構",
               "ユーラシア問題研究会", "朝鮮半島研究院"]
TREATIES = ["包括的戦略パートナーシップ条約", "軍事技術協力協定", "経済協力覚書", "国境河川管理協定"]
LAUNCHED = ["短距離弾道ミサイル", "巡航ミサイル", "偵察衛星", "極超音速ミサイル", "大陸間弾道ミサイル"]
FILLER = [
    "{P}では{m}月に入って冷え込みが強まり、港湾作業に遅れが出ているという。",
    "{T}の{name}研究員は「両国の協力は当面続く」と話した。",
    "{y}年の両国間の貿易額は前年比{pct}%増えたとされる。",
    "{P}周辺では貨物列車の往来が目立っている。",
    "政府関係者は詳細についてコメントを控えた。",
    "衛星画像には{P}の埠頭に積み上げられた{k}個のコンテナが写っていた。",
    "{T}は{m}月の報告書で、物流の経路が複数に分かれていると指摘した。",
    "現地の物価は{pct}%上昇し、住民の生活は厳しさを増している。",
    "{P}と{P2}を結ぶ鉄道は{y}年に改修工事を終えた。",
    "専門家の間では、制裁の実効性を疑問視する声が強い。",
    "{name}記者が{P}で取材したところ、港の警備は以前より厳しくなっていた。",
    "関係国は{m}月{d}日に実務者協議を開く予定だ。",
    "{P}の税関当局は{k}件の貨物について記録の提出を拒んだ。",
    "情報当局は船舶の自動識別装置が{k}回にわたり切られていたと分析している。",
    "市場関係者は、為替レートが{pct}%下落したことに注目している。",
    "{T}の調査では、{P}から出港した船舶は{k}隻に上った。",
    "一方で、{P}の住民からは物資不足を訴える声も聞かれる。",
    "この問題をめぐっては{y}年にも同様の報道があった。",
    "{P}の港では{m}月から新しいクレーンが稼働している。",
    "{name}氏は{T}の会合で、国境を越える物流の監視が難しくなっていると述べた。",
    "{P}の市場ではロシア製の食品や日用品が並ぶようになった。",
    "{y}年以降、{P}と{P2}の間の定期航路は週{d}便に増えた。",
    "外交筋は「{P}での動きは注視に値する」と語った。",
    "{T}は{P}の飛行場に{k}機の輸送機が駐機しているのを確認した。",
    "専門家によれば、戦況は{m}月以降に膠着状態となっている。",
    "{P}の空港には{m}月{d}日、政府専用機が到着した。",
    "貨物船「{ship}」が{m}月{d}日に{P}へ入港したことが船舶追跡データで分かった。",
    "{P}の当局者は、輸送量が前年の{k}倍近くに増えたとの見方を示した。",
    "{name}氏によれば、{P}の倉庫には夜間にトラックが出入りしているという。",
    "{T}は、{y}年以降の取引の多くが第三国を経由していると分析する。",
    "国境に近い{P}では、軍用車両の車列が{k}台確認された。",
    "両国の当局者は{m}月{d}日、{P}で経済協力について意見を交わした。",
    "欧米の制裁強化を受けて、{P}経由の迂回貿易が増えているとの指摘もある。",
    "地元紙によると、{P}の工場では{m}月から夜間操業が始まった。",
    "{T}の{name}主任研究員は、統計には表れない取引が相当あるとみている。",
    "{P}の港湾当局は{k}隻の入港記録を公表していない。",
    "{y}年{m}月には{P}で大規模な軍事演習が行われた。",
    "人道団体は{P}周辺の食料事情について懸念を表明している。",
]


@dataclass
class _Claims:
    """What one sentence says, with offsets relative to the sentence start."""

    flows: list[Flow] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    dates: list[tuple[str, str, str]] = field(default_factory=list)  # (text, iso value, precision)


def _day(rng: random.Random) -> date:
    return FIRST_DAY + timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))


def _date_text(rng: random.Random, before: date) -> tuple[str, str, str]:
    """A date expression no later than ``before``: (text, ISO value, precision)."""
    when = _day(rng)
    while when > before:
        when = _day(rng)
    if rng.random() < 0.5:
        return f"{when.year}年{when.month}月", f"{when.year:04d}-{when.month:02d}", "month"
    return (f"{when.year}年{when.month}月{when.day}日", when.isoformat(), "day")


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _flow_sentence(rng: random.Random, published: date) -> tuple[str, _Claims]:
    supplier, recipient, _ = rng.choices(PAIRS, weights=[w for *_, w in PAIRS])[0]
    item = _weighted(rng, ITEM_WEIGHTS)
    words, quantities = ITEMS[item]
    word = rng.choice(words)
    quantity = None
    if quantities and rng.random() < 0.35:
        template, factor, unit = rng.choice(quantities)
        n = rng.randint(1, 99)
        word = template.format(n=n) + word
        quantity = Quantity(n * factor, unit, approximate=template.startswith("約"))
    template, certainty, cue = rng.choice(FLOW_TEMPLATES)
    core = template.format(S=COUNTRIES[supplier], R=COUNTRIES[recipient], X=word)
    claims = _Claims()
    if rng.random() < 0.4:
        time_text, value, precision = _date_text(rng, published)
        core = f"{time_text}{rng.choice(['以降、', 'に', 'ごろ、'])}{core}"
        claims.dates.append((time_text, value, precision))
    attributed = None
    if rng.random() < 0.45:
        attributed = rng.choice(ATTRIBUTIONS)
        core = f"{attributed}によると、{core}"
    time_value = claims.dates[0][1] if claims.dates else None
    flow = Flow(supplier, recipient, item, certainty, Span(0, 0, ""), attributed_to=attributed,
                quantity=quantity, time=time_value, cue=cue)
    claims.flows.append(flow)
    return core, claims


def _event_sentence(rng: random.Random, published: date) -> tuple[str, _Claims]:
    text, value, precision = _date_text(rng, published)
    claims = _Claims(dates=[(text, value, precision)])
    kind = rng.choice(["meeting", "agreement", "launch", "sanction"])
    if kind == "meeting":
        sentence = f"金正恩総書記とウラジーミル・プーチン大統領は{text}に{rng.choice(PLACES_COMMON + PLACES_RARE)}で会談した。"
        participants = ["PRK", "RUS"]
    elif kind == "agreement":
        sentence = f"両国は{text}、{rng.choice(TREATIES)}に署名した。"
        participants = ["PRK", "RUS"]
    elif kind == "launch":
        sentence = f"北朝鮮は{text}に{rng.choice(LAUNCHED)}を発射したと朝鮮中央通信が伝えた。"
        participants = ["PRK"]
    else:
        sentence = f"国連安全保障理事会は{text}、北朝鮮に対する制裁の履行状況を協議した。"
        participants = ["PRK"]
    claims.events.append(Event(kind, value, participants, "certain", Span(0, 0, "")))
    return sentence, claims


def _figure_sentence(rng: random.Random) -> tuple[str, _Claims]:
    n = rng.randint(10, 600)
    actor = rng.choice(["PRK", "RUS"])
    sentence = f"{COUNTRIES[actor]}は年間{n}万発の砲弾を生産できるとの分析がある。"
    claims = _Claims(figures=[Figure(actor, "artillery_ammunition", n * 1e4, "rounds", "year", "produced",
                                     Span(0, 0, ""))])
    return sentence, claims


def _filler(rng: random.Random, template: str, published: date) -> str:
    roll = rng.random()
    places = PLACES_COMMON if roll < 0.7 else PLACES_RARE if roll < 0.99 else PLACES_VERY_RARE
    p, p2 = rng.sample(places, 2)
    return template.format(
        P=p, P2=p2, T=rng.choice(THINK_TANKS), name=rng.choice(SURNAMES) + rng.choice(GIVEN),
        m=rng.randint(1, 12), d=rng.randint(1, 28), y=rng.randint(2019, published.year),
        pct=rng.randint(2, 48), k=rng.randint(3, 900), ship=rng.choice(SHIPS))


def _title(rng: random.Random, first_flow: Flow | None) -> str:
    if first_flow is None:
        return f"{rng.choice(PLACES_COMMON)}発 露朝関係の現状を読む"
    word = ITEMS[first_flow.item][0][0]
    verb = {"certain": "供与", "uncertain": "供与か", "negated": "供与を否定"}[first_flow.certainty]
    return (f"{COUNTRIES[first_flow.supplier]}、{COUNTRIES[first_flow.recipient]}へ{word}{verb}"
            f" {rng.choice(['衛星画像で確認', '情報当局が分析', '関係筋', '専門家に聞く', '現地ルポ'])}")


def article(index: int, seed: int = 0) -> Document:
    """The ``index``-th article of the seeded series; the same arguments give the same article."""
    rng = random.Random(f"{seed}:{index}")
    published = _day(rng)
    pieces: list[tuple[str, _Claims | None]] = []
    for _ in range(rng.randint(1, 4)):
        pieces.append(_flow_sentence(rng, published))
    if rng.random() < 0.5:
        pieces.append(_event_sentence(rng, published))
    if rng.random() < 0.25:
        pieces.append(_figure_sentence(rng))
    pieces += [(_filler(rng, t, published), None) for t in rng.sample(FILLER, rng.randint(8, 22))]
    rng.shuffle(pieces)
    first_flow = next((c.flows[0] for _, c in pieces if c and c.flows), None)
    outlet = rng.choice(OUTLETS)
    author = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"
    header = [(_title(rng, first_flow), "title"), (f"文：{author}", "byline"), (outlet, "byline"),
              (f"{published.year}年{published.month}月{published.day}日", "byline")]
    return _assemble(index, header, pieces, outlet, author, published, rng)


def _assemble(index: int, header: list[tuple[str, str]], pieces: list[tuple[str, _Claims | None]],
              outlet: str, author: str, published: date, rng: random.Random) -> Document:
    """Join header lines and body sentences into the clean text, placing every claim's span."""
    text, paragraphs, sentences, placed = "", [], [], []
    for line, kind in header:
        paragraphs.append(Paragraph(len(text), len(text) + len(line), kind))
        sentences.append(Sentence(len(text), len(text) + len(line), analysed=kind == "title"))
        text += line + "\n\n"
    body_start = len(text)
    for i, (sentence, claims) in enumerate(pieces):
        if i and rng.random() < 0.3:  # a paragraph break
            paragraphs.append(Paragraph(body_start, len(text), "body"))
            text += "\n\n"
            body_start = len(text)
        sentences.append(Sentence(len(text), len(text) + len(sentence), analysed=claims is not None))
        placed.append((len(text), sentence, claims))
        text += sentence
    paragraphs.append(Paragraph(body_start, len(text), "body"))
    source = f"bench/{OUTLETS.index(outlet):02d}/{published:%Y/%m}/{index:06d}.txt"
    doc = Document(source=source, raw_sha256=hashlib.sha256(f"{source}\n{text}".encode()).hexdigest(),
                   text=text, encoding="utf-8", format="text",
                   metadata=Metadata(title=header[0][0], author=author, authors=[author], outlet=outlet,
                                     published=published.isoformat(), language="ja"),
                   paragraphs=paragraphs, sentences=sentences, stages=list(STAGES))
    doc.assign_id()
    date_line = header[3][0]
    doc.dates.append(TimeExpr(text.index(date_line), text.index(date_line) + len(date_line), date_line,
                              published.isoformat(), "day"))
    for offset, sentence, claims in placed:
        if claims is not None:
            _place(doc, offset, sentence, claims)
    _link(doc)
    return assign_claim_ids(doc)


def _place(doc: Document, offset: int, sentence: str, claims: _Claims) -> None:
    evidence = doc.span(offset, offset + len(sentence))
    for text, value, precision in claims.dates:
        at = offset + sentence.index(text)
        doc.dates.append(TimeExpr(at, at + len(text), text, value, precision))
    doc.flows += [replace(flow, evidence=evidence) for flow in claims.flows]
    doc.events += [replace(event, evidence=evidence) for event in claims.events]
    doc.figures += [replace(figure, evidence=evidence) for figure in claims.figures]


def _link(doc: Document) -> None:
    """Mentions of every known name, longest first and never overlapping, and their entities."""
    taken = [False] * len(doc.text)
    for name in sorted(NAMES, key=len, reverse=True):
        at = doc.text.find(name)
        while at >= 0:
            if not any(taken[at:at + len(name)]):
                taken[at:at + len(name)] = [True] * len(name)
                entity_id, type_ = NAMES[name]
                doc.mentions.append(Mention(at, at + len(name), name, entity_id, type_))
            at = doc.text.find(name, at + len(name))
    doc.mentions.sort(key=lambda m: m.start)
    entities: dict[str, Entity] = {}
    for m in doc.mentions:
        entity = entities.setdefault(m.entity_id, Entity(
            m.entity_id, ENTITY_NAMES_EN.get(m.entity_id, m.text), m.type,
            country=m.entity_id if m.type == "country" else None))
        if m.text not in entity.aliases:
            entity.aliases.append(m.text)
        entity.mentions.append([m.start, m.end])
    doc.entities = list(entities.values())


def rewrite(doc: Document, index: int, rng: random.Random) -> Document:
    """A content-farm copy: another outlet's name in the header, one spelling swapped
    (とみられる → と見られる, same length), so only offsets after the outlet line move."""
    old = doc.metadata.outlet or ""
    outlet = rng.choice([o for o in OUTLETS if o != old])
    at = doc.text.index(old)
    text = (doc.text[:at] + outlet + doc.text[at + len(old):]).replace("とみられる", "と見られる")
    delta = len(outlet) - len(old)

    def moved(offset: int) -> int:
        return offset + delta if offset > at else offset

    def span(s: Span) -> Span:
        return Span(moved(s.start), moved(s.end), text[moved(s.start):moved(s.end)])

    source = f"bench/rewrites/{index:06d}.txt"
    copy = Document(
        source=source, raw_sha256=hashlib.sha256(f"{source}\n{text}".encode()).hexdigest(), text=text,
        encoding="utf-8", format="text", metadata=replace(doc.metadata, outlet=outlet), stages=list(STAGES),
        paragraphs=[replace(p, start=moved(p.start), end=moved(p.end)) for p in doc.paragraphs],
        sentences=[replace(s, start=moved(s.start), end=moved(s.end)) for s in doc.sentences],
        dates=[replace(t, start=moved(t.start), end=moved(t.end)) for t in doc.dates],
        flows=[replace(f, evidence=span(f.evidence)) for f in doc.flows],
        events=[replace(e, evidence=span(e.evidence)) for e in doc.events],
        figures=[replace(f, evidence=span(f.evidence)) for f in doc.figures])
    copy.assign_id()
    _link(copy)
    return assign_claim_ids(copy)


def articles(n: int, seed: int = 0) -> Iterator[Document]:
    """``n`` articles; about 2% are rewrites of an earlier one (near-duplicates)."""
    rng = random.Random(f"{seed}:rewrites")
    recent: list[Document] = []
    for i in range(n):
        if recent and rng.random() < REWRITE_SHARE:
            doc = rewrite(rng.choice(recent), i, rng)
        else:
            doc = article(i, seed)
            recent = (recent + [doc])[-50:]
        yield doc


def check_spans(doc: Document) -> None:
    """Every offset points into the clean text (raises AssertionError otherwise)."""
    text = doc.text
    for s in [f.evidence for f in doc.flows] + [e.evidence for e in doc.events] + [f.evidence for f in doc.figures]:
        assert text[s.start:s.end] == s.text and s.text, (doc.source, s)
    for m in doc.mentions:
        assert text[m.start:m.end] == m.text, (doc.source, m)
    for t in doc.dates:
        assert text[t.start:t.end] == t.text, (doc.source, t)
    for e in doc.entities:
        assert all(text[a:b] in e.aliases for a, b in e.mentions), (doc.source, e.id)
    for p in doc.paragraphs:
        assert 0 <= p.start <= p.end <= len(text), (doc.source, p)


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    for d in articles(count):
        check_spans(d)
    print(d.text, "\n", *(f"{f.supplier}→{f.recipient} {f.item} {f.certainty} {f.time} «{f.evidence.text}»"
                          for f in d.flows), sep="\n")
