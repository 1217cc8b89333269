"""The build lock: one `bayon index` at a time per index root (fcntl.flock on <root>/.lock).

The file records the holder as `<pid> <start time>` (the start time in clock ticks since boot, field
22 of /proc/<pid>/stat), so that a recorded pid reused by another process is not taken for the holder.
Worker processes close their inherited copy of the descriptor (indexer.workers.die_with_parent), so
the kernel releases the lock when the build process dies. Should processes started by a dead holder
still hold it (orphans of a build made before that rule), they are killed and the lock is taken over:
only processes that hold this very lock file open and started after the dead holder did.
"""
from __future__ import annotations

import fcntl
import os
import signal
import time
from pathlib import Path

LOCK_NAME = ".lock"
_held: set[int] = set()  # lock descriptors this process holds (closed in forked workers)


class LockBusy(Exception):
    """Another build holds the lock."""

    def __init__(self, root: Path, holder_pid: int | None):
        self.root, self.holder_pid = root, holder_pid
        who = f"process {holder_pid}" if holder_pid else "another process"
        super().__init__(f"another `bayon index` ({who}) is building {root}; "
                         f"wait for it, or use --wait")


def close_inherited_locks() -> None:
    """In a forked child: close the copies of the build-lock descriptors (the parent keeps the lock)."""
    for fd in list(_held):
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


def process_start(pid: int) -> int | None:
    """The start time of `pid` (clock ticks since boot), or None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read().decode("ascii", "replace")
        return int(stat[stat.rindex(")") + 2:].split()[19])
    except (OSError, ValueError, IndexError):
        return None


class BuildLock:
    """Context manager holding an exclusive, non-blocking flock; the holder's pid and start time are
    written in the file.

    With `wait=True` it blocks until the other build ends (polling, so `timeout` can bound it).
    The kernel releases the lock when the holder dies, even by SIGKILL.
    """

    def __init__(self, root: Path, *, wait: bool = False, timeout: float | None = None):
        self.root, self.wait, self.timeout = Path(root), wait, timeout
        self._fd: int | None = None

    def __enter__(self) -> "BuildLock":
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        took_over = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not took_over and _take_over_from_dead_holder(fd, self.root / LOCK_NAME):
                    took_over = True
                    continue
                if not self.wait or (deadline is not None and time.monotonic() > deadline):
                    holder = _read_holder(fd)[0]
                    os.close(fd)
                    raise LockBusy(self.root, holder) from None
                time.sleep(0.2)
        self._fd = fd
        _held.add(fd)
        try:  # the holder only informs a second build; a full disk must not leave the lock held
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {process_start(os.getpid()) or 0}\n".encode(), 0)
        except OSError:
            pass
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            _held.discard(self._fd)
            try:
                os.ftruncate(self._fd, 0)
            except OSError:
                pass
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _read_holder(fd: int) -> tuple[int | None, int | None]:
    """(pid, start time) recorded in the lock file; start time None in the old one-number format."""
    try:
        parts = os.pread(fd, 64, 0).decode().split()
        return int(parts[0]), (int(parts[1]) if len(parts) > 1 else None)
    except (ValueError, OSError, IndexError):
        return None, None


def _holder_alive(pid: int, start: int | None) -> bool:
    now = process_start(pid)
    return now is not None and (start is None or start == 0 or now == start)


def _take_over_from_dead_holder(fd: int, path: Path) -> bool:
    """When the recorded holder is dead but the lock is still held, kill the holders it started
    (processes with the lock file open, started after it) and tell the caller to try again."""
    pid, start = _read_holder(fd)
    if pid is None or start is None or _holder_alive(pid, start):
        return False
    orphans = [p for p in _processes_holding(path) if p != os.getpid()
               and (process_start(p) or -1) >= start]
    for p in orphans:
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass
    deadline = time.monotonic() + 5
    alive = orphans
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if process_start(p) is not None and not _is_zombie(p)]
        time.sleep(0.05)
    return bool(orphans) and not alive


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read().decode("ascii", "replace")
        return stat[stat.rindex(")") + 2] == "Z"
    except (OSError, ValueError, IndexError):
        return True


def _processes_holding(path: Path) -> list[int]:
    """Pids (other than this process) with a descriptor open on `path` (Linux /proc)."""
    try:
        target = os.stat(path)
    except OSError:
        return []
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            for fd in os.scandir(f"/proc/{entry.name}/fd"):
                try:
                    st = os.stat(fd.path)
                except OSError:
                    continue
                if (st.st_dev, st.st_ino) == (target.st_dev, target.st_ino):
                    found.append(int(entry.name))
                    break
        except OSError:
            continue
    return found
