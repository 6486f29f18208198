"""An edited article re-ingested from the same place (a file, a URL) is a new version of it: the
ledger uses the latest version, the old text stays readable as history, and the edit never
shows as two sources contradicting each other. SQLite and PostgreSQL (``store_url``)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

from ingest_articles import KIZASHI

from kizashi.config import Options
from kizashi.ingest.versions import version_key
from kizashi.model import Document, Metadata
from kizashi.store import Store
from kizashi.workflow import ingest_paths, read_records

# Our own article in the news register; the edit corrects a figure and adds a sentence.
FIRST = ("北朝鮮、ロシアに砲弾を供給\n\n"
         "韓国国防省は15日、北朝鮮がロシアに100万発の砲弾を供給したと明らかにした。"
         "北朝鮮はロシアから食料の支援を受けているという。\n")
EDITED = FIRST.replace("100万発", "200万発") + "ロシアは北朝鮮に原油を送ったとみられる。\n"


def _ingest(url: str, *paths: Path):
    with Store.open(url) as store:
        return ingest_paths(list(paths), store, Options())


def _figure_disputes(store: Store) -> list:
    return store.contradictions(kind="figure").items


def _flow_keys(store: Store) -> set[tuple[str, str, str]]:
    return {(e.supplier, e.recipient, e.item) for e in store.ledger(limit=100).items}


def test_two_articles_with_different_figures_are_a_dispute(store_url: str, tmp_path: Path) -> None:
    """The control: the same texts from two places are two sources that disagree."""
    (tmp_path / "a.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "b.txt").write_text(EDITED, encoding="utf-8")
    report = _ingest(store_url, tmp_path / "a.txt", tmp_path / "b.txt")
    assert report.versions == [] and len(report.new) + len(report.near_duplicates) == 2
    with Store.open(store_url) as store:
        assert len(_figure_disputes(store)) == 1


def test_an_edited_file_replaces_its_old_version(store_url: str, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(FIRST, encoding="utf-8")
    _ingest(store_url, article)
    with Store.open(store_url) as store:
        [old_id] = [d.id for d in store.list_documents()]
        before = _flow_keys(store)
    article.write_text(EDITED, encoding="utf-8")
    report = _ingest(store_url, article)
    assert report.versions == [str(article)] and report.failed == []
    with Store.open(store_url) as store:
        new_id = next(d.id for d in store.list_documents() if d.id != old_id)
        assert _figure_disputes(store) == []  # the correction is no disagreement
        assert _flow_keys(store) == before | {("RUS", "PRK", "energy")}
        current = store.get_document(new_id)
        assert store.stats()["statements"] == len(current.flows)  # the old version's claims are out
        assert {f.document_id for f in store.flows(limit=100)} == {new_id}
        old = store.get_document(old_id)  # history: still readable, and says what replaced it
        assert old.superseded_by == new_id and old.text == FIRST.strip() and old.flows
        assert [(v.id, v.superseded_by) for v in store.versions(new_id)] == [(old_id, new_id), (new_id, None)]
        assert store.check().ok, {t: d for t, d in store.check().differences.items() if d}
    assert _ingest(store_url, article).unchanged == [str(article)]  # idempotent


def test_an_edit_undone_brings_the_first_version_back(store_url: str, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    for text in (FIRST, EDITED, FIRST):
        article.write_text(text, encoding="utf-8")
        report = _ingest(store_url, article)
    assert report.versions == [str(article)]
    with Store.open(store_url) as store:
        docs = [store.get_document(d.id) for d in store.list_documents()]
        [first] = [d for d in docs if "100万発" in d.text]
        [edited] = [d for d in docs if "200万発" in d.text]
        assert first.superseded_by is None and edited.superseded_by == first.id
        assert ("RUS", "PRK", "energy") not in _flow_keys(store)
        assert store.stats()["statements"] == len(first.flows)
        assert store.check().ok, {t: d for t, d in store.check().differences.items() if d}


def test_feed_records_are_versions_by_url_only(store_url: str, tmp_path: Path) -> None:
    """A feed's records are numbered by position, which says nothing about which article a record
    is: only a record's URL makes a later record a version of it."""
    feed = tmp_path / "feed.jsonl"

    def write(first: str, second: str) -> None:
        records = [{"url": "https://news.example.jp/a/1", "title": "t", "text": first},
                   {"title": "u", "text": second}]  # no URL
        feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")

    write(FIRST, FIRST.replace("韓国国防省", "韓国の情報機関"))
    _ingest(store_url, feed)
    write(EDITED, EDITED.replace("韓国国防省", "韓国の情報機関"))
    report = _ingest(store_url, feed)
    assert report.versions == [f"{feed}#1"] and report.failed == []
    with Store.open(store_url) as store:
        current = [d for d in store.list_documents() if store.get_document(d.id).superseded_by is None]
        assert len(current) == 3  # record 1's new version, and both texts of the record without a URL
        assert store.check().ok


def test_what_has_a_version_key() -> None:
    path = Path("/tmp/news/a.txt")
    assert version_key(Document(source=str(path), raw_sha256="", text="本文"), path) == f"file:{path.resolve()}"
    by_url = Document(source=f"{path}#2", raw_sha256="", text="本文",
                      metadata=Metadata(url="https://news.example.jp/a/1#comments"))
    assert version_key(by_url, path) == "url:https://news.example.jp/a/1"
    assert version_key(Document(source=f"{path}#2", raw_sha256="", text="本文"), path) is None  # a feed record
    assert version_key(Document(source="upload.txt", raw_sha256="", text="本文"), None) is None  # an upload


def test_an_upload_name_is_no_version_key(tmp_path: Path) -> None:
    upload = tmp_path / "tmp" / "a.txt"
    upload.parent.mkdir()
    upload.write_text(FIRST, encoding="utf-8")
    assert [d.version_key for d in read_records(upload, Options(), source="a.txt")] == [None]
    assert [d.version_key for d in read_records(upload, Options())] == [f"file:{upload.resolve()}"]


def test_the_cli_says_which_version_it_shows(tmp_path: Path) -> None:
    db, article = tmp_path / "s.db", tmp_path / "article.txt"
    article.write_text(FIRST, encoding="utf-8")

    def kizashi(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(KIZASHI), "--db", str(db), *args], capture_output=True, text=True, timeout=600)

    assert kizashi("ingest", str(article)).returncode == 0
    with Store.open(f"sqlite:///{db}") as store:
        [old_id] = [d.id for d in store.list_documents()]
    article.write_text(EDITED, encoding="utf-8")
    run = kizashi("ingest", str(article))
    assert run.returncode == 0 and "1 of them a new version of a stored article" in run.stdout, run.stdout
    shown = kizashi("show", old_id)
    assert shown.returncode == 0 and "an earlier version, kept as history" in shown.stdout, shown.stdout
    assert "versions, oldest first" in shown.stdout and "current" in shown.stdout
