"""Language of a record's text: Khmer by script share, other languages by langdetect (seeded)."""
from __future__ import annotations

import unicodedata

# Both scripts are "substantial" when each holds at least this share of the letters.
MIXED_SHARE = 0.2


def _script_counts(text: str) -> tuple[int, int, int]:
    khmer = latin = other = 0
    for char in text:
        if "\u1780" <= char <= "\u17ff" or "\u19e0" <= char <= "\u19ff":
            if unicodedata.category(char)[0] in "LM":
                khmer += 1
        elif char.isalpha():
            if char.isascii() or "LATIN" in unicodedata.name(char, ""):
                latin += 1
            else:
                other += 1
    return khmer, latin, other


def detect_language(text: str) -> str:
    """`km`, `mixed`, a langdetect code (`en`, `fr`...), or `und` when there is nothing to judge."""
    khmer, latin, other = _script_counts(text)
    letters = khmer + latin + other
    if letters == 0:
        return "und"
    if khmer / letters >= MIXED_SHARE and latin / letters >= MIXED_SHARE:
        return "mixed"
    if khmer > latin + other:
        return "km"
    non_khmer = "".join(c for c in text if not "\u1780" <= c <= "\u17ff")
    try:
        from langdetect import DetectorFactory, detect

        DetectorFactory.seed = 0
        return detect(non_khmer)
    except Exception:  # langdetect raises on text without features; never fail a load on it
        return "und"
