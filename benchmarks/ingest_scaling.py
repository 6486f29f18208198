"""End-to-end ingest against bare ``nlp.pipe``, and Dask with 2 workers against 1.

Usage: .venv/bin/python benchmarks/ingest_scaling.py [--copies N] [--workers 1 2]

Input: the shared corpus (../shared/corpus, read in place) and our samples, each written
``--copies`` times with a numbered first line so every copy is new raw bytes that goes
through the whole pipeline. Every figure comes from one run on a fresh SQLite store:

- bare ``nlp.pipe`` over the same clean text, paragraph by paragraph (GiNZA's full pipeline);
- ``kizashi ingest`` in one process (read, clean, language, link, extract, store);
- the same on a Dask LocalCluster of 1 and of 2 worker processes, timed after the workers
  have loaded the model, with each worker's peak resident memory.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from kizashi.cluster import ClusterSpec, close_client, ingest_paths_distributed, open_client, peak_rss_bytes, warm_up
from kizashi.config import Options
from kizashi.ingest import iter_files, read_file
from kizashi.language.ginza import load_nlp
from kizashi.pipeline import run
from kizashi.store import Store
from kizashi.workflow import ingest_paths

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT.parent / "shared" / "corpus", ROOT / "samples"]


def build_inputs(folder: Path, copies: int) -> list[Path]:
    """``copies`` numbered copies of every UTF-8 plain-text article of the sources."""
    originals = [p for p in iter_files([s for s in SOURCES if s.exists()])
                 if isinstance(p, Path) and p.suffix == ".txt" and _utf8(p) is not None]
    written = []
    for n in range(copies):
        for path in originals:
            target = folder / f"{n:03d}-{path.name}"
            target.write_text(f"第{n + 1}版\n\n{_utf8(path)}", encoding="utf-8")
            written.append(target)
    return written


def _utf8(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


def clean_characters(paths: list[Path], options: Options) -> tuple[int, list]:
    docs = [run(d, options, ("clean",)) for p in paths for d in read_file(p, options)]
    return sum(len(d.text) for d in docs), docs


def bare_pipe_seconds(docs: list, options: Options) -> float:
    nlp = load_nlp(options.spacy_model)
    list(nlp.pipe(["ウォームアップの文です。"]))
    start = time.perf_counter()
    for d in docs:
        list(nlp.pipe([d.text[p.start:p.end] for p in d.paragraphs], batch_size=options.batch_size))
    return time.perf_counter() - start


def single_process_seconds(folder: Path, db: Path, options: Options) -> float:
    warm_up(options)
    with Store.open(f"sqlite:///{db}") as store:
        start = time.perf_counter()
        report = ingest_paths([folder], store, options)
        elapsed = time.perf_counter() - start
    assert not report.failed, report.failed
    return elapsed


def driver_seconds(folder: Path, single_db: Path, db: Path, options: Options) -> float:
    """What the Dask driver does per run besides waiting: read every file and store the
    analysed documents (taken from the single-process store) in batches."""
    with Store.open(f"sqlite:///{single_db}") as stored:
        analysed = list(stored.iter_documents())
    start = time.perf_counter()
    for path in sorted(folder.iterdir()):
        read_file(path, options)
    with Store.open(f"sqlite:///{db}") as store:
        for i in range(0, len(analysed), 16):
            store.save_documents(analysed[i:i + 16])
    return time.perf_counter() - start


def dask_seconds(folder: Path, db: Path, options: Options, workers: int) -> tuple[float, list[int]]:
    spec = ClusterSpec(workers=workers)
    client = open_client(spec)
    try:
        client.run(warm_up, options)
        with Store.open(f"sqlite:///{db}") as store:
            start = time.perf_counter()
            report = ingest_paths_distributed([folder], store, options, client, spec=spec)
            elapsed = time.perf_counter() - start
        assert not report.failed, report.failed
        peaks = sorted(client.run(peak_rss_bytes).values())
    finally:
        close_client(client)
    return elapsed, peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=6)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    options = Options()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = work / "inputs"
        folder.mkdir()
        paths = build_inputs(folder, args.copies)
        chars, docs = clean_characters(paths, options)
        print(f"documents={len(docs)} clean_characters={chars:,}")
        bare = bare_pipe_seconds(docs, options)
        print(f"bare nlp.pipe (1 process): {chars / bare:,.0f} chars/s ({bare:.1f} s)")
        single = single_process_seconds(folder, work / "single.db", options)
        print(f"kizashi ingest (1 process): {chars / single:,.0f} chars/s ({single:.1f} s), "
              f"{bare / single:.2f}x bare nlp.pipe")
        driver = driver_seconds(folder, work / "single.db", work / "driver.db", options)
        print(f"driver share (read + store, no analysis): {driver / len(docs) * 1000:.1f} ms per document, "
              f"against {single / len(docs) * 1000:.0f} ms per document for the whole pipeline")
        timings = {}
        for workers in args.workers:
            elapsed, peaks = dask_seconds(folder, work / f"dask{workers}.db", options, workers)
            timings[workers] = elapsed
            print(f"kizashi ingest --workers {workers}: {chars / elapsed:,.0f} chars/s ({elapsed:.1f} s), "
                  f"peak memory per worker {', '.join(f'{p / 2**30:.2f} GiB' for p in peaks)}")
        if 1 in timings and 2 in timings:
            print(f"2 workers vs 1: {timings[1] / timings[2]:.2f}x")


if __name__ == "__main__":
    main()
