"""Latency of the web pages and the HTTP API of ``kizashi serve`` over loopback, at 100,000 generated articles.

Usage:
    .venv/bin/python benchmarks/web_latency.py [--articles N] [--backend sqlite|postgresql|both]
                                               [--repeat 100] [--rebuild] [--port P]

The store is filled once with ``Store.save_documents`` in batches of 500 (one transaction per
batch; the near-duplicate path runs) from ``generate_articles.articles`` and kept: SQLite in
data/bench/web-<N>.db (web-100k.db at the default size), PostgreSQL in the database
``kizashi_web_bench`` (``kizashi_web_bench_<N>`` for other sizes) on 127.0.0.1:5432, user
postgres. A JSON marker next to it records what was built and how long it took; ``--rebuild``
starts again, as does a change of the generator. PostgreSQL gets a VACUUM ANALYZE after the
build and before every run (autovacuum is off on the development server).

Then the real server runs as a subprocess (``kizashi --db URL serve --host 127.0.0.1 --port P``)
and is measured from one keep-alive httpx client:

- cold start: wall time from spawning the process to the first 200 answer to ``GET /``, and
  the latency of that first request alone (the dashboard builds the cross-article analysis);
- every page and API route kind, ``--repeat`` times after a few warm-ups, with parameters
  drawn at random (seed 0) from values the generated data holds: countries, items,
  certainties, outlets, date ranges (a month, a year, from a day, up to a month), document
  ids read from ``/api/documents`` pages at random offsets, search terms common and rare
  (``query_latency.SEARCH_TERMS``). Each request is timed from send to the last byte read;
  p50/p95/max are printed per route kind as a Markdown table per backend, p95 over 50 ms
  marked ⚠. A non-200 answer is counted as a failure (with its status) and left out of the
  timings; a route kind whose first request answers 404 Not Found is reported as missing;
- the server's peak resident memory (VmHWM in /proc/<pid>/status) after the first page and
  after all timings.

The server's output goes to data/bench/web-server-<backend>-<N>.log; the timings to
data/bench/web-results-<backend>-<N>.json.
"""
from __future__ import annotations

import argparse
import json
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from kizashi.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate_articles import ITEMS, OUTLETS, articles, check_spans  # noqa: E402
from query_latency import (  # noqa: E402
    BENCH_DIR,
    DEFAULT_ARTICLES,
    PG_SERVER,
    SEARCH_TERMS,
    SEED,
    TARGET_MS,
    _generator_hash,
    _pg_exists,
    _pg_recreate,
    analyse_postgresql,
    database_size,
    machine,
    percentile,
)

ROOT = Path(__file__).resolve().parents[1]
KIZASHI = Path(sys.executable).parent / "kizashi"  # the venv's console script
DEFAULT_REPEAT = 100
WARM_UP = 3  # requests of each kind before timing
BATCH = 500  # documents per save_documents call (one transaction)
START_TIMEOUT = 1800.0  # seconds to wait for the first page (it builds the analysis of every article)
REQUEST_TIMEOUT = 300.0
COUNTRIES = ["PRK", "RUS", "IRN", "CHN", "BLR", "SYR"]
CERTAINTIES = ["certain", "uncertain", "negated"]
EVENT_TYPES = ["meeting", "agreement", "launch", "sanction"]
ENTITY_TYPES = ["country", "person", "organization"]
# The search groups of query_latency, folded into the four kinds the routes are timed with.
SEARCH_KINDS = {
    "common": SEARCH_TERMS["search 2 chars, common"] + SEARCH_TERMS["search 3-6 chars, common"],
    "rare": SEARCH_TERMS["search 2 chars, rare"] + SEARCH_TERMS["search 3-6 chars, rare"],
    "two terms": SEARCH_TERMS["search two terms"],
    "no match": SEARCH_TERMS["search no match"],
}

Request = tuple[str, dict[str, Any]]  # (path, query parameters)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--port", type=int, default=None, help="server port (default: a free one)")
    parser.add_argument("--build-only", action="store_true", help="build (or check) the store and stop")
    parser.add_argument("--resume", action="store_true", help="go on with a stopped build instead of starting again")
    args = parser.parse_args(argv)
    print(machine())
    failed = []
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        url, marker = prepare(backend, args.articles, args.rebuild, args.resume)
        print(f"\n## {backend}: {url}\n{json.dumps(marker, ensure_ascii=False)}")
        if args.build_only:
            continue
        t0 = time.perf_counter()
        Store.open(url).close()  # brings a store built by an older revision to head, outside the cold start
        print(f"open (and migrate): {time.perf_counter() - t0:.1f} s")
        if backend == "postgresql":
            print(f"server: {analyse_postgresql(url)}")
        print(f"size in use: {database_size(url) / 2**20:,.0f} MiB")
        log = BENCH_DIR / f"web-server-{backend}-{args.articles}.log"
        try:
            result = run_server_benchmark(url, args.port or free_port(), args.repeat, log)
        except ServerFailed as exc:
            print(f"**server failed**: {exc}")
            failed.append(backend)
            continue
        print(result.summary())
        print()
        print(table(result.routes))
        out = BENCH_DIR / f"web-results-{backend}-{args.articles}.json"
        out.write_text(json.dumps({"marker": marker, **result.as_json()}, ensure_ascii=False))
    if failed:
        sys.exit(f"no figures for: {', '.join(failed)}")


# -- building ---------------------------------------------------------------------------------------------


def store_location(backend: str, n: int) -> tuple[str, Path, str | None, Path | None]:
    """(URL, marker path, PostgreSQL database or None, SQLite file or None) of the ``n``-article store."""
    label = "100k" if n == DEFAULT_ARTICLES else str(n)
    marker_path = BENCH_DIR / f"web-{label}.{backend}.json"
    if backend == "sqlite":
        path = BENCH_DIR / f"web-{label}.db"
        return f"sqlite:///{path}", marker_path, None, path
    database = "kizashi_web_bench" if n == DEFAULT_ARTICLES else f"kizashi_web_bench_{n}"
    return PG_SERVER.format(database=database), marker_path, database, None


def prepare(backend: str, n: int, rebuild: bool, resume: bool = False) -> tuple[str, dict[str, Any]]:
    """The store's URL and its build marker, building the store first when needed; ``resume``
    goes on with a build that was stopped (what is stored is skipped as unchanged) instead of
    starting again. A resumed build's seconds count only its own run."""
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    url, marker_path, database, path = store_location(backend, n)
    wanted = {"articles": n, "seed": SEED, "generator": _generator_hash(), "batch": BATCH}
    exists = path.exists() if path is not None else _pg_exists(database)
    if not rebuild and exists and marker_path.exists():
        marker = json.loads(marker_path.read_text())
        if all(marker.get(k) == v for k, v in wanted.items()):
            return url, marker
    if resume and exists:
        pass
    elif path is not None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        _pg_recreate(database)
    marker = wanted | build(url, n)
    if backend == "postgresql":
        t0 = time.perf_counter()
        analyse_postgresql(url)
        marker["vacuum_analyze_seconds"] = round(time.perf_counter() - t0, 1)
    marker_path.write_text(json.dumps(marker, ensure_ascii=False, indent=1))
    return url, marker


def build(url: str, n: int) -> dict[str, Any]:
    """Save ``n`` generated articles in batches of ``BATCH``, one transaction each."""
    statuses: Counter[str] = Counter()
    started = time.perf_counter()
    saving = 0.0
    with Store.open(url) as store:
        for done, batch in batches(articles(n, SEED), BATCH):
            for doc in batch:
                check_spans(doc)
            t0 = time.perf_counter()
            results = store.save_documents(batch)
            saving += time.perf_counter() - t0
            statuses.update(getattr(r, "status", "error") for r in results)
            if errors := [r for r in results if not hasattr(r, "status")]:
                print(f"  {len(errors)} failed in the batch, the first: {errors[0]}", file=sys.stderr, flush=True)
            if done % 5000 == 0 or done == n:
                print(f"  {done:,} saved, {time.perf_counter() - started:,.0f} s", file=sys.stderr, flush=True)
    total = time.perf_counter() - started
    return {"statuses": dict(statuses), "build_seconds": round(total, 1), "save_seconds": round(saving, 1),
            "save_ms_per_article": round(saving / n * 1000, 2)}


def batches(docs: Iterator[Any], size: int) -> Iterator[tuple[int, list[Any]]]:
    """(documents so far, batch) for consecutive batches of ``size``."""
    batch, done = [], 0
    for doc in docs:
        batch.append(doc)
        if len(batch) == size:
            done += len(batch)
            yield done, batch
            batch = []
    if batch:
        yield done + len(batch), batch


# -- the server ---------------------------------------------------------------------------------------------


class ServerFailed(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_kib(pid: int) -> dict[str, int]:
    """VmHWM (peak) and VmRSS (now) of a process, in KiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            found[key] = int(value.split()[0])
    return found


@dataclass
class RouteTiming:
    kind: str
    samples: list[float] = field(default_factory=list)  # ms, 200 answers only
    failures: Counter[str] = field(default_factory=Counter)  # status (or exception name) → count
    missing: bool = False
    first: Request | None = None  # an example request, for the record


@dataclass
class ServerResult:
    port: int
    spawn_to_first_page_s: float
    first_request_ms: float
    rss_after_first_page: dict[str, int]
    rss_at_end: dict[str, int]
    documents: int
    ids_sampled: int
    routes: dict[str, RouteTiming]

    def summary(self) -> str:
        mib = 1024
        return "\n".join([
            f"server on 127.0.0.1:{self.port}, {self.documents:,} documents, {self.ids_sampled} ids sampled",
            f"cold start: {self.spawn_to_first_page_s:.2f} s from spawn to the first 200 on GET /; "
            f"that first request alone {self.first_request_ms:,.0f} ms",
            f"server RSS: peak {self.rss_after_first_page.get('VmHWM', 0) / mib:,.0f} MiB after the first page, "
            f"peak {self.rss_at_end.get('VmHWM', 0) / mib:,.0f} MiB after all timings "
            f"(now {self.rss_at_end.get('VmRSS', 0) / mib:,.0f} MiB)",
        ])

    def as_json(self) -> dict[str, Any]:
        return {"port": self.port, "spawn_to_first_page_s": self.spawn_to_first_page_s,
                "first_request_ms": self.first_request_ms, "rss_after_first_page_kib": self.rss_after_first_page,
                "rss_at_end_kib": self.rss_at_end, "documents": self.documents,
                "timings_ms": {k: r.samples for k, r in self.routes.items()},
                "failures": {k: dict(r.failures) for k, r in self.routes.items() if r.failures},
                "missing": [k for k, r in self.routes.items() if r.missing]}


def run_server_benchmark(url: str, port: int, repeat: int, log_path: Path) -> ServerResult:
    """Start the server, time its cold start and every route kind, read its peak RSS, stop it."""
    command = [str(KIZASHI), "--db", url, "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("w") as log, httpx.Client(base_url=f"http://127.0.0.1:{port}",
                                                 timeout=REQUEST_TIMEOUT) as client:
        spawned = time.perf_counter()
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        try:
            first_ms = wait_for_first_page(client, process, log_path)
            spawn_to_page = time.perf_counter() - spawned
            rss_first = peak_rss_kib(process.pid)
            print(f"  cold start {spawn_to_page:.2f} s (first GET / {first_ms:,.0f} ms)", file=sys.stderr, flush=True)
            rng = random.Random(SEED)
            documents, ids = sample_ids(client, rng)
            timeline_total = _total(client, "/api/timeline")
            routes = run_routes(client, workloads(rng, ids, documents, timeline_total), repeat, process)
            rss_end = peak_rss_kib(process.pid)
        finally:
            stop(process)
    return ServerResult(port, round(spawn_to_page, 3), round(first_ms, 1), rss_first, rss_end, documents,
                        len(ids), routes)


def wait_for_first_page(client: httpx.Client, process: subprocess.Popen, log_path: Path) -> float:
    """Poll ``GET /`` until the server answers; the latency of the answering request, in ms."""
    deadline = time.perf_counter() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise ServerFailed(f"the server exited with status {process.returncode}:\n{_tail(log_path)}")
        if time.perf_counter() > deadline:
            raise ServerFailed(f"no answer to GET / within {START_TIMEOUT:.0f} s:\n{_tail(log_path)}")
        t0 = time.perf_counter()
        try:
            response = client.get("/", timeout=httpx.Timeout(REQUEST_TIMEOUT, read=START_TIMEOUT))
        except httpx.ConnectError:  # not listening yet
            time.sleep(0.02)
            continue
        except httpx.TransportError as exc:
            raise ServerFailed(f"GET / failed: {exc!r}\n{_tail(log_path)}") from exc
        elapsed = (time.perf_counter() - t0) * 1000
        if response.status_code != 200:
            raise ServerFailed(f"GET / answered {response.status_code}: {response.text[:500]}\n{_tail(log_path)}")
        return elapsed


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _total(client: httpx.Client, path: str, **params: Any) -> int:
    response = client.get(path, params={"limit": 1, **params})
    return response.json()["total"] if response.status_code == 200 else 0


def sample_ids(client: httpx.Client, rng: random.Random, pages: int = 20) -> tuple[int, list[str]]:
    """(stored documents, ids read from ``/api/documents`` pages at random offsets)."""
    total = _total(client, "/api/documents")
    ids: list[str] = []
    for _ in range(pages if total else 0):
        response = client.get("/api/documents", params={"limit": 50, "offset": rng.randrange(max(total - 50, 1))})
        if response.status_code == 200:
            ids += [item["id"] for item in response.json()["items"]]
    return total, sorted(set(ids))


# -- the route kinds ---------------------------------------------------------------------------------------


def workloads(rng: random.Random, ids: list[str], documents: int, timeline_total: int,
              ) -> dict[str, Callable[[], Request]]:
    """Each route kind: a function that draws one request (path, query parameters)."""
    items = list(ITEMS)

    def date_range() -> dict[str, str]:
        year = rng.randint(2022, 2026)
        month = rng.randint(1, 12)
        return rng.choice([{"date_from": f"{year}-{month:02d}", "date_to": f"{year}-{month:02d}"},
                           {"date_from": str(year), "date_to": str(year)},
                           {"date_from": f"{year}-{month:02d}-{rng.randint(1, 28):02d}"},
                           {"date_to": f"{year}-{month:02d}"}])

    def doc_id() -> str:
        return rng.choice(ids) if ids else "no-ids-sampled"

    def offset(total: int) -> int:
        return rng.randrange(max(total, 1))

    filters: dict[str, Callable[[], dict[str, Any]]] = {
        "no filter": lambda: {},
        "supplier": lambda: {"supplier": rng.choice(COUNTRIES)},
        "recipient": lambda: {"recipient": rng.choice(COUNTRIES)},
        "item": lambda: {"item": rng.choice(items)},
        "certainty": lambda: {"certainty": rng.choice(CERTAINTIES)},
        "outlet": lambda: {"outlet": rng.choice(OUTLETS)},
        "date_from/date_to": date_range,
        "supplier+recipient+item": lambda: {"supplier": rng.choice(["PRK", "RUS", "IRN", "CHN"]),
                                            "recipient": rng.choice(["RUS", "PRK", "IRN"]),
                                            "item": rng.choice(items)},
        "supplier+item+certainty+dates": lambda: {"supplier": rng.choice(["PRK", "RUS", "IRN"]),
                                                  "item": rng.choice(items),
                                                  "certainty": rng.choice(["certain", "uncertain"]), **date_range()},
    }

    def search(terms: list[str]) -> Callable[[], dict[str, Any]]:
        return lambda: {"q": rng.choice(terms)}

    def fixed(path: str, draw: Callable[[], dict[str, Any]] = dict) -> Callable[[], Request]:
        return lambda: (path, draw())

    kinds: dict[str, Callable[[], Request]] = {
        "GET / (dashboard)": fixed("/"),
        "GET /documents?offset=K": fixed("/documents", lambda: {"offset": offset(documents)}),
        "GET /documents/{id}": lambda: (f"/documents/{doc_id()}", {}),
    }
    kinds |= {f"GET /search {kind}": fixed("/search", search(terms)) for kind, terms in SEARCH_KINDS.items()}
    kinds |= {f"GET /ledger {name}": fixed("/ledger", draw) for name, draw in filters.items()}
    kinds |= {
        "GET /flows": fixed("/flows"),
        "GET /timeline": fixed("/timeline"),
        "GET /timeline date range": fixed("/timeline", date_range),
        "GET /timeline?offset=K": fixed("/timeline", lambda: {"offset": offset(timeline_total)}),
        "GET /contradictions": fixed("/contradictions"),
        "GET /api/documents?offset=K": fixed("/api/documents", lambda: {"limit": 50, "offset": offset(documents)}),
        "GET /api/documents/{id}": lambda: (f"/api/documents/{doc_id()}", {}),
    }
    kinds |= {f"GET /api/ledger {name}": fixed("/api/ledger", draw) for name, draw in filters.items()}
    kinds |= {f"GET /api/flows {name}": fixed("/api/flows", draw) for name, draw in filters.items()}
    kinds |= {
        "GET /api/events": fixed("/api/events"),
        "GET /api/events type": fixed("/api/events", lambda: {"type": rng.choice(EVENT_TYPES)}),
        "GET /api/events date range": fixed("/api/events", date_range),
        "GET /api/timeline": fixed("/api/timeline"),
        "GET /api/timeline date range": fixed("/api/timeline", date_range),
        "GET /api/timeline?offset=K": fixed("/api/timeline", lambda: {"offset": offset(timeline_total)}),
        "GET /api/contradictions": fixed("/api/contradictions"),
        "GET /api/entities": fixed("/api/entities"),
        "GET /api/entities type": fixed("/api/entities", lambda: {"type": rng.choice(ENTITY_TYPES)}),
    }
    kinds |= {f"GET /api/search {kind}": fixed("/api/search", search(terms)) for kind, terms in SEARCH_KINDS.items()}
    kinds |= {
        "GET /ledger.csv supplier": fixed("/ledger.csv", filters["supplier"]),
        "GET /ledger.csv item": fixed("/ledger.csv", filters["item"]),
        "GET /ledger.csv supplier+recipient+item": fixed("/ledger.csv", filters["supplier+recipient+item"]),
        "GET /ledger.json supplier": fixed("/ledger.json", filters["supplier"]),
        "GET /ledger.json item": fixed("/ledger.json", filters["item"]),
        "GET /ledger.json supplier+item+certainty+dates": fixed("/ledger.json",
                                                                filters["supplier+item+certainty+dates"]),
    }
    return kinds


def run_routes(client: httpx.Client, kinds: dict[str, Callable[[], Request]], repeat: int,
               process: subprocess.Popen) -> dict[str, RouteTiming]:
    timings: dict[str, RouteTiming] = {}
    for kind, draw in kinds.items():
        timing = timings[kind] = RouteTiming(kind)
        for i in range(WARM_UP + repeat):
            if process.poll() is not None:
                raise ServerFailed(f"the server exited with status {process.returncode} during {kind!r}")
            path, params = draw()
            timing.first = timing.first or (path, params)
            status, elapsed, body = timed_get(client, path, params)
            if i == 0 and status == 404 and "Not Found" in body:  # no such route (yet)
                timing.missing = True
                break
            if status != 200:
                timing.failures[str(status)] += 1
            elif i >= WARM_UP:
                timing.samples.append(elapsed)
        print(f"  {kind}: {describe(timing)}", file=sys.stderr, flush=True)
    return timings


def timed_get(client: httpx.Client, path: str, params: dict[str, Any]) -> tuple[int | str, float, str]:
    """(status or exception name, ms from send to the last byte, start of an error body)."""
    t0 = time.perf_counter()
    try:
        response = client.get(path, params=params)
    except httpx.TransportError as exc:
        return type(exc).__name__, (time.perf_counter() - t0) * 1000, ""
    elapsed = (time.perf_counter() - t0) * 1000
    return response.status_code, elapsed, response.text[:300] if response.status_code != 200 else ""


def describe(timing: RouteTiming) -> str:
    if timing.missing:
        return "missing (404)"
    failures = ", ".join(f"{status}×{n}" for status, n in timing.failures.items())
    if not timing.samples:
        return f"no 200 answer ({failures})"
    text = f"p50 {percentile(timing.samples, 50):.1f} ms, p95 {percentile(timing.samples, 95):.1f} ms"
    return text + (f", failures {failures}" if failures else "")


def table(routes: dict[str, RouteTiming]) -> str:
    rows = ["| route | runs | p50 ms | p95 ms | max ms | failures |", "|---|---:|---:|---:|---:|---|"]

    def row(name: str, samples: list[float], failures: Counter[str]) -> str:
        failed = ", ".join(f"{status}×{n}" for status, n in sorted(failures.items())) or "0"
        if not samples:
            return f"| {name} | 0 | – | – | – | {failed} |"
        p95 = percentile(samples, 95)
        flag = "" if p95 <= TARGET_MS else " ⚠"
        return (f"| {name} | {len(samples)} | {percentile(samples, 50):.1f} | {p95:.1f}{flag} | "
                f"{max(samples):.1f} | {failed} |")

    for kind, timing in routes.items():
        rows.append(f"| {kind} | – | – | – | – | missing |" if timing.missing
                    else row(kind, timing.samples, timing.failures))
    groups = {"**all pages**": lambda k: not k.startswith("GET /api/") and ".csv" not in k and ".json" not in k,
              "**all API**": lambda k: k.startswith("GET /api/"),
              "**all exports**": lambda k: ".csv" in k or ".json" in k,
              "**overall**": lambda k: True}
    for name, member in groups.items():
        chosen = [t for k, t in routes.items() if member(k) and not t.missing]
        if chosen:
            rows.append(row(name, [s for t in chosen for s in t.samples], sum((t.failures for t in chosen), Counter())))
    return "\n".join(rows)


if __name__ == "__main__":
    main(sys.argv[1:])
