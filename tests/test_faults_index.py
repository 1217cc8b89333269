"""Index faults: a disk that fills during `bayon index`, and a damaged or missing index at start-up.

Each fault must leave the served index intact or answer with a clear message (503, never 500) and a
one-command recovery, `bayon index`, after which the same running app serves again without a restart.
SIGKILL midway and two indexers at once are in tests/test_index_build.py and tests/test_index_layout.py.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from bayon.cli import main
from corpus_helpers import write_jsonl_corpus
from indexer import layout
from indexer.search import SearchRequest, SearchService
from webui import create_app

SMALL = 5  # records in the small corpus used where only the recovery matters


def run_index(corpus: Path, root: Path, *extra: str):
    return CliRunner().invoke(main, ["index", "--corpus", str(corpus), "--index-dir", str(root), "-q", *extra])


# --------------------------------------------------------------------------- disk full
@pytest.fixture
def small_disk(tmp_path):
    """A 4 MB tmpfs (the real corpus's index needs about 8 MB). Needs root; skipped otherwise."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_disk_that_fills_during_indexing_keeps_the_served_index_and_bayon_index_recovers(
        tmp_path, small_disk, corpus_records):
    small = write_jsonl_corpus(tmp_path / "small", corpus_records[:SMALL])
    full = write_jsonl_corpus(tmp_path / "full", corpus_records)
    root = small_disk / "index"
    assert run_index(small, root).exit_code == 0
    served = layout.current_generation(root)
    service = SearchService(root)
    app = create_app(service=service).test_client()
    before = app.get("/api/search?per_page=100").get_json()
    assert before["total"] == SMALL

    res = run_index(full, root)
    assert res.exit_code == 1
    assert "No space left on device" in res.output and "Traceback" not in res.output, res.output
    assert not isinstance(res.exception, (OSError, AssertionError)) and isinstance(res.exception, SystemExit)
    assert layout.current_generation(root) == served  # CURRENT never moved
    assert app.get("/api/search?per_page=100").get_json()["results"] == before["results"]
    assert SearchService(root).search(SearchRequest())["total"] == SMALL  # a fresh reader too
    assert layout.index_problem(root) is None

    # Recovery: make room (here: grow the tmpfs), then one command.
    subprocess.run(["mount", "-o", "remount,size=32m", str(small_disk)], check=True)
    res = run_index(full, root)
    assert res.exit_code == 0, res.output
    gens = sorted(p.name for p in root.glob("gen-*"))
    assert len(gens) == 2 and served.name in gens  # the killed-by-ENOSPC partial generation is gone
    after = app.get("/api/search?q=detention&per_page=1").get_json()  # same app, no restart
    assert app.get("/api/search").get_json()["total"] == len(corpus_records) and after["total"] > 0
    service.close()


def test_a_full_disk_at_the_switch_leaves_current_naming_the_old_generation(small_disk):
    root = small_disk / "index"
    old, new = layout.new_generation(root), layout.new_generation(root)
    for gen in (old, new):
        layout.mark_complete(gen)
    layout.switch_to(root, old)
    with open(small_disk / "filler", "wb") as filler:  # fill every free block
        with pytest.raises(OSError):
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
    with pytest.raises(OSError):
        layout.switch_to(root, new)
    assert layout.current_generation(root) == old
    assert not list(root.glob(".CURRENT.*"))  # no half-written pointer left behind
    (small_disk / "filler").unlink()
    layout.switch_to(root, new)  # room again: the switch goes through
    assert layout.current_generation(root) == new


# --------------------------------------------------------------------------- damaged or missing index
def _seg(root: Path) -> Path:
    return next(layout.current_generation(root).glob("*.seg"))


def _tocs(root: Path) -> list[Path]:
    return list(layout.current_generation(root).glob("*.toc"))


DAMAGE = {
    "truncated segment": lambda root: open(_seg(root), "r+b").truncate(1000),
    "zeroed segment": lambda root: _seg(root).write_bytes(b"\0" * _seg(root).stat().st_size),
    "missing segment": lambda root: _seg(root).unlink(),
    "missing table of contents": lambda root: [p.unlink() for p in _tocs(root)],
    "garbage table of contents": lambda root: [p.write_bytes(b"not a whoosh toc") for p in _tocs(root)],
    "generation deleted": lambda root: shutil.rmtree(layout.current_generation(root)),
    # (with a complete generation left, CURRENT naming nothing falls back to it: tests/test_reliability_build.py)
    "CURRENT names nothing, no generation complete": lambda root: [
        (layout.newest_complete(root) / layout.COMPLETE_MARK).unlink(),
        (root / "CURRENT").write_text("gen-19700101T000000-1\n")],
    "CURRENT garbage": lambda root: (root / "CURRENT").write_bytes(b"\xff\xfe../../etc\n"),
    "index directory deleted": lambda root: shutil.rmtree(root),
}


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory, corpus_records):
    return write_jsonl_corpus(tmp_path_factory.mktemp("small-corpus"), corpus_records[:SMALL])


@pytest.fixture(scope="module")
def small_index(tmp_path_factory, small_corpus):
    root = tmp_path_factory.mktemp("small-index") / "index"
    assert run_index(small_corpus, root).exit_code == 0
    return root


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_or_missing_index_gets_503_and_a_clear_message_then_bayon_index_recovers(
        tmp_path, small_index, small_corpus, damage):
    root = tmp_path / "index"
    shutil.copytree(small_index, root)
    assert layout.index_problem(root) is None
    DAMAGE[damage](root)  # while no process has it open (the damage is found at start-up)
    # A new server process refuses to start, says why and how to recover, without a traceback.
    started = CliRunner().invoke(main, ["serve", "--index-dir", str(root), "--port", "1"])
    assert started.exit_code == 1 and "bayon index" in started.output, started.output
    assert "Traceback" not in started.output and isinstance(started.exception, SystemExit)
    assert layout.index_problem(root)

    # An app created anyway (as tests and embedders may) answers 503 on every route, never 500.
    running = create_app(index_dir=root).test_client()
    for url in ("/search?q=rights", "/", "/documents/x"):
        response = running.get(url)
        assert response.status_code == 503, (url, response.status_code)
        assert "Traceback" not in response.get_data(as_text=True)
    for url in ("/api/search?q=rights", "/api/documents/x"):
        response = running.get(url)
        assert response.status_code == 503 and "bayon index" in response.get_json()["error"], url

    # Recovery is one command; the running app serves the new index without a restart.
    res = run_index(small_corpus, root)
    assert res.exit_code == 0, res.output
    assert layout.index_problem(root) is None
    assert running.get("/api/search").get_json()["total"] == SMALL
    assert CliRunner().invoke(main, ["index", "--corpus", str(small_corpus), "--index-dir", str(root),
                                     "-q", "--if-missing"]).output.startswith("index present")


@pytest.mark.parametrize("damage", ["truncated segment", "missing table of contents"])
def test_if_missing_rebuilds_a_damaged_index(tmp_path, small_index, small_corpus, damage):
    """`make run` uses `bayon index --if-missing`: a damaged index counts as missing."""
    root = tmp_path / "index"
    shutil.copytree(small_index, root)
    damaged = layout.current_generation(root)
    DAMAGE[damage](root)
    res = run_index(small_corpus, root, "--if-missing")
    assert res.exit_code == 0 and "full build" in res.output, res.output
    assert layout.current_generation(root) != damaged and layout.index_problem(root) is None


# --------------------------------------------------------------------------- empty corpus
def test_an_index_of_an_empty_corpus_answers_with_no_results(tmp_path, corpus_records):
    """A corpus emptied of documents builds an index with no segment; searches, the page and the
    API then answer with nothing found (not an error), and documents added later are found."""
    corpus = write_jsonl_corpus(tmp_path / "corpus", [])
    root = tmp_path / "index"
    result = run_index(corpus, root)
    assert result.exit_code == 0, result.output
    service = SearchService(root)
    try:
        for q in ("detention", "សិទ្ធិមនុស្ស", ""):
            found = service.search(SearchRequest(q=q))
            assert (found["total"], found["results"]) == (0, []), q
            assert found["facets"] == {"organisation": {}, "doc_type": {}, "year": {}, "language": {}}
        client = create_app(service=service).test_client()
        assert client.get("/api/search?q=detention").get_json()["total"] == 0
        assert client.get("/search?q=detention").status_code == 200
        write_jsonl_corpus(corpus, corpus_records[:SMALL])
        assert run_index(corpus, root, "--incremental").exit_code == 0
        assert service.search(SearchRequest(q=""))["total"] == SMALL
    finally:
        service.close()
