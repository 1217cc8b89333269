"""Character and word error rates of an extraction against its ground truth (`<name>.truth.txt`),
by the one definition `bench.text_error` gives (the figures docs/extraction.md reports): Khmer CER
over Khmer code points only, English WER over lower-cased words, each by edit distance in reading
order, so that one script's errors never hide behind the other's text."""
from __future__ import annotations

from pathlib import Path

from bench import text_error

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extraction"


def khmer_cer(found: str, truth: str) -> float:
    return text_error.khmer_cer(truth, found)


def english_wer(found: str, truth: str) -> float:
    return text_error.english_wer(truth, found)


def truth_of(name: str) -> str:
    return (FIXTURES / f"{name}.truth.txt").read_text(encoding="utf-8")
