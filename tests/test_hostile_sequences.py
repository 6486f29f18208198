"""Hostile sequences, on SQLite and PostgreSQL (``store_url``): what the single-file cases of
``test_hostile_inputs`` cannot show. A multi-record feed killed midway, an edited feed killed
midway through its re-ingest, and web text that would run as a spreadsheet formula, each
through the real CLI or a real server on loopback; a killed run followed by a rerun must
leave the store of one clean run."""
from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from ingest_articles import KIZASHI, article, count_documents, summary_counts
from servers import serving_store
from storedump import dump_store

from kizashi.store import Store

RECORDS = 24
KILL_AT = 4  # documents committed before the kill
TIMEOUT = 600
FORMULAS = ('=HYPERLINK("http://evil.example","x")', "@SUM(1+1)", "+cmd|' /C calc'!A0", "-2+3", "\t=1", "\r=1")


def _feed(path: Path, *, edited: frozenset[int] = frozenset()) -> Path:
    """A JSON Lines feed of our articles, each with its own URL; the ``edited`` ones carry a
    correction (another sentence) as a re-published page would."""
    records = []
    for i in range(1, RECORDS + 1):
        text = article(i) + ("ロシアは北朝鮮に原油を送ったとみられる。\n" if i in edited else "")
        records.append({"url": f"https://news.example.jp/articles/{i}", "title": f"第{i}報", "text": text})
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def _ingest(url: str, feed: Path) -> subprocess.CompletedProcess[str]:
    run = subprocess.run([str(KIZASHI), "--db", url, "ingest", str(feed)], capture_output=True, text=True,
                         timeout=TIMEOUT)
    assert run.returncode == 0, run.stderr[-3000:]
    return run


def _killed_ingest(url: str, feed: Path, documents: int) -> int:
    """Start an ingest of ``feed``, SIGKILL it once the store holds ``documents``; the count then."""
    process = subprocess.Popen([str(KIZASHI), "--db", url, "ingest", str(feed)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + TIMEOUT
        while count_documents(url) < documents and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, f"the ingest ended by itself ({process.returncode}): {stderr}"
    return count_documents(url)


def _check(url: str) -> None:
    checked = subprocess.run([str(KIZASHI), "--db", url, "check"], capture_output=True, text=True, timeout=TIMEOUT)
    assert checked.returncode == 0, checked.stdout[-3000:]


def test_a_feed_killed_midway_resumes_to_the_store_of_one_clean_run(store_url: str, other_store_url: str,
                                                                    tmp_path: Path) -> None:
    feed = _feed(tmp_path / "feed.jsonl")
    assert summary_counts(_ingest(other_store_url, feed).stdout)["new"] == RECORDS
    stored = _killed_ingest(store_url, feed, KILL_AT)
    assert KILL_AT <= stored < RECORDS, stored  # killed inside the one file, records kept
    counts = summary_counts(_ingest(store_url, feed).stdout)
    assert (counts["unchanged"], counts["new"], counts["failed"]) == (stored, RECORDS - stored, 0)
    assert dump_store(store_url) == dump_store(other_store_url)
    _check(store_url)


def test_an_edited_feed_killed_midway_resumes_to_the_store_of_one_clean_run(store_url: str, other_store_url: str,
                                                                            tmp_path: Path) -> None:
    """Half the records come back corrected: each becomes a new version of its article in the
    same transaction that takes the old version's claims out, so a kill between records leaves
    every article with exactly one current version."""
    first, edited = tmp_path / "first.jsonl", tmp_path / "edited.jsonl"
    _feed(first)
    changed = frozenset(range(1, RECORDS + 1, 2))
    _feed(edited, edited=changed)
    for url in (store_url, other_store_url):
        _ingest(url, first)
    clean = _ingest(other_store_url, edited)
    assert f"{len(changed)} of them a new version" in clean.stdout, clean.stdout
    _killed_ingest(store_url, edited, RECORDS + KILL_AT)
    _ingest(store_url, edited)
    assert dump_store(store_url) == dump_store(other_store_url)
    _check(store_url)
    with Store.open(store_url) as store:
        docs = [store.get_document(d.id) for d in store.list_documents(limit=100)]
        current = [d for d in docs if d.superseded_by is None]
        assert len(docs) == RECORDS + len(changed) and len(current) == RECORDS
        assert store.stats()["statements"] == sum(len(d.flows) for d in current)


def _formula_cells(text: str) -> list[str]:
    """Every cell of a CSV text that a spreadsheet would run, or that holds a control character."""
    def number(cell: str) -> bool:
        try:
            float(cell)
        except ValueError:
            return False
        return True

    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    return [c for c in cells if (c[:1] in ("=", "+", "-", "@", "\t", "\r") and not number(c))
            or any(ord(ch) < 32 and ch not in "\t\r\n" for ch in c)]


def test_web_text_never_reaches_a_csv_cell_as_a_formula(store_url: str, tmp_path: Path) -> None:
    """Titles, outlets and authors from the web, stored through a real ingest, reach no CSV cell
    (the CLI's export, the ledger page's download) as something a spreadsheet would run."""
    feed = tmp_path / "formulas.jsonl"
    records = [{"title": formula, "outlet": formula, "author": formula + "\x07", "text": article(i)}
               for i, formula in enumerate(FORMULAS, start=1)]
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    _ingest(store_url, feed)
    exported = tmp_path / "out.csv"
    run = subprocess.run([str(KIZASHI), "--db", store_url, "export", "--format", "csv", "-o", str(exported)],
                         capture_output=True, text=True, timeout=TIMEOUT)
    assert run.returncode == 0, run.stderr[-2000:]
    text = exported.read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in text and "'@SUM(1+1)" in text  # the outlets are there, neutralised
    assert _formula_cells(text) == []
    with serving_store(store_url) as base:
        with urllib.request.urlopen(f"{base}/ledger.csv", timeout=60) as response:
            download = response.read().decode("utf-8")
    assert any('=HYPERLINK("http://evil.example"' in cell for row in csv.reader(io.StringIO(download))
               for cell in row)  # an unattributed statement's voice is its outlet
    assert _formula_cells(download) == []
