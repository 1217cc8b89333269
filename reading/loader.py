"""Load a corpus directory: `sources/` read through the `sources.toml` manifest, and `documents/`.

`load_corpus` never raises on bad input files: every problem is returned as `file:line: message`
and the good records are still loaded. The indexer and the `bayon corpus` commands both use it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .document_files import (ExtractionProgress, Overrides, SUFFIXES as DOCUMENT_SUFFIXES, document_mark,
                             is_document_file, is_override_file, read_document_file, record_digest,
                             unchanged_document)
from .encoding import decode_lines
from .jsonl_documents import file_mark, file_stat, read_jsonl, unchanged_file
from .manifest import MANIFEST_NAME, SourceEntry, read_manifest
from .markdown_documents import read_markdown
from .model import Record
from .parsers import PARSERS
from .parsers.base import build_record


def default_corpus_dir() -> Path:
    """$BAYON_CORPUS_DIR, else the project's own corpus/ (the data folder beside this package)."""
    return Path(os.environ.get("BAYON_CORPUS_DIR", Path(__file__).resolve().parent.parent / "corpus"))
from .problems import Problem

__all__ = ["LoadResult", "Problem", "load_corpus"]


@dataclass
class LoadResult:
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # with load_corpus(line_digests=True) or known_lines: JSON Lines line digest -> record id for
    # every record loaded; `kept_ids`: records of known lines, not parsed again (not in `records`)
    line_digests: dict[str, str] = field(default_factory=dict)
    kept_ids: list[str] = field(default_factory=list)
    # with line digests: JSON Lines file label -> mark (reading.jsonl_documents.file_mark) for each
    # file loaded without problems; given back as `known_files`, an unchanged file is not read
    file_marks: dict[str, dict] = field(default_factory=dict)
    # publication files (documents/**/*.pdf|docx|html) that could not be extracted, by label: their
    # error is in `problems`; the indexer leaves them out without stopping (indexer.build)
    unreadable_files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def _load_source(corpus_dir: Path, entry: SourceEntry) -> tuple[list[tuple[Record, int]], list[Problem]]:
    label = f"sources/{entry.file}"
    path = corpus_dir / "sources" / entry.file
    if not path.is_file():
        return [], [Problem(MANIFEST_NAME, entry.line, f"{label} is listed but does not exist")]
    parse = PARSERS.get(entry.parser)
    if parse is None:
        return [], [Problem(MANIFEST_NAME, entry.line, f"unknown parser {entry.parser!r} (known: {', '.join(PARSERS)})")]
    text, bad_lines = decode_lines(path.read_bytes())
    problems = [Problem(label, line, message) for line, message in bad_lines]
    result = parse(text, entry)
    problems.extend(Problem(label, line, message, severity) for line, message, severity in result.problems)
    records: list[tuple[Record, int]] = []
    for ordinal, item in enumerate(result.items, 1):
        if not item.title:
            continue
        record, warnings = build_record(entry, ordinal, item)
        problems.extend(Problem(label, item.line, message, "warning") for message in warnings)
        records.append((record, item.line))
    if not result.items and not result.problems:
        problems.append(Problem(label, 1, f"parser {entry.parser!r} found no items"))
    return records, problems


def _load_sources(corpus_dir: Path) -> tuple[list[tuple[Record, str, int]], list[Problem]]:
    sources_dir = corpus_dir / "sources"
    manifest = corpus_dir / MANIFEST_NAME
    files = sorted(p.name for p in sources_dir.iterdir() if p.is_file() and not p.name.startswith(".")) \
        if sources_dir.is_dir() else []
    if not manifest.is_file():
        if files:
            return [], [Problem("sources/", 1, f"{len(files)} source files but no {MANIFEST_NAME} naming their parsers")]
        return [], []
    entries, problems = read_manifest(manifest, MANIFEST_NAME)
    listed = {entry.file for entry in entries}
    for name in files:
        if name not in listed and name.lower() != "readme.md":
            problems.append(Problem(f"sources/{name}", 1, f"not listed in {MANIFEST_NAME}; not loaded"))
    located: list[tuple[Record, str, int]] = []
    for entry in entries:
        try:  # one unreadable source is one problem; the other sources still load
            records, found = _load_source(corpus_dir, entry)
        except OSError as exc:
            records, found = [], [Problem(f"sources/{entry.file}", 0, _unreadable(exc))]
        problems.extend(found)
        located.extend((record, f"sources/{entry.file}", line) for record, line in records)
    return located, problems


def _document_paths(documents_dir: Path, corpus_dir: Path, problems: list) -> list[Path]:
    """Every file of documents/ and its folders (hidden files and folders and Office owner files
    `~$name.docx` left out), in path order; a symbolic link that is broken or leaves the corpus is
    a problem in `problems`, not a file."""
    found = []
    for path in sorted(documents_dir.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(documents_dir).parts) or path.name.startswith("~$"):
            continue  # hidden, or the owner file Word and LibreOffice keep beside an open document
        if path.is_symlink():
            link = _link_problem(path, corpus_dir)
            if link:
                problems.append(Problem(f"documents/{path.relative_to(documents_dir).as_posix()}", 1, link))
                continue
        if path.is_file():
            found.append(path)
    return found


def _load_documents(corpus_dir: Path, known=None, digests=None, known_files=None, marks=None, *,
                    files=None, cache=None, progress=False) -> tuple[list, list[Problem]]:
    """(record or kept id, file, line) in file and line order, and problems; `known` as for
    read_jsonl. With `digests` (filled with digest -> (record id, line, file) of JSON Lines records
    and publication files), a file whose mark in `known_files` still holds is not read, and `marks`
    gets each file's new mark (files without problems only). `files` (a LoadResult) gets the labels
    of publication files that could not be extracted."""
    documents_dir = corpus_dir / "documents"
    if not documents_dir.is_dir():
        return [], []
    located: list = []
    problems: list[Problem] = []
    paths = _document_paths(documents_dir, corpus_dir, problems)
    names = {p.name for p in paths}
    jobs: list = []  # (path, label, relative, overrides, kept)
    for path in paths:
        relative = path.relative_to(documents_dir).as_posix()
        label = f"documents/{relative}"
        if is_override_file(path):
            target = path.name[: -len(".meta.toml")] if path.name.endswith(".meta.toml") else None
            if target is not None and target not in names:
                problems.append(Problem(label, 0, f"sidecar for {target}, which is not in this folder; not used", "warning"))
            continue
        if is_document_file(path):
            overrides = Overrides(path, documents_dir)
            kept = None
            if digests is not None and known:
                kept = unchanged_document(path, (known_files or {}).get(label), known, overrides)
            jobs.append((path, label, relative, overrides, kept))
            continue
        jobs.append((path, label, relative, None, None))
    to_extract = sum(1 for path, _, _, overrides, kept in jobs if overrides is not None and kept is None)
    bar = ExtractionProgress(to_extract) if progress and to_extract else None
    try:
        for path, label, relative, overrides, kept in jobs:
            if overrides is None:
                try:  # one unreadable file is one problem; the other files' records still load
                    if path.suffix == ".jsonl":
                        records, found = _load_jsonl(path, label, known, digests, known_files, marks)
                    elif path.suffix == ".md":
                        records, found = read_markdown(path, label)
                    else:
                        problems.append(Problem(label, 0, "not a .jsonl, .md, " + ", ".join(DOCUMENT_SUFFIXES)
                                                + " document; ignored", "warning"))
                        continue
                except OSError as exc:
                    problems.append(Problem(label, 0, _unreadable(exc)))
                    continue
                loaded_lines = {line for _, line in records}
                problems.extend(Problem(label, line, message, severity,
                                        kept=severity == "error" and (line in loaded_lines
                                                                      or path.suffix == ".md" and bool(records)))
                                for line, message, severity in found)
                located.extend((record, label, line) for record, line in records)
                continue
            problems.extend(Problem(file, 0, message, severity) for file, message, severity in overrides.problems)
            if kept is not None:
                digest, doc_id = kept
                digests[digest] = (doc_id, 1, label)
                marks[label] = known_files[label]
                located.append((doc_id, label, 1))
                continue
            if bar:
                bar.file(label)
            try:
                stat = file_stat(path)
                record, found, content = read_document_file(path, label, relative, overrides, cache=cache,
                                                            page_progress=bar.page if bar else None)
            except OSError as exc:
                record, found, content = None, [(0, _unreadable(exc), "error")], b""
            if bar:
                bar.file_done()
            if files is not None and record is None:
                files.unreadable_files.append(label)
            problems.extend(Problem(label, line, message, severity) for line, message, severity in found)
            if record is None:
                continue
            located.append((record, label, 1))
            if digests is not None and not any(severity == "error" for _, _, severity in found) \
                    and not any(severity == "error" for _, _, severity in overrides.problems):
                digest = record_digest(label, content, overrides.digest())
                digests[digest] = (record.id, 1, label)
                mark = document_mark(stat, digest, overrides)
                if mark is not None:
                    marks[label] = mark
    finally:
        if bar:
            bar.close()
    return located, problems


def _unreadable(exc: OSError) -> str:
    return f"cannot read: {exc.strerror or exc}; none of its records loaded"


def _link_problem(path: Path, corpus_dir: Path) -> str | None:
    """Why the symbolic link `path` is not loaded (broken, or pointing outside the corpus), or None."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return f"broken symbolic link (to {os.readlink(path)!r}); not loaded"
    if not target.is_relative_to(corpus_dir.resolve()):
        return f"symbolic link to {str(target)!r}, outside the corpus; not loaded"
    return None


def _load_jsonl(path: Path, label: str, known, digests, known_files, marks):
    """read_jsonl, recording each record's digest (and the file's mark) when `digests` is given; a
    file whose mark still holds gives its known record ids without being read."""
    if digests is None:
        return read_jsonl(path, label, known)
    kept = unchanged_file(path, (known_files or {}).get(label), known) if known else None
    if kept is not None:
        digests.update((digest, (doc_id, line, label)) for digest, doc_id, line in kept)
        marks[label] = known_files[label]
        return [(doc_id, line) for _, doc_id, line in kept], []
    stat = file_stat(path)
    entries: list = []
    records, found = read_jsonl(path, label, known, entries)
    digests.update((digest, (doc_id, line, label)) for line, digest, doc_id in entries)
    if not found:
        mark = file_mark(stat, [(line, digest) for line, digest, _ in entries])
        if mark is not None:
            marks[label] = mark
    return records, found


def load_corpus(corpus_dir: Path, *, line_digests: bool = False, known_lines=None, known_files=None,
                extract_cache=None, progress: bool = False) -> LoadResult:
    """Every record of `corpus_dir` (sources/ through the manifest, then documents/) and every problem.

    `line_digests`: also fill `result.line_digests` (JSON Lines line digest -> id). `known_lines`:
    such a mapping from an earlier load; lines found in it are not parsed again, their ids go to
    `result.kept_ids` (incremental updates: indexer.build). `known_files`: `result.file_marks` of
    that load; a JSON Lines or publication file whose mark still holds is not read at all.
    `extract_cache`: the reading.extract.cache.ExtractionCache for publication files (default: the
    one under $BAYON_EXTRACT_CACHE or var/extract-cache; False: none). `progress`: draw a bar on
    stderr while publication files are extracted (files and pages)."""
    corpus_dir = Path(corpus_dir)
    result = LoadResult()
    if not corpus_dir.is_dir():
        result.problems.append(Problem(str(corpus_dir), 0, "corpus directory does not exist"))
        return result
    if not (corpus_dir / "sources").is_dir() and not (corpus_dir / "documents").is_dir():
        result.problems.append(Problem(str(corpus_dir), 0, "neither sources/ nor documents/ in the corpus directory"))
        return result
    digests: dict | None = {} if line_digests or known_lines is not None else None
    marks: dict = {}
    if extract_cache is None:
        from .extract.cache import ExtractionCache

        extract_cache = ExtractionCache()
    cache = extract_cache or None
    loads = (_load_sources, lambda d: _load_documents(d, known_lines, digests, known_files, marks, files=result,
                                                      cache=cache, progress=progress))
    located: list = []
    for load in loads:
        try:
            found_records, found_problems = load(corpus_dir)
        except OSError as exc:  # unreadable directory or file: report, keep what loaded
            found_records, found_problems = [], [Problem(str(exc.filename or corpus_dir), 0, f"cannot read: {exc.strerror}")]
        located.extend(found_records)
        result.problems.extend(found_problems)
    first_seen: dict[str, tuple[str, int]] = {}
    for record, file, line in located:
        record_id = record if isinstance(record, str) else record.id
        if record_id in first_seen:
            where = "{}:{}".format(*first_seen[record_id])
            result.problems.append(Problem(file, line, f"duplicate id {record_id!r} (first at {where}); record not loaded"))
            continue
        first_seen[record_id] = (file, line)
        if isinstance(record, str):
            result.kept_ids.append(record)
        else:
            result.records.append(record)
    if digests:
        # a duplicate's line is not remembered: the next load reads it again and reports it again
        result.line_digests = {digest: doc_id for digest, (doc_id, line, label) in digests.items()
                               if first_seen.get(doc_id) == (label, line)}
        # a file's mark holds only if every record it lists is remembered (files with problems have none)
        result.file_marks = {label: mark for label, mark in marks.items()
                             if all(digest in result.line_digests for _, digest in mark["lines"])}
    return result
