"""Several writers on one store, on SQLite and PostgreSQL: two ``kizashi ingest`` processes over
overlapping inputs, two threads saving overlapping batches, and the batch writer itself.

Writers are serialised by the database (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock
taken at BEGIN), so the second writer of a document sees the first one's row and reports it
unchanged or duplicate instead of failing on a unique key.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from ingest_articles import SENTENCES, article, ingest_command, summary_counts, write_articles
from storedump import dump_store

from kizashi.exc import StoreError
from kizashi.model import Document, Flow, Span, content_id
from kizashi.store import SaveResult, Store

TIMEOUT = 600


# -- two processes ----------------------------------------------------------------------------------------


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """A: articles 1-20. B: 10-30 (10-20 are A's files under other paths) and article 5 with
    CRLF line ends (other bytes, same clean text). A2: a copy of A, so one process meets
    A's documents at the same moment as the other."""
    a = tmp_path / "A"
    write_articles(a, range(1, 21))
    b = tmp_path / "B"
    write_articles(b, range(10, 31))
    (b / "article_05_crlf.txt").write_bytes(article(5).replace("\n", "\r\n").encode("utf-8"))
    a2 = tmp_path / "A2"
    shutil.copytree(a, a2)
    return {"A": a, "A2": a2, "B": b}


def _normalised(dump: dict[str, list[tuple[Any, ...]]], folders: list[Path]) -> dict[str, list[tuple[Any, ...]]]:
    """The dump with input folders cut from every path: which process stored a shared file
    first, and so under which folder, is a race; what was stored is not."""
    def plain(value: Any) -> Any:
        if isinstance(value, str):
            for folder in folders:
                value = value.replace(f"{folder}/", "")
        return value

    return {table: sorted((tuple(plain(v) for v in row) for row in rows), key=repr) for table, rows in dump.items()}


def test_two_ingests_at_once_store_what_one_sequential_run_stores(
        store_url: str, other_store_url: str, inputs: dict[str, Path], tmp_path: Path) -> None:
    first, second = [inputs["A"]], [inputs["A2"], inputs["B"]]
    processes = [subprocess.Popen(ingest_command(store_url, *paths), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, cwd=tmp_path)
                 for paths in (first, second)]  # both start on the empty database
    outputs = [p.communicate(timeout=TIMEOUT) for p in processes]
    for process, (stdout, stderr) in zip(processes, outputs):
        assert process.returncode == 0, stdout + stderr
    counts = [summary_counts(stdout) for stdout, _ in outputs]

    # Every file is accounted for once: 30 articles stored once, the CRLF copy a duplicate,
    # and each other file a second time is unchanged, whichever process got there first.
    assert sum(c["new"] for c in counts) == 30
    assert sum(c["duplicate"] for c in counts) == 1
    assert sum(c["unchanged"] for c in counts) == 20 + 20 + 22 - 31
    assert sum(c["failed"] + c["near-duplicate"] for c in counts) == 0

    sequential = subprocess.run(ingest_command(other_store_url, *first, *second), capture_output=True,
                                text=True, timeout=TIMEOUT, cwd=tmp_path)
    assert sequential.returncode == 0, sequential.stderr
    folders = list(inputs.values())
    together, alone = dump_store(store_url), dump_store(other_store_url)
    assert len(together["documents"]) == 30 and len(together["document_sources"]) == 31
    assert _normalised(together, folders) == _normalised(alone, folders)  # the ledger tables included
    with Store.open(store_url) as store:
        report = store.check()
    assert report.ok, report.differences


# -- the batch writer ---------------------------------------------------------------------------------------

LONG = "".join(SENTENCES[:8])
REWRITE = LONG.replace("砲弾を送った", "弾薬を送った")  # a near-duplicate: a few characters changed


def _document(text: str, source: str, *, raw: bytes | None = None) -> Document:
    raw = raw if raw is not None else text.encode("utf-8")
    return Document(source=source, raw_sha256=hashlib.sha256(raw).hexdigest(), text=text, id=content_id(text))


def _without_supplier(source: str) -> Document:
    """An extraction gone wrong: a flow with no supplier breaks the NOT NULL of flows.supplier."""
    doc = _document(article(7), source)
    doc.flows = [Flow(None, "RUS", "shells", "certain", Span(0, 3, doc.text[:3]))]
    return doc


def _lone_surrogate(source: str) -> Document:
    """Text that cannot be encoded as UTF-8 (a JSON \\ud800 escape): no database can store it."""
    return Document(source=source, raw_sha256=hashlib.sha256(source.encode()).hexdigest(),
                    text="北朝鮮が\ud800ロシアに砲弾を送った。", id="0" * 16)


@pytest.mark.parametrize("broken", [_without_supplier, _lone_surrogate], ids=["not-null", "surrogate"])
def test_a_document_that_fails_costs_only_itself(store: Store, broken) -> None:
    stored_before = _document(article(1), "before.txt")
    store.save_document(stored_before)
    batch = [
        _document(article(2), "two.txt"),
        broken("broken.txt"),
        _document(article(3), "three.txt"),
        _document(article(1), "before-again.txt"),  # same bytes as a stored file
        _document(article(3), "three-crlf.txt", raw=article(3).replace("\n", "\r\n").encode()),  # same text
        _document(article(2), "two-again.txt"),  # same bytes as the batch's first
    ]
    results = store.save_documents(batch)

    assert [r.status if isinstance(r, SaveResult) else "error" for r in results] == \
        ["new", "error", "new", "unchanged", "duplicate", "unchanged"]
    assert isinstance(results[1], StoreError) and "broken.txt" in str(results[1])
    assert [r.document_id for r in results[3:]] == [stored_before.id, batch[2].id, batch[0].id]
    assert store.count_documents() == 3
    assert not store.has_raw(batch[1].raw_sha256) and store.get_document(batch[1].id) is None
    assert store.has_raw(batch[4].raw_sha256)
    assert store.get_document(batch[2].id).text == article(3)


def test_a_failing_document_is_a_store_error_from_save_document(store: Store) -> None:
    with pytest.raises(StoreError, match="broken.txt"):
        store.save_document(_lone_surrogate("broken.txt"))
    assert store.count_documents() == 0


def test_a_batch_sees_its_own_near_duplicates(store_url: str) -> None:
    original, rewrite = _document(LONG, "original.txt"), _document(REWRITE, "rewrite.txt")
    with Store.open(store_url) as store:
        first, second = store.save_documents([original, rewrite, _document(article(4), "other.txt")])[:2]
        assert first.status == "new"
        assert (second.status, second.near_duplicate_of) == ("near_duplicate", original.id)
        assert store.get_document(rewrite.id).near_duplicate_of == original.id
        # Committed: the next save (here a rewrite of the rewrite) matches against the batch.
        third = store.save_document(_document(REWRITE.replace("小麦", "大麦"), "third.txt"))
        assert third.status == "near_duplicate" and third.near_duplicate_of in (original.id, rewrite.id)
    with Store.open(store_url) as reopened:
        assert reopened.get_document(rewrite.id).similarity == pytest.approx(second.similarity)


def test_a_failed_document_does_not_reach_the_near_duplicate_index(store: Store) -> None:
    broken = _document(LONG, "broken.txt")
    broken.flows = [Flow(None, "RUS", "shells", "certain", Span(0, 3, LONG[:3]))]
    assert isinstance(store.save_documents([broken])[0], StoreError)
    assert store.save_documents([_document(REWRITE, "rewrite.txt")])[0].status == "new"


def test_two_writers_saving_overlapping_batches_at_once(store_url: str) -> None:
    """Each thread has its own Store (its own engine and connections), as two processes would;
    the batches hold the same documents in opposite orders."""
    docs = [_document(article(i), f"article_{i}.txt") for i in range(1, 13)]
    Store.open(store_url).close()  # the schema, so both writers start at once on the documents
    start = threading.Barrier(2)
    results: dict[str, list[Any]] = {}

    def write(name: str, batch: list[Document]) -> None:
        with Store.open(store_url) as store:
            start.wait()
            results[name] = [r for half in (batch[:6], batch[6:]) for r in store.save_documents(half)]

    threads = [threading.Thread(target=write, args=("forward", docs)),
               threading.Thread(target=write, args=("backward", docs[::-1]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    statuses = [r.status if isinstance(r, SaveResult) else repr(r) for rs in results.values() for r in rs]
    assert sorted(statuses) == ["new"] * 12 + ["unchanged"] * 12
    with Store.open(store_url) as store:
        assert store.count_documents() == 12
