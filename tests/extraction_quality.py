"""Character and word error rates of an extraction against its ground truth (`<name>.truth.txt`).

Khmer CER is counted over Khmer code points only (U+1780-U+17FF), English WER over Latin-script
words, each by edit distance over the reading order, so that one script's errors never hide
behind the other's text."""
from __future__ import annotations

import re
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extraction"
_KHMER = re.compile("[\u1780-\u17ff]")
_LATIN_WORD = re.compile(r"[A-Za-z0-9À-ɏ’'.,;:!?%€“”()\-]+")


def edit_distance(a, b) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def khmer_cer(found: str, truth: str) -> float:
    t, f = _KHMER.findall(truth), _KHMER.findall(found)
    return edit_distance(f, t) / max(1, len(t))


def english_wer(found: str, truth: str) -> float:
    t = [w for w in _LATIN_WORD.findall(truth) if re.search("[A-Za-z]", w)]
    f = [w for w in _LATIN_WORD.findall(found) if re.search("[A-Za-z]", w)]
    return edit_distance(f, t) / max(1, len(t))


def truth_of(name: str) -> str:
    return (FIXTURES / f"{name}.truth.txt").read_text(encoding="utf-8")
