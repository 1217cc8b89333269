"""Small generated corpora shared by the bench tests (generated from the real sources and Khmer sentences)."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.generate_corpus import generate
from bench.khmer_text import DEFAULT_GOLD_SENTENCES

needs_gold = pytest.mark.skipif(not DEFAULT_GOLD_SENTENCES.is_file(), reason="needs ../shared/khmer-seg/dev.txt")


@pytest.fixture(scope="session")
def small_corpus(tmp_path_factory) -> Path:
    if not DEFAULT_GOLD_SENTENCES.is_file():
        pytest.skip("needs ../shared/khmer-seg/dev.txt")
    out = tmp_path_factory.mktemp("bench-corpus")
    generate(out, 600, seed=11, queries_per_kind=30, progress=False)
    return out
