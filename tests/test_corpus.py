"""The shared evaluation articles through the real CLI, scored by the shared script.

The corpus is read from ../shared at run time; nothing of it is kept in the project.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kizashi.cli import app

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = sorted((SHARED / "corpus").glob("*.txt"))
pytestmark = pytest.mark.skipif(not CORPUS and not os.environ.get("CI"), reason="../shared/corpus is not here")


def _score(pred: Path) -> dict[str, str]:
    result = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(SHARED / "eval" / "gold"),
                             str(pred)], capture_output=True, text=True, check=True)
    return dict(kv.split("=") for kv in result.stdout.split("SUMMARY", 1)[1].split())


def test_extract_meets_the_contract_thresholds(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["extract", *map(str, CORPUS), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    pred = tmp_path / "pred.jsonl"
    pred.write_text(result.stdout, encoding="utf-8")
    s = _score(pred)
    assert float(s["flow_f1"]) >= 0.90
    assert float(s["certainty_acc"]) >= 0.90
    assert float(s["event_r"]) >= 0.90
    assert float(s["country_p"]) >= 0.95 and float(s["country_r"]) >= 0.95
    assert float(s["named_r"]) >= 0.95
    assert s["metadata"] == "1.00" and s["cleaning"] == "1.00"


def test_ingest_then_show_gives_clean_text_and_metadata(tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    runner = CliRunner()
    first = runner.invoke(app, ["--db", db, "ingest", str(SHARED / "corpus")])
    assert first.exit_code == 0, first.output
    assert f"{len(CORPUS)} new" in first.stdout
    again = runner.invoke(app, ["--db", db, "ingest", str(SHARED / "corpus")])
    assert f"{len(CORPUS)} unchanged" in again.stdout

    from kizashi.store import Store

    with Store.open(db) as store:
        ids = [d.id for d in store.list_documents(limit=10)]
    pred = tmp_path / "shown.jsonl"
    with pred.open("w", encoding="utf-8") as fh:
        for doc_id in ids:
            shown = runner.invoke(app, ["--db", db, "show", doc_id, "--format", "json"])
            assert shown.exit_code == 0, shown.output
            fh.write(json.dumps(json.loads(shown.stdout), ensure_ascii=False) + "\n")
    s = _score(pred)
    assert s["metadata"] == "1.00" and s["cleaning"] == "1.00"
