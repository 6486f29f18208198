"""Query latency of what ``kizashi search`` and ``kizashi query`` run, at 100,000 generated articles.

Usage:
    .venv/bin/python benchmarks/query_latency.py [--articles N] [--backend sqlite|postgresql|both]
                                                 [--repeat 200] [--rebuild] [--verify]

The store is filled once with ``Store.save_document`` (the near-duplicate path runs) from
``generate_articles.articles`` and kept: SQLite in data/bench/queries-<N>.db, PostgreSQL in the
database ``kizashi_bench`` (``kizashi_bench_<N>`` for other sizes) on 127.0.0.1:5432, user
postgres. A JSON marker next to it records what was built; ``--rebuild`` starts again, as does
a change of the generator. Then every query kind runs ``--repeat`` times with varied parameters
after a warm-up, calling ``Store.search`` (``kizashi search``: limit 20) and ``Store.flows``
(``kizashi query``: limit 100), and p50/p95 are printed per kind, per command and overall.
PostgreSQL gets a VACUUM ANALYZE first (autovacuum is off on the development server).
``--verify`` checks search pages against a brute-force reading of every text first.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from kizashi.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_articles import COUNTRIES, ITEMS, OUTLETS, articles, check_spans  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / "data" / "bench"
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/{database}"
DEFAULT_ARTICLES = 100_000
SEED = 0
WARM_UP = 20  # queries of each kind before timing
TARGET_MS = 50.0

# Search terms by kind: the words users type (2-6 characters), common and rare in the articles.
SEARCH_TERMS = {
    "search 2 chars, common": ["北朝", "砲弾", "平壌", "兵士", "原油", "外貨", "食糧", "衛星", "部隊", "資金"],
    "search 2 chars, rare": ["羅先", "茂山", "満浦", "穏城", "江界", "丹東", "咸興", "元山", "南浦", "清津"],
    "search 3-6 chars, common": ["北朝鮮", "ロシア", "羅津港", "弾道ミサイル", "韓国国家情報院", "ウラジオストク",
                                 "供与した", "コンテナ", "米国防総省", "クルスク州"],
    "search 3-6 chars, rare": ["白頭7号", "光明12号", "慈江道", "ティクシ", "稳城郡", "万景3号", "金剛19号",
                               "豊渓里", "順風5号", "北星11号"],
    "search two terms": ["北朝鮮 砲弾", "ロシア 羅先", "衛星技術 平壌", "弾道ミサイル 丹東", "白頭7号 羅津港",
                         "原油 ウラジオストク", "外貨 韓国国家情報院", "兵士 クルスク州"],
    "search no match": ["台風", "梅雨前線", "株式市場", "オリンピック", "新幹線", "花粉"],
}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--verify", action="store_true",
                        help="also check search pages against a brute-force reading of every text")
    args = parser.parse_args(argv)
    print(machine())
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        url, marker = prepare(backend, args.articles, args.rebuild)
        print(f"\n## {backend}: {url}\n{json.dumps(marker, ensure_ascii=False)}")
        t0 = time.perf_counter()
        with Store.open(url) as store:  # brings a store built by an older revision to head
            print(f"open (and migrate): {time.perf_counter() - t0:.1f} s")
            if backend == "postgresql":
                print(f"server: {analyse_postgresql(url)}")
            print(f"size in use: {database_size(url) / 2**20:,.0f} MiB")
            if args.verify:
                verify_search(store, url)
            timings = run_queries(store, url, args.repeat)
        print(table(timings))
        out = BENCH_DIR / f"results-{backend}-{args.articles}.json"
        out.write_text(json.dumps({"marker": marker, "timings_ms": timings}, ensure_ascii=False))


# -- building ---------------------------------------------------------------------------------------------


def prepare(backend: str, n: int, rebuild: bool) -> tuple[str, dict[str, Any]]:
    """The store's URL and its build marker, building the store first when needed."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    label = "100k" if n == DEFAULT_ARTICLES else str(n)
    marker_path = BENCH_DIR / f"queries-{label}.{backend}.json"
    wanted = {"articles": n, "seed": SEED, "generator": _generator_hash()}
    if backend == "sqlite":
        path = BENCH_DIR / f"queries-{label}.db"
        url, exists = f"sqlite:///{path}", path.exists()
    else:
        database = "kizashi_bench" if n == DEFAULT_ARTICLES else f"kizashi_bench_{n}"
        url, exists = PG_SERVER.format(database=database), _pg_exists(database)
    if not rebuild and exists and marker_path.exists():
        marker = json.loads(marker_path.read_text())
        if all(marker.get(k) == v for k, v in wanted.items()):
            return url, marker
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        _pg_recreate(database)
    marker = wanted | build(url, n)
    marker_path.write_text(json.dumps(marker, ensure_ascii=False, indent=1))
    return url, marker


def build(url: str, n: int) -> dict[str, Any]:
    """Save ``n`` generated articles one by one, as ``kizashi ingest`` does after the pipeline."""
    statuses: Counter[str] = Counter()
    started = time.perf_counter()
    saving = 0.0
    with Store.open(url) as store:
        for i, doc in enumerate(articles(n, SEED), 1):
            check_spans(doc)
            t0 = time.perf_counter()
            statuses[store.save_document(doc).status] += 1
            saving += time.perf_counter() - t0
            if i % 5000 == 0:
                print(f"  {i:,} saved, {time.perf_counter() - started:,.0f} s", file=sys.stderr, flush=True)
    total = time.perf_counter() - started
    return {"statuses": dict(statuses), "build_seconds": round(total, 1), "save_seconds": round(saving, 1),
            "save_ms_per_article": round(saving / n * 1000, 2)}


def _generator_hash() -> str:
    """A fingerprint of what the generator writes (its first articles, every layer), so that
    a change of output rebuilds the store and a tidy-up of its code does not."""
    sample = json.dumps([d.to_dict() for d in articles(300, SEED)], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(sample.encode()).hexdigest()[:12]


def _pg_admin():
    return create_engine(PG_SERVER.format(database="postgres"), isolation_level="AUTOCOMMIT")


def _pg_exists(database: str) -> bool:
    engine = _pg_admin()
    try:
        with engine.connect() as connection:
            return connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database}) == 1
    finally:
        engine.dispose()


def _pg_recreate(database: str, template: str = "template0") -> None:
    """Drop ``database`` and create it again, empty or as a copy of ``template``."""
    engine = _pg_admin()
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            connection.execute(text(f"CREATE DATABASE \"{database}\" ENCODING 'UTF8' TEMPLATE \"{template}\""))
    finally:
        engine.dispose()


def analyse_postgresql(url: str) -> str:
    """Vacuum and gather planner statistics, as autovacuum would (it is off on the development
    server), and say which server and settings the figures come from."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("VACUUM ANALYZE"))
            settings = [f"{name}={connection.scalar(text(f'SHOW {name}'))}"
                        for name in ("server_version", "shared_buffers", "work_mem", "autovacuum")]
    finally:
        engine.dispose()
    return ", ".join(settings)


def database_size(url: str) -> int:
    """Bytes in use: SQLite's pages less its free list (dropped tables leave free pages
    until a VACUUM), PostgreSQL's database size."""
    if url.startswith("sqlite:///"):
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            pages, free, size = (connection.execute(f"PRAGMA {p}").fetchone()[0]
                                 for p in ("page_count", "freelist_count", "page_size"))
        finally:
            connection.close()
        return (pages - free) * size
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(text("SELECT pg_database_size(current_database())"))
    finally:
        engine.dispose()


# -- timing -----------------------------------------------------------------------------------------------


def workloads(store: Store, url: str, rng: random.Random) -> dict[str, Callable[[], Any]]:
    """Each kind: a function that runs one query with freshly drawn parameters."""
    sources = _sample_sources(url, rng)
    ids, items = list(COUNTRIES)[:6], list(ITEMS)

    def pick(values: list[str]) -> Callable[[], str]:
        return lambda: rng.choice(values)

    def date_range() -> dict[str, str]:
        year = rng.randint(2022, 2026)
        month = rng.randint(1, 12)
        return rng.choice([{"date_from": f"{year}-{month:02d}", "date_to": f"{year}-{month:02d}"},
                           {"date_from": str(year), "date_to": str(year)},
                           {"date_from": f"{year}-{month:02d}-{rng.randint(1, 28):02d}"},
                           {"date_to": f"{year}-{month:02d}"}])

    flows: dict[str, Callable[[], dict[str, Any]]] = {
        "query (no filter)": lambda: {},
        "query --supplier": lambda: {"supplier": rng.choice(ids)},
        "query --recipient": lambda: {"recipient": rng.choice(ids)},
        "query --item": lambda: {"item": rng.choice(items)},
        "query --certainty": lambda: {"certainty": rng.choice(["certain", "uncertain", "negated"])},
        "query --date-from/--date-to": date_range,
        "query --outlet": lambda: {"outlet": rng.choice(OUTLETS)},
        "query --source": lambda: {"source": rng.choice(sources)},
        "query supplier+recipient+item": lambda: {"supplier": rng.choice(["PRK", "RUS", "IRN", "CHN"]),
                                                  "recipient": rng.choice(["RUS", "PRK", "IRN"]),
                                                  "item": rng.choice(items)},
        "query supplier+item+certainty+dates": lambda: {"supplier": rng.choice(["PRK", "RUS", "IRN"]),
                                                        "item": rng.choice(items),
                                                        "certainty": rng.choice(["certain", "uncertain"]),
                                                        **date_range()},
        "query outlet+dates": lambda: {"outlet": rng.choice(OUTLETS), **date_range()},
        "query recipient+certainty": lambda: {"recipient": rng.choice(ids),
                                              "certainty": rng.choice(["certain", "uncertain", "negated"])},
    }
    kinds: dict[str, Callable[[], Any]] = {
        kind: (lambda terms=terms: store.search(rng.choice(terms)))  # kizashi search: limit 20
        for kind, terms in SEARCH_TERMS.items()
    }
    kinds |= {kind: (lambda draw=draw: store.flows(**draw())) for kind, draw in flows.items()}  # limit 100
    return kinds


def _sample_sources(url: str, rng: random.Random) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            sources = connection.scalars(text("SELECT source FROM documents ORDER BY id LIMIT 5000")).all()
    finally:
        engine.dispose()
    return rng.sample(list(sources), min(200, len(sources)))


def run_queries(store: Store, url: str, repeat: int) -> dict[str, list[float]]:
    rng = random.Random(SEED)
    kinds = workloads(store, url, rng)
    for run in kinds.values():  # warm-up: caches, prepared plans, the ORM's compiled statements
        for _ in range(WARM_UP):
            run()
    timings: dict[str, list[float]] = {}
    for kind, run in kinds.items():
        samples = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            run()
            samples.append((time.perf_counter() - t0) * 1000)
        timings[kind] = samples
        print(f"  {kind}: p50 {percentile(samples, 50):.1f} ms, p95 {percentile(samples, 95):.1f} ms",
              file=sys.stderr, flush=True)
    return timings


def verify_search(store: Store, url: str, queries: list[str] | None = None) -> None:
    """Every search term's pages against the definition: the newest ``CANDIDATES`` matches by
    occurrences, then the older ones newest first (raises AssertionError on a difference)."""
    from kizashi.store.search import CANDIDATES

    queries = queries or [q for terms in SEARCH_TERMS.values() for q in terms]
    matches: dict[str, list[tuple[str, str | None, int]]] = {q: [] for q in queries}
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            for doc_id, published, body in connection.execute(text("SELECT id, published, text FROM documents")):
                lowered = body.lower()
                for q in queries:
                    terms = [t.lower() for t in q.split()]
                    if all(t in lowered for t in terms):
                        matches[q].append((doc_id, published, sum(lowered.count(t) for t in terms)))
    finally:
        engine.dispose()
    for q, found in matches.items():
        found.sort(key=lambda m: m[0], reverse=True)
        found.sort(key=lambda m: (m[1] is not None, m[1] or ""), reverse=True)
        expected = sorted(found[:CANDIDATES], key=lambda m: -m[2]) + found[CANDIDATES:]
        for offset in (0, CANDIDATES - 10, 2 * CANDIDATES):
            got = [(h.document_id, h.occurrences) for h in store.search(q, limit=20, offset=offset)]
            assert got == [(m[0], m[2]) for m in expected[offset:offset + 20]], (q, offset)
        print(f"  verified {q!r}: {len(found):,} matching documents", file=sys.stderr)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(p) - 1] if len(ordered) > 1 else ordered[0]


def table(timings: dict[str, list[float]]) -> str:
    rows = ["| query | runs | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|"]

    def row(name: str, samples: list[float]) -> str:
        p95 = percentile(samples, 95)
        flag = "" if p95 <= TARGET_MS else " ⚠"
        return (f"| {name} | {len(samples)} | {percentile(samples, 50):.1f} | {p95:.1f}{flag} | "
                f"{max(samples):.1f} |")

    rows += [row(kind, samples) for kind, samples in timings.items()]
    search = [s for k, v in timings.items() if k.startswith("search") for s in v]
    query = [s for k, v in timings.items() if k.startswith("query") for s in v]
    rows += [row("**all search**", search), row("**all query**", query), row("**overall**", search + query)]
    return "\n".join(rows)


def machine() -> str:
    import sqlite3

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return (f"machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}")


if __name__ == "__main__":
    main(sys.argv[1:])
