"""`documents/*.jsonl`: one JSON object per line, each a document."""
from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Mapping
from pathlib import Path

from .documents import document_record
from .encoding import invalid_utf8, without_bom
from .model import Record


# Bump when the same line would now make a different Record (validation, normalisation, derived
# fields): line digests remembered by an index (indexer.build) then no longer match, and every
# line is read again.
RECORD_RULES = "1"
# A file whose modification or status change is more recent than this when it is read gets no mark:
# a change within the file system's timestamp granularity right after the read would keep its stat.
SETTLED_NS = 3_000_000_000
# A document is a flat object of text fields: deeper nesting is refused before json.loads (whose
# recursion a line of ~1,000 brackets used to exhaust), and so is a line over MAX_LINE_BYTES.
MAX_DEPTH = 32
MAX_LINE_BYTES = 64 * 1024 * 1024
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(line: str) -> int:
    """How deeply the arrays and objects of a JSON text nest (brackets inside strings not counted)."""
    if line.count("[") + line.count("{") <= MAX_DEPTH:
        return min(line.count("[") + line.count("{"), MAX_DEPTH)
    depth = deepest = 0
    for bracket in _BRACKET.findall(_JSON_STRING.sub("", line)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _digest_prefix(label: str) -> "hashlib._Hash":
    return hashlib.sha256(f"raw-sha256\n{RECORD_RULES}\n{label}\n".encode("utf-8"))


def line_digest(label: str, number: int, raw: bytes) -> str:
    """What a JSON Lines record is made from: its file and line number (a missing id is derived from
    both) and the line's bytes (without the newline; after a leading BOM on line 1), with the record
    rules' version."""
    return _digest_after(_digest_prefix(label), number, raw)


def _digest_after(prefix: "hashlib._Hash", number: int, raw) -> str:
    """line_digest from the file's digest prefix (`raw`: bytes or a memoryview slice, not copied)."""
    h = prefix.copy()
    h.update(b"%d\n" % number)
    h.update(raw)
    return h.hexdigest()[:32]


def read_jsonl(path: Path, label: str, known: Mapping[str, str] | None = None, digests: list | None = None):
    """(record, line) pairs in line order and (line, message, severity) problems; a bad line never
    stops the rest.

    `known`: line digest -> record id of lines read before (see line_digest); such a line is neither
    decoded nor parsed again and gives its record id (a str) instead of a Record. `digests`, when
    given, gets (line, digest, record id) for every record of the file, parsed or known, in line
    order, except records whose line had a problem (read again next time, so that their problems
    are reported again)."""
    data = without_bom(path.read_bytes())
    prefix = _digest_prefix(label) if known is not None or digests is not None else None
    problems: list[tuple[int, str, str]] = []
    records: list[tuple[Record | str, int]] = []
    view, find, size = memoryview(data), data.find, len(data)
    start, number = 0, 0
    while start <= size:  # lines sliced from a memoryview: an unchanged line is hashed, never copied
        end = find(b"\n", start)
        if end < 0:
            end = size
        number += 1
        line_start, start = start, end + 1
        if end - line_start < 80 and data[line_start:end].isspace() or end == line_start:
            continue
        digest = None
        if prefix is not None:
            digest = _digest_after(prefix, number, view[line_start:end])
            if known is not None and digest in known:
                records.append((known[digest], number))
                if digests is not None:
                    digests.append((number, digest, known[digest]))
                continue
        raw = data[line_start:end]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append((number, invalid_utf8(raw, exc), "error"))
            continue
        if not line.strip():
            continue
        if end - line_start > MAX_LINE_BYTES:
            problems.append((number, f"line of {end - line_start:,} bytes, over the limit of "
                                     f"{MAX_LINE_BYTES:,}; not loaded", "error"))
            continue
        if nesting_depth(line) > MAX_DEPTH:
            problems.append((number, f"JSON nested deeper than {MAX_DEPTH} levels (a document is one "
                                     "object of text fields); not loaded", "error"))
            continue
        try:
            fields = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append((number, f"not JSON: {exc.msg} at column {exc.colno}", "error"))
            continue
        except RecursionError:  # cannot happen below MAX_DEPTH; never a crash should it
            problems.append((number, "JSON nested too deeply; not loaded", "error"))
            continue
        record, found = document_record(fields, label, path.name, number, markdown=False)
        problems.extend(found)
        if record is not None:
            records.append((record, number))
            if digests is not None and not found:
                digests.append((number, digest, record.id))
    return records, problems


def file_stat(path: Path) -> os.stat_result:
    """The stat a file mark is checked against (taken before the file is read)."""
    return os.stat(path)


def _signature(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]


def file_mark(stat: os.stat_result, lines: list[tuple[int, str]]) -> dict | None:
    """What lets a later load skip an unchanged file without reading it: the record rules, the file's
    stat (size, mtime, ctime, inode) and its records' (line, digest); None when the file changed too
    recently for its stat to be trusted (see SETTLED_NS)."""
    if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) < SETTLED_NS:
        return None
    return {"rules": RECORD_RULES, "stat": _signature(stat), "lines": [[line, digest] for line, digest in lines]}


def unchanged_file(path: Path, mark, known: Mapping[str, str]) -> list[tuple[str, str, int]] | None:
    """(digest, record id, line) of every record of a file whose `mark` still holds (same rules, same
    stat, every digest known), without reading it; None when the file must be read."""
    if not isinstance(mark, dict) or mark.get("rules") != RECORD_RULES or not isinstance(mark.get("lines"), list):
        return None
    try:
        if mark.get("stat") != _signature(file_stat(path)):
            return None
        entries = []
        for line, digest in mark["lines"]:
            doc_id = known.get(digest)
            if doc_id is None or not isinstance(line, int):
                return None
            entries.append((digest, doc_id, line))
    except (OSError, TypeError, ValueError):
        return None
    return entries
