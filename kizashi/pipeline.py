"""Stage registry and order, after spaCy's named components.

A stage is a plain function ``(Document, Options) -> Document`` registered
under a name with what it ``requires`` and ``assigns``; running stages out of
order fails loudly instead of producing empty layers.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from .config import Options
from .exc import PipelineError
from .model import Document

StageFn = Callable[[Document, Options], Document]


@dataclass(frozen=True)
class Stage:
    name: str
    fn: StageFn
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


_REGISTRY: dict[str, Stage] = {}


def stage(name: str, *, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()) -> Callable[[StageFn], StageFn]:
    """Register a stage function under ``name``."""

    def decorate(fn: StageFn) -> StageFn:
        _REGISTRY[name] = Stage(name, fn, tuple(requires), tuple(assigns))
        return fn

    return decorate


# The order of the pipeline: ingest produces the Document; these stages extend it.
DEFAULT_ORDER: tuple[str, ...] = (
    "clean",
    "language",
    "link_entities",
    "link_dates",
    "extract",
    "claim_ids",
)


@lru_cache(maxsize=1)
def _load_stage_modules() -> None:
    # Importing registers the stages; kept here so pipeline.py lists the order.
    from . import claim_ids as _claim_ids  # noqa: F401
    from .clean import stage as _clean  # noqa: F401
    from .extract import stage as _extract  # noqa: F401
    from .language import stage as _language  # noqa: F401
    from .link import stage as _link  # noqa: F401


def get_stage(name: str) -> Stage:
    _load_stage_modules()
    if name not in _REGISTRY:
        raise PipelineError(f"no stage named {name!r}; known: {sorted(_REGISTRY)}")
    return _REGISTRY[name]


def run(doc: Document, options: Options, names: tuple[str, ...] = DEFAULT_ORDER) -> Document:
    """Run the named stages in order, checking each stage's requirements."""
    for name in names:
        st = get_stage(name)
        if name in doc.stages:
            continue
        missing = [r for r in st.requires if r not in doc.stages]
        if missing:
            raise PipelineError(f"stage {name!r} requires {missing}, which have not run")
        doc = st.fn(doc, options)
        doc.stages.append(name)
    return doc
