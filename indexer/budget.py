"""A time budget per request: past it, the optional work of an answer is skipped or made cheap.

`SearchService` gives each search a `Budget`. The matching, counting and ordering of results always
run (they are the answer); what is spent after them is optional: match highlighting in snippets
(past the budget a snippet is the start of the body, unmarked) and "Did you mean" (skipped). The
result's `degraded` field lists what was cut, so a client can tell a cheap answer from a full one.
"""
from __future__ import annotations

import time

SEARCH_BUDGET_SECONDS = 1.5  # per search: after it, snippets are not highlighted and no suggestion is made


class Budget:
    """`seconds` from now; `expired()` says whether they have run out, `cut(part)` records a skip."""

    def __init__(self, seconds: float | None, clock=time.perf_counter):
        self.clock = clock
        self.deadline = None if seconds is None else clock() + seconds
        self.degraded: list[str] = []

    def expired(self) -> bool:
        return self.deadline is not None and self.clock() >= self.deadline

    def cut(self, part: str) -> None:
        """Record that `part` of the answer was skipped or made cheap (once per part)."""
        if part not in self.degraded:
            self.degraded.append(part)
