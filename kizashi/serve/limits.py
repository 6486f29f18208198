"""What keeps one client, or a store that stopped answering, from taking the whole server.

- ``store_unavailable`` tells a store that is busy or unreachable (a 503 the client should retry)
  from an error in our own code (a 500), by the SQLAlchemy and driver exception types;
- ``Slots`` bounds uploads running at once; ``ExportGate`` bounds whole-store exports per client
  and in all. Both refuse rather than queue: a queued request would hold its connection meanwhile.

Both are used from the event loop only, so they need no lock.
"""
from __future__ import annotations

import math
import sqlite3
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from ..exc import StoreError

RETRY_AFTER = 5  # seconds a client is asked to wait when the store is busy or down, or uploads are full
_SQLITE_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_SQLITE_DOWN = {sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PROTOCOL,
                sqlite3.SQLITE_READONLY}
_PG_BUSY = (psycopg.errors.LockNotAvailable, psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure,
            psycopg.errors.QueryCanceled, psycopg.errors.TooManyConnections)


def store_unavailable(exc: BaseException | None) -> str | None:
    """``"busy"`` or ``"unavailable"`` when ``exc`` says the store cannot answer now (locked, out of
    connections, unreachable, out of disk), else None: anything else is a bug to show as a 500."""
    if isinstance(exc, StoreError):
        exc = exc.__cause__
    if isinstance(exc, PoolTimeout):
        return "busy"
    if not isinstance(exc, DBAPIError):
        return None
    orig = exc.orig
    if isinstance(orig, sqlite3.Error):
        code = (getattr(orig, "sqlite_errorcode", None) or 0) & 0xFF  # the primary code of an extended one
        return "busy" if code in _SQLITE_BUSY else "unavailable" if code in _SQLITE_DOWN else None
    if isinstance(orig, _PG_BUSY):
        return "busy"
    if exc.connection_invalidated or isinstance(orig, (psycopg.OperationalError, psycopg.InterfaceError)):
        return "unavailable"
    return None


class Slots:
    """At most ``limit`` at once; the next is refused."""

    def __init__(self, limit: int) -> None:
        self.limit, self.taken = limit, 0

    def take(self) -> bool:
        if self.taken >= self.limit:
            return False
        self.taken += 1
        return True

    def give_back(self) -> None:
        self.taken -= 1


@dataclass(frozen=True)
class Refusal:
    message: str
    retry_after: int


class ExportGate:
    """Whole-store exports: one at a time per client, ``concurrent`` in all, and ``per_minute``
    started per client in any minute. An export reads every document: it is the request a client
    could repeat to keep the server and the store busy. A client is its address (behind a proxy,
    everyone is the proxy: give the proxy its own limits)."""

    WINDOW = 60.0

    def __init__(self, concurrent: int, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.concurrent, self.per_minute, self.clock = concurrent, per_minute, clock
        self.running: dict[str, int] = {}
        self.started: dict[str, deque[float]] = {}

    def admit(self, client: str) -> Refusal | None:
        """Count an export for ``client``, or say why not and when to retry."""
        now = self.clock()
        starts = self.started.setdefault(client, deque())
        while starts and now - starts[0] >= self.WINDOW:
            starts.popleft()
        if self.running.get(client):
            return Refusal("an export for this client is already running: one at a time", RETRY_AFTER)
        if sum(self.running.values()) >= self.concurrent:
            return Refusal(f"{self.concurrent} exports are running, the most this server runs at once "
                           "(KIZASHI_CONCURRENT_EXPORTS)", RETRY_AFTER)
        if len(starts) >= self.per_minute:
            wait = max(1, math.ceil(self.WINDOW - (now - starts[0])))
            return Refusal(f"{self.per_minute} exports were started from this client in the last minute, the most "
                           f"it may start (KIZASHI_EXPORTS_PER_MINUTE)", wait)
        starts.append(now)
        self.running[client] = 1
        self._forget_idle(now)
        return None

    def release(self, client: str) -> None:
        self.running.pop(client, None)

    def _forget_idle(self, now: float) -> None:
        """Clients with nothing running and no start in the window: kept, the table would only grow."""
        if len(self.started) > 1000:
            for client in [c for c, s in self.started.items() if not self.running.get(c)
                           and (not s or now - s[-1] >= self.WINDOW)]:
                del self.started[client]
