"""A problem found while loading the corpus, reported as `file:line: message`."""
from __future__ import annotations

from dataclasses import dataclass

# What is printed of a long problem list (the list itself is kept whole): a file with a million
# bad lines must not print a million lines.
PROBLEMS_SHOWN_PER_FILE = 20
PROBLEMS_SHOWN = 200


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str
    severity: str = "error"  # error | warning
    # an error whose record was loaded anyway, the wrong optional field dropped or derived
    kept: bool = False

    def __str__(self) -> str:
        # line 0: the problem is the whole file (e.g. a PDF that cannot be read): `file: message`
        return f"{self.file}:{self.line}: {self.message}" if self.line > 0 else f"{self.file}: {self.message}"


def capped(problems, prefix: str = "", per_file: int = PROBLEMS_SHOWN_PER_FILE, total: int = PROBLEMS_SHOWN):
    """The lines to print for `problems`: at most `per_file` of each file and `total` in all, then
    one line per file saying how many more it had, and one for the files not shown at all."""
    shown: dict[str, int] = {}
    hidden: dict[str, int] = {}
    lines = []
    for problem in problems:
        name = getattr(problem, "file", "")
        if shown.get(name, 0) < per_file and len(lines) < total:
            shown[name] = shown.get(name, 0) + 1
            lines.append(f"{prefix}{problem}")
        else:
            hidden[name] = hidden.get(name, 0) + 1
    late = 0
    for name, count in hidden.items():
        if name in shown:
            lines.append(f"{prefix}{name}: {count} more problem(s) not shown")
        else:
            late += count
    if late:
        files = sum(1 for name in hidden if name not in shown)
        lines.append(f"{prefix}{late} more problem(s) in {files} more file(s) not shown")
    return lines
