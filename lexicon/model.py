"""The lexicon's data types: one Entry per line of the data file; a check reports reading.problems.Problem."""
from __future__ import annotations

from dataclasses import dataclass, field

from reading.problems import Problem  # noqa: F401  (re-exported: lexicon problems print as file:line: message too)

KINDS = ("term", "place", "organisation", "person")
CONFIDENCES = ("high", "medium")


@dataclass(frozen=True)
class Entry:
    """One lexicon line: English and Khmer forms of one thing (the first of each is the one shown)."""

    kind: str
    english: tuple[str, ...]
    khmer: tuple[str, ...]
    confidence: str = "high"
    note: str = ""
    file: str = ""
    line: int = 0

    @property
    def label(self) -> str:
        return f"{self.english[0]} = {self.khmer[0]}"



@dataclass
class LexiconLoad:
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
