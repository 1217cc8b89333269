"""Index root layout: generation directories, the atomic CURRENT pointer, pruning of old generations.

    <root>/CURRENT            name of the generation being served (one line)
    <root>/gen-<stamp>-<pid>/ one complete Whoosh index per generation (plus BUILD_COMPLETE)
    <root>/.lock              held by the running build (see indexer.lock)
    <root>/BAYON_INDEX        says the folder is bayon's: `bayon index` writes into no other folder
    <root>/gen-…/BAYON_GENERATION   written first in each generation: only such folders are pruned

A generation is served only after CURRENT names it; a build killed midway leaves a generation that
CURRENT never named, which the next build removes. Every file of a generation and the folder itself
are fsynced before BUILD_COMPLETE is written (and fsynced), and that before CURRENT is replaced:
after a power cut CURRENT names a complete generation, or, should it not (a file system that
reorders), readers fall back to the newest complete one with a warning.

An index folder made before BAYON_INDEX existed (CURRENT naming a complete generation, and nothing
but CURRENT, .lock, temporary pointers and generation folders holding bayon's or Whoosh's files)
is recognised as bayon's and gets the marker on its next build.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import time
from pathlib import Path

POINTER = "CURRENT"
GEN_PREFIX = "gen-"
COMPLETE_MARK = "BUILD_COMPLETE"
OWNER_MARK = "BAYON_INDEX"
GEN_MARK = "BAYON_GENERATION"
_OWNER_TEXT = "This folder is a bayon search index (bayon index). Everything in it is bayon's.\n"
# files that generations built before BAYON_GENERATION held: Whoosh's and bayon's own
_LEGACY_GEN_FILE = re.compile(r"^(_?MAIN_[\w.-]*|[\w-]+\.(seg|postings|toc|doclist)|BUILD_COMPLETE|SCHEMA_VERSION"
                              r"|BUILT_FROM\.json|LINE_DIGESTS\.json|[\w.-]+\.json|fuzzy\.npz)$")
_log = logging.getLogger(__name__)
_warned: set = set()


def default_index_dir() -> Path:
    """$BAYON_INDEX_DIR, else var/index under the project."""
    return Path(os.environ.get("BAYON_INDEX_DIR", Path(__file__).resolve().parent.parent / "var" / "index"))


class NoIndexError(Exception):
    """The index root has no complete generation to serve."""


class ForeignIndexDir(Exception):
    """The index folder holds files bayon did not make: `bayon index` writes nothing there."""


def claim_root(root: Path) -> None:
    """Make sure `root` is bayon's index folder before anything is written in it: created (with the
    BAYON_INDEX marker) when absent or empty; accepted when it has the marker; an index made before
    the marker is recognised and marked; any other folder raises ForeignIndexDir, untouched."""
    root = Path(root)
    if root.is_dir() and (root / OWNER_MARK).is_file():
        return
    if root.exists() and not root.is_dir():
        raise ForeignIndexDir(f"{root} is not a folder")
    if root.is_dir():
        entries = list(root.iterdir())
        foreign = sorted(e.name for e in entries if not _legacy_entry(e))
        if foreign:
            shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
            raise ForeignIndexDir(
                f"{root} is not a bayon index folder (it holds {shown}; no {OWNER_MARK} marker): "
                "bayon index writes only into an empty or new folder, or one it made")
        if entries and current_generation(root, fallback=False) is None:
            raise ForeignIndexDir(f"{root} is not a bayon index folder (no {OWNER_MARK} marker and "
                                  f"{POINTER} names no complete generation): give an empty or new folder")
    root.mkdir(parents=True, exist_ok=True)
    _write_durably(root / OWNER_MARK, _OWNER_TEXT)
    _fsync_dir(root)


def _legacy_entry(entry: Path) -> bool:
    """True for what an index folder held before BAYON_INDEX: CURRENT, .lock, a temporary pointer, or
    a generation folder of bayon's."""
    name = entry.name
    if name in (POINTER, ".lock") or re.fullmatch(rf"\.{POINTER}\.\d+\.tmp", name):
        return entry.is_file() and not entry.is_symlink()
    return name.startswith(GEN_PREFIX) and is_bayon_generation(entry)


def is_bayon_generation(path: Path) -> bool:
    """True for a generation folder bayon made: it holds BAYON_GENERATION, or (made before that
    marker) only Whoosh's and bayon's own files, or nothing."""
    if path.is_symlink() or not path.is_dir():
        return False
    if (path / GEN_MARK).is_file():
        return True
    try:
        items = list(path.iterdir())
    except OSError:
        return False
    return all(not i.is_symlink() and (i.is_file() and _LEGACY_GEN_FILE.match(i.name)
                                        or i.is_dir() and re.fullmatch(r"[\w-]+\.tmp", i.name))
               for i in items)  # *.tmp: Whoosh's temporary folders, left by a killed build


def new_generation(root: Path) -> Path:
    """Create and return a fresh, uniquely named generation directory under `root`."""
    root.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    base = f"{GEN_PREFIX}{stamp}-{os.getpid()}"
    path, n = root / base, 1
    while path.exists():
        path, n = root / f"{base}-{n}", n + 1
    path.mkdir()
    _write_durably(path / GEN_MARK, "made by bayon index\n")
    return path


def sync_generation(gen_dir: Path) -> None:
    """fsync every file of `gen_dir`, the folder, and its parent (which lists it): called before the
    generation is marked complete, so that the marker never stands for data still in the page cache."""
    for item in gen_dir.iterdir():
        if item.is_file() and not item.is_symlink():
            fd = os.open(item, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _fsync_dir(gen_dir)
    _fsync_dir(gen_dir.parent)


def mark_complete(gen_dir: Path) -> None:
    """Record that `gen_dir` holds a finished index (written and fsynced before the switch; the
    caller has fsynced the generation's files first: sync_generation)."""
    _write_durably(gen_dir / COMPLETE_MARK, "ok\n")
    _fsync_dir(gen_dir)


def is_complete(gen: Path) -> bool:
    """True when `gen` holds its completeness marker with its content (a marker emptied by a power
    cut does not count)."""
    try:
        return (gen / COMPLETE_MARK).read_bytes().startswith(b"ok")
    except OSError:
        return False


def current_generation(root: Path, fallback: bool = True) -> Path | None:
    """The generation CURRENT points to, or None when there is no complete one. When CURRENT names
    a generation that is not complete (or is gone) and `fallback`, the newest complete generation
    is returned instead, with a warning (once per root and name)."""
    try:
        name = (root / POINTER).read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError, UnicodeDecodeError):
        return None
    except OSError:
        return None
    if not name or "/" in name or not name.startswith(GEN_PREFIX):
        return None
    gen = root / name
    if is_complete(gen):
        return gen
    if not fallback:
        return None
    found = newest_complete(root)
    if found is not None and (str(root), name) not in _warned:
        _warned.add((str(root), name))
        _log.warning("%s names %s, which is not a complete generation; serving %s, the newest complete "
                     "one (run `bayon index` to rebuild)", root / POINTER, name, found.name)
    return found


def newest_complete(root: Path) -> Path | None:
    """The complete generation of `root` whose marker was written last, or None."""
    best, best_time = None, -1
    try:
        candidates = [p for p in root.iterdir() if p.name.startswith(GEN_PREFIX)]
    except OSError:
        return None
    for gen in candidates:
        if gen.is_dir() and not gen.is_symlink() and is_complete(gen):
            stamp = (gen / COMPLETE_MARK).stat().st_mtime_ns
            if stamp > best_time:
                best, best_time = gen, stamp
    return best


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
    gens = sorted((p for p in root.glob(GEN_PREFIX + "*") if is_bayon_generation(p)),
                  key=lambda p: p.stat().st_mtime)  # a folder bayon did not make is never removed
    complete = [g for g in gens if is_complete(g) and g != current]
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
