"""Shared fixtures: the real corpus, and one index built from it per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = PROJECT_ROOT / "corpus"
SOURCES_DIR = CORPUS_DIR / "sources"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS_DIR


@pytest.fixture(scope="session")
def corpus_records():
    """Every record of the real corpus, loaded once."""
    from reading.loader import load_corpus

    result = load_corpus(CORPUS_DIR)
    assert not [p for p in result.problems if p.severity == "error"], result.problems
    return result.records


@pytest.fixture(scope="session")
def real_index_dir(tmp_path_factory) -> Path:
    """An index built from the real corpus, once per session (read-only for tests)."""
    from indexer.build import build_index

    index_root = tmp_path_factory.mktemp("real-index")
    build_index(CORPUS_DIR, index_root, progress=False)
    return index_root


@pytest.fixture(scope="session")
def search_service(real_index_dir):
    from indexer.search import SearchService

    return SearchService(real_index_dir)
