"""The version of the rules that made a document's claims: a hash of what decides them.

A stored article keeps the claims the rules of its day read; after a rule or lexicon
change, ``kizashi reanalyse`` runs today's pipeline again over the documents whose
version differs. The version covers the code of the stages after cleaning (language,
link, extract), the data files they read (lexicons, ontology, places) and the GiNZA
model, so any change to one of them makes every stored document due again.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from .config import Options

PACKAGE = Path(__file__).parent
RULE_CODE = ("language", "link", "extract")  # the stages re-analysis runs again
MODELS = ("ginza", "ja-ginza", "sudachidict-core")


@lru_cache(maxsize=8)
def rules_version(data_dir: Path) -> str:
    """16 hex digits over the rule code, the data files under ``data_dir`` and the model versions."""
    digest = hashlib.sha256()
    files = [p for d in RULE_CODE for p in sorted((PACKAGE / d).rglob("*.py"))]
    files += sorted(p for p in Path(data_dir).rglob("*") if p.is_file() and p.suffix in (".yaml", ".yml", ".json"))
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    for name in MODELS:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode("utf-8"))
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode("utf-8"))
    return digest.hexdigest()[:16]


def current(options: Options) -> str:
    return rules_version(Path(options.data_dir))
