"""Reads the lexicon data file (TSV, see the header of data/lexicon.tsv) into Entries.

Never raises on a bad file: every line it cannot read becomes a Problem (file:line: message).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lexicon.model import CONFIDENCES, KINDS, Entry, LexiconLoad, Problem

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "lexicon.tsv"
COLUMNS = ("kind", "english", "khmer", "confidence", "note")
FORM_SEPARATOR = ";"


def split_forms(cell: str) -> tuple[str, ...]:
    return tuple(form.strip() for form in cell.split(FORM_SEPARATOR) if form.strip())


def load_lexicon(path: Path | str | None = None) -> LexiconLoad:
    """Entries of the lexicon file at `path` (default: the shipped one) and the problems found."""
    path = Path(path) if path is not None else DEFAULT_PATH
    result = LexiconLoad()
    name = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        result.problems.append(Problem(name, 0, f"cannot read the lexicon: {exc.strerror or exc}"))
        return result
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        result.problems.append(Problem(name, line, f"not UTF-8 text (byte {exc.start})"))
        return result

    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            header_seen = True
            if tuple(c.strip() for c in cells) != COLUMNS:
                result.problems.append(Problem(
                    name, number, f"header must be the columns {' '.join(COLUMNS)} (tab-separated)"))
                return result
            continue
        if len(cells) != len(COLUMNS):
            result.problems.append(Problem(
                name, number, f"{len(cells)} tab-separated columns, expected {len(COLUMNS)}"))
            continue
        kind, english, khmer, confidence, note = (c.strip() for c in cells)
        errors = []
        if kind not in KINDS:
            errors.append(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
        if not split_forms(english):
            errors.append("no English form")
        if not split_forms(khmer):
            errors.append("no Khmer form")
        if confidence not in CONFIDENCES:
            errors.append(f"unknown confidence {confidence!r} (one of {', '.join(CONFIDENCES)})")
        if errors:
            result.problems.extend(Problem(name, number, e) for e in errors)
            continue
        result.entries.append(Entry(kind, split_forms(english), split_forms(khmer), confidence, note,
                                    name, number))
    if not header_seen:
        result.problems.append(Problem(name, 1, "empty lexicon: no header line"))
    return result


@lru_cache(maxsize=4)
def shipped_entries() -> tuple[Entry, ...]:
    """The entries of the shipped lexicon, loaded once (lines with problems are left out)."""
    return tuple(load_lexicon(DEFAULT_PATH).entries)
