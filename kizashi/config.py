"""Configuration in one place: pipeline options and environment settings.

``Options`` is passed explicitly into every public function (as trafilatura
does); ``Settings`` reads the environment once for the CLI and the server.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DB_PATH = Path("data") / "kizashi.db"


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


@dataclass(frozen=True)
class Settings:
    """Environment settings for the CLI and the web server."""

    db: str = field(default_factory=default_db_url)
    api_token: str | None = field(default_factory=lambda: os.environ.get("KIZASHI_API_TOKEN") or None)
    max_upload_bytes: int = field(default_factory=lambda: int(os.environ.get("KIZASHI_MAX_UPLOAD", 10 * 1024 * 1024)))
