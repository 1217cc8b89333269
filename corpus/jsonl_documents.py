"""`documents/*.jsonl`: one JSON object per line, each a document."""
from __future__ import annotations

import json
from pathlib import Path

from .documents import document_record
from .encoding import decode_lines
from .model import Record


def read_jsonl(path: Path, label: str) -> tuple[list[tuple[Record, int]], list[tuple[int, str, str]]]:
    """(record, line) pairs and (line, message, severity) problems; a bad line never stops the rest."""
    text, bad_lines = decode_lines(path.read_bytes())
    problems: list[tuple[int, str, str]] = [(line, message, "error") for line, message in bad_lines]
    skip = {line for line, _ in bad_lines}
    records: list[tuple[Record, int]] = []
    for number, line in enumerate(text.split("\n"), 1):
        if number in skip or not line.strip():
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
    return records, problems
