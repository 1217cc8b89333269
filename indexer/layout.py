"""Index root layout: generation directories, the atomic CURRENT pointer, pruning of old generations.

    <root>/CURRENT            name of the generation being served (one line)
    <root>/gen-<stamp>-<pid>/ one complete Whoosh index per generation (plus BUILD_COMPLETE)
    <root>/.lock              held by the running build (see indexer.lock)

A generation is served only after CURRENT names it; a build killed midway leaves a generation that
CURRENT never named, which the next build removes.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

POINTER = "CURRENT"
GEN_PREFIX = "gen-"
COMPLETE_MARK = "BUILD_COMPLETE"


def default_index_dir() -> Path:
    """$BAYON_INDEX_DIR, else var/index under the project."""
    return Path(os.environ.get("BAYON_INDEX_DIR", Path(__file__).resolve().parent.parent / "var" / "index"))


class NoIndexError(Exception):
    """The index root has no complete generation to serve."""


def new_generation(root: Path) -> Path:
    """Create and return a fresh, uniquely named generation directory under `root`."""
    root.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    base = f"{GEN_PREFIX}{stamp}-{os.getpid()}"
    path, n = root / base, 1
    while path.exists():
        path, n = root / f"{base}-{n}", n + 1
    path.mkdir()
    return path


def mark_complete(gen_dir: Path) -> None:
    """Record that `gen_dir` holds a finished index (written and fsynced before the switch)."""
    _write_durably(gen_dir / COMPLETE_MARK, "ok\n")


def current_generation(root: Path) -> Path | None:
    """The generation CURRENT points to, or None when there is no complete one."""
    try:
        name = (root / POINTER).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None
    if not name or "/" in name or not name.startswith(GEN_PREFIX):
        return None
    gen = root / name
    return gen if (gen / COMPLETE_MARK).is_file() else None


def require_current(root: Path) -> Path:
    gen = current_generation(root)
    if gen is None:
        raise NoIndexError(f"no index at {root}: run `bayon index` first")
    return gen


def index_problem(root: Path) -> str | None:
    """Why the current generation of `root` cannot be served, or None when Whoosh opens it and
    reads its segments. Damaged files (truncated, zeroed, missing) show here, not only at query time."""
    from whoosh import index as windex

    gen = current_generation(Path(root))
    if gen is None:
        return f"no index at {root}: run `bayon index` first"
    try:
        ix = windex.open_dir(str(gen))
        try:
            with ix.searcher() as searcher:
                if searcher.doc_count_all():
                    searcher.stored_fields(0)
        finally:
            ix.close()
    except Exception as error:  # noqa: BLE001 - whatever the damage, the answer is "unreadable"
        detail = f"{type(error).__name__}: {error}"[:200]
        return f"the index at {gen} is damaged ({detail}): rebuild it with `bayon index`"
    return None


def switch_to(root: Path, gen_dir: Path) -> None:
    """Point CURRENT at `gen_dir` atomically (temp file + fsync + os.replace + fsync of the directory)."""
    if gen_dir.parent.resolve() != root.resolve():
        raise ValueError(f"{gen_dir} is not a generation of {root}")
    tmp = root / f".{POINTER}.{os.getpid()}.tmp"
    try:
        _write_durably(tmp, gen_dir.name + "\n")
        os.replace(tmp, root / POINTER)
    except OSError:  # e.g. a full disk: CURRENT keeps naming the old generation
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(root)


def prune(root: Path, keep: int = 2) -> list[Path]:
    """Remove generations other than CURRENT and the `keep - 1` newest complete ones before it,
    plus every incomplete (killed) generation. Call only while holding the build lock."""
    current = current_generation(root)
    gens = sorted((p for p in root.glob(GEN_PREFIX + "*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    complete = [g for g in gens if (g / COMPLETE_MARK).is_file() and g != current]
    kept = set(complete[-(keep - 1):]) if keep > 1 else set()
    if current is not None:
        kept.add(current)
    removed = []
    for g in gens:
        if g not in kept:
            shutil.rmtree(g, ignore_errors=True)
            removed.append(g)
    for stale in root.glob(f".{POINTER}.*.tmp"):
        stale.unlink(missing_ok=True)
    return removed


def _write_durably(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
