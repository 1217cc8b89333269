"""The build lock: one `bayon index` at a time per index root (fcntl.flock on <root>/.lock)."""
from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

LOCK_NAME = ".lock"


class LockBusy(Exception):
    """Another build holds the lock."""

    def __init__(self, root: Path, holder_pid: int | None):
        self.root, self.holder_pid = root, holder_pid
        who = f"process {holder_pid}" if holder_pid else "another process"
        super().__init__(f"another `bayon index` ({who}) is building {root}; "
                         f"wait for it, or use --wait")


class BuildLock:
    """Context manager holding an exclusive, non-blocking flock; the holder's pid is written in the file.

    With `wait=True` it blocks until the other build ends (polling, so `timeout` can bound it).
    The kernel releases the lock when the holder dies, even by SIGKILL.
    """

    def __init__(self, root: Path, *, wait: bool = False, timeout: float | None = None):
        self.root, self.wait, self.timeout = Path(root), wait, timeout
        self._fd: int | None = None

    def __enter__(self) -> "BuildLock":
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not self.wait or (deadline is not None and time.monotonic() > deadline):
                    holder = _read_pid(fd)
                    os.close(fd)
                    raise LockBusy(self.root, holder) from None
                time.sleep(0.2)
        self._fd = fd
        try:  # the pid only informs a second build; a full disk must not leave the lock held
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def _read_pid(fd: int) -> int | None:
    try:
        return int(os.pread(fd, 32, 0).decode().strip())
    except (ValueError, OSError):
        return None
