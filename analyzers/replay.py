"""An analyzer wrapper that analyses each indexed text once, even when Whoosh asks twice.

Whoosh's writer runs a field's analyzer once for the postings and again for the term vector
(``fields.TEXT(vector=...)``). ``ReplayLastAnalyzer(inner)`` records the token stream of the last
text it analysed in index mode (text, position, start/end character, boost, stopped) and
replays it when the very same text is asked for again with the same options. Query-mode calls
pass straight through. Picklable (the recording is not pickled), so it can sit in a schema.
"""
from __future__ import annotations

from typing import Iterator

from whoosh.analysis import Analyzer, Token

_OPTIONS = ("removestops", "start_pos", "start_char", "tokenize")


class ReplayLastAnalyzer(Analyzer):
    """`inner`, with the index-mode token stream of the last text replayed on a repeat call."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self._last = None  # (text, options, tokens)

    def __getstate__(self):
        return {"inner": self.inner}

    def __setstate__(self, state):
        self.inner = state["inner"]
        self._last = None

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.inner == other.inner

    def __hash__(self):
        return id(self.inner)

    def has_morph(self) -> bool:
        return self.inner.has_morph() if hasattr(self.inner, "has_morph") else False

    def __call__(self, value, positions: bool = False, chars: bool = False, boosts: bool = False,
                 mode: str = "", **kwargs) -> Iterator[Token]:
        if mode != "index" or not isinstance(value, str) or kwargs.get("keeporiginal"):
            return self.inner(value, positions=positions, chars=chars, boosts=boosts, mode=mode, **kwargs)
        options = tuple(kwargs.get(name) for name in _OPTIONS)
        last = self._last
        if last is not None and last[0] is value and last[1] == options:
            recorded = last[2]
        else:
            recorded = [(t.text, t.pos, t.startchar, t.endchar, t.boost, t.stopped)
                        for t in self.inner(value, positions=True, chars=True, boosts=True,
                                            mode=mode, **kwargs)]
            self._last = (value, options, recorded)
        return _replay(recorded, positions, chars, boosts, mode, kwargs.get("removestops", True))


def _replay(recorded, positions, chars, boosts, mode, removestops) -> Iterator[Token]:
    t = Token(positions, chars, boosts=boosts, removestops=removestops, mode=mode)
    for text, pos, start, end, boost, stopped in recorded:
        t.text, t.boost, t.stopped = text, boost, stopped
        if positions:
            t.pos = pos
        if chars:
            t.startchar, t.endchar = start, end
        yield t
