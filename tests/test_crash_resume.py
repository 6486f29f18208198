"""Crash safety: ``kizashi ingest`` killed with SIGKILL mid-run, then rerun, leaves the store
equal to one uninterrupted run, on SQLite and PostgreSQL.

Each document is committed in its own transaction, so a kill can only lose the document in
flight; the rerun skips what is stored and finishes the rest.
"""
from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from ingest_articles import count_documents, ingest_command, summary_counts, write_articles
from storedump import dump_store

ARTICLES = 30
KILL_AT = 10  # documents committed before the kill
POLL_SECONDS = 0.02
TIMEOUT = 600


def _run(url: str, folder: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(ingest_command(url, folder), capture_output=True, text=True, timeout=TIMEOUT, cwd=cwd)


def _kill_after(url: str, folder: Path, cwd: Path, documents: int) -> int:
    """Start an ingest, SIGKILL it once ``documents`` are committed; the count right after."""
    process = subprocess.Popen(ingest_command(url, folder), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, cwd=cwd)
    try:
        deadline = time.monotonic() + TIMEOUT
        while count_documents(url) < documents and process.poll() is None and time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
        process.send_signal(signal.SIGKILL)
    finally:
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, f"ingest ended by itself ({process.returncode}): {stderr}"
    return count_documents(url)


def test_killed_ingest_resumes_to_the_uninterrupted_store(store_url: str, other_store_url: str,
                                                          tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    write_articles(folder, range(1, ARTICLES + 1))

    uninterrupted = _run(other_store_url, folder, tmp_path)
    assert uninterrupted.returncode == 0, uninterrupted.stderr
    assert summary_counts(uninterrupted.stdout)["new"] == ARTICLES  # no near-duplicates among the inputs

    stored = _kill_after(store_url, folder, tmp_path, KILL_AT)
    assert KILL_AT <= stored < ARTICLES  # killed mid-run, some but not all stored
    resumed = _run(store_url, folder, tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    counts = summary_counts(resumed.stdout)
    assert (counts["unchanged"], counts["new"], counts["failed"]) == (stored, ARTICLES - stored, 0)

    assert dump_store(store_url) == dump_store(other_store_url)  # the ledger tables included
    checked = subprocess.run([*ingest_command(store_url, folder)[:3], "check"], capture_output=True, text=True,
                             timeout=TIMEOUT, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr  # and they equal a recomputation

