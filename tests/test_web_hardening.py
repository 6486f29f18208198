"""Web hardening, round two (issue 17, items 8, 10 and 11), against the real ``kizashi serve``.

Every test starts the server as a subprocess on a free loopback port over a real store (SQLite,
or PostgreSQL at 127.0.0.1:5432) and talks to it with httpx or raw sockets; nothing of ours is mocked.

- 8: hostile upload file names; offsets and limits past 2⁶³ on every paged route; a locked SQLite
  store; an unreachable PostgreSQL (a TCP relay in front of the real server, then cut): 4xx that
  name the field, 503 with Retry-After, and always the app's own JSON error.
- 10: whole-store exports stream with bounded memory, need the token when one is configured, are
  limited per client and in total, and a client that stops reading is cut off.
- 11: an upload's body must arrive in time, uploads past the limit are refused before their body,
  reads stay fast under slow and parallel uploads, and the Host header is checked.
- A bad setting stops ``kizashi serve`` with one line naming it.

Articles are generated (``benchmarks/generate_articles.py``) where the test only reads, and our
own short sentences (``ingest_articles.article``) where the server's pipeline reads them.
"""
from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.utils import get_flat_params
from fastapi.dependencies.models import Dependant

from conftest import fresh_database
from ingest_articles import article
from kizashi.config import Options, Settings
from kizashi.serve import create_app
from kizashi.serve.deps import get_store
from kizashi.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate_articles import articles  # noqa: E402
from processes import stop  # noqa: E402

KIZASHI = Path(sys.executable).with_name("kizashi")
TOKEN = "hardening-token-3b8e41"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
HTML = {"accept": "text/html,application/xhtml+xml"}
BOUNDARY = "kizashi-hardening-boundary"


# -- the real server --------------------------------------------------------------------------

@dataclass
class Server:
    base: str
    port: int
    proc: subprocess.Popen
    log: Path

    def rss_kib(self) -> int:
        """The server's resident memory now (VmRSS), in KiB."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(token: str | None, env: dict[str, str] | None) -> dict[str, str]:
    """This environment without any KIZASHI_ setting of the developer's, plus the test's own."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KIZASHI_")}
    return clean | ({"KIZASHI_API_TOKEN": token} if token else {}) | (env or {})


@contextmanager
def kizashi_serve(db: str, tmp: Path, *, env: dict[str, str] | None = None, token: str | None = TOKEN,
                  port: int | None = None) -> Iterator[Server]:
    """``kizashi --db DB serve`` on a free loopback port, until the block ends."""
    assert KIZASHI.exists(), f"{KIZASHI} not found: install the project (make install)"
    port = port or free_port()
    log = tmp / f"server-{port}.log"
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen([str(KIZASHI), "--db", db, "serve", "--host", "127.0.0.1", "--port", str(port)],
                                stdout=out, stderr=subprocess.STDOUT, env=server_env(token, env))
        server = Server(base, port, proc, log)
        try:
            deadline = time.monotonic() + 60
            while True:
                assert proc.poll() is None, server.output()
                try:
                    httpx.get(f"{base}/openapi.json", timeout=2)  # any answer: it may refuse the Host
                    break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "kizashi serve did not start:\n" + server.output()
                time.sleep(0.1)
            yield server
        finally:
            stop(proc)


def fill(url: str, n: int) -> None:
    """``n`` generated articles saved as the pipeline would have left them."""
    docs = list(articles(n))
    with Store.open(url) as store:
        for i in range(0, n, 250):
            results = store.save_documents(docs[i:i + 250])
            assert not [r for r in results if isinstance(r, Exception)], results


def assert_json_error(response: httpx.Response, status: int, *words: str) -> str:
    """The app's own error body: JSON ``{"error": ...}`` naming what is wrong, no trace."""
    assert response.status_code == status, (response.status_code, response.text[:300])
    assert response.headers["content-type"] == "application/json", response.headers
    message = response.json()["error"]
    assert isinstance(message, str) and message and "Traceback" not in response.text
    for word in words:
        assert word.lower() in message.lower(), (word, message)
    return message


def assert_retry_later(response: httpx.Response, *words: str) -> None:
    assert_json_error(response, 503, *words)
    assert response.headers.get("retry-after", "").isdigit(), response.headers


def multipart(files: list[tuple[str, bytes]]) -> tuple[bytes, dict[str, str]]:
    """A multipart body built by hand, so a file name reaches the server byte for byte."""
    body = b"".join(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                    f"Content-Type: text/plain\r\n\r\n".encode() + data + b"\r\n" for name, data in files)
    return body + f"--{BOUNDARY}--\r\n".encode(), {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}


def document_count(base: str) -> int:
    return httpx.get(f"{base}/api/documents", params={"limit": 1}, timeout=30).json()["total"]


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('small') / 'kizashi.db'}"
    fill(url, 60)
    return url


def all_routes(app: FastAPI) -> list:
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: app.routes is already flat
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def reads_store(dependant: Dependant) -> bool:
    return dependant.call is get_store or any(reads_store(d) for d in dependant.dependencies)


def get_routes(db: str) -> list:
    """Every GET route of the app over ``db``, found from the app itself."""
    app = create_app(Settings(db=db, api_token=None), Options())
    return [r for r in all_routes(app) if "GET" in (getattr(r, "methods", None) or ())
            and getattr(r, "dependant", None) is not None]


def concrete(path: str) -> str:
    return (path.replace("{doc_id}", "0" * 16).replace("{entry_id}", "0" * 16).replace("{fmt}", "jsonl")
            .replace("{claim_id}", "c" + "0" * 16))  # a well-formed id: the route reads the store


# -- item 8: uploads with hostile file names --------------------------------------------------

BAD_NAMES = [
    ("a NUL byte", "shells\x00.txt", 422, "NUL"),
    ("a newline", "shells\n.txt", 422, "control"),
    ("256 ASCII bytes", "a" * 252 + ".txt", 422, "255"),
    ("256 bytes of Japanese", "砲" * 84 + ".txt", 422, "255"),
    ("5,000 bytes: past the multipart parser's header line", "x" * 4996 + ".txt", 400, "header"),
]


@pytest.mark.parametrize("what, name, status, reason", BAD_NAMES, ids=[b[0] for b in BAD_NAMES])
def test_upload_file_names_that_no_file_system_takes_are_4xx_naming_the_field(
        small_db: str, tmp_path: Path, what: str, name: str, status: int, reason: str) -> None:
    body, headers = multipart([(name, article(1).encode()), ("ok.txt", article(2).encode())])
    with kizashi_serve(small_db, tmp_path) as server:
        before = document_count(server.base)
        response = httpx.post(f"{server.base}/api/documents", content=body, headers=headers | AUTH, timeout=60)
        assert_json_error(response, status, "files", reason)
        assert document_count(server.base) == before  # one bad name refuses the whole upload
    assert "Traceback" not in server.output()


# -- item 8: offsets and limits past 2⁶³ on every paged route ---------------------------------

HUGE = [str(2 ** 63), str(2 ** 64), "1" + "0" * 30, "9" * 5000, str(-(2 ** 63) - 1)]


def test_huge_offsets_and_limits_are_422_naming_the_field_on_every_route(store_url: str, tmp_path: Path) -> None:
    """Every GET route that pages (found from the app: a new one is checked too), on SQLite and
    PostgreSQL: the JSON error names ``offset`` or ``limit``; an in-range deep offset is an empty page."""
    fill(store_url, 30)
    paged = {r.path: {f.alias for f in get_flat_params(r.dependant)} & {"limit", "offset"} for r in get_routes(store_url)}
    paged = {path: names for path, names in paged.items() if names}
    assert {"/api/flows", "/api/entities", "/api/search", "/documents", "/ledger.csv"} <= set(paged)
    wrong = []
    with kizashi_serve(store_url, tmp_path) as server, httpx.Client(base_url=server.base, timeout=30) as c:
        for path, names in sorted(paged.items()):
            extra = {"q": "ロシア"} if "search" in path else {}
            for name in sorted(names):
                for value in HUGE:
                    try:
                        response = c.get(path, params=extra | {name: value})
                    except httpx.TransportError as exc:  # the server closes the connection after a 500
                        wrong.append((path, name, value[:24], repr(exc)))
                        continue
                    if response.status_code != 422 or name not in response.json().get("error", ""):
                        wrong.append((path, name, value[:24], response.status_code, response.text[:100]))
            if "offset" in names:
                deep = c.get(path, params=extra | {"offset": 10 ** 6})
                if deep.status_code != 200:
                    wrong.append((path, "offset", "10**6", deep.status_code, deep.text[:100]))
    assert wrong == [], f"{len(wrong)} wrong answers, e.g. {wrong[:8]}"
    assert "Traceback" not in server.output()


# -- item 8: a busy or unreachable store -------------------------------------------------------

def test_a_locked_sqlite_store_answers_503_with_retry_after(tmp_path: Path) -> None:
    """Another process holds the SQLite write lock: an upload waits out the busy timeout, then says
    so (503, Retry-After, the JSON error), and is stored once the lock is gone; reads go on meanwhile
    (WAL: readers never wait for the writer)."""
    url = f"sqlite:///{tmp_path / 'kizashi.db'}"
    fill(url, 20)
    body, headers = multipart([("locked.txt", article(3).encode())])
    with kizashi_serve(url, tmp_path) as server, httpx.Client(base_url=server.base, timeout=60) as c:
        locker = sqlite3.connect(tmp_path / "kizashi.db", isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")
        try:
            with ThreadPoolExecutor(1) as pool:
                upload = pool.submit(c.post, "/api/documents", content=body, headers=headers | AUTH)
                time.sleep(1)
                for path in ("/api/documents", "/api/flows?supplier=PRK", "/ledger"):
                    started = time.monotonic()
                    assert c.get(path, headers=HTML).status_code == 200, path
                    assert time.monotonic() - started < 2, path
                assert_retry_later(upload.result(), "busy")
        finally:
            locker.close()  # ends its transaction and the lock
        assert document_count(server.base) == 20
        assert c.post("/api/documents", content=body, headers=headers | AUTH).status_code == 201
    assert "Traceback" not in server.output()


class Relay:
    """A TCP relay from a loopback port to the real PostgreSQL: ``cut`` closes it and every connection
    through it, as a stopped server or a broken network would; ``restore`` listens again."""

    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5432)) -> None:
        self.target = target
        self.port = free_port()
        self.connections: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.restore()

    def restore(self) -> None:
        deadline = time.monotonic() + 5
        while True:
            try:  # the port frees once the accepting thread's last accept() has timed out
                self.listener = socket.create_server(("127.0.0.1", self.port))
                break
            except OSError:
                assert time.monotonic() < deadline, f"port {self.port} stays in use"
                time.sleep(0.1)
        self.listener.settimeout(0.1)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while listener.fileno() != -1:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def cut(self) -> None:
        assert self.listener is not None
        self.listener.close()
        for s in self.connections:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        self.connections = []


def test_an_unreachable_postgresql_answers_503_on_every_route(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """The server reaches PostgreSQL through a relay; the relay is cut: every route that reads the
    store (found from the app) answers 503 with Retry-After and the JSON error, an upload too; the
    rest still answers 200; once PostgreSQL is back, so is every route."""
    with fresh_database("postgresql", request, tmp_path / "unused.db") as direct:
        fill(direct, 20)
        relay = Relay()
        via_relay = direct.replace("@127.0.0.1:5432/", f"@127.0.0.1:{relay.port}/")
        routes = get_routes(direct)
        store_paths = sorted(concrete(r.path) for r in routes if reads_store(r.dependant))
        other_paths = ["/openapi.json", "/static/kizashi.css", "/static/plotly.min.js"]
        assert {"/", "/api/ledger", "/api/export/jsonl", "/ledger.csv"} <= set(store_paths), store_paths
        params = {"q": "ロシア"}
        body, headers = multipart([("down.txt", article(4).encode())])
        try:
            with kizashi_serve(via_relay, tmp_path) as server, httpx.Client(base_url=server.base, timeout=60) as c:
                c.headers.update(AUTH)  # exports need the token too
                up = {path: c.get(path, params=params).status_code for path in store_paths}
                assert set(up.values()) <= {200, 404}, up
                relay.cut()
                wrong = []
                for path in store_paths:
                    response = c.get(path, params=params)
                    if response.status_code != 503 or not response.headers.get("retry-after", "").isdigit() \
                            or response.headers["content-type"] != "application/json" or "error" not in response.json():
                        wrong.append((path, response.status_code, response.text[:120]))
                assert wrong == [], f"{len(wrong)} of {len(store_paths)} routes, e.g. {wrong[:6]}"
                assert_retry_later(c.post("/api/documents", content=body, headers=headers | AUTH), "unavailable")
                for path in other_paths:
                    assert c.get(path).status_code == 200, path
                relay.restore()
                back = {path: c.get(path, params=params).status_code for path in store_paths}
                assert back == up
        finally:
            relay.cut()
    assert "Traceback" not in server.output() and "internal error" not in server.output(), server.output()[-3000:]


# -- settings -----------------------------------------------------------------------------------

BAD_SETTINGS = [
    ("KIZASHI_MAX_UPLOAD", "10MB"), ("KIZASHI_MAX_UPLOAD", "0"), ("KIZASHI_CONCURRENT_UPLOADS", "two"),
    ("KIZASHI_UPLOAD_TIMEOUT", "-1"), ("KIZASHI_CONCURRENT_EXPORTS", "1.5"), ("KIZASHI_EXPORTS_PER_MINUTE", "lots"),
    ("KIZASHI_SEND_TIMEOUT", "30s"), ("KIZASHI_ALLOWED_HOSTS", " , "),
]


@pytest.mark.parametrize("name, value", BAD_SETTINGS)
def test_a_bad_setting_stops_serve_with_one_line_naming_it(small_db: str, name: str, value: str) -> None:
    done = subprocess.run([str(KIZASHI), "--db", small_db, "serve", "--port", str(free_port())],
                          env=server_env(None, {name: value}), capture_output=True, text=True, timeout=20)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and repr(value) in lines[0], done.stderr
    assert "Traceback" not in done.stderr


def test_an_unreachable_store_at_start_is_one_line(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/kizashi"
    done = subprocess.run([str(KIZASHI), "--db", url, "serve", "--port", str(free_port())],
                          env=server_env(None, None), capture_output=True, text=True, timeout=60)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and "cannot open store" in lines[0], done.stderr


# -- item 10: whole-store exports ---------------------------------------------------------------

EXPORT_ARTICLES = 2000  # some 8 MB of jsonl: more than the queue and the socket buffers (some 4 MB) hold


@pytest.fixture(scope="module")
def export_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('export') / 'kizashi.db'}"
    fill(url, EXPORT_ARTICLES)
    return url


@contextmanager
def stalled_export(server: Server, fmt: str = "jsonl", source: str = "127.0.0.1",
                   headers: dict[str, str] = AUTH) -> Iterator[tuple[socket.socket, bytes]]:
    """An export whose client reads the head and a little of the body, then stops reading (a small
    receive buffer, so the kernel holds little for it); closed when the block ends."""
    conn = socket.socket()
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    conn.bind((source, 0))
    conn.settimeout(30)
    conn.connect(("127.0.0.1", server.port))
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    conn.sendall(f"GET /api/export/{fmt} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n{extra}\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += conn.recv(1024)
    try:
        yield conn, head
    finally:
        conn.close()


def client_from(source: str, base: str) -> httpx.Client:
    """A client whose connections come from ``source`` (any 127.x.y.z): another client to the server."""
    return httpx.Client(base_url=base, timeout=60, transport=httpx.HTTPTransport(local_address=source))


def store_bytes_read(server: Server) -> int:
    """Bytes the server has read through system calls so far (rchar): SQLite reads its file so."""
    io = Path(f"/proc/{server.proc.pid}/io").read_text()
    return int(next(line.split()[1] for line in io.splitlines() if line.startswith("rchar:")))


def settled_reads(server: Server, since: int, timeout: float = 20) -> tuple[int, int]:
    """Bytes read since ``since`` once reading has stopped (less than 0.2 MB in a second), and what
    that last second read."""
    last = store_bytes_read(server) - since
    deadline = time.monotonic() + timeout
    while True:
        time.sleep(1)
        now = store_bytes_read(server) - since
        if now - last < 200_000 or time.monotonic() > deadline:
            return now, now - last
        last = now


def test_whole_store_exports_stream_as_the_client_reads(export_db: str, tmp_path: Path) -> None:
    """Already so before this round: chunked, no Content-Length; while three clients stop reading
    the server stops reading the store for them (it is not built per request, it follows the
    client), answers others meanwhile, and its memory stays bounded."""
    with kizashi_serve(export_db, tmp_path, env={"KIZASHI_CONCURRENT_EXPORTS": "3"}) as server:
        with httpx.Client(base_url=server.base, timeout=60, headers=AUTH) as c:
            read_before = store_bytes_read(server)
            size = len(c.get("/api/export/jsonl").content)
            whole = store_bytes_read(server) - read_before
            assert size > 7_000_000, size
            time.sleep(0.5)
            before, read_before = server.rss_kib(), store_bytes_read(server)
            with stalled_export(server, source="127.0.0.2") as (_, head_a), \
                    stalled_export(server, source="127.0.0.3") as (_, head_b), \
                    stalled_export(server, source="127.0.0.4") as (_, head_c):
                for head in (head_a, head_b, head_c):
                    assert head.startswith(b"HTTP/1.1 200") and b"transfer-encoding: chunked" in head.lower(), head
                    assert b"content-length" not in head.lower()
                stalled, still = settled_reads(server, read_before)
                grown = server.rss_kib() - before
                started = time.monotonic()
                assert c.get("/api/ledger", params={"limit": 5}).status_code == 200
                answered = time.monotonic() - started
            print(f"\nexport {size / 1e6:.1f} MB, {whole / 1e6:.1f} MB read from the store; 3 stalled exports read "
                  f"{stalled / 3e6:.1f} MB each, then {still / 1e3:.0f} kB in a second, and grew the server by "
                  f"{grown / 1024:.1f} MiB; a ledger read meanwhile took {answered * 1000:.0f} ms")
            assert still < 0.01 * whole, f"the writers go on reading the store: {still} bytes in a second"
            assert stalled < 3 * 0.75 * whole, (stalled, whole)  # the rest waits in the kernel's socket buffers
            assert grown < 100 * 1024, grown
            assert answered < 2
            time.sleep(1.5)  # the writers see the clients gone at their next write
            assert c.get("/api/export/csv").status_code == 200


def test_whole_store_exports_need_the_token_when_one_is_configured(small_db: str, tmp_path: Path) -> None:
    with kizashi_serve(small_db, tmp_path) as server, httpx.Client(base_url=server.base, timeout=60) as c:
        for fmt in ("jsonl", "csv", "graphml", "ftm"):
            missing = c.get(f"/api/export/{fmt}")
            assert_json_error(missing, 401, "token")
            assert missing.headers["www-authenticate"] == "Bearer"
            assert_json_error(c.get(f"/api/export/{fmt}", headers={"Authorization": "Bearer wrong"}), 401, "token")
        assert_json_error(c.get("/api/export/pdf"), 404, "pdf")  # what it is, before who asks
        assert c.get("/api/export/ftm", headers=AUTH).status_code == 200
    with kizashi_serve(small_db, tmp_path, token=None) as server:  # read-only server: open, but limited
        assert httpx.get(f"{server.base}/api/export/jsonl", timeout=60).status_code == 200


def test_exports_are_limited_per_client_per_minute(small_db: str, tmp_path: Path) -> None:
    with kizashi_serve(small_db, tmp_path, env={"KIZASHI_EXPORTS_PER_MINUTE": "3"}, token=None) as server:
        with client_from("127.0.0.5", server.base) as first, client_from("127.0.0.6", server.base) as second:
            assert [first.get(f"/api/export/{fmt}").status_code for fmt in ("jsonl", "csv", "ftm")] == [200] * 3
            refused = first.get("/api/export/graphml")
            assert_json_error(refused, 429, "KIZASHI_EXPORTS_PER_MINUTE")
            assert 0 < int(refused.headers["retry-after"]) <= 60
            assert second.get("/api/export/graphml").status_code == 200  # another client is not held back


def test_exports_are_limited_in_number_at_once(export_db: str, tmp_path: Path) -> None:
    """One at a time per client, KIZASHI_CONCURRENT_EXPORTS in all; a finished one frees its place."""
    with kizashi_serve(export_db, tmp_path, env={"KIZASHI_CONCURRENT_EXPORTS": "2"}) as server:
        with client_from("127.0.0.7", server.base) as seventh, client_from("127.0.0.9", server.base) as ninth:
            with stalled_export(server, source="127.0.0.7"):
                assert_json_error(seventh.get("/api/export/csv", headers=AUTH), 429, "export")
                with stalled_export(server, source="127.0.0.8"):
                    busy = ninth.get("/api/export/csv", headers=AUTH)
                    assert_json_error(busy, 429, "KIZASHI_CONCURRENT_EXPORTS")
                    assert busy.headers["retry-after"].isdigit()
            time.sleep(1.5)
            assert ninth.get("/api/export/csv", headers=AUTH).status_code == 200
            assert seventh.get("/api/export/csv", headers=AUTH).status_code == 200


def test_an_export_whose_client_stops_reading_is_cut_off(export_db: str, tmp_path: Path) -> None:
    """After KIZASHI_SEND_TIMEOUT seconds without reading, the server closes the connection without
    the last chunk (the client sees a cut-short download, not a complete file) and frees the place."""
    with kizashi_serve(export_db, tmp_path, env={"KIZASHI_SEND_TIMEOUT": "2", "KIZASHI_CONCURRENT_EXPORTS": "1"}) as server:
        with stalled_export(server, source="127.0.0.10") as (conn, _):
            time.sleep(4)
            with client_from("127.0.0.11", server.base) as other:
                assert other.get("/api/export/graphml", headers=AUTH).status_code == 200
            conn.settimeout(10)
            received = b""
            while chunk := conn.recv(65536):
                received += chunk
            assert not received.endswith(b"0\r\n\r\n"), "the cut-short download ended like a complete one"
    assert "Traceback" not in server.output()


def test_an_export_cut_short_by_the_store_does_not_end_like_a_complete_one(
        request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """PostgreSQL goes away in the middle of an export (its writer waiting on a slow client, with
    batches still to read): the download ends without its last chunk, the server says why in one
    line, and the export's place is freed."""
    with fresh_database("postgresql", request, tmp_path / "unused.db") as direct:
        fill(direct, 1500)
        relay = Relay()
        try:
            with kizashi_serve(direct.replace("@127.0.0.1:5432/", f"@127.0.0.1:{relay.port}/"), tmp_path,
                               env={"KIZASHI_CONCURRENT_EXPORTS": "1"}) as server:
                with stalled_export(server, source="127.0.0.12") as (conn, head):
                    assert head.startswith(b"HTTP/1.1 200"), head
                    time.sleep(2)
                    relay.cut()
                    received = b""
                    while chunk := conn.recv(65536):
                        received += chunk
                assert len(received) > 1_000_000 and not received.endswith(b"0\r\n\r\n")
                relay.restore()
                with client_from("127.0.0.13", server.base) as other:
                    assert other.get("/api/export/graphml", headers=AUTH).status_code == 200
        finally:
            relay.cut()
    assert "export jsonl cut short: the store is unavailable" in server.output(), server.output()[-2000:]
    assert "Traceback" not in server.output()


# -- item 11: slow and parallel uploads, and the Host header -----------------------------------

async def slow_upload(port: int, seconds: float, rate: int = 1024, total: int = 60 * 1024) -> tuple[int | None, float]:
    """An upload with a valid token that sends ``rate`` bytes a second of a ``total``-byte body;
    (the status it got, or None if none came within ``seconds``; when it came)."""
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (f"POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {total}\r\n\r\n")
    writer.write(head.encode() + f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; '
                                 f'filename="slow.txt"\r\n\r\n'.encode())
    status = None
    try:
        response = asyncio.ensure_future(reader.readline())
        while time.monotonic() - started < seconds and not response.done():
            writer.write(b"a" * rate)
            try:
                await writer.drain()
            except ConnectionError:
                break
            await asyncio.wait([response], timeout=1)
        if not response.done():
            await asyncio.wait([response], timeout=0.5)
        if response.done() and not response.exception() and response.result():
            status = int(response.result().split()[1])
        else:
            response.cancel()
    finally:
        writer.close()
    return status, time.monotonic() - started


async def read_latencies(base: str, seconds: float) -> list[float]:
    """A reader of the API and the pages, one request after another, for ``seconds``: each latency."""
    paths = ["/api/ledger?limit=5", "/api/documents?limit=10", "/ledger", "/api/search?q=ロシア"]
    found = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        end = time.monotonic() + seconds
        i = 0
        while time.monotonic() < end:
            started = time.monotonic()
            response = await c.get(paths[i % len(paths)])
            found.append(time.monotonic() - started)
            assert response.status_code == 200, response.text[:200]
            i += 1
    return found


def summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"n={len(ordered)} p50={statistics.median(ordered) * 1000:.0f} ms p95={p95 * 1000:.0f} ms max={ordered[-1] * 1000:.0f} ms"


def test_a_slow_upload_is_timed_out(small_db: str, tmp_path: Path) -> None:
    """1 KB/s with a valid token: answered 408 once KIZASHI_UPLOAD_TIMEOUT has passed, not held open."""
    with kizashi_serve(small_db, tmp_path, env={"KIZASHI_UPLOAD_TIMEOUT": "2"}) as server:
        status, after = asyncio.run(slow_upload(server.port, seconds=8))
        assert status == 408 and after < 5, (status, after)


def test_uploads_past_the_limit_are_refused_before_their_body(small_db: str, tmp_path: Path) -> None:
    """With KIZASHI_CONCURRENT_UPLOADS=2 and two slow uploads under way, a third is a 503 with
    Retry-After at once, its body unread; nothing is stored."""
    env = {"KIZASHI_CONCURRENT_UPLOADS": "2", "KIZASHI_UPLOAD_TIMEOUT": "4"}
    with kizashi_serve(small_db, tmp_path, env=env) as server:
        before = document_count(server.base)

        async def scenario() -> tuple[list, httpx.Response, float]:
            holding = [asyncio.ensure_future(slow_upload(server.port, seconds=6)) for _ in range(2)]
            await asyncio.sleep(1)
            body, headers = multipart([("third.txt", article(5).encode())])
            started = time.monotonic()
            async with httpx.AsyncClient(timeout=30) as c:
                third = await c.post(f"{server.base}/api/documents", content=body, headers=headers | AUTH)
            took = time.monotonic() - started
            return await asyncio.gather(*holding), third, took

        holders, third, took = asyncio.run(scenario())
        assert_retry_later(third, "KIZASHI_CONCURRENT_UPLOADS")
        assert took < 1, took
        assert [status for status, _ in holders] == [408, 408], holders
        assert document_count(server.base) == before


def test_reads_stay_fast_under_slow_uploads(small_db: str, tmp_path: Path) -> None:
    """40 uploads at 1 KB/s for 6 s next to a reader: the reader's latency stays near what it is alone."""
    env = {"KIZASHI_UPLOAD_TIMEOUT": "3"}
    with kizashi_serve(small_db, tmp_path, env=env) as server:
        alone = asyncio.run(read_latencies(server.base, 3))

        async def scenario() -> tuple[list, list]:
            uploads = [asyncio.ensure_future(slow_upload(server.port, seconds=6)) for _ in range(40)]
            await asyncio.sleep(0.5)
            reads = await read_latencies(server.base, 5)
            return reads, await asyncio.gather(*uploads)

        loaded, uploads = asyncio.run(scenario())
    statuses = sorted({status for status, _ in uploads}, key=str)
    print(f"\nreads alone: {summary(alone)}\nreads beside 40 slow uploads: {summary(loaded)}; uploads got {statuses}")
    assert statuses and set(statuses) <= {408, 503}, statuses
    assert sorted(loaded)[int(0.95 * (len(loaded) - 1))] < max(0.25, 5 * sorted(alone)[int(0.95 * (len(alone) - 1))])
    assert max(loaded) < 1.0


def test_parallel_uploads_do_not_stall_reads(tmp_path: Path) -> None:
    """60 real uploads at once (more than the server's 40 worker threads) next to a reader: those past
    the limit are 503 with Retry-After at once, and no read waits behind them."""
    url = f"sqlite:///{tmp_path / 'kizashi.db'}"
    fill(url, 30)
    with kizashi_serve(url, tmp_path) as server:
        body, headers = multipart([("warm.txt", article(90).encode())])  # the language model loads once
        assert httpx.post(f"{server.base}/api/documents", content=body, headers=headers | AUTH, timeout=120).status_code == 201
        alone = asyncio.run(read_latencies(server.base, 3))

        async def scenario() -> tuple[list[float], list[httpx.Response]]:
            async with httpx.AsyncClient(base_url=server.base, timeout=120,
                                         limits=httpx.Limits(max_connections=60)) as c:
                posts = []
                for i in range(60):
                    body, headers = multipart([(f"parallel_{i}.txt", article(100 + i).encode())])
                    posts.append(asyncio.ensure_future(c.post("/api/documents", content=body, headers=headers | AUTH)))
                await asyncio.sleep(0.3)
                reads = await read_latencies(server.base, 4)
                return reads, await asyncio.gather(*posts)

        loaded, answers = asyncio.run(scenario())
    statuses = sorted(r.status_code for r in answers)
    print(f"\nreads alone: {summary(alone)}\nreads beside 60 parallel uploads: {summary(loaded)}; "
          f"uploads: {statuses.count(201)} stored, {statuses.count(503)} refused")
    assert set(statuses) <= {201, 503} and 201 in statuses, statuses
    assert all(r.headers.get("retry-after", "").isdigit() for r in answers if r.status_code == 503)
    assert max(loaded) < 0.5, summary(loaded)


def raw_get(port: int, host_header: str | None, path: str = "/api/ledger") -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        host = f"Host: {host_header}\r\n" if host_header is not None else ""
        conn.sendall(f"GET {path} HTTP/1.1\r\n{host}Connection: close\r\n\r\n".encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def test_the_host_header_must_be_the_server_s_own(small_db: str, tmp_path: Path) -> None:
    """DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 reaches the server with
    ``Host: evil.example``; refused (400, JSON error naming the header) unless listed in KIZASHI_ALLOWED_HOSTS."""
    with kizashi_serve(small_db, tmp_path) as server:
        port = server.port
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}", f"LOCALHOST:{port}"):
            assert raw_get(port, host)[0] == 200, host
        for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}", "", f"127.0.0.2:{port}"):
            status, body = raw_get(port, host)
            assert status == 400 and b'"error"' in body and b"Host" in body, (host, status, body[:200])
        status, body = raw_get(port, "evil.example", "/")
        assert status == 400 and b'"error"' in body
    with kizashi_serve(small_db, tmp_path, env={"KIZASHI_ALLOWED_HOSTS": "kizashi.example, news.example"}) as server:
        assert raw_get(server.port, f"kizashi.example:{server.port}")[0] == 200
        assert raw_get(server.port, "news.example")[0] == 200
        assert raw_get(server.port, f"evil.example:{server.port}")[0] == 400
