"""Index root layout: generations, the atomic CURRENT pointer, pruning, and the build lock."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from indexer import layout
from indexer.lock import BuildLock, LockBusy


def _complete_gen(root):
    gen = layout.new_generation(root)
    layout.mark_complete(gen)
    return gen


def test_current_is_none_until_a_complete_generation_is_switched_to(tmp_path):
    assert layout.current_generation(tmp_path) is None
    gen = layout.new_generation(tmp_path)
    assert layout.current_generation(tmp_path) is None
    layout.mark_complete(gen)
    layout.switch_to(tmp_path, gen)
    assert layout.current_generation(tmp_path) == gen
    assert (tmp_path / "CURRENT").read_text().strip() == gen.name
    assert not list(tmp_path.glob(".CURRENT.*"))  # no temp file left behind


def test_garbage_pointer_is_no_index(tmp_path):
    for content in ["", "../etc", "gen-missing", "\xff"]:
        (tmp_path / "CURRENT").write_text(content, encoding="latin-1")
        assert layout.current_generation(tmp_path) is None
    with pytest.raises(layout.NoIndexError, match="bayon index"):
        layout.require_current(tmp_path)


def test_prune_keeps_current_and_previous_and_drops_partial(tmp_path):
    old = _complete_gen(tmp_path)
    prev = _complete_gen(tmp_path)
    partial = layout.new_generation(tmp_path)  # a killed build: never marked complete
    cur = _complete_gen(tmp_path)
    os.utime(old, (1, 1))
    os.utime(prev, (2, 2))
    layout.switch_to(tmp_path, cur)
    removed = layout.prune(tmp_path, keep=2)
    assert set(removed) == {old, partial}
    assert cur.is_dir() and prev.is_dir() and not old.exists() and not partial.exists()


def test_generation_names_are_unique(tmp_path):
    names = {layout.new_generation(tmp_path).name for _ in range(5)}
    assert len(names) == 5 and all(n.startswith("gen-") for n in names)


def test_second_lock_holder_is_told_the_pid(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            sys.path.insert(0, {str(os.getcwd())!r})
            from pathlib import Path
            from indexer.lock import BuildLock
            with BuildLock(Path({str(tmp_path)!r})):
                print("locked", flush=True)
                time.sleep(30)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockBusy) as err:
            with BuildLock(tmp_path):
                pass
        assert err.value.holder_pid == holder.pid
        assert str(holder.pid) in str(err.value) and "--wait" in str(err.value)
        with pytest.raises(LockBusy):
            with BuildLock(tmp_path, wait=True, timeout=0.5):
                pass
    finally:
        holder.kill()
        holder.wait()
    with BuildLock(tmp_path, wait=True, timeout=5):  # freed by the kernel when the holder died
        pass
