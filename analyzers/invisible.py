"""Invisible and compatibility characters in typed queries.

The analyzers already give the same tokens whether a text holds ZWSP, ZWNJ, ZWJ, word joiner,
BOM, soft hyphen or invisible separator or not (`analyzers.khmer.INVISIBLE`: dropped inside
Khmer syllables and inside words, never a word break), and treat the no-break spaces as spaces.
A query is cleaned the same way before it is parsed, so the query syntax too (field prefixes,
operators, quotes) reads as if they had not been typed: `strip_invisible` removes the invisible
characters and turns the no-break and other fixed-width spaces into plain spaces.
"""
from __future__ import annotations

import re

from analyzers.khmer import INVISIBLE

# Format characters that are invisible in text: the analyzers' list, plus the other invisible
# operators (function application, invisible times/plus), the Mongolian vowel separator and
# the left-to-right/right-to-left marks that copy-paste brings along.
INVISIBLE_IN_QUERIES = INVISIBLE + "\u2061\u2062\u2064\u180e\u200e\u200f"
# Spaces that are spaces to a reader: no-break, narrow no-break, figure space, ideographic.
SPACES = "\u00a0\u202f\u2007\u3000"

_INVISIBLE_RE = re.compile(f"[{INVISIBLE_IN_QUERIES}]")
_SPACES_RE = re.compile(f"[{SPACES}]")


def strip_invisible(text: str) -> str:
    """`text` without invisible characters, with no-break spaces as plain spaces."""
    if not text:
        return text
    return _SPACES_RE.sub(" ", _INVISIBLE_RE.sub("", text))
