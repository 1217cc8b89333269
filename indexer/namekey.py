"""Phonetic keys for romanized Khmer names, so that spelling variants of one name share a key.

The rule (general, not a list of names): lower-case ASCII letters only; `h` after a consonant is
dropped (kh/ch/th/ph/chh), doubled letters are collapsed, each run of vowels becomes one class
(o if it holds o or u; a and/or e otherwise, see name_keys), `w` is `v`, a final `h` is dropped.
So Keoraksmey/Keoreaksmey, Chhin/Chin, Pheap/Phiap, Sokun/Sokoun share a key.
A name written as one word or as two is matched by also keying adjacent word pairs joined.
"""
from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

_VOWELS = set("aeiouy")
_LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+")
MIN_KEY_LEN = 3


MAX_VARIANTS = 8


@lru_cache(maxsize=1 << 16)
def name_keys(word: str) -> frozenset[str]:
    """The phonetic keys of one romanized word (empty when it has no Latin letters).

    A vowel run holding both a and e/i/y (ea, ia, ay...) is ambiguous and yields both classes,
    so "ea" meets "a" (Keoreaksmey/Keoraksmey) and "e" (Pheap/Phep); hence a set of keys.
    """
    latin = "".join(_LATIN_WORD.findall(word))  # other scripts (Khmer...) have no key
    s = re.sub(r"[^a-z]", "", unidecode(latin).lower())
    if not s:
        return frozenset()
    keys = [""]
    i = 0
    while i < len(s):
        c = s[i]
        if c in _VOWELS and not (c == "y" and i == 0):
            j = i
            while j < len(s) and s[j] in _VOWELS:
                j += 1
            classes = _vowel_classes(s[i:j])
            keys = [k if k.endswith(cls) else k + cls for k in keys for cls in classes][:MAX_VARIANTS]
            i = j
            continue
        if c == "h" and i > 0 and s[i - 1] not in _VOWELS:
            i += 1  # h after a consonant: kh, ch, th, ph, chh
            continue
        if c == "w":
            c = "v"
        keys = [k if k.endswith(c) else k + c for k in keys]
        i += 1
    return frozenset(k[:-1] if len(k) > 1 and k.endswith("h") else k for k in keys)


def _vowel_classes(run: str) -> tuple[str, ...]:
    if "o" in run or "u" in run:
        return ("o",)
    has_a, has_e = "a" in run, any(v in run for v in "eiy")
    if has_a and has_e:
        return ("a", "e")
    return ("a",) if has_a else ("e",)


def name_key(word: str) -> str:
    """One representative key of `word` (the smallest of name_keys), '' when it has none."""
    keys = name_keys(word)
    return min(keys) if keys else ""


def same_name(a: str, b: str) -> bool:
    """True when two romanized spellings share a phonetic key."""
    return bool(name_keys(a) & name_keys(b))


def latin_words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of each run of Latin letters in `text`."""
    return [(m.group(), m.start(), m.end()) for m in _LATIN_WORD.finditer(text)]


def keys_for_text(text: str) -> list[str]:
    """Keys to index for `text`: each Latin word's key and each adjacent pair's joined key."""
    words = [w for w, _, _ in latin_words(text)]
    keys: list[str] = []
    for i, w in enumerate(words):
        keys.extend(sorted(k for k in name_keys(w) if len(k) >= MIN_KEY_LEN))
        if i + 1 < len(words):
            keys.extend(sorted(k for k in name_keys(w + words[i + 1]) if len(k) >= MIN_KEY_LEN))
    return keys
