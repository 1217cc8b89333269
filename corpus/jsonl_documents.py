"""`documents/*.jsonl`: one JSON object per line, each a document."""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from pathlib import Path

from .documents import document_record
from .model import Record


# Bump when the same line would now make a different Record (validation, normalisation, derived
# fields): line digests remembered by an index (indexer.build) then no longer match, and every
# line is read again.
RECORD_RULES = "1"
_BOM = b"\xef\xbb\xbf"
# A file whose modification or status change is more recent than this when it is read gets no mark:
# a change within the file system's timestamp granularity right after the read would keep its stat.
SETTLED_NS = 3_000_000_000


def _digest_prefix(label: str) -> "hashlib._Hash":
    return hashlib.sha256(f"raw-sha256\n{RECORD_RULES}\n{label}\n".encode("utf-8"))


def _digest(prefix, number: int, raw: bytes) -> str:
    h = prefix.copy()
    h.update(b"%d\n" % number)
    h.update(raw)
    return h.hexdigest()[:32]


def line_digest(label: str, number: int, raw: bytes) -> str:
    """What a JSON Lines record is made from: its file and line number (a missing id is derived from
    both) and the line's bytes (without the newline; after a leading BOM on line 1), with the record
    rules' version."""
    return _digest(_digest_prefix(label), number, raw)


def _invalid_utf8(raw: bytes, exc: UnicodeDecodeError) -> str:
    return f"invalid UTF-8: byte 0x{raw[exc.start]:02x} at column {exc.start + 1}"


def read_jsonl(path: Path, label: str, known: Mapping[str, str] | None = None,
               digests: dict[str, tuple[str, int]] | None = None):
    """(record, line) pairs and (line, message, severity) problems; a bad line never stops the rest.

    `known`: line digest -> record id of lines read before (see line_digest); such a line is not
    decoded nor parsed again. `digests`, when given, is filled with digest -> (record id, line) for
    every record of the file, parsed or known, except records whose line had a problem (they are
    read again next time, so their problems are reported again)."""
    data = path.read_bytes()
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    prefix = _digest_prefix(label) if known is not None or digests is not None else None
    problems: list[tuple[int, str, str]] = []
    records: list[tuple[Record, int]] = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        if not raw or raw.isspace():
            continue
        digest = _digest(prefix, number, raw) if prefix is not None else None
        if known is not None and digest in known:
            if digests is not None:
                digests[digest] = (known[digest], number)
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append((number, _invalid_utf8(raw, exc), "error"))
            continue
        if not line.strip():
            continue
        try:
            fields = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append((number, f"not JSON: {exc.msg} at column {exc.colno}", "error"))
            continue
        record, found = document_record(fields, label, path.name, number, markdown=False)
        problems.extend(found)
        if record is not None:
            records.append((record, number))
            if digests is not None and not found:
                digests[digest] = (record.id, number)
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
