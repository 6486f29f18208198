"""Cost of keeping the ledger tables up to date during ingest, against the cost of the pipeline.

Usage:
    .venv/bin/python benchmarks/ledger_upkeep.py [--articles N] [--new 200] [--backend sqlite|postgresql|both]
                                                 [--no-pipeline]

Opens the benchmark store of N articles that ``web_latency.py --articles N`` built (the same
paths: data/bench/web-<N>.db, database ``kizashi_web_bench[_<N>]``; it must exist), brings it
to the latest migration, and works on a copy so that the benchmark store stays unchanged:
SQLite through the backup API to a file in data/bench/, PostgreSQL as
``CREATE DATABASE <name>_upkeep TEMPLATE <name>``; the copy is dropped at the end.

Into the copy go M (``--new``) generated articles that are not in the store (seed 1, sources
under bench/new/), one ``Store.save_document`` call (one transaction) each, as ``kizashi
ingest`` saves them. One more article is saved first and reported apart: the first save of a
process loads the near-duplicate index of every stored signature. Each save is timed whole,
and so is the part spent in ``kizashi.store.ledger.upkeep``, the function that updates the
ledger tables inside the save's transaction: it is wrapped with a timer in its module and in
every kizashi module that imported it by name (``from .ledger import upkeep``).

For comparison, the full pipeline (``kizashi.workflow.analyse_file``: read, clean, GiNZA,
link, extract) runs over samples/* twice after GiNZA is loaded (its load is timed apart); the
second, warm pass gives ms per article and per 1,000 characters. The upkeep share of ingest is
upkeep ms / (pipeline ms at the generated articles' average length + save ms).
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import text

from kizashi.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_articles import articles, check_spans  # noqa: E402
from query_latency import (  # noqa: E402
    BENCH_DIR,
    DEFAULT_ARTICLES,
    PG_SERVER,
    _pg_admin,
    _pg_exists,
    _pg_recreate,
    machine,
    percentile,
)
from web_latency import store_location  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
NEW_SEED = 1  # articles(M, 1) shares no article with the store's articles(N, 0)
DEFAULT_NEW = 200
REAL_ARTICLE_CHARS = 2437  # mean clean-text length of the three real articles in ../shared/corpus


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES, help="selects the benchmark store")
    parser.add_argument("--new", type=int, default=DEFAULT_NEW, help="new articles to save")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--no-pipeline", action="store_true", help="skip the pipeline run over samples/")
    args = parser.parse_args(argv)
    print(machine())
    timer = UpkeepTimer.install()
    print(timer.status)
    docs = new_articles(args.new + 1)
    length = statistics.fmean(len(d.text) for d in docs[1:])
    print(f"new articles: {args.new} (+1 first save), average {length:,.0f} characters")

    results: dict[str, dict[str, float]] = {}
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        url, _marker, database, path = store_location(backend, args.articles)
        exists = path.exists() if path is not None else _pg_exists(database)
        if not exists:
            print(f"\n## {backend}: no store at {url}: build it first with "
                  f"benchmarks/web_latency.py --articles {args.articles} --backend {backend}")
            continue
        print(f"\n## {backend}: a copy of {url}")
        t0 = time.perf_counter()
        with Store.open(url) as store:  # migrate the original once, not every copy
            stored = store.count_documents()
        print(f"open (and migrate) the original: {time.perf_counter() - t0:.1f} s, {stored:,} documents")
        t0 = time.perf_counter()
        with copy_of(backend, url, database, path) as copy_url:
            print(f"copy: {time.perf_counter() - t0:.1f} s ({copy_url})")
            results[backend] = save_new(copy_url, docs, timer)
        print(describe(results[backend], timer))

    pipeline = None if args.no_pipeline else pipeline_cost()
    if results:
        print()
        print(table(results, timer, pipeline, length))


# -- the timer around upkeep ---------------------------------------------------------------------------


class UpkeepTimer:
    """Seconds spent in ``kizashi.store.ledger.upkeep`` since the last ``reset``."""

    def __init__(self, status: str, wrapped: bool) -> None:
        self.status = status
        self.wrapped = wrapped
        self.seconds = 0.0
        self.calls = 0

    @classmethod
    def install(cls) -> UpkeepTimer:
        try:
            from kizashi.store import ledger
        except ImportError as exc:
            return cls(f"upkeep: NOT MEASURED, kizashi.store.ledger cannot be imported ({exc}); "
                       "only whole saves are timed", wrapped=False)
        original = getattr(ledger, "upkeep", None)
        if not callable(original):
            names = ", ".join(n for n in dir(ledger) if not n.startswith("_") and callable(getattr(ledger, n)))
            return cls(f"upkeep: NOT MEASURED, kizashi.store.ledger has no function upkeep (it has: {names}); "
                       "only whole saves are timed", wrapped=False)
        import kizashi.store.repository  # noqa: F401  (so that its names are bound before patching)

        timer = cls("", wrapped=True)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                timer.seconds += time.perf_counter() - t0
                timer.calls += 1

        patched = []
        for name, module in list(sys.modules.items()):
            if (name == "kizashi" or name.startswith("kizashi.")) and getattr(module, "upkeep", None) is original:
                module.upkeep = timed
                patched.append(f"{name}.upkeep")
        timer.status = f"upkeep: timing {original.__module__}.{original.__qualname__}, patched as {', '.join(patched)}"
        return timer

    def reset(self) -> None:
        self.seconds, self.calls = 0.0, 0


# -- the copy and the saves ------------------------------------------------------------------------------


class copy_of:
    """A throw-away copy of the benchmark store, as a context manager giving its URL."""

    def __init__(self, backend: str, url: str, database: str | None, path: Path | None) -> None:
        self.backend, self.url, self.database, self.path = backend, url, database, path
        self.target: Any = None

    def __enter__(self) -> str:
        if self.path is not None:
            BENCH_DIR.mkdir(parents=True, exist_ok=True)
            self.target = BENCH_DIR / f"upkeep-copy-{os.getpid()}.db"
            self.__exit__()  # a copy left by a killed run of the same pid
            source, target = sqlite3.connect(self.path), sqlite3.connect(self.target)
            try:
                source.backup(target)  # consistent even with a -wal beside the file
            finally:
                source.close()
                target.close()
            return f"sqlite:///{self.target}"
        self.target = f"{self.database}_upkeep"
        _pg_recreate(self.target, template=self.database)
        return PG_SERVER.format(database=self.target)

    def __exit__(self, *exc_info: object) -> None:
        if self.path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.target}{suffix}").unlink(missing_ok=True)
            return
        engine = _pg_admin()
        try:
            with engine.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.target}" WITH (FORCE)'))
        finally:
            engine.dispose()


def new_articles(m: int) -> list[Any]:
    """``m`` generated articles of another seed, with sources of their own (bench/new/…)."""
    docs = []
    for doc in articles(m, NEW_SEED):
        check_spans(doc)
        doc.source = "bench/new/" + doc.source.removeprefix("bench/")
        doc.raw_sha256 = hashlib.sha256(f"{doc.source}\n{doc.text}".encode()).hexdigest()
        docs.append(doc)
    return docs


def save_new(url: str, docs: list[Any], timer: UpkeepTimer) -> dict[str, Any]:
    """Save the first document apart, then each of the rest in its own ``save_document`` call."""
    save_ms, upkeep_ms, statuses = [], [], {}
    with Store.open(url) as store:
        timer.reset()
        t0 = time.perf_counter()
        store.save_document(docs[0])
        first = {"save_ms": (time.perf_counter() - t0) * 1000, "upkeep_ms": timer.seconds * 1000}
        calls = 0
        for doc in docs[1:]:
            timer.reset()
            t0 = time.perf_counter()
            result = store.save_document(doc)
            save_ms.append((time.perf_counter() - t0) * 1000)
            upkeep_ms.append(timer.seconds * 1000)
            calls += timer.calls
            statuses[result.status] = statuses.get(result.status, 0) + 1
    return {"first": first, "save_ms": save_ms, "upkeep_ms": upkeep_ms, "calls": calls, "statuses": statuses}


def describe(result: dict[str, Any], timer: UpkeepTimer) -> str:
    save, upkeep = result["save_ms"], result["upkeep_ms"]
    lines = [f"statuses: {result['statuses']}",
             f"first save: {result['first']['save_ms']:,.0f} ms (upkeep {result['first']['upkeep_ms']:,.1f} ms)",
             f"save: mean {statistics.fmean(save):.1f} ms, p50 {percentile(save, 50):.1f}, "
             f"p95 {percentile(save, 95):.1f}, max {max(save):.1f} ms per article"]
    if timer.wrapped:
        lines.append(f"upkeep: mean {statistics.fmean(upkeep):.1f} ms, p50 {percentile(upkeep, 50):.1f}, "
                     f"p95 {percentile(upkeep, 95):.1f}, max {max(upkeep):.1f} ms per article "
                     f"({result['calls'] / len(save):.2f} calls per save; "
                     f"{sum(upkeep) / sum(save):.0%} of the save time)")
        if result["calls"] == 0:
            lines.append("WARNING: upkeep was never called during the saves: is it called by Store.save_document, "
                         "or imported under another name?")
    return "\n".join(lines)


# -- the pipeline for comparison -------------------------------------------------------------------------


def pipeline_cost() -> dict[str, float]:
    """The full pipeline over samples/*: GiNZA's load, then a cold and a warm pass."""
    from kizashi.config import Options
    from kizashi.language.ginza import load_nlp
    from kizashi.workflow import analyse_file

    options = Options()
    t0 = time.perf_counter()
    nlp = load_nlp(options.spacy_model)
    list(nlp.pipe(["ウォームアップの文です。"]))
    load_s = time.perf_counter() - t0
    paths = sorted(p for p in SAMPLES.iterdir() if p.is_file())

    def one_pass() -> tuple[float, int, int]:
        t0 = time.perf_counter()
        docs = [d for p in paths for d in analyse_file(p, options)[0]]
        return time.perf_counter() - t0, len(docs), sum(len(d.text) for d in docs)

    cold, n, chars = one_pass()
    warm, _, _ = one_pass()
    out = {"ginza_load_s": load_s, "articles": n, "characters": chars, "cold_s": cold, "warm_s": warm,
           "ms_per_article": warm / n * 1000, "ms_per_1000_chars": warm / chars * 1e6}
    print(f"\n## pipeline over {len(paths)} files in samples/ ({n} articles, {chars:,} characters)\n"
          f"GiNZA load {load_s:.1f} s; first pass {cold * 1000:,.0f} ms (lazy loading included), "
          f"second pass {warm * 1000:,.0f} ms: {out['ms_per_article']:,.0f} ms per article, "
          f"{out['ms_per_1000_chars']:,.0f} ms per 1,000 characters")
    return out


def table(results: dict[str, dict[str, Any]], timer: UpkeepTimer, pipeline: dict[str, float] | None,
          length: float) -> str:
    backends = list(results)
    rows = ["| per new article | " + " | ".join(backends) + " |", "|---|" + "---:|" * len(backends)]

    def row(name: str, value: Callable[[dict[str, Any]], str]) -> None:
        rows.append(f"| {name} | " + " | ".join(value(results[b]) for b in backends) + " |")

    row("save, mean ms", lambda r: f"{statistics.fmean(r['save_ms']):.1f}")
    row("save, p50 / p95 ms", lambda r: f"{percentile(r['save_ms'], 50):.1f} / {percentile(r['save_ms'], 95):.1f}")
    if timer.wrapped:
        row("ledger upkeep, mean ms", lambda r: f"{statistics.fmean(r['upkeep_ms']):.1f}")
        row("ledger upkeep, p50 / p95 ms",
            lambda r: f"{percentile(r['upkeep_ms'], 50):.1f} / {percentile(r['upkeep_ms'], 95):.1f}")
        row("upkeep share of the save", lambda r: f"{sum(r['upkeep_ms']) / sum(r['save_ms']):.0%}")
    if pipeline:
        # the generated articles are short; the shared corpus's real articles average 2,437 characters
        for chars, what in ((length, "generated"), (REAL_ARTICLE_CHARS, "real news")):
            analysed = pipeline["ms_per_1000_chars"] * chars / 1000
            row(f"pipeline at {chars:,.0f} characters ({what}), ms", lambda r, a=analysed: f"{a:,.0f}")
            if timer.wrapped:
                row(f"upkeep share of ingest, {what} length (pipeline + save)",
                    lambda r, a=analysed: f"{statistics.fmean(r['upkeep_ms']) / (a + statistics.fmean(r['save_ms'])):.2%}")
    if not timer.wrapped:
        rows.append("\n(upkeep not measured: " + timer.status.removeprefix("upkeep: NOT MEASURED, ") + ")")
    return "\n".join(rows)


if __name__ == "__main__":
    main(sys.argv[1:])
