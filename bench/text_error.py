"""Error rates of extracted text against its ground truth.

Khmer CER: Levenshtein distance between the Khmer characters (U+1780-U+17FF, U+19E0-U+19FF) of
the two texts after NFC, whitespace and everything non-Khmer removed, divided by the truth's
length. English WER: Levenshtein distance over lower-cased words (runs of ASCII letters, runs of
digits), divided by the truth's word count. Both are 0.0 when the truth has nothing to measure.
"""
from __future__ import annotations

import re
import unicodedata

from lexicon.name_match import edit_distance as levenshtein  # any two sequences (characters, words)

_KHMER = re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]")
_WORD = re.compile(r"[a-z]+|[0-9]+")


def khmer_chars(text: str) -> str:
    return "".join(_KHMER.findall(unicodedata.normalize("NFC", text)))


def english_words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def khmer_cer(truth: str, got: str) -> float:
    t = khmer_chars(truth)
    return levenshtein(t, khmer_chars(got)) / len(t) if t else 0.0


def english_wer(truth: str, got: str) -> float:
    t = english_words(truth)
    return levenshtein(t, english_words(got)) / len(t) if t else 0.0


def leaked_running(running: list[str], paragraphs: list[str]) -> list[str]:
    """The running headers/footers/page numbers (`<name>.running.txt` lines) found in the body:
    a short one (a page number) when a paragraph is nothing else, a longer one anywhere."""
    flat = [re.sub(r"\s+", "", unicodedata.normalize("NFC", p)) for p in paragraphs]
    leaks = []
    for r in running:
        key = re.sub(r"\s+", "", unicodedata.normalize("NFC", r))
        if not key:
            continue
        if len(key) <= 4:
            if any(p == key for p in flat):
                leaks.append(r)
        elif any(key in p for p in flat):
            leaks.append(r)
    return leaks
