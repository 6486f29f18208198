"""Shared fixtures: a store on each backend (a fresh SQLite file, a fresh PostgreSQL database)."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from kizashi.store import Store

PG_SERVER = "postgresql+psycopg://{user}@127.0.0.1:5432/{database}"
PG_USERS = ("postgres", "root")


def _pg_required() -> bool:
    return bool(os.environ.get("CI")) or os.environ.get("KIZASHI_REQUIRE_PG") == "1"


def _pg_admin_user() -> tuple[str | None, str]:
    """The first user that can connect to the local server, and the last error otherwise."""
    error = ""
    for user in PG_USERS:
        engine = create_engine(PG_SERVER.format(user=user, database="postgres"))
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return user, ""
        except OperationalError as exc:
            error = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
        finally:
            engine.dispose()
    return None, error


@pytest.fixture(scope="session")
def pg_admin_user() -> str:
    user, error = _pg_admin_user()
    if user is None:
        reason = f"PostgreSQL unreachable on 127.0.0.1:5432 as {'/'.join(PG_USERS)}: {error}"
        if _pg_required():
            pytest.fail(reason + " (required: CI or KIZASHI_REQUIRE_PG=1 is set)")
        pytest.skip(reason + " (set KIZASHI_REQUIRE_PG=1 to make this a failure)")
    return user


@contextmanager
def fresh_database(backend: str, request: pytest.FixtureRequest, path: Path) -> Iterator[str]:
    """An empty database URL: the SQLite file ``path``, or a new PostgreSQL database dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{path}"
        return
    user = request.getfixturevalue("pg_admin_user")
    name = f"kizashi_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_SERVER.format(user=user, database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))
        yield PG_SERVER.format(user=user, database=name)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL: an SQLite file under tmp_path, or a fresh PostgreSQL database dropped afterwards."""
    with fresh_database(request.param, request, tmp_path / "kizashi.db") as url:
        yield url


@pytest.fixture
def other_store_url(request: pytest.FixtureRequest, store_url: str, tmp_path: Path) -> Iterator[str]:
    """A second empty database on the backend of ``store_url``, for comparing two runs."""
    backend = "sqlite" if store_url.startswith("sqlite") else "postgresql"
    with fresh_database(backend, request, tmp_path / "other.db") as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    opened = Store.open(store_url)
    try:
        yield opened
    finally:
        opened.close()
