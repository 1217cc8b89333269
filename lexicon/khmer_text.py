"""Small Khmer-text helpers the lexicon needs: normalisation (the analyzers' one when present),
script tests, and orthographic-syllable starts (where a Khmer lexicon form may begin or end)."""
from __future__ import annotations

import re
import unicodedata

KHMER_LETTER = re.compile(r"[\u1780-\u17dd\u19e0-\u19ff]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CONSONANT_OR_INDEPENDENT = re.compile(r"[\u1780-\u17b3]")
_COENG = "\u17d2"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"))


def normalize(text: str) -> str:
    """Khmer text in canonical form: `analyzers.khmer.normalize` if it exists, else NFC without
    zero-width characters."""
    try:
        from analyzers.khmer import normalize as analyzers_normalize
    except ImportError:
        analyzers_normalize = None
    if analyzers_normalize is not None:
        return analyzers_normalize(text)
    return unicodedata.normalize("NFC", text).translate(_INVISIBLE)


def has_khmer(text: str) -> bool:
    return bool(KHMER_LETTER.search(text))


def has_latin(text: str) -> bool:
    return bool(LATIN_LETTER.search(text))


def syllable_starts(text: str) -> set[int]:
    """Offsets where a Khmer orthographic syllable starts (a base letter not after a coeng),
    plus every offset where a non-Khmer character starts or a run ends."""
    starts = {0, len(text)}
    for i, ch in enumerate(text):
        if _CONSONANT_OR_INDEPENDENT.match(ch):
            if not (i > 0 and text[i - 1] == _COENG):
                starts.add(i)
        elif not KHMER_LETTER.match(ch):
            starts.add(i)
            starts.add(i + 1)
    return starts
