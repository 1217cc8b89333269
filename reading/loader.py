"""Load a corpus directory: `sources/` read through the `sources.toml` manifest, and `documents/`.

`load_corpus` never raises on bad input files: every problem is returned as `file:line: message`
and the good records are still loaded. The indexer and the `bayon corpus` commands both use it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

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


def _load_documents(corpus_dir: Path, known=None, digests=None, known_files=None, marks=None) -> tuple[list, list[Problem]]:
    """(record or kept id, file, line) in file and line order, and problems; `known` as for
    read_jsonl. With `digests` (filled with digest -> (record id, line, file) of JSON Lines records),
    a JSON Lines file whose mark in `known_files` still holds is not read, and `marks` gets each
    file's new mark (files without problems only)."""
    documents_dir = corpus_dir / "documents"
    if not documents_dir.is_dir():
        return [], []
    located: list = []
    problems: list[Problem] = []
    for path in sorted(documents_dir.iterdir()):
        if path.name.startswith("."):
            continue
        label = f"documents/{path.name}"
        link = _link_problem(path, corpus_dir) if path.is_symlink() else None
        if link:
            problems.append(Problem(label, 1, link))
            continue
        if not path.is_file():
            continue
        try:  # one unreadable file is one problem; the other files' records still load
            if path.suffix == ".jsonl":
                records, found = _load_jsonl(path, label, known, digests, known_files, marks)
            elif path.suffix == ".md":
                records, found = read_markdown(path, label)
            else:
                problems.append(Problem(label, 1, "not a .jsonl or .md document; ignored", "warning"))
                continue
        except OSError as exc:
            problems.append(Problem(label, 0, _unreadable(exc)))
            continue
        loaded_lines = {line for _, line in records}
        problems.extend(Problem(label, line, message, severity,
                                kept=severity == "error" and (line in loaded_lines or path.suffix == ".md" and bool(records)))
                        for line, message, severity in found)
        located.extend((record, label, line) for record, line in records)
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


def load_corpus(corpus_dir: Path, *, line_digests: bool = False, known_lines=None, known_files=None) -> LoadResult:
    """Every record of `corpus_dir` (sources/ through the manifest, then documents/) and every problem.

    `line_digests`: also fill `result.line_digests` (JSON Lines line digest -> id). `known_lines`:
    such a mapping from an earlier load; lines found in it are not parsed again, their ids go to
    `result.kept_ids` (incremental updates: indexer.build). `known_files`: `result.file_marks` of
    that load; a JSON Lines file whose mark still holds is not read at all."""
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
    loads = (_load_sources, lambda d: _load_documents(d, known_lines, digests, known_files, marks))
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
