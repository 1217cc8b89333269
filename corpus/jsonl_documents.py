"""`documents/*.jsonl`: one JSON object per line, each a document."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from .documents import document_record
from .encoding import decode_lines
from .model import Record


# Bump when the same line would now make a different Record (validation, normalisation, derived
# fields): line digests remembered by an index (indexer.build) then no longer match, and every
# line is read again.
RECORD_RULES = "1"


def line_digest(label: str, number: int, line: str) -> str:
    """What a JSON Lines record is made from: its file and line number (a missing id is derived from
    both) and the line's text, with the record rules' version."""
    return hashlib.blake2b(f"{RECORD_RULES}\n{label}\n{number}\n{line}".encode("utf-8"),
                           digest_size=16).hexdigest()


def read_jsonl(path: Path, label: str, known: Mapping[str, str] | None = None,
               digests: dict[str, tuple[str, int]] | None = None):
    """(record, line) pairs and (line, message, severity) problems; a bad line never stops the rest.

    `known`: line digest -> record id of lines read before (see line_digest); such a line is not
    parsed again. `digests`, when given, is filled with digest -> (record id, line) for every record
    of the file, parsed or known."""
    text, bad_lines = decode_lines(path.read_bytes())
    problems: list[tuple[int, str, str]] = [(line, message, "error") for line, message in bad_lines]
    skip = {line for line, _ in bad_lines}
    records: list[tuple[Record, int]] = []
    for number, line in enumerate(text.split("\n"), 1):
        if number in skip or not line.strip():
            continue
        digest = line_digest(label, number, line) if known is not None or digests is not None else None
        if known is not None and digest in known:
            if digests is not None:
                digests[digest] = (known[digest], number)
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
            if digests is not None:
                digests[digest] = (record.id, number)
    return records, problems
