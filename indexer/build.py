"""Build or update the index: a new generation, filled from the corpus, then an atomic switch.

The old generation keeps serving until CURRENT names the new one; a failed or killed build never
touches CURRENT. Test hook: env BAYON_INDEX_DELAY_PER_DOC (seconds, float) sleeps after each
document so that tests can kill a build midway; it is not meant for anything else.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from indexer import layout
from indexer.documents import record_to_fields
from indexer.lock import BuildLock
from indexer.schema import SCHEMA_VERSION, build_schema
from indexer.segment_merge import bounded_merge
from indexer.fuzzy import FILE_NAME as FUZZY_FILE
from indexer.segment_postings import SUFFIX as SEGMENT_POSTINGS_SUFFIX

DELAY_ENV = "BAYON_INDEX_DELAY_PER_DOC"
# Measured with the Whoosh writer, before the bulk writer (docs/search.md): two writer processes gained ~9% at 2,000 documents and lost ~15% at 73
# when their segments were merged; each writing its own segment (multisegment) built 2,050 documents
# at 91 docs/s against 62 merged and 49 with one process (load 1.0-1.4).
PARALLEL_MIN_DOCS = 1000
# How documents are written (`build_index(writer=...)`): "bulk", indexer.bulk_writer.BulkSegmentWriter
# (postings in arrays, analysis by distinct run, posting arrays from memory); "whoosh", Whoosh's own
# add_document and posting pool (the reference tests/test_index_bulk_equal.py compares bulk segments with).
WRITERS = ("bulk", "whoosh")
SCHEMA_FILE = "SCHEMA_VERSION"
# beside a generation's segments: {"lines": {JSON Lines line digest: id}, "hashes": {id: content hash},
# "files": {JSON Lines file label: mark}} (reading.jsonl_documents.line_digest, file_mark)
BUILT_FROM_FILE = "BUILT_FROM.json"


class BuildFailed(Exception):
    """The new generation does not hold what was sent to it (a lost worker, a lost document); nothing
    was switched."""


class CorpusErrors(Exception):
    """The corpus has errors; nothing was switched."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(f"{len(self.problems)} corpus error(s); the index was not changed")


@dataclass
class BuildReport:
    generation: Path | None = None
    built: bool = False
    incremental: bool = False
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: list = field(default_factory=list)  # corpus problems (severity error) left out with --skip-bad
    # errors whose record was indexed anyway, a wrong optional field dropped (with --skip-bad)
    degraded: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def documents(self) -> int:
        return self.added + self.updated + self.unchanged


def has_valid_index(index_root: Path) -> bool:
    """True when CURRENT names a complete generation whose segments Whoosh can open and read."""
    return layout.index_problem(Path(index_root)) is None


def build_index(corpus_dir, index_root, *, incremental: bool = False, progress: bool = True,
                skip_bad: bool = False, if_missing: bool = False, wait: bool = False,
                procs: int | None = None, multisegment: bool | None = None, writer: str = "bulk") -> BuildReport:
    """Index `corpus_dir` into a new generation under `index_root` and switch CURRENT to it.

    `procs=None` picks 2 writer processes for PARALLEL_MIN_DOCS documents or more on a multi-core
    machine, else 1; `multisegment=None` keeps each writer process's segment (no merge in the
    main process) whenever procs > 1 (the bulk writer always keeps one segment per process). `writer`
    is one of WRITERS. Raises CorpusErrors (nothing switched) when the corpus has errors and not `skip_bad`;
    indexer.lock.LockBusy when another build runs and not `wait`.
    """
    from reading.loader import load_corpus

    if writer not in WRITERS:
        raise ValueError(f"writer must be one of {', '.join(WRITERS)}, not {writer!r}")
    corpus_dir, index_root = Path(corpus_dir), Path(index_root)
    started = time.monotonic()
    report = BuildReport(incremental=incremental)
    if if_missing and has_valid_index(index_root):  # nothing to write: a read-only folder will do
        report.generation = layout.current_generation(index_root)
        return report
    layout.claim_root(index_root)  # ForeignIndexDir: a folder bayon did not make is left untouched
    with BuildLock(index_root, wait=wait):
        if if_missing and has_valid_index(index_root):
            report.generation = layout.current_generation(index_root)
            return report
        layout.prune(index_root, keep=2)  # drops generations left by killed builds
        previous = layout.current_generation(index_root)
        reuse = incremental and previous is not None and _schema_of(previous) == SCHEMA_VERSION
        # what the previous generation was built from: JSON Lines lines unchanged since are not
        # parsed again, provided every record they name is in its index
        known, indexed, files = _built_from(previous) if reuse else (None, None, None)
        if reuse and indexed is None:
            indexed = _indexed_hashes_of(previous)
        loaded = load_corpus(corpus_dir, line_digests=True, known_lines=known, known_files=files, progress=progress)
        if loaded.kept_ids and not indexed.keys() >= set(loaded.kept_ids):
            loaded = load_corpus(corpus_dir, line_digests=True, progress=progress)
        # a publication file that cannot be extracted (encrypted, corrupt, empty) is left out and
        # reported as skipped: the rest is indexed (reading.document_files)
        unreadable = set(loaded.unreadable_files)
        report.skipped = [p for p in loaded.problems if p.severity == "error" and p.file in unreadable]
        errors = [p for p in loaded.problems if p.severity == "error" and p.file not in unreadable]
        report.warnings = [p for p in loaded.problems if p.severity != "error"]
        records, duplicates = _unique_records(loaded.records)
        errors += duplicates
        if errors and not skip_bad:
            raise CorpusErrors(errors)
        report.skipped += [p for p in errors if not getattr(p, "kept", False)]
        report.degraded = [p for p in errors if getattr(p, "kept", False)]

        report.incremental = reuse
        gen = layout.new_generation(index_root)
        if reuse:
            _copy_generation(previous, gen)
            hashes = _update(gen, records, report, progress, indexed, loaded.kept_ids, kind=writer)
        else:
            if procs is None:
                procs = 2 if len(records) >= PARALLEL_MIN_DOCS and (os.cpu_count() or 1) > 1 else 1
            if writer == "bulk":
                if procs > 1 and multisegment is False:
                    raise ValueError("the bulk writer keeps one segment per writer process (multisegment)")
                hashes = _full_bulk(gen, records, report, progress, procs=procs)
            else:
                hashes = _full_whoosh(gen, records, report, progress, procs=procs,
                                      multisegment=procs > 1 if multisegment is None else multisegment)
        _check_holds(gen, hashes)
        _write_posting_arrays(gen, progress, procs=procs or 1)
        _write_fuzzy(gen)
        (gen / SCHEMA_FILE).write_text(SCHEMA_VERSION + "\n", encoding="utf-8")
        _write_built_from(gen, loaded.line_digests, hashes, loaded.file_marks)
        # where the records' original files are (webui.originals serves documents/ files from it)
        (gen / "CORPUS.json").write_text(json.dumps({"corpus_dir": str(corpus_dir.resolve())}), encoding="utf-8")
        layout.sync_generation(gen)  # durable before the marker, the marker before CURRENT
        layout.mark_complete(gen)
        layout.switch_to(index_root, gen)
        layout.prune(index_root, keep=2)
        report.generation, report.built = gen, True
    report.seconds = time.monotonic() - started
    return report


def _check_holds(gen: Path, hashes: dict) -> None:
    """Raise BuildFailed unless the generation's index holds exactly the documents sent to it (its
    live document count and every id)."""
    ix = _open_unmapped(gen)
    try:
        with ix.searcher() as searcher:
            held = _indexed_hashes(searcher)
    finally:
        ix.close()
    if held.keys() != hashes.keys():
        missing, extra = len(hashes.keys() - held.keys()), len(held.keys() - hashes.keys())
        raise BuildFailed(f"the new index holds {len(held)} documents, {len(hashes)} were sent "
                          f"({missing} missing, {extra} unexpected); the index was not changed")


def _unique_records(records):
    seen, unique, problems = set(), [], []
    for r in records:
        if r.id in seen:
            problems.append(_Problem(r.source, 0, f"duplicate record id {r.id!r}"))
            continue
        seen.add(r.id)
        unique.append(r)
    return unique, problems


@dataclass
class _Problem:
    file: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def _schema_of(gen: Path) -> str | None:
    try:
        return (gen / SCHEMA_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None


# what a build writes anew in each generation, and LINE_DIGESTS.json, left by an earlier version
_NOT_COPIED = frozenset({layout.COMPLETE_MARK, layout.GEN_MARK, BUILT_FROM_FILE, SCHEMA_FILE, "LINE_DIGESTS.json",
                         "CORPUS.json", FUZZY_FILE})


def _copy_generation(src: Path, dst: Path) -> None:
    """Copy a generation's files; Whoosh segment files and their posting arrays (*.seg, *.postings,
    written once and never changed in place) are hard-linked when the file system allows, so an
    incremental update does not copy the whole index."""
    for item in src.iterdir():
        if item.is_file() and item.name not in _NOT_COPIED:
            if item.suffix in (".seg", SEGMENT_POSTINGS_SUFFIX):
                try:
                    os.link(item, dst / item.name)
                    continue
                except OSError:
                    pass
            shutil.copy2(item, dst / item.name)


def _indexed_hashes(searcher) -> dict:
    """{id: content hash} of the indexed documents: from the `id` and `content_hash` columns when
    the index has them (no stored body is unpickled), else from the stored fields."""
    reader = searcher.reader()
    if reader.has_column("id") and reader.has_column("content_hash"):
        held = {}
        for leaf, _ in reader.leaf_readers():
            ids, hashes = _column_values(leaf, "id"), _column_values(leaf, "content_hash")
            deleted = leaf.deleted_docs_set if leaf.has_deletions() else ()
            held.update((_text(i), _text(h)) for d, (i, h) in enumerate(zip(ids, hashes)) if d not in deleted)
        return held
    return {f["id"]: f.get("content_hash") for f in searcher.all_stored_fields()}


def _column_values(leaf, name) -> list:
    """Every document's value of a segment's bytes column (deleted ones included), read in one
    piece: value by value, an unmapped segment took a read call each (100,000 documents: 1.3 s
    of an incremental update's check); any other column type through Whoosh's reader."""
    from whoosh.columns import TranslatingColumnReader, VarBytesColumn

    column = leaf.column_reader(name)
    inner = column._reader if isinstance(column, TranslatingColumnReader) else column
    if not isinstance(inner, VarBytesColumn.Reader):
        return [column[d] for d in range(leaf.doc_count_all())]
    lengths, offsets = inner._lengths, inner._offsets
    n = len(lengths)
    if not n:
        return []
    end = max(o + ln for o, ln in zip(offsets, lengths))
    data = inner._dbfile.get(inner._basepos, end) if end else b""
    values = [data[o:o + ln] for o, ln in zip(offsets, lengths)]
    if isinstance(column, TranslatingColumnReader):
        values = [column._translate(v) for v in values]
    return values


def _open_unmapped(gen: Path):
    """The generation's Whoosh index with files read on demand, not mapped: a mapped compound segment
    is copied whole into memory when a reader opens it (whoosh BufferFile), which cost an update
    about 1 s and 1 GB at 100,000 documents to look up a few ids."""
    from whoosh.filedb.filestore import FileStorage

    return FileStorage(str(gen), supports_mmap=False).open_index()


def _indexed_hashes_of(gen: Path) -> dict:
    ix = _open_unmapped(gen)
    try:
        with ix.searcher() as searcher:
            return _indexed_hashes(searcher)
    finally:
        ix.close()


def _built_from(gen: Path) -> tuple[dict | None, dict | None, dict | None]:
    """(JSON Lines line digest -> id, id -> content hash, file label -> mark) a complete generation
    was built from, as written beside its segments; Nones when absent, unreadable, or not one hash
    per indexed document (the TOC's count: no segment is opened)."""
    try:
        found = json.loads((gen / BUILT_FROM_FILE).read_text(encoding="utf-8"))
        lines, hashes, files = found["lines"], found["hashes"], found.get("files") or {}
        ix = _open_unmapped(gen)
        try:
            count = ix.doc_count()
        finally:
            ix.close()
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None, None, None
    if not isinstance(lines, dict) or not isinstance(hashes, dict) or len(hashes) != count \
            or not all(isinstance(doc_id, str) for doc_id in lines.values()):
        return None, None, None
    return lines, hashes, files if isinstance(files, dict) else {}


def _write_built_from(gen: Path, line_digests: dict, hashes: dict, file_marks: dict) -> None:
    payload = {"lines": line_digests, "hashes": hashes, "files": file_marks}
    (gen / BUILT_FROM_FILE).write_text(json.dumps(payload, separators=(",", ":")), encoding="utf-8")


def _text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _add_all(writer, records, report: BuildReport, progress: bool) -> dict:
    """Add every record through `writer` (progress shown); {id: content hash} of what was sent."""
    hashes = {}
    for record in _progress(records, progress, "indexing"):
        fields = record_to_fields(record)
        writer.add_document(**fields)
        hashes[record.id] = fields["content_hash"]
        report.added += 1
    return hashes


def _full_bulk(gen: Path, records, report: BuildReport, progress: bool, *, procs: int) -> dict:
    """Index every record into the new generation `gen` with the bulk writer, in this process or in
    `procs` writer processes (indexer.workers.write_in_processes); {id: content hash} of what it holds."""
    from whoosh import index as windex

    from indexer.bulk_writer import BulkSegmentWriter

    ix = windex.create_in(str(gen), build_schema())
    if procs > 1:
        from indexer.workers import write_in_processes

        try:
            hashes = write_in_processes(ix, records, procs=procs, progress=progress)
        finally:
            ix.close()
        report.added += len(hashes)
        return hashes
    with _committing(ix, writer_class=BulkSegmentWriter, limitmb=256) as writer:
        return _add_all(writer, records, report, progress)


def _full_whoosh(gen: Path, records, report: BuildReport, progress: bool, *, procs: int,
                 multisegment: bool) -> dict:
    """Index every record into the new generation `gen` through Whoosh's own add_document and posting
    pool; {id: content hash} of what it holds."""
    from whoosh import index as windex

    ix = windex.create_in(str(gen), build_schema())
    kwargs = {"limitmb": 256}
    if procs > 1:  # workers whose loss fails the build (indexer.workers), never a smaller index
        from indexer.workers import GuardedMpWriter

        kwargs.update(procs=procs, multisegment=multisegment, writer_class=GuardedMpWriter)
    with _committing(ix, **kwargs) as writer:
        return _add_all(writer, records, report, progress)


def _update(gen: Path, records, report: BuildReport, progress: bool, indexed: dict, kept_ids, *,
            kind: str = "bulk") -> dict:
    """Bring the copied generation `gen` (indexed: {id: hash}) to `records` plus the already
    indexed, unchanged `kept_ids`; {id: content hash} of what it then holds. The documents added
    go through the bulk writer unless `kind` is "whoosh"."""
    ix = _open_unmapped(gen)
    report.unchanged += len(kept_ids)
    hashes = {doc_id: indexed[doc_id] for doc_id in kept_ids}
    wanted = {r.id for r in records}.union(kept_ids)
    kwargs = {"limitmb": 256}
    if kind == "bulk":
        from indexer.bulk_writer import BulkSegmentWriter

        kwargs["writer_class"] = BulkSegmentWriter
    with _committing(ix, **kwargs) as writer:
        writer.mergetype = bounded_merge  # drops emptied segments, bounds their number
        gone = indexed.keys() - wanted
        changed = [r for r in records if r.id in indexed and indexed[r.id] != r.content_hash()]
        # the documents to delete (gone, or replaced by a changed version) found by their docnums
        # in the segments' id columns, read in one piece: a term lookup per id read the terms
        # table call by call (about 40 ms a document at 100,000)
        reader = writer.reader()
        try:
            docnums = _docnums_of(reader, gone | {r.id for r in changed})
        finally:
            reader.close()
        for doc_id in gone:
            _delete(writer, doc_id, docnums)
            report.deleted += 1
        changed_ids = {r.id for r in changed}
        for record in _progress(records, progress, "updating"):
            old, new = indexed.get(record.id), record.content_hash()
            hashes[record.id] = new
            if old is None:
                writer.add_document(**record_to_fields(record))
                report.added += 1
            elif record.id in changed_ids:
                _delete(writer, record.id, docnums)
                writer.add_document(**record_to_fields(record))
                report.updated += 1
            else:
                report.unchanged += 1
    return hashes


def _docnums_of(reader, ids: set) -> dict | None:
    """{id: [docnum, ...]} of the live documents with those ids, from each segment's id column;
    None when the index has no id column (then ids are looked up as terms)."""
    if not ids:
        return {}
    if not reader.has_column("id"):
        return None
    found: dict = {}
    for leaf, base in reader.leaf_readers():
        deleted = leaf.deleted_docs_set if leaf.has_deletions() else ()
        for d, value in enumerate(_column_values(leaf, "id")):
            doc_id = _text(value)
            if doc_id in ids and d not in deleted:
                found.setdefault(doc_id, []).append(base + d)
    return found


def _delete(writer, doc_id: str, docnums: dict | None) -> None:
    """Delete the indexed document(s) with `doc_id`: by docnum when `docnums` has them."""
    if docnums is None:
        writer.delete_by_term("id", doc_id)
        return
    for docnum in docnums.get(doc_id, ()):
        writer.delete_document(docnum)


def _write_posting_arrays(gen: Path, progress: bool, procs: int) -> None:
    """Write the posting-array file of each new segment (`indexer.segment_postings`): queries then
    slice arrays instead of unpickling Whoosh's blocks."""
    from indexer.segment_postings import segments_without_postings, write_postings

    missing = segments_without_postings(gen)
    if not progress or not missing:
        write_postings(gen, missing, procs)
        return
    import click

    with click.progressbar(length=len(missing), label="posting arrays", show_pos=True,
                           file=sys.stderr) as bar:
        write_postings(gen, missing, procs, on_done=lambda _segment: bar.update(1))


def _write_fuzzy(gen: Path) -> None:
    """Write the generation's fuzzy vocabulary (`indexer.fuzzy`: typo tolerance, "Did you mean")
    from its committed lexicons, anew for every build and update."""
    from indexer.fuzzy import write_fuzzy

    write_fuzzy(gen)


@contextmanager
def _committing(ix, **writer_kwargs):
    """A writer on `ix` committed when the block ends, cancelled if it raises; `ix` closed either way."""
    writer_class = writer_kwargs.pop("writer_class", None)
    writer = writer_class(ix, **writer_kwargs) if writer_class else ix.writer(**writer_kwargs)
    try:
        yield writer
        writer.commit()
    except BaseException:
        if not writer.is_closed:  # a failed commit (e.g. disk full) has closed it already
            writer.cancel()
        raise
    finally:
        ix.close()


def _test_delay() -> None:
    delay = os.environ.get(DELAY_ENV)
    if delay:
        try:
            time.sleep(float(delay))
        except ValueError:
            pass


def _progress(records, enabled: bool, label: str):
    """Yield records, drawing a bar with counts and rate on stderr when enabled."""
    import click

    total = len(records)
    if not enabled:
        for r in records:
            yield r
            _test_delay()
        return
    started = time.monotonic()
    done = 0

    def rate(_item):
        elapsed = time.monotonic() - started
        return f"{done / elapsed:.1f} docs/s" if elapsed > 0 and done else ""

    with click.progressbar(length=total, label=label, show_pos=True, show_percent=True,
                           item_show_func=rate, file=sys.stderr) as bar:
        for r in records:
            yield r
            _test_delay()
            done += 1
            bar.update(1, r)
