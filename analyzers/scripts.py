"""Split text into script runs (Khmer, numbers, Thai, other words) with their offsets."""
from __future__ import annotations

import re
import unicodedata
from typing import Iterator, NamedTuple

from analyzers.khmer import BASES, INVISIBLE, MARKS

# A letter or digit of any script except Khmer and Thai (which have runs of their own).
_ALNUM = r"[^\W_\u0e00-\u0e7f\u1780-\u17ff\u19e0-\u19ff]"
_APOSTROPHES = "'\u2019\u02bc"
_HYPHENS = "\\-\u2010\u2011"
_VISIBLE_MARKS = MARKS.replace(INVISIBLE, "")

_RUN_RE = re.compile(
    rf"(?P<khmer>[{BASES}{_VISIBLE_MARKS}][{BASES}{MARKS}]*)"
    rf"|(?P<number>\d(?:\d|[.,](?=\d))*)(?!{_ALNUM})"
    r"|(?P<thai>[\u0e01-\u0e4f\u0e5a-\u0e7f]+)"
    # invisible characters inside a word are part of it, also on both sides of its hyphen (pre-trial)
    rf"|(?P<word>{_ALNUM}(?:{_ALNUM}|[{INVISIBLE}]+(?=(?:[{_APOSTROPHES}{_HYPHENS}][{INVISIBLE}]*)?{_ALNUM})"
    rf"|[{_APOSTROPHES}{_HYPHENS}](?=[{INVISIBLE}]*{_ALNUM}))*)"
)
_KHMER_RUN_RE = re.compile(rf"[{BASES}{_VISIBLE_MARKS}][{BASES}{MARKS}]*")
_HYPHEN_RE = re.compile(f"[{_HYPHENS}]")
_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
_HYPHEN_OR_INVISIBLE_RE = re.compile(f"[{_HYPHENS}{INVISIBLE}]")
_NON_LATIN_LETTER_RE = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f\u1e00-\u1eff]")


class Run(NamedTuple):
    """A maximal stretch of one kind of text: kind is khmer, number, thai or word."""

    kind: str
    start: int
    end: int


def runs(text: str) -> Iterator[Run]:
    """The script runs of ``text`` in order; separators (spaces, punctuation, ZWSP) are skipped."""
    for match in _RUN_RE.finditer(text):
        yield Run(match.lastgroup, match.start(), match.end())


def run_texts(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of the runs of ``text``: the spans of runs(), in one list (for callers
    that look every run's text up, e.g. indexer.bulk_analysis)."""
    return [(m.start(), m.end(), m.group()) for m in _RUN_RE.finditer(text)]


def khmer_runs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the Khmer runs of ``text``: the same spans as the ``khmer`` runs of runs(),
    without visiting the other words (no other kind of run can hold a Khmer letter or mark)."""
    for match in _KHMER_RUN_RE.finditer(text):
        yield match.start(), match.end()


def ascii_number(text: str) -> str:
    """Digits of any script as ASCII; thousands commas dropped, decimal points kept."""
    out = []
    for ch in text:
        if ch == ",":
            continue
        out.append(ch if ch == "." else str(unicodedata.decimal(ch, 0)))
    return "".join(out)


class WordPart(NamedTuple):
    text: str
    start: int
    end: int
    script: str  # latin, number or other


def _classify(text: str) -> str:
    if text.isdigit():
        return "number"
    return "other" if _NON_LATIN_LETTER_RE.search(text) else "latin"


def word_parts(text: str, start: int, end: int) -> list[WordPart]:
    """A word run cut at its hyphens: one part per piece, invisible characters removed."""
    if not _HYPHEN_OR_INVISIBLE_RE.search(text, start, end):  # the usual case: one plain piece
        piece = text[start:end]
        script = _classify(piece)
        return [WordPart(ascii_number(piece) if script == "number" else piece, start, end, script)]
    parts = []
    piece_start = start
    for cut in [m.start() for m in _HYPHEN_RE.finditer(text, start, end)] + [end]:
        piece = _INVISIBLE_RE.sub("", text[piece_start:cut])
        script = _classify(piece)
        parts.append(WordPart(ascii_number(piece) if script == "number" else piece, piece_start, cut, script))
        piece_start = cut + 1
    return parts
