"""Khmer word segmentation facade: one module per engine, imported lazily on first use.

``segment(text, engine=None)`` returns the words of ``text`` (their concatenation is ``text``).
The default engine is the one with the best measured boundary F1 at acceptable speed on the
gold test split (see bench/khmer_segmentation.py and docs/analyzers.md).
"""
from __future__ import annotations

import importlib
from functools import lru_cache

from analyzers.cache import byte_budget_cache, strings_tuple_bytes

# name -> module (inside this package) exposing `segment(text) -> list[str]` and `available() -> bool`.
ENGINES: dict[str, str] = {
    "crf": "analyzers.segment.crf",
    "khmercut": "analyzers.segment.khmercut_crf",
    "icu": "analyzers.segment.icu",
}
DEFAULT_ENGINE = "crf"


class UnknownEngine(ValueError):
    """Raised for an engine name that is not in ENGINES."""


@lru_cache(maxsize=None)
def _engine_module(name: str):
    if name not in ENGINES:
        raise UnknownEngine(f"unknown Khmer segmentation engine {name!r}; known: {', '.join(ENGINES)}")
    return importlib.import_module(ENGINES[name])


def available_engines() -> list[str]:
    """Engines whose dependencies are installed."""
    return [name for name in ENGINES if _engine_module(name).available()]


@byte_budget_cache(16 * 1024 * 1024, strings_tuple_bytes)  # runs of any length: bounded in bytes
def _segment_cached(text: str, engine: str) -> tuple[str, ...]:
    words = _engine_module(engine).segment(text)
    if "".join(words) != text:  # an engine that changed characters is not trusted: keep the run whole
        return (text,)
    return tuple(w for w in words if w)


def segment(text: str, engine: str | None = None) -> list[str]:
    """Split ``text`` (a run of Khmer, ideally without spaces) into words; cached per text."""
    if not text:
        return []
    return list(_segment_cached(text, engine or DEFAULT_ENGINE))
