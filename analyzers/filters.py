"""Script-aware stop-word filter (English words for Latin tokens, particles for Khmer)."""
from __future__ import annotations

from typing import Iterable, Iterator

from whoosh.analysis import Filter, Token

from analyzers.stopwords import ENGLISH_STOP_WORDS, KHMER_STOP_WORDS

_STOP_WORDS = {"latin": ENGLISH_STOP_WORDS, "khmer": KHMER_STOP_WORDS}


class ScriptStopFilter(Filter):
    """Removes (or, with ``removestops=False``, marks) stop words of the token's own script.

    Acronyms (all capitals, e.g. "US", "IT") are never stop words. With ``renumber`` the
    positions of kept tokens close the gaps left by removed ones, so phrases still match;
    tokens sharing a position (a hyphenated word and its first part) keep sharing it."""

    def __init__(self, renumber: bool = True) -> None:
        self.renumber = renumber

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        renumber = self.renumber
        last_in = None   # input position of the last kept token
        out = None       # output position given to it
        for t in tokens:
            stops = _STOP_WORDS.get(getattr(t, "script", ""))
            if stops and t.text in stops and not getattr(t, "acronym", False):
                if not t.removestops:
                    t.stopped = True
                    yield t
                continue
            t.stopped = False
            if renumber and t.positions and t.removestops:
                if out is None:
                    out = t.pos
                elif t.pos != last_in:
                    out += 1
                last_in = t.pos
                t.pos = out
            yield t
