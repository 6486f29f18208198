"""The generated hostile-input suite (tests/hostile/generate.py) through the real ingest path.

Each case is ingested with ``ingest_paths`` into a store that already holds two real articles.
An error case must fail naming its path and the problem, and leave the whole store as it was;
a read case must store what the input says, clean of control and invisible characters, and
leave every row that was there before untouched. Ingesting the case a second time must change
nothing (ingest is idempotent). A few cases go through the real CLI, and a sample through
PostgreSQL.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hostile.generate import INVISIBLE, Case, generate, plan
from kizashi.config import Options
from kizashi.store import Store
from kizashi.workflow import IngestReport, ingest_paths
from storedump import dump_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [ROOT / "samples" / "01_shells_containers.txt", ROOT / "samples" / "06_denial.txt"]
KIZASHI = ROOT / ".venv" / "bin" / "kizashi"
OPTIONS = Options()
PLAN = plan()

CLI_CASES = ["fifty-mb-file", "utf-8-cut-in-last-character", "json-lone-surrogate-in-text",
             "hundred-thousand-nested-divs", "two-links-pointing-at-each-other",
             "20000-characters-without-sentence-end"]
PG_ERROR_CASES = ["fifty-mb-file", "five-mb-single-line", "shift_jis-cut-in-last-character",
                  "nul-inside-utf-8-text", "json-good-record-then-bad-record", "jsonl-two-good-lines-then-a-bad-one",
                  "jsonl-record-missing-text", "hundred-thousand-nested-divs",
                  "file-whose-read-fails", "json-lone-surrogate-in-other-field"]
# Read cases whose clean texts differ, as they share one store here.
PG_READ_CASES = ["json-escaped-nul-and-controls", "file-name-with-newline-and-escape", "script-text-in-json-record",
                 "bidi-as-html-character-references"]


@pytest.fixture(scope="session")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Case]]:
    """Every case written once per session (the 50 MB file among them), removed afterwards."""
    folder = tmp_path_factory.mktemp("hostile")
    yield {case.name: case for case in generate(folder)}
    shutil.rmtree(folder)


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite store holding two sample articles, ingested once and copied for each test."""
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    seed(f"sqlite:///{path}")
    return path


def seed(url: str) -> None:
    with Store.open(url) as store:
        report = ingest_paths(SAMPLES, store, OPTIONS)
    assert report.ok and len(report.new) == 2, report


def copy_store(seeded: Path, folder: Path) -> str:
    for part in seeded.parent.glob(seeded.name + "*"):  # the database and any WAL beside it
        shutil.copy(part, folder / part.name)
    return f"sqlite:///{folder / seeded.name}"


def ingest(url: str, paths: tuple[str, ...]) -> IngestReport:
    with Store.open(url) as store:
        return ingest_paths(paths, store, OPTIONS)


def stored_documents(url: str) -> dict[str, Any]:
    with Store.open(url) as store:
        return {doc.id: doc for doc in store.iter_documents()}


# Tables the store derives from the documents and updates as they come (counters, entries that gain
# statements): they change by design, and ``Store.check`` holds them to a recomputation instead.
DERIVED = {"counters", "ledger_entries", "ledger_sources", "ledger_facets", "lineage", "contradictions", "timeline",
           "entity_stats"}


def rows_lost(before: dict[str, list], after: dict[str, list]) -> dict[str, list]:
    """Rows of ``before`` missing from ``after``, per table (a changed row counts as lost)."""
    lost = {table: list((Counter(rows) - Counter(after.get(table, []))).elements()) for table, rows in before.items()
            if table not in DERIVED}
    return {table: rows for table, rows in lost.items() if rows}


def hidden_characters(value: str | None) -> list[str]:
    """Characters no stored field may keep: controls (but tab and newline), invisible marks, surrogates."""
    return [f"U+{ord(ch):04X}" for ch in value or ""
            if (unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\t\n") or ch in INVISIBLE
            or 0xE0000 <= ord(ch) <= 0xE007F]


def check_case(case: Case, url: str) -> None:
    """Ingest ``case`` into the store at ``url`` and assert its outcome; see the module docstring."""
    before, docs_before = dump_store(url), stored_documents(url)
    report = ingest(url, case.paths)
    after = dump_store(url)
    assert not [r for _, r in report.failed if r.startswith("internal error")], report.failed
    assert rows_lost(before, after) == {}, "rows stored before were changed or lost"
    with Store.open(url) as store:
        checked = store.check()
    assert checked.ok, checked.differences
    if case.error:
        assert [path for path, _ in report.failed] == [case.failed_path], report.failed
        reason = report.failed[0][1]
        assert case.error in reason, f"reason {reason!r} lacks {case.error!r}"
    else:
        assert report.failed == [], report.failed
    stored = report.new + report.near_duplicates
    assert len(stored) == case.expected_stored, report
    assert not report.duplicates and not report.unchanged, report
    if not stored:
        assert after == before, "nothing was to be stored, yet the store changed"
    new_docs = [doc for doc_id, doc in stored_documents(url).items() if doc_id not in docs_before]
    assert len(new_docs) == case.expected_stored
    for doc in new_docs:
        check_document(case, doc)
    again = ingest(url, case.paths)  # idempotent: the same answer, and not a row more
    assert again.failed == report.failed and not again.new and not again.near_duplicates, again
    assert dump_store(url) == after


def check_document(case: Case, doc: Any) -> None:
    assert any(doc.source == path or doc.source.startswith((path + os.sep, path + "#"))
               for path in case.paths), doc.source
    assert doc.text.strip()
    meta = doc.metadata
    for field, value in {"text": doc.text, "title": meta.title, "author": meta.author,
                         "outlet": meta.outlet}.items():
        assert hidden_characters(value) == [], f"{field} keeps {hidden_characters(value)}"
    if case.title is not None:
        assert meta.title == case.title
    if case.encoding is not None:
        assert doc.encoding == case.encoding
    for phrase in case.text_has:
        assert phrase in doc.text, f"text lacks {phrase!r}"
    for phrase in case.text_lacks:
        assert phrase not in doc.text, f"text keeps {phrase!r}"


def test_the_generator_covers_every_category() -> None:
    counts = Counter(case.category for case in PLAN)
    assert len(PLAN) >= 100 and len({case.name for case in PLAN}) == len(PLAN)
    assert all(n >= 5 for n in counts.values()), counts
    assert sum(1 for case in PLAN if case.error) >= 50 and sum(1 for case in PLAN if not case.error) >= 50


@pytest.mark.parametrize("name", [case.name for case in PLAN])
def test_hostile_input(name: str, cases: dict[str, Case], seeded_store: Path, tmp_path: Path) -> None:
    check_case(cases[name], copy_store(seeded_store, tmp_path))


def test_reingesting_the_stored_samples_changes_nothing(seeded_store: Path, tmp_path: Path) -> None:
    url = copy_store(seeded_store, tmp_path)
    before = dump_store(url)
    report = ingest(url, tuple(map(str, SAMPLES)))
    assert report.unchanged == list(map(str, SAMPLES)) and report.ok and not report.new
    assert dump_store(url) == before


@pytest.mark.parametrize("name", CLI_CASES)
def test_cli_names_the_file_and_the_reason(name: str, cases: dict[str, Case], seeded_store: Path,
                                           tmp_path: Path) -> None:
    case = cases[name]
    assert case.error is not None
    url = copy_store(seeded_store, tmp_path)
    before = dump_store(url)
    result = subprocess.run([str(KIZASHI), "--db", url, "ingest", *case.paths], capture_output=True, text=True,
                            timeout=300, env={**os.environ, "COLUMNS": "2000"})
    assert result.returncode == 1, result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error ")]
    assert case.failed_path in line and case.error in line, line
    assert "1 failed" in result.stdout
    assert dump_store(url) == before


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_postgresql_sample(store_url: str, cases: dict[str, Case]) -> None:
    """Errors leave a PostgreSQL store as it was; NUL escapes and control names, which PostgreSQL
    refuses in text, arrive cleaned."""
    seed(store_url)
    for name in PG_ERROR_CASES + PG_READ_CASES:
        check_case(cases[name], store_url)
