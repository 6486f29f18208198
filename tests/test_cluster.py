"""Distributed ingest on a real Dask LocalCluster: two worker processes must store exactly
what one process stores, on SQLite and PostgreSQL, and a rerun must resume, not repeat."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kizashi.cluster import analyse_remote
from kizashi.config import Options
from kizashi.model import Document
from storedump import dump_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(p for p in (ROOT / "samples").iterdir() if p.is_file())


def kizashi(db: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kizashi", "--db", db, *args],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our samples, one of them twice under another name, one file that cannot be read, and one
    in Korean (our own sentence), which is not analysed."""
    folder = tmp_path_factory.mktemp("inputs")
    for path in SAMPLES:
        shutil.copy(path, folder / path.name)
    shutil.copy(SAMPLES[0], folder / f"copy-of-{SAMPLES[0].name}")
    (folder / "broken.json").write_text('{"title": "no body"', encoding="utf-8")
    (folder / "ko.txt").write_text("북한이 러시아에 포탄을 보냈다고 국방부가 밝혔다. 러시아는 북한에 식량을 보냈다.\n",
                                   encoding="utf-8")
    return folder


def summary(result: subprocess.CompletedProcess[str]) -> str:
    return next(line for line in result.stdout.splitlines() if line.startswith("ingested:"))


def test_two_workers_store_what_one_process_stores_and_a_rerun_resumes(
        inputs: Path, store_url: str, other_store_url: str) -> None:
    single = kizashi(store_url, "ingest", str(inputs))
    distributed = kizashi(other_store_url, "ingest", str(inputs), "--workers", "2", "--batch-size", "3")

    assert single.returncode == distributed.returncode == 1, distributed.stderr  # broken.json fails in both
    assert summary(distributed) == summary(single)
    assert summary(single).startswith(f"ingested: {len(SAMPLES)} new")
    assert "broken.json" in distributed.stderr
    assert summary(distributed).endswith("1 failed, 1 not analysed (not Japanese)")
    assert "not analysed" in distributed.stderr and "ko.txt: language ko" in distributed.stderr
    stored = dump_store(other_store_url)
    assert stored == dump_store(store_url)

    again = kizashi(other_store_url, "ingest", str(inputs), "--workers", "2")
    assert summary(again) == (f"ingested: 0 new, 0 near-duplicate, 0 duplicate, {len(SAMPLES) + 1} unchanged, "
                              f"1 failed, 1 not analysed (not Japanese)")
    assert dump_store(other_store_url) == stored


def test_a_store_inside_the_folder_is_left_out_on_workers_too(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(SAMPLES[0], folder / SAMPLES[0].name)
    db = f"sqlite:///{folder / 'kizashi.db'}"
    for expected in ("ingested: 1 new", "ingested: 0 new, 0 near-duplicate, 0 duplicate, 1 unchanged, 0 failed"):
        run = kizashi(db, "ingest", str(folder), "--workers", "2")
        assert run.returncode == 0, run.stderr[-2000:]
        assert summary(run).startswith(expected), run.stdout


def test_an_edited_file_is_a_new_version_on_workers_too(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("北朝鮮はロシアに100万発の砲弾を送った。\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'k.db'}"
    assert kizashi(db, "ingest", str(article), "--workers", "2").returncode == 0
    article.write_text("北朝鮮はロシアに200万発の砲弾を送った。\n", encoding="utf-8")
    run = kizashi(db, "ingest", str(article), "--workers", "2")
    assert run.returncode == 0 and "1 of them a new version" in run.stdout, run.stdout


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    result = kizashi(f"sqlite:///{tmp_path / 'k.db'}", "ingest", str(SAMPLES[0]),
                     "--scheduler", "tcp://127.0.0.1:9")
    assert result.returncode == 2
    assert "cannot reach the Dask scheduler tcp://127.0.0.1:9" in result.stderr


def test_a_document_that_breaks_the_pipeline_fails_alone() -> None:
    """The worker's task returns the reason instead of raising, so the rest of the batch is
    written; a document with no text is the kind of input that crashes a stage."""
    broken = Document(source="broken.txt", raw_sha256="1" * 64, text=None)  # type: ignore[arg-type]
    reason = analyse_remote(broken, Options())
    assert isinstance(reason, str) and reason.startswith("internal error: ")
    assert "\n" not in reason
    fine = analyse_remote(Document(source="ok.txt", raw_sha256="2" * 64,
                                   text="ロシアは北朝鮮に石油を送った。"), Options())
    assert isinstance(fine, Document) and [(f.supplier, f.recipient) for f in fine.flows] == [("RUS", "PRK")]
