"""Builds that lose nothing silently: a killed writer process fails the build (nothing switched), the
workers die with the build and leave no lock behind, a stale lock held by a dead build's orphans is
taken over, and the generation is fsynced before CURRENT names it (a CURRENT naming an incomplete
generation falls back to the newest complete one).

The two-writer build is used from indexer.build.PARALLEL_MIN_DOCS documents: these tests use a bench
corpus (bench/generate_corpus.py) of exactly that size, the smallest where a worker can be lost.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from corpus_helpers import write_jsonl_corpus
from indexer import layout
from indexer.build import DELAY_ENV, PARALLEL_MIN_DOCS, build_index
from indexer.lock import BuildLock, LockBusy, process_start
from indexer.search import SearchRequest, SearchService

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def bench_corpus(tmp_path_factory) -> Path:
    from bench.generate_corpus import generate
    from bench.khmer_text import DEFAULT_GOLD_SENTENCES

    if not DEFAULT_GOLD_SENTENCES.is_file():
        pytest.skip("needs ../shared/khmer-seg/dev.txt for bench/generate_corpus.py")
    out = tmp_path_factory.mktemp("bench-corpus")
    generate(out, PARALLEL_MIN_DOCS, seed=15, queries_per_kind=5, progress=False)
    return out


def _start_build(corpus: Path, root: Path, delay: str = "0.004", *extra: str) -> subprocess.Popen:
    env = {**os.environ, DELAY_ENV: delay}
    return subprocess.Popen([sys.executable, "-m", "bayon", "index", "--corpus", str(corpus),
                             "--index-dir", str(root), "-q", *extra], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _workers(pid: int, count: int = 2, timeout: float = 30.0) -> list[int]:
    """The forked writer processes of build `pid` (children with the same command line)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()  # once exec'd (not the forking pytest's)
        workers = []
        for child in _children(pid):
            try:
                if Path(f"/proc/{child}/cmdline").read_bytes() == cmdline:
                    workers.append(child)
            except OSError:
                pass
        if len(workers) >= count:
            return workers
        time.sleep(0.05)
    raise AssertionError(f"build {pid} started fewer than {count} writer processes")


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def _total(root: Path) -> int:
    service = SearchService(root)
    try:
        return service.search(SearchRequest())["total"]
    finally:
        service.close()


def test_a_killed_writer_process_fails_the_build_and_switches_nothing(tmp_path, bench_corpus, corpus_records):
    root = tmp_path / "index"
    build_index(write_jsonl_corpus(tmp_path / "small", corpus_records[:5]), root, progress=False)
    served = layout.current_generation(root)

    build = _start_build(bench_corpus, root)
    victim = _workers(build.pid)[0]
    time.sleep(1.0)  # it has indexed batches by now
    os.kill(victim, signal.SIGKILL)
    output, _ = build.communicate(timeout=60)
    assert build.returncode == 1, output
    assert f"writer process {victim} killed by signal 9" in output and "the index was not changed" in output
    assert "Traceback" not in output
    assert layout.current_generation(root) == served and _total(root) == 5

    report = build_index(bench_corpus, root, progress=False)  # the next build succeeds, whole
    assert report.added == PARALLEL_MIN_DOCS and _total(root) == PARALLEL_MIN_DOCS


def test_killing_the_build_kills_its_writers_and_leaves_no_lock(tmp_path, bench_corpus):
    root = tmp_path / "index"
    build = _start_build(bench_corpus, root)
    workers = _workers(build.pid)
    build.kill()
    build.communicate(timeout=10)
    deadline = time.monotonic() + 5
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "writer processes outlived their build"
    with BuildLock(root):  # free at once, no --wait needed
        pass
    report = build_index(bench_corpus, root, progress=False)
    assert report.built and _total(root) == PARALLEL_MIN_DOCS


def test_a_lock_held_by_a_dead_builds_orphan_is_taken_over(tmp_path):
    """What builds before this fix left: a worker still holding the lock of a build killed with SIGKILL."""
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import os, sys, time
        sys.path.insert(0, {str(PROJECT_ROOT)!r})
        from pathlib import Path
        from indexer.lock import BuildLock
        with BuildLock(Path({str(tmp_path)!r})):
            child = os.fork()
            if child == 0:  # an orphan-to-be that keeps the inherited lock descriptor
                time.sleep(60)
                os._exit(0)
            print(child, flush=True)
            time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    orphan = int(holder.stdout.readline())
    holder.kill()
    holder.wait()
    assert _alive(orphan)
    try:
        with BuildLock(tmp_path):
            assert not _alive(orphan)
            recorded = (tmp_path / ".lock").read_text().split()
            assert recorded == [str(os.getpid()), str(process_start(os.getpid()))]
    finally:
        if _alive(orphan):
            os.kill(orphan, signal.SIGKILL)


def test_a_live_holder_is_never_taken_over(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(PROJECT_ROOT)!r})
        from pathlib import Path
        from indexer.lock import BuildLock
        with BuildLock(Path({str(tmp_path)!r})):
            print("locked", flush=True)
            time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockBusy) as err:
            with BuildLock(tmp_path):
                pass
        assert err.value.holder_pid == holder.pid and holder.poll() is None
    finally:
        holder.kill()
        holder.wait()


# --------------------------------------------------------------------------- durability
def test_every_file_of_the_generation_is_fsynced_before_current_names_it(tmp_path, corpus_records, monkeypatch):
    corpus = write_jsonl_corpus(tmp_path / "corpus", corpus_records[:20])
    root = tmp_path / "index"
    synced: list[str] = []
    switched_after: list[int] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd):
        synced.append(os.readlink(f"/proc/self/fd/{fd}"))
        return real_fsync(fd)

    def replace(src, dst, *args, **kwargs):
        if Path(dst).name == layout.POINTER:
            switched_after.append(len(synced))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    report = build_index(corpus, root, progress=False, procs=1)
    gen = report.generation
    before_switch = set(synced[:switched_after[-1]])
    files = {str(p) for p in gen.iterdir() if p.is_file()}
    assert files and files <= before_switch, sorted(files - before_switch)
    assert str(gen) in before_switch and str(root) in before_switch  # the folder and its entry
    marker = synced.index(str(gen / layout.COMPLETE_MARK))
    assert all(synced.index(f) < marker for f in files - {str(gen / layout.COMPLETE_MARK)})


def test_current_naming_an_incomplete_generation_falls_back_to_the_newest_complete(tmp_path, corpus_records, caplog):
    """What a power cut on a file system that reorders writes could leave: CURRENT written, the new
    generation's files empty and its marker lost. The previous generation is intact and is served."""
    corpus = write_jsonl_corpus(tmp_path / "corpus", corpus_records[:7])
    root = tmp_path / "index"
    previous = build_index(corpus, root, progress=False).generation
    cut = build_index(corpus, root, progress=False).generation
    for item in cut.iterdir():
        item.write_bytes(b"")  # unsynced data lost: empty files
    (cut / layout.COMPLETE_MARK).unlink()
    assert (root / layout.POINTER).read_text().strip() == cut.name
    with caplog.at_level("WARNING"):
        assert layout.current_generation(root) == previous
        assert _total(root) == 7
    assert any("not a complete generation" in r.getMessage() for r in caplog.records)
    assert layout.index_problem(root) is None  # `bayon serve` starts
