"""`documents/*.md`: a front matter block (`---` lines around `key: value` fields), then the body."""
from __future__ import annotations

import re
from pathlib import Path

from .documents import FIELDS, document_record
from .encoding import decode_lines
from .model import Record

# A front matter holds a few `key: value` lines: one not closed within MAX_FRONT_MATTER_LINES lines,
# or with a line over MAX_FIELD_CHARS, is refused (one problem) instead of read to the end.
MAX_FRONT_MATTER_LINES = 200
MAX_FIELD_CHARS = 100_000
_FIELD = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:\s*(?P<value>.*)$")


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def parse_front_matter(text: str) -> tuple[dict[str, str], dict[str, int], str, int, list[tuple[int, str, str]]]:
    """(fields, line of each field, body, first body line, problems)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, {}, text, 1, [(1, "no front matter: the file must start with a '---' line", "error")]
    fields: dict[str, str] = {}
    field_lines: dict[str, int] = {}
    problems: list[tuple[int, str, str]] = []
    for index in range(1, len(lines)):
        line = lines[index]
        if line.strip() == "---":
            return fields, field_lines, "\n".join(lines[index + 1:]), index + 2, problems
        if index > MAX_FRONT_MATTER_LINES:
            return {}, {}, "", 1, [(1, f"front matter is not closed by a '---' line within "
                                       f"{MAX_FRONT_MATTER_LINES} lines", "error")] + problems
        if len(line) > MAX_FIELD_CHARS:
            problems.append((index + 1, f"front matter line of {len(line):,} characters, over the limit "
                                        f"of {MAX_FIELD_CHARS:,}", "error"))
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _FIELD.match(line)
        if not match:
            problems.append((index + 1, f"front matter line is not 'key: value': {line.strip()!r}", "error"))
            continue
        key = match["key"].lower()
        if key in fields:
            problems.append((index + 1, f"field {key!r} given twice (first at line {field_lines[key]})", "error"))
            continue
        fields[key], field_lines[key] = _unquote(match["value"]), index + 1
    return {}, {}, "", 1, [(1, "front matter is not closed by a '---' line", "error")]


def _strip_markup(body: str) -> str:
    """Headings lose their '#' marks and stand as their own paragraphs."""
    out = []
    for line in body.split("\n"):
        heading = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        out.append(f"\n{heading.group(1)}\n" if heading else line)
    return "\n".join(out)


def read_markdown(path: Path, label: str) -> tuple[list[tuple[Record, int]], list[tuple[int, str, str]]]:
    text, bad_lines = decode_lines(path.read_bytes())
    problems: list[tuple[int, str, str]] = [(line, message, "error") for line, message in bad_lines]
    if bad_lines:
        return [], problems
    fields, field_lines, body, body_line, found = parse_front_matter(text)
    problems.extend(found)
    if any(severity == "error" for _, _, severity in found):
        return [], problems
    if "body" in fields:
        problems.append((field_lines["body"], "the body is the text after the front matter, not a field", "error"))
        return [], problems
    values = dict(fields)
    values["body"] = _strip_markup(body)
    record, found = document_record(values, label, path.name, 1, markdown=True,
                                    field_lines={**field_lines, "body": body_line})
    problems.extend(found)
    return ([(record, 1)] if record else []), problems


__all__ = ["read_markdown", "parse_front_matter", "FIELDS"]
