"""Hardening, round two (issue 17): the CLI, exports and ingest when files, stores, disks,
terminals and users misbehave. Everything runs the real ``kizashi`` process (``python -m
kizashi``, so ``PYTHONPATH`` can point it at another version of the code) or the real
functions, on real SQLite files and real PostgreSQL databases.

A case that needs a mount (a full disk, a read-only folder) mounts a tmpfs or a read-only
bind, and skips saying so where the test cannot mount (not root, no CAP_SYS_ADMIN).
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from conftest import PG_SERVER, fresh_database
from ingest_articles import article, count_documents, summary_counts, write_articles

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
TIMEOUT = 300
POLL = 0.02
MARKUP_TITLE = "北朝鮮 [/red] ロシア [bold]速報"
MARKUP_TEXT = f"{MARKUP_TITLE}\n北朝鮮は[/red]ロシアに砲弾を送ったと韓国国防省が発表した。\n"


NEUTRAL = Path(tempfile.gettempdir())  # not the checkout: ``-m`` would import from the working directory


def kizashi(*args: str, cwd: Path = NEUTRAL, env: dict[str, str] | None = None,
            timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kizashi", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd, env={**os.environ, **(env or {})})


def popen(*args: str, cwd: Path = NEUTRAL) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "kizashi", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=cwd)


def one_line_error(result: subprocess.CompletedProcess[str], *phrases: str, code: int = 2) -> str:
    """The run failed with ``code``, and stderr is one line holding every phrase: no traceback."""
    lines = result.stderr.strip().splitlines()
    assert result.returncode == code, (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr and len(lines) == 1, result.stderr[-3000:]
    for phrase in phrases:
        assert phrase in lines[0], (phrase, lines[0])
    return lines[0]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def wait_for(url: str, documents: int, process: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + TIMEOUT
    while (found := count_documents(url)) < documents and process.poll() is None and time.monotonic() < deadline:
        time.sleep(POLL)
    return found


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite store holding two sample articles and one whose title and text hold rich markup."""
    from kizashi.config import Options
    from kizashi.store import Store
    from kizashi.workflow import ingest_paths

    folder = tmp_path_factory.mktemp("seeded")
    (folder / "markup.txt").write_text(MARKUP_TEXT, encoding="utf-8")
    path = folder / "seed.db"
    with Store.open(sqlite_url(path)) as store:
        report = ingest_paths([SAMPLES / "01_shells_containers.txt", SAMPLES / "06_denial.txt",
                               folder / "markup.txt"], store, Options())
    assert len(report.new) == 3, report
    return path


@pytest.fixture
def store_copy(seeded: Path, tmp_path: Path) -> Path:
    target = tmp_path / "store" / "kizashi.db"
    target.parent.mkdir()
    shutil.copy(seeded, target)
    return target


@contextmanager
def mounted(target: Path, *options: str, source: str = "tmpfs") -> Iterator[Path]:
    """A tmpfs or a bind mount at ``target``, unmounted afterwards; skips where mounting is refused."""
    target.mkdir(parents=True, exist_ok=True)
    kind = ["-t", "tmpfs"] if source == "tmpfs" else ["--bind"]
    done = subprocess.run(["mount", *kind, *options, source, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here ({done.stderr.strip() or done.returncode}): the case needs a real "
                    f"{'full disk' if source == 'tmpfs' else 'read-only mount'}, and root ignores file modes")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)


@contextmanager
def read_only_view(folder: Path, mountpoint: Path) -> Iterator[Path]:
    """``folder`` seen through a read-only bind mount (remounted read-only: a plain ro bind is not)."""
    with mounted(mountpoint, source=str(folder)):
        done = subprocess.run(["mount", "-o", "remount,bind,ro", str(mountpoint)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot remount read-only: {done.stderr.strip()}")
        yield mountpoint


# -- 1. export -o ------------------------------------------------------------------------------------------


def test_export_refuses_to_write_over_the_store(store_copy: Path) -> None:
    before = store_copy.read_bytes()
    for extra in ([], ["--force"]):
        result = kizashi("--db", str(store_copy), "export", "-o", str(store_copy), *extra)
        one_line_error(result, "store's own file")
        assert store_copy.read_bytes() == before
    alias = store_copy.parent / "alias.db"
    alias.symlink_to(store_copy)
    one_line_error(kizashi("--db", str(store_copy), "export", "-o", str(alias), "--force"), "store's own file")
    one_line_error(kizashi("--db", str(store_copy), "export", "-o", f"{store_copy}-wal"), "store's own file")
    assert not Path(f"{store_copy}-wal").exists() and store_copy.read_bytes() == before


def test_export_refuses_an_existing_file_unless_forced(store_copy: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("OLD\n")
    one_line_error(kizashi("--db", str(store_copy), "export", "-o", str(target)), str(target), "--force")
    assert target.read_text() == "OLD\n"
    forced = kizashi("--db", str(store_copy), "export", "-o", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert [json.loads(line)["id"] for line in target.read_text().splitlines()].__len__() == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "store"]  # no temporary file left


def test_export_on_a_full_disk_leaves_the_old_file_and_no_half_file(store_copy: Path, tmp_path: Path) -> None:
    with mounted(tmp_path / "small", "-o", "size=8k") as small:
        target = small / "flows.jsonl"
        target.write_text("OLD\n")
        result = kizashi("--db", str(store_copy), "export", "-o", str(target), "--force")
        one_line_error(result, str(target), "no space left on device")
        assert target.read_text() == "OLD\n"
        assert [p.name for p in small.iterdir()] == ["flows.jsonl"]


def test_a_killed_export_leaves_no_half_file(tmp_path: Path) -> None:
    """SIGKILL while the writer is halfway: the target keeps its old content."""
    target = tmp_path / "out.csv"
    target.write_text("OLD\n")
    script = (f"import os, signal\nfrom pathlib import Path\nfrom kizashi.export.output import atomic_text\n"
              f"with atomic_text(Path({str(target)!r}), force=True) as fh:\n"
              f"    fh.write('x' * 100_000); fh.flush()\n"
              f"    os.kill(os.getpid(), signal.SIGKILL)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=NEUTRAL)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert target.read_text() == "OLD\n"


def test_a_report_on_a_full_disk_keeps_the_old_files(store_copy: Path, tmp_path: Path) -> None:
    with mounted(tmp_path / "small", "-o", "size=16k") as small:
        (small / "report.md").write_text("OLD md\n")
        (small / "report.html").write_text("OLD html\n")
        result = kizashi("--db", str(store_copy), "report", "--out", str(small))
        one_line_error(result, "no space left on device")
        assert (small / "report.md").read_text() == "OLD md\n"
        assert (small / "report.html").read_text() == "OLD html\n"
        assert sorted(p.name for p in small.iterdir()) == ["report.html", "report.md"]


# -- 2. feeds are stored record by record ------------------------------------------------------------------


def _feed(path: Path, records: int) -> Path:
    lines = [json.dumps({"title": f"第{i}報", "text": article(i)}, ensure_ascii=False) for i in range(1, records + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_killed_feed_keeps_its_stored_records_and_resumes(tmp_path: Path) -> None:
    feed = _feed(tmp_path / "feed.jsonl", 20)
    url = sqlite_url(tmp_path / "k.db")
    process = popen("--db", url, "ingest", str(feed), cwd=tmp_path)
    try:
        stored = wait_for(url, 3, process)
        process.send_signal(signal.SIGKILL)
    finally:
        process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, "the ingest ended before the kill"
    stored = count_documents(url)
    assert 3 <= stored < 20, stored  # killed inside the one file, with records stored
    resumed = kizashi("--db", url, "ingest", str(feed), cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    counts = summary_counts(resumed.stdout)
    assert (counts["unchanged"], counts["new"], counts["failed"]) == (stored, 20 - stored, 0)


def test_a_bad_record_costs_only_itself(tmp_path: Path) -> None:
    """Records before and after one that cleans to nothing are stored; the report names the record."""
    lines = [json.dumps({"text": article(i)}, ensure_ascii=False) for i in (1, 2)]
    lines.insert(1, json.dumps({"text": "この記事をシェアする\nTwitter Facebook LINE"}, ensure_ascii=False))
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    url = sqlite_url(tmp_path / "k.db")
    result = kizashi("--db", url, "ingest", str(feed))
    assert result.returncode == 1, result.stderr[-2000:]
    counts = summary_counts(result.stdout)
    assert (counts["new"], counts["failed"]) == (2, 1), result.stdout
    assert f"{feed}#2: no article text left after cleaning" in result.stderr
    assert count_documents(url) == 2


def test_progress_counts_records(tmp_path: Path) -> None:
    from kizashi.config import Options
    from kizashi.store import Store
    from kizashi.workflow import ingest_paths

    feed = _feed(tmp_path / "feed.jsonl", 3)
    single = tmp_path / "single.txt"
    single.write_text(article(9), encoding="utf-8")
    calls: list[tuple[str, str, int]] = []
    with Store.open(sqlite_url(tmp_path / "k.db")) as store:
        report = ingest_paths([feed, single], store, Options(), on_record=lambda *call: calls.append(call))
    assert len(report.new) == 4, report
    assert calls == [(str(feed), f"{feed}#{n}", 3) for n in (1, 2, 3)] + [(str(single), str(single), 1)]


# -- 4. CSV formula injection ------------------------------------------------------------------------------


def test_csv_cells_cannot_run_as_formulas() -> None:
    from kizashi.export.csv import write_csv
    from kizashi.model import Document, Flow, Metadata, Quantity

    body = "北朝鮮はロシアに砲弾を送った。"
    doc = Document(source="up\x07load\x1b[31m.txt", raw_sha256="0" * 64, text=body, id="d1",
                   metadata=Metadata(title='=HYPERLINK("http://evil.example","x")', outlet="@SUM(1+1)",
                                     author="+cmd|' /C calc'!A0", url="-2+3"))
    doc.flows.append(Flow("PRK", "RUS", "artillery_ammunition", "certain", doc.span(0, len(body)),
                          quantity=Quantity(-5.0, "rounds"), why="\tpredicate 送っ\r"))
    out = io.StringIO()
    write_csv([doc], out)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["title"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert row["outlet"] == "'@SUM(1+1)" and row["author"].startswith("'+") and row["url"] == "'-2+3"
    assert row["why"].startswith("'\t")
    assert row["source"] == "upload[31m.txt"  # BEL and ESC gone
    assert row["quantity"] == "-5.0"  # a number stays a number
    assert not [c for c in out.getvalue() if ord(c) < 32 and c not in "\t\r\n"]


# -- 5. a damaged SQLite store -----------------------------------------------------------------------------


def _damage(path: Path) -> None:
    """Overwrite the root page of the documents table: the store still opens, its reads fail."""
    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'documents'").fetchone()[0]
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)


def test_a_damaged_store_refuses_ingest(store_copy: Path) -> None:
    _damage(store_copy)
    result = kizashi("--db", str(store_copy), "ingest", str(SAMPLES / "05_shells_rewrite.txt"))
    one_line_error(result, str(store_copy), "damaged", "quick_check")
    assert "ingested:" not in result.stdout


# -- 6. articles that are not Japanese ---------------------------------------------------------------------

OTHER_LANGUAGES = {
    "ko.txt": ("ko", "북한이 러시아에 포탄을 보냈다고 한국 국방부가 발표했다. 수량은 연간 300만 발에 이른다.\n"),
    "en.txt": ("en", "North Korea sent artillery shells to Russia, the South Korean defence ministry said.\n"),
    "zh.txt": ("zh", "朝鲜向俄罗斯运送了炮弹，韩国国防部表示。数量每年达三百万发。\n"),
    "ru.txt": ("unknown", "Северная Корея передала России артиллерийские снаряды, сообщило министерство.\n"),
}


def test_articles_not_in_japanese_are_named_and_counted_apart(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (_, body) in OTHER_LANGUAGES.items():
        (folder / name).write_text(body, encoding="utf-8")
    shutil.copy(SAMPLES / "06_denial.txt", folder / "ja.txt")
    url = sqlite_url(tmp_path / "k.db")
    result = kizashi("--db", url, "ingest", str(folder))
    assert result.returncode == 0, result.stderr
    assert "1 new" in result.stdout and "4 not analysed (not Japanese)" in result.stdout, result.stdout
    for name, (language, _) in OTHER_LANGUAGES.items():
        [line] = [line for line in result.stderr.splitlines() if name in line]
        assert f"language {language}" in line and "not analysed" in line, line
    assert count_documents(url) == 1


# -- 7. stored text is printed as text ---------------------------------------------------------------------


@pytest.mark.parametrize("command", [["list"], ["summary"], ["search", "砲弾"], ["query"], ["show", "ID"]])
def test_markup_in_stored_text_is_printed_as_text(store_copy: Path, command: list[str]) -> None:
    with sqlite3.connect(store_copy) as connection:
        [doc_id] = connection.execute("SELECT id FROM documents WHERE title LIKE '%[/red]%'").fetchone()
    result = kizashi("--db", str(store_copy), *[doc_id if c == "ID" else c for c in command])
    assert result.returncode == 0, result.stderr[-2000:]
    assert "[/red]" in result.stdout and "MarkupError" not in result.stderr


def test_markup_in_extract_table_is_printed_as_text(tmp_path: Path) -> None:
    source = tmp_path / "markup.txt"
    source.write_text(MARKUP_TEXT, encoding="utf-8")
    result = kizashi("extract", str(source), "--format", "table")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "[/red]" in result.stdout


# -- 9. a PostgreSQL store lost mid-ingest -----------------------------------------------------------------


@contextmanager
def pg_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    with fresh_database("postgresql", request, tmp_path / "unused.db") as url:
        yield url, url.rsplit("/", 1)[1]


def _admin(request: pytest.FixtureRequest):
    user = request.getfixturevalue("pg_admin_user")
    return create_engine(PG_SERVER.format(user=user, database="postgres"), isolation_level="AUTOCOMMIT")


def test_a_dropped_database_stops_the_run_with_one_line(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, range(1, 21))
    with pg_database(request, tmp_path) as (url, name):
        process = popen("--db", url, "ingest", str(folder), cwd=tmp_path)
        try:
            stored = wait_for(url, 3, process)
            admin = _admin(request)
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            admin.dispose()
            stdout, stderr = process.communicate(timeout=TIMEOUT)
        finally:
            process.kill()
        assert stored >= 3
        assert process.returncode == 2, stderr[-3000:]
        assert "Traceback" not in stderr and "internal error" not in stderr, stderr[-3000:]
        last = stderr.strip().splitlines()[-1]
        assert "failed 3 times in a row" in last and "rerun" in last, last
        counts = summary_counts(stdout)
        assert counts["new"] >= 3 and counts["failed"] <= 4 and counts["new"] + counts["failed"] < 20, counts


def test_a_terminated_connection_costs_at_most_a_document(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, range(1, 13))
    with pg_database(request, tmp_path) as (url, name):
        process = popen("--db", url, "ingest", str(folder), cwd=tmp_path)
        try:
            wait_for(url, 2, process)
            admin = _admin(request)
            with admin.connect() as connection:
                killed = connection.scalar(text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                                "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
            admin.dispose()
            stdout, stderr = process.communicate(timeout=TIMEOUT)
        finally:
            process.kill()
        assert killed >= 1
        assert process.returncode in (0, 1), stderr[-3000:]
        assert "Traceback" not in stderr and "internal error" not in stderr, stderr[-3000:]
        assert summary_counts(stdout)["failed"] <= 1
        rerun = kizashi("--db", url, "ingest", str(folder), cwd=tmp_path)
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        assert count_documents(url) == 12


# -- 12. one line instead of a traceback -------------------------------------------------------------------


def test_unreachable_postgresql_is_one_line() -> None:
    one_line_error(kizashi("--db", "postgresql://postgres@127.0.0.1:1/kizashi", "list"),
                   "cannot open store", "127.0.0.1", "refused")


def test_missing_postgresql_database_is_one_line(pg_admin_user: str) -> None:
    name = f"kizashi_missing_{uuid.uuid4().hex[:8]}"
    one_line_error(kizashi("--db", PG_SERVER.format(user=pg_admin_user, database=name), "list"),
                   "cannot open store", f'database "{name}" does not exist')


def test_a_store_locked_at_open_is_one_line(store_copy: Path) -> None:
    holder = sqlite3.connect(store_copy, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = kizashi("--db", str(store_copy), "ingest", str(SAMPLES / "05_shells_rewrite.txt"))
    finally:
        holder.close()
    one_line_error(result, str(store_copy), "database is locked")


def test_a_store_from_a_newer_kizashi_says_so(store_copy: Path) -> None:
    with sqlite3.connect(store_copy) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    for command in (["list"], ["ingest", str(SAMPLES / "05_shells_rewrite.txt")]):
        one_line_error(kizashi("--db", str(store_copy), *command), "newer Kizashi", "9999_future")


@pytest.mark.parametrize("kind", ["directory", "text file", "damaged store"])
def test_a_store_that_is_not_a_store_is_one_line(kind: str, store_copy: Path, tmp_path: Path) -> None:
    if kind == "directory":
        db = tmp_path
    elif kind == "text file":
        db = tmp_path / "notes.txt"
        db.write_text("これはデータベースではない\n" * 200, encoding="utf-8")
    else:
        db = store_copy
        _damage(db)
    line = one_line_error(kizashi("--db", str(db), "list"), str(db))
    assert {"directory": "unable to open", "text file": "not a database",
            "damaged store": "malformed"}[kind] in line


def test_export_into_a_missing_folder_is_checked_before_the_store() -> None:
    line = one_line_error(kizashi("--db", "postgresql://postgres@127.0.0.1:1/kizashi", "export", "-o",
                                  "/nonexistent-kizashi/flows.jsonl"), "no such folder /nonexistent-kizashi")
    assert "store" not in line


def test_export_into_a_read_only_folder_is_one_line(store_copy: Path, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with read_only_view(tmp_path / "out", tmp_path / "ro") as folder:
        one_line_error(kizashi("--db", str(store_copy), "export", "-o", str(folder / "x.jsonl")),
                       str(folder), "read-only file system")


@pytest.mark.parametrize("room", [8 * 1024, 64 * 1024])  # too little to open; enough to open, not to write
def test_ingest_into_a_full_disk_stops_with_one_line(room: int, store_copy: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, range(1, 9))
    with mounted(tmp_path / "small", "-o", f"size={store_copy.stat().st_size + room}") as small:
        shutil.copy(store_copy, small / "k.db")
        result = kizashi("--db", str(small / "k.db"), "ingest", str(folder))
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr[-3000:]
    assert result.returncode == 2, result.stderr[-3000:]
    last = result.stderr.strip().splitlines()[-1]
    assert "full" in last and str(small / "k.db") in last, result.stderr[-3000:]
    if room > 8 * 1024:
        assert "failed 3 times in a row" in last and summary_counts(result.stdout)["failed"] == 3


def test_a_bad_port_is_one_line(tmp_path: Path) -> None:
    result = kizashi("--db", str(tmp_path / "k.db"), "serve", "--port", "99999", timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "--port" in result.stderr and "serving" not in result.stdout


def test_a_bad_upload_limit_is_one_line(tmp_path: Path) -> None:
    result = kizashi("--db", str(tmp_path / "k.db"), "serve", "--port", "0",
                     env={"KIZASHI_MAX_UPLOAD": "10MB"}, timeout=60)
    one_line_error(result, "KIZASHI_MAX_UPLOAD", "10MB")
    assert "serving" not in result.stdout


# -- 13. reading a store read-only -------------------------------------------------------------------------


def test_a_store_in_a_read_only_folder_can_be_read(store_copy: Path, tmp_path: Path) -> None:
    with read_only_view(store_copy.parent, tmp_path / "ro") as folder:
        for command in (["list"], ["summary"], ["search", "砲弾"]):
            result = kizashi("--db", str(folder / store_copy.name), *command)
            assert result.returncode == 0, result.stderr[-2000:]
            assert "北朝鮮" in result.stdout
        export = kizashi("--db", str(folder / store_copy.name), "export", "-o", str(tmp_path / "x.jsonl"))
        assert export.returncode == 0, export.stderr[-2000:]
        refused = kizashi("--db", str(folder / store_copy.name), "ingest", str(SAMPLES / "05_shells_rewrite.txt"))
        one_line_error(refused, "cannot open store")


def test_a_read_does_not_wait_for_a_writer(store_copy: Path) -> None:
    holder = sqlite3.connect(store_copy, isolation_level=None)
    holder.execute("PRAGMA journal_mode = WAL")
    holder.execute("BEGIN IMMEDIATE")  # a writer holds the write lock
    try:
        started = time.monotonic()
        result = kizashi("--db", str(store_copy), "list")
        took = time.monotonic() - started
    finally:
        holder.close()
    assert result.returncode == 0, result.stderr[-2000:]
    assert took < 8, took  # the busy timeout is 10 s


# -- 14. Ctrl-C and a busy port ----------------------------------------------------------------------------


def test_ctrl_c_reports_what_was_stored(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, range(1, 21))
    url = sqlite_url(tmp_path / "k.db")
    process = popen("--db", url, "ingest", str(folder), cwd=tmp_path)
    try:
        wait_for(url, 3, process)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 130, stderr[-3000:]
    assert "Traceback" not in stderr, stderr[-3000:]
    counts = summary_counts(stdout)
    assert counts["new"] >= 3 and counts["new"] == count_documents(url), (counts, stdout)
    last = stderr.strip().splitlines()[-1]
    assert "interrupted" in last and "rerun resumes" in last, last


def test_serve_on_a_busy_port_fails_before_announcing(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = kizashi("--db", str(tmp_path / "k.db"), "serve", "--port", str(port), timeout=60)
    one_line_error(result, f"127.0.0.1:{port}", "address already in use")
    assert "serving" not in result.stdout


# -- 15. the store inside the ingested folder, and negative limits -----------------------------------------


def test_a_store_inside_the_ingested_folder_is_left_out(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    write_articles(folder, [1, 2])
    db = folder / "kizashi.db"
    first = kizashi("--db", str(db), "ingest", str(folder))
    second = kizashi("--db", str(db), "ingest", str(folder))
    for result, counts in ((first, (2, 0)), (second, (0, 2))):
        assert result.returncode == 0, result.stderr[-2000:]
        found = summary_counts(result.stdout)
        assert (found["new"], found["unchanged"], found["failed"]) == (*counts, 0), result.stdout


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@pytest.mark.parametrize("command", [["list", "--limit", "-1"], ["search", "砲弾", "--limit", "-5"],
                                     ["query", "--limit", "-1"], ["list", "--offset", "-1"]])
def test_a_negative_limit_is_a_usage_error(backend: str, command: list[str], request: pytest.FixtureRequest,
                                           tmp_path: Path) -> None:
    with fresh_database(backend, request, tmp_path / "k.db") as url:
        result = kizashi("--db", url, *command)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "greater than or equal to 0" in result.stderr
