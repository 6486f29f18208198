"""Fictional articles for the ingest tests (sentences we wrote, combined so no two articles are
near-duplicates), and the ``kizashi`` command run as a real process."""
from __future__ import annotations

import re
import sys
from itertools import combinations
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from kizashi.store.schema import DocumentRow

KIZASHI = Path(sys.executable).with_name("kizashi")  # the console script of this environment
_COUNT = re.compile(r"(\d+) (new|near-duplicate|duplicate|unchanged|failed)\b")

# Our own sentences about the exchange: shells, missiles, troops, oil and food, with hedges, sources and dates.
SENTENCES = [
    "北朝鮮がロシアに砲弾を送ったとみられる。",
    "2024年3月5日、ロシアは北朝鮮に石油を供給したと朝鮮中央通信が伝えた。",
    "金正恩総書記はプーチン大統領と平壌で会談した。",
    "韓国国防省によると、北朝鮮は兵士約1万人をロシアに派遣したという。",
    "ロシアから北朝鮮へ小麦5万トンが運ばれたと報じられた。",
    "北朝鮮は弾道ミサイルをロシアに輸出していないと述べた。",
    "米政府は、北朝鮮がロシアにコンテナ1000個分の弾薬を送ったと発表した。",
    "プーチン大統領は2023年9月13日、宇宙基地で金正恩総書記を迎えた。",
    "関係者は、ロシアが北朝鮮に戦闘機の技術を提供する可能性があると指摘した。",
    "北朝鮮の貨物船が先月、ロシア極東の港に入ったとみられる。",
    "ロシア産の原油が北朝鮮に年間100万バレル以上届いているとされる。",
    "北朝鮮軍の部隊がクルスク州に展開したと英国防省が分析した。",
    "ロシアは北朝鮮に食料を支援すると約束した。",
    "2024年6月19日、両首脳は包括的戦略パートナーシップ条約に署名した。",
    "北朝鮮はロシアにロケット弾を供与した疑いがある。",
]

_TRIPLES = list(combinations(range(len(SENTENCES)), 3))


def article(i: int) -> str:
    """Article ``i`` (1-based): a headline, a dateline and three sentences no other article has all of."""
    picked = _TRIPLES[(i * 37) % len(_TRIPLES)]
    body = "".join(SENTENCES[k] for k in picked)
    return f"露朝の動き 第{i}報\n2024年{1 + i % 12}月{1 + i % 28}日\n{body}\n"


def write_articles(directory: Path, numbers: range | list[int]) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in numbers:
        path = directory / f"article_{i:02d}.txt"
        path.write_text(article(i), encoding="utf-8")
        paths.append(path)
    return paths


def ingest_command(url: str, *paths: Path) -> list[str]:
    return [str(KIZASHI), "--db", url, "ingest", *map(str, paths)]


def summary_counts(stdout: str) -> dict[str, int]:
    """``{"new": 3, "unchanged": 1, ...}`` from the CLI's closing ``ingested: ...`` line."""
    line = next(line for line in stdout.splitlines() if line.startswith("ingested:"))
    return {kind: int(n) for n, kind in _COUNT.findall(line)}


def count_documents(url: str) -> int:
    """Documents committed so far; 0 while the schema does not exist yet (read without opening a Store,
    which would migrate the database itself)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(DocumentRow)) or 0
    except SQLAlchemyError:
        return 0
    finally:
        engine.dispose()
