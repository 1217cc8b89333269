"""The sources manifest (`<corpus>/sources.toml`): for each source file its organisation, page kind and parser."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem

MANIFEST_NAME = "sources.toml"
_REQUIRED = ("file", "organisation", "kind", "parser", "id_prefix")


@dataclass(frozen=True)
class SourceEntry:
    file: str
    organisation: str
    kind: str  # what the page is: "listing" or "report"
    parser: str  # a name from reading.parsers.PARSERS
    id_prefix: str
    page: str = ""  # the page's own name, e.g. "Statements"
    line: int = 1  # where the entry starts in the manifest
    url: str | None = None
    # For a report whose text has no title page: a phrase of the text to use as its supplied title.
    title_from_text: str | None = None


def _entry_lines(text: str) -> list[int]:
    return [number for number, line in enumerate(text.splitlines(), 1) if re.match(r"\s*\[\[\s*source\s*\]\]", line)]


def read_manifest(path: Path, label: str) -> tuple[list[SourceEntry], list[Problem]]:
    """Entries of the manifest at `path`; problems are reported against `label`, never raised."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], [Problem(label, 1, f"manifest is not valid UTF-8 ({exc.reason} at byte {exc.start})")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        return [], [Problem(label, int(match.group(1)) if match else 1, f"manifest is not valid TOML: {exc}")]
    tables = data.get("source", [])
    if not isinstance(tables, list):
        return [], [Problem(label, 1, "manifest: 'source' must be an array of tables ([[source]])")]
    lines = _entry_lines(text)
    entries: list[SourceEntry] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, table in enumerate(tables):
        line = lines[index] if index < len(lines) else 1
        missing = [key for key in _REQUIRED if not isinstance(table.get(key), str) or not table[key].strip()]
        if missing:
            problems.append(Problem(label, line, f"manifest entry lacks {', '.join(missing)}"))
            continue
        if table["file"] in seen:
            problems.append(Problem(label, line, f"manifest lists {table['file']} twice (first at line {seen[table['file']]})"))
            continue
        seen[table["file"]] = line
        entries.append(
            SourceEntry(
                file=table["file"], organisation=table["organisation"], kind=table["kind"],
                parser=table["parser"], id_prefix=table["id_prefix"], page=table.get("page", ""),
                line=line, url=table.get("url"), title_from_text=table.get("title_from_text"),
            )
        )
    return entries, problems
