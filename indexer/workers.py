"""Writer processes that cannot lose documents silently nor outlive the build that started them.

Whoosh's MpWriter hands batches of documents to worker processes and, at commit, takes whatever
segments came back: a worker killed midway (the OOM killer's SIGKILL) was simply missing from the
index, and the build reported success. `GuardedMpWriter` checks every worker's exit code while
feeding them and while waiting for them, and raises `WorkerLost` (the build then switches nothing)
as soon as one has died; it never blocks forever on a queue a dead worker left locked.

`die_with_parent` (the initializer of every worker process bayon starts) asks the kernel to SIGKILL
the worker when the build process dies (prctl PR_SET_PDEATHSIG), and closes the worker's inherited
copy of the build lock's file descriptor, so that no lock outlives the build that took it.
"""
from __future__ import annotations

import ctypes
import os
import pickle
import queue
import signal
import sys
import time

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util import random_name

PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.2
RESULT_TIMEOUT = 30.0


class WorkerLost(Exception):
    """A writer process died before handing back its segment: documents would be missing."""


def die_with_parent(parent_pid: int | None = None) -> None:
    """In a freshly forked worker: be SIGKILLed when the parent dies (Linux), and drop the inherited
    build-lock descriptors (indexer.lock) so that only the build process itself holds the lock."""
    from indexer.lock import close_inherited_locks

    close_inherited_locks()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's exit-code checks still hold
        pass
    if parent_pid is not None and os.getppid() != parent_pid:  # the parent died before prctl
        os._exit(1)


class _GuardedTask(SubWriterTask):
    def __init__(self, *args, parent_pid: int):
        super().__init__(*args)
        self.parent_pid = parent_pid

    def run(self):
        die_with_parent(self.parent_pid)
        super().run()


class GuardedMpWriter(MpWriter):
    """MpWriter whose workers die with the build and whose loss is an error, never a smaller index."""

    def _new_task(self):
        task = _GuardedTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                            self.subargs, self.multisegment, parent_pid=os.getpid())
        self.tasks.append(task)
        task.start()
        return task

    def _check_workers(self, finishing: bool = False) -> None:
        """Raise WorkerLost if a worker has exited abnormally (or at all, before it was told to finish)."""
        for task in self.tasks:
            code = task.exitcode
            if code is not None and (code != 0 or not finishing):
                how = f"killed by signal {-code}" if code < 0 else f"exited with status {code}"
                raise WorkerLost(f"writer process {task.pid} {how} before handing back its documents; "
                                 "the index was not changed")

    def _put(self, item) -> None:
        while True:
            self._check_workers()
            try:
                self.jobqueue.put(item, timeout=POLL_SECONDS)
                return
            except queue.Full:
                continue

    def _enqueue(self):  # MpWriter._enqueue, with a put that notices dead workers
        filename = f"{random_name()}.doclist"
        with self.temp_storage().create_file(filename).raw_file() as f:
            for item in self.docbuffer:
                pickle.dump(item, f, 2)
        if len(self.tasks) < self.procs:
            self._new_task()
        self._put((filename, len(self.docbuffer)))
        self.docbuffer = []

    def _commit(self, mergetype, optimize, merge):  # MpWriter._commit, with guarded waits
        if self.docbuffer:
            self._enqueue()
        for _task in self.tasks:
            self._put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        results = []
        pending = list(self.tasks)
        deadline = None
        while pending:
            for task in list(pending):
                try:  # a worker's result is on the queue before it exits
                    results.append(self.resultqueue.get(timeout=POLL_SECONDS / len(self.tasks)))
                except queue.Empty:
                    pass
                if task.exitcode is not None:
                    task.join()
                    pending.remove(task)
            self._check_workers(finishing=True)
        deadline = time.monotonic() + RESULT_TIMEOUT
        while len(results) < len(self.tasks) and time.monotonic() < deadline:
            try:
                results.append(self.resultqueue.get(timeout=POLL_SECONDS))
            except queue.Empty:
                pass
        if len(results) != len(self.tasks):
            raise WorkerLost(f"{len(self.tasks) - len(results)} of {len(self.tasks)} writer processes "
                             "handed back no segment; the index was not changed")

        if self.multisegment:
            finalsegments += [s for _, _, s in results]
            if self._added:
                finalsegments.append(self._finalize_segment())
            else:
                self._close_segment()
        else:
            self._merge_subsegments(results, mergetype)
            self._close_segment()
            self._assemble_segment()
            finalsegments.append(self.get_segment())
        self._commit_toc(finalsegments)
        self._finish()

    def cancel(self):
        """Kill the workers still running (a dead one may have left the job queue locked), then cancel."""
        for task in self.tasks:
            if task.exitcode is None:
                task.kill()
        for task in self.tasks:
            task.join(timeout=5)
        super().cancel()


# ---------------------------------------------------------------------------------------- bulk writers
CHUNK_DOCS = 50  # documents a writer process takes at a time (the processes share out the work)


def write_in_processes(ix, records, *, procs: int, progress: bool = False, flush_docs: int | None = None,
                       chunk: int = CHUNK_DOCS) -> dict:
    """Index `records` into the empty index `ix` with `procs` forked writer processes, each writing
    its own segments with `indexer.bulk_writer.BulkSegmentWriter` (posting arrays included), then
    commit their segments; {id: content hash} of what was written.

    The processes take `chunk` documents at a time from a shared counter, so a slower process
    (a busy core) takes fewer. A process that dies (killed, out of memory) raises WorkerLost, one
    that fails raises WorkerFailed: the index is then left without the documents' segments (the
    caller switches nothing). The records reach the processes by fork, not through a pipe."""
    import multiprocessing

    from whoosh.writing import SegmentWriter

    ctx = multiprocessing.get_context("fork")
    writer = SegmentWriter(ix)  # holds the index's write lock; writes the TOC
    next_chunk, done = ctx.Value("q", 0), ctx.Value("q", 0)
    results = ctx.Queue()
    args = (str(ix.storage.folder), records, chunk, next_chunk, done, results, os.getpid(), flush_docs)
    tasks = [ctx.Process(target=_bulk_worker, args=args, daemon=True) for _ in range(procs)]
    try:
        for task in tasks:
            task.start()
        got = _collect(tasks, results, done, len(records), progress)
        segments, hashes = [], {}
        for task in tasks:
            task_segments, task_hashes = got[task.pid]
            segments += task_segments
            hashes.update(task_hashes)
        for task in tasks:
            task.join()
        writer._close_segment()
        writer._commit_toc(segments)
        writer._finish()
        return hashes
    except BaseException:
        for task in tasks:
            if task.exitcode is None and task.pid is not None:
                task.kill()
        for task in tasks:
            if task.pid is not None:
                task.join(timeout=5)
        if not writer.is_closed:
            writer.cancel()
        raise


class WorkerFailed(Exception):
    """A writer process raised an error; nothing was switched."""


def _collect(tasks, results, done, total: int, progress: bool) -> dict:
    """{pid: (segments, hashes)} of every task, drawing progress from the shared `done` count;
    WorkerLost as soon as a task has died without handing back its result."""
    import contextlib

    got: dict[int, tuple] = {}
    finished_at: dict[int, float] = {}
    bar_context = contextlib.nullcontext(None)
    if progress:
        import click

        bar_context = click.progressbar(length=total, label="indexing", show_pos=True, show_percent=True,
                                        file=sys.stderr)
    shown = 0
    with bar_context as bar:
        while len(got) < len(tasks):
            try:
                pid, kind, payload = results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                pass
            else:
                if kind == "failed":
                    raise WorkerFailed(f"writer process {pid} failed: {payload}; the index was not changed")
                got[pid] = payload
            if bar is not None and done.value > shown:
                bar.update(done.value - shown)
                shown = done.value
            for task in tasks:
                code = task.exitcode
                if code is None or task.pid in got:
                    continue
                if code != 0:
                    how = f"killed by signal {-code}" if code < 0 else f"exited with status {code}"
                    raise WorkerLost(f"writer process {task.pid} {how} before handing back its documents; "
                                     "the index was not changed")
                # exited cleanly: its result is in the pipe, or was lost
                if time.monotonic() - finished_at.setdefault(task.pid, time.monotonic()) > RESULT_TIMEOUT:
                    raise WorkerLost(f"writer process {task.pid} handed back no segment; the index was not changed")
    return got


def _bulk_worker(gen: str, records, chunk: int, next_chunk, done, results, parent_pid: int, flush_docs) -> None:
    """One writer process of `write_in_processes`: chunks of records into its own segments."""
    die_with_parent(parent_pid)
    import traceback

    from whoosh.filedb.filestore import FileStorage

    from indexer.build import _test_delay
    from indexer.bulk_writer import BulkSegmentWriter
    from indexer.documents import record_to_fields

    try:
        ix = FileStorage(gen).open_index()
        writer = BulkSegmentWriter(ix, _lk=False, flush_docs=flush_docs)
        hashes = {}
        while True:
            with next_chunk.get_lock():
                first = next_chunk.value * chunk
                next_chunk.value += 1
            if first >= len(records):
                break
            for record in records[first:first + chunk]:
                fields = record_to_fields(record)
                writer.add_document(**fields)
                hashes[record.id] = fields["content_hash"]
                _test_delay()
                with done.get_lock():
                    done.value += 1
        segments = writer.finished_segments()
    except Exception as error:
        results.put((os.getpid(), "failed", "".join(traceback.format_exception_only(error)).strip()))
        raise
    results.put((os.getpid(), "done", (segments, hashes)))
