"""Phonetic keys for romanized Khmer names, so that spelling variants of one name share a key.

The rule (general, not a list of names): lower-case ASCII letters only; `h` after a consonant is
dropped (kh/ch/th/ph/chh), doubled letters are collapsed, each run of vowels becomes one class
(o if it holds o or u, e if it holds e, i or y, else a), `w` is `v`, a final `h` is dropped.
So Keoraksmey/Keoreaksmey, Chhin/Chin, Sokuntheara/Sokunthea..., Phuon/Puon share keys.
A name written as one word or as two is matched by also keying adjacent word pairs joined.
"""
from __future__ import annotations

import re

from unidecode import unidecode

_VOWELS = set("aeiouy")
_LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+")
MIN_KEY_LEN = 3


def name_key(word: str) -> str:
    """The phonetic key of one romanized word ('' when it has no Latin letters)."""
    s = re.sub(r"[^a-z]", "", unidecode(word).lower())
    if not s:
        return ""
    out: list[str] = []
    i = 0
    while i < len(s):
        c = s[i]
        if c in _VOWELS and not (c == "y" and i == 0):
            j = i
            while j < len(s) and s[j] in _VOWELS:
                j += 1
            run = s[i:j]
            cls = "o" if ("o" in run or "u" in run) else "e" if any(v in run for v in "eiy") else "a"
            if not out or out[-1] != cls:
                out.append(cls)
            i = j
            continue
        if c == "h" and out and out[-1] not in "aeo":
            i += 1  # h after a consonant: kh, ch, th, ph, chh
            continue
        if c == "w":
            c = "v"
        if not out or out[-1] != c:
            out.append(c)
        i += 1
    key = "".join(out)
    if len(key) > 1 and key.endswith("h"):
        key = key[:-1]
    return key


def latin_words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of each run of Latin letters in `text`."""
    return [(m.group(), m.start(), m.end()) for m in _LATIN_WORD.finditer(text)]


def keys_for_text(text: str) -> list[str]:
    """Keys to index for `text`: each Latin word's key and each adjacent pair's joined key."""
    words = [w for w, _, _ in latin_words(text)]
    keys = []
    for i, w in enumerate(words):
        k = name_key(w)
        if len(k) >= MIN_KEY_LEN:
            keys.append(k)
        if i + 1 < len(words):
            pair = name_key(w + words[i + 1])
            if len(pair) >= MIN_KEY_LEN:
                keys.append(pair)
    return keys
