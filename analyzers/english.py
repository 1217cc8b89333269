"""English filters: accent/quote folding, possessives, Snowball stemming (Latin tokens only)."""
from __future__ import annotations

import re
from functools import lru_cache

from analyzers.cache import short_text_cache
from typing import Iterable, Iterator

from whoosh.analysis import Filter, Token

_NOT_ALNUM_RE = re.compile(r"[^a-z0-9]")


@short_text_cache(maxsize=100_000, max_chars=40)  # longer "words" are computed, not kept
def fold_english(word: str) -> str:
    """ASCII-fold, lowercase, drop possessive 's and apostrophes: "Cambodia’s" -> "cambodia"."""
    from unidecode import unidecode

    text = unidecode(word).lower()
    if text.endswith("'s"):
        text = text[:-2]
    elif text.endswith("s'"):
        text = text[:-1]
    return _NOT_ALNUM_RE.sub("", text)


@lru_cache(maxsize=1)
def _stemmer(language: str):
    import Stemmer

    return Stemmer.Stemmer(language)


@short_text_cache(maxsize=100_000, max_chars=40)
def stem(word: str, language: str = "english") -> str:
    """Snowball stem of a folded word ("arrested" and "arrests" -> "arrest")."""
    return _stemmer(language).stemWord(word)


class LatinFoldFilter(Filter):
    """Folds Latin tokens with :func:`fold_english` (dropping those left empty), lowercases
    other-script words, and marks all-capital words as ``token.acronym``."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            script = getattr(t, "script", "latin")
            text = t.text
            t.acronym = len(text) > 1 and text.isupper()
            if script == "latin":
                text = fold_english(text)
                if not text:
                    continue
                t.text = text
            elif script in ("other", "thai"):
                t.text = text.lower()
            yield t


class SnowballFilter(Filter):
    """Snowball-stems Latin tokens; other scripts and numbers pass unchanged."""

    is_morph = True

    def __init__(self, language: str = "english") -> None:
        self.language = language

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        language = self.language
        for t in tokens:
            if getattr(t, "script", "latin") == "latin" and not t.stopped:
                t.text = stem(t.text, language)
            yield t
