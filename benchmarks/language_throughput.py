"""Language layer throughput against bare ``nlp.pipe`` over the same clean text.

Usage: .venv/bin/python benchmarks/language_throughput.py [FILES or DIRS ...]
(default: ../shared/corpus, else samples/). Prints characters per second for
both and their ratio, from one run (the model is loaded and warmed first). The
ratio is taken on this process's CPU time, which other work on the machine
barely moves; wall-clock figures are printed beside it.
"""
from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

from kizashi.config import Options
from kizashi.ingest import iter_files, read_file
from kizashi.language.ginza import load_nlp
from kizashi.pipeline import run

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> None:
    default = ROOT.parent / "shared" / "corpus"
    paths = argv or [str(default if default.exists() else ROOT / "samples")]
    options = Options()
    docs = [run(d, options, ("clean",)) for p in iter_files(paths) if isinstance(p, Path)
            for d in read_file(p, options)]
    chars = sum(len(d.text) for d in docs)
    nlp = load_nlp(options.spacy_model)
    list(nlp.pipe(["ウォームアップの文です。"]))

    bare, bare_wall = timed(lambda: [list(nlp.pipe([d.text[p.start:p.end] for p in d.paragraphs],
                                                   batch_size=options.batch_size)) for d in docs])
    ours, ours_wall = timed(lambda: [run(replace(d, stages=list(d.stages)), options, ("language",))
                                     for d in docs])

    parsed = sum(s.end - s.start for d in docs for s in
                 run(replace(d, stages=list(d.stages)), options, ("language",)).sentences if s.analysed)
    print(f"documents={len(docs)} characters={chars} parsed_characters={parsed} ({parsed / chars:.0%})")
    print(f"bare nlp.pipe: {chars / bare:,.0f} chars/s of CPU time ({bare:.2f} s CPU, {bare_wall:.2f} s wall)")
    print(f"language stage: {chars / ours:,.0f} chars/s of CPU time ({ours:.2f} s CPU, {ours_wall:.2f} s wall)")
    print(f"speed-up: {bare / ours:.2f}x (CPU time), {bare_wall / ours_wall:.2f}x (wall)")


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """(CPU seconds of this process, wall seconds) spent on ``work``."""
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return time.process_time() - cpu, time.perf_counter() - wall


if __name__ == "__main__":
    main(sys.argv[1:])
