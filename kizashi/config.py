"""Configuration in one place: pipeline options and environment settings.

``Options`` is passed explicitly into every public function (as trafilatura
does); ``Settings`` reads the environment once for the CLI and the server.
"""
from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .exc import KizashiError

DEFAULT_DB_PATH = Path("data") / "kizashi.db"
_HOST_NAME = re.compile(r"[a-z0-9._:-]+")


@dataclass(frozen=True)
class Options:
    """Knobs of the pipeline; the defaults are what the README and tests use."""

    # ingest limits: a news article is some 20,000 characters at most, and GiNZA reads
    # ~5,000 a second, so anything far larger is a mistake or an attack, refused up front
    max_file_bytes: int = 10 * 1024 * 1024  # checked before reading; a JSONL feed may hold many articles
    max_text_chars: int = 100_000  # per document, after decoding
    max_sentence_chars: int = 10_000  # SudachiPy refuses inputs over 49,149 bytes (4 per character at worst)
    # near-duplicate detection
    minhash_permutations: int = 128
    shingle_size: int = 5
    near_duplicate_threshold: float = 0.8
    lineage_threshold: float = 0.5  # shingle Jaccard at which two texts count as one source
    # language
    spacy_model: str = "ja_ginza"
    batch_size: int = 32
    parse_all: bool = False  # True parses every sentence (the slow baseline)
    # extraction backend, by registered name
    extractor: str = "rules"
    data_dir: Path = field(default_factory=lambda: Path(__file__).parent / "data")


def default_db_url() -> str:
    """``KIZASHI_DB`` (a path or an SQLAlchemy URL), else ``./data/kizashi.db``."""
    return db_url(os.environ.get("KIZASHI_DB") or str(DEFAULT_DB_PATH))


def db_url(value: str) -> str:
    """Accept a plain file path or a full SQLAlchemy URL."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _env_number(name: str, default: float, kind: type[int] | type[float], what: str) -> Callable[[], Any]:
    """A default factory reading the positive number ``name`` from the environment; a bad value is
    one line naming the setting (a ``KizashiError``), not a traceback from deep in the server."""

    def read() -> Any:
        raw = os.environ.get(name)
        if raw is None or not raw.strip():
            return default
        try:
            value = kind(raw.strip())
        except ValueError:
            value = None
        if value is None or not math.isfinite(value) or value <= 0:
            raise KizashiError(f"{name} must be {what} (got {raw!r})")
        return value

    return read


def _env_hosts() -> tuple[str, ...]:
    """``KIZASHI_ALLOWED_HOSTS``: the host names clients may reach the server by, separated by commas."""
    raw = os.environ.get("KIZASHI_ALLOWED_HOSTS")
    if raw is None:
        return ()
    names = tuple(name.strip().strip("[]").lower() for name in raw.split(",") if name.strip())
    if not names or any(not _HOST_NAME.fullmatch(name) for name in names):
        raise KizashiError(f"KIZASHI_ALLOWED_HOSTS must be host names separated by commas (got {raw!r})")
    return names


@dataclass(frozen=True)
class Settings:
    """Environment settings for the CLI and the web server (the server's limits: RELIABILITY.md)."""

    db: str = field(default_factory=default_db_url)
    api_token: str | None = field(default_factory=lambda: os.environ.get("KIZASHI_API_TOKEN") or None)
    max_upload_bytes: int = field(default_factory=_env_number(
        "KIZASHI_MAX_UPLOAD", 10 * 1024 * 1024, int, "a whole number of bytes above 0"))
    # uploads analysed or received at once; one more is a 503 before its body is read
    concurrent_uploads: int = field(default_factory=_env_number(
        "KIZASHI_CONCURRENT_UPLOADS", 2, int, "a whole number above 0"))
    # seconds an upload's whole body may take to arrive (10 MiB in 60 s is 175 KB/s)
    upload_timeout: float = field(default_factory=_env_number(
        "KIZASHI_UPLOAD_TIMEOUT", 60.0, float, "a number of seconds above 0"))
    # whole-store exports at once (one per client); and started per client in any minute
    concurrent_exports: int = field(default_factory=_env_number(
        "KIZASHI_CONCURRENT_EXPORTS", 2, int, "a whole number above 0"))
    exports_per_minute: int = field(default_factory=_env_number(
        "KIZASHI_EXPORTS_PER_MINUTE", 6, int, "a whole number above 0"))
    # seconds an export's client may read nothing before its connection is closed
    send_timeout: float = field(default_factory=_env_number(
        "KIZASHI_SEND_TIMEOUT", 30.0, float, "a number of seconds above 0"))
    # Host header values answered (DNS rebinding); empty: not checked (``kizashi serve`` fills
    # in the names of the address it listens on)
    allowed_hosts: tuple[str, ...] = field(default_factory=_env_hosts)
