"""Re-analysis (``kizashi reanalyse``): today's rules run again over stored documents after a
lexicon change, one transaction per document, with the ledger tables following; idempotent,
and a SIGKILL midway followed by a rerun leaves the store of one clean run. SQLite and
PostgreSQL (the ``store_url`` fixture)."""
from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

from ingest_articles import KIZASHI
from sqlalchemy import create_engine, text
from storedump import dump_store

from kizashi.config import Options, db_url
from kizashi.reanalysis import reanalyse
from kizashi.rules import rules_version
from kizashi.store import Store
from kizashi.workflow import ingest_paths

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLES = ROOT / "samples"
TIMEOUT = 600


def _ingest(url: str) -> None:
    with Store.open(url) as store:
        report = ingest_paths([CORPUS, SAMPLES], store, Options())
    assert report.ok and len(report.new) >= 8


def _changed_lexicon(tmp_path: Path) -> Options:
    """A copy of the data files in which 砲弾 names weapons instead of artillery ammunition."""
    data = tmp_path / "data"
    shutil.copytree(Options().data_dir, data)
    items = data / "items.yaml"
    source = items.read_text(encoding="utf-8")
    changed = source.replace("    cues: [砲弾, 弾薬,", "    cues: [弾薬,", 1).replace(
        "    cues: [武器, 兵器,", "    cues: [砲弾, 武器, 兵器,", 1)
    assert changed != source
    items.write_text(changed, encoding="utf-8")
    return Options(data_dir=data)


def _items(store: Store) -> dict[str, int]:
    entries = store.ledger(limit=500).items
    counts: dict[str, int] = {}
    for e in entries:
        counts[e.item] = counts.get(e.item, 0) + e.statements
    return counts


def test_a_lexicon_change_reaches_every_stored_document(store_url: str, tmp_path: Path) -> None:
    _ingest(store_url)
    with Store.open(store_url) as store:
        before = _items(store)
        assert reanalyse(store, Options()).done == []  # ingest recorded today's rules: nothing is due
    changed = _changed_lexicon(tmp_path)
    assert rules_version(changed.data_dir) != rules_version(Options().data_dir)
    with Store.open(store_url, options=changed) as store:
        report = reanalyse(store, changed)
        assert report.failed == [] and len(report.done) == store.count_documents()
        after = _items(store)
        assert before.get("artillery_ammunition", 0) > after.get("artillery_ammunition", 0)
        assert after.get("weapons", 0) > before.get("weapons", 0)
        assert store.check().ok, {t: d for t, d in store.check().differences.items() if d}
        assert reanalyse(store, changed).done == []  # idempotent: every document is current
        stats = store.stats()
        assert stats["statements"] == sum(len(d.flows) for d in store.iter_documents())


def test_a_killed_reanalysis_resumes_to_the_store_of_one_clean_run(store_url: str, other_store_url: str,
                                                                   tmp_path: Path) -> None:
    for url in (store_url, other_store_url):
        _ingest(url)
        _forget_versions(url)
    clean = subprocess.run([str(KIZASHI), "--db", other_store_url, "reanalyse"], capture_output=True, text=True,
                           timeout=TIMEOUT, cwd=tmp_path)
    assert clean.returncode == 0, clean.stderr
    assert "reanalysed: " in clean.stdout

    process = subprocess.Popen([str(KIZASHI), "--db", store_url, "reanalyse"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    deadline = time.monotonic() + TIMEOUT
    while _current(store_url) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    done = _current(store_url)
    with Store.open(store_url) as store:
        assert 2 <= done < store.count_documents()  # killed midway
        assert store.check().ok  # each document's transaction left the tables consistent
    rerun = subprocess.run([str(KIZASHI), "--db", store_url, "reanalyse"], capture_output=True, text=True,
                           timeout=TIMEOUT, cwd=tmp_path)
    assert rerun.returncode == 0, rerun.stderr
    with Store.open(store_url) as store:
        assert f"reanalysed: {store.count_documents() - done} document(s)" in rerun.stdout
    assert dump_store(store_url) == dump_store(other_store_url)


def test_a_bad_since_is_one_line(tmp_path: Path) -> None:
    result = subprocess.run([str(KIZASHI), "--db", str(tmp_path / "k.db"), "reanalyse", "--since", "2024-13"],
                            capture_output=True, text=True, timeout=TIMEOUT, cwd=tmp_path)
    assert result.returncode == 2
    assert "--since 2024-13: not a date" in result.stderr and "Traceback" not in result.stderr


def _forget_versions(url: str) -> None:
    """As a store made by older rules: no document records the rules of today."""
    engine = create_engine(db_url(url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE documents SET rules_version = NULL"))
    engine.dispose()


def _current(url: str) -> int:
    engine = create_engine(db_url(url))
    with engine.connect() as connection:
        n = connection.execute(text("SELECT count(*) FROM documents WHERE rules_version IS NOT NULL")).scalar()
    engine.dispose()
    return int(n or 0)
