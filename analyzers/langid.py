"""Language of a text: Khmer by script share, other languages by langdetect (deterministic)."""
from __future__ import annotations

import re
from functools import lru_cache

_KHMER_LETTER_RE = re.compile(r"[\u1780-\u17b3]")
_LATIN_LETTER_RE = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")
_LETTER_RE = re.compile(r"[^\W\d_]")
_KHMER_TEXT_RE = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]+")

KHMER_MAJORITY = 0.8    # Khmer share of letters from which a text is plain Khmer
SUBSTANTIAL_SHARE = 0.2  # share of letters from which a script counts in a "mixed" text


@lru_cache(maxsize=1)
def _detector_factory():
    from langdetect import DetectorFactory

    DetectorFactory.seed = 0
    return DetectorFactory


def _langdetect(text: str) -> str:
    _detector_factory()
    from langdetect import detect
    from langdetect.lang_detect_exception import LangDetectException

    try:
        return detect(text)
    except LangDetectException:
        return "und"


def detect_language(text: str) -> str:
    """``km``, ``mixed`` (Khmer and Latin both substantial), a langdetect code such as ``en``,
    or ``und`` (no letters, or not identifiable). Never raises."""
    if not isinstance(text, str):
        return "und"
    letters = len(_LETTER_RE.findall(text))
    if not letters:
        return "und"
    khmer = len(_KHMER_LETTER_RE.findall(text))
    latin = len(_LATIN_LETTER_RE.findall(text))
    khmer_share, latin_share = khmer / letters, latin / letters
    if khmer_share >= SUBSTANTIAL_SHARE and latin_share >= SUBSTANTIAL_SHARE:
        return "mixed"
    if khmer_share >= 0.5 or (khmer and khmer_share >= KHMER_MAJORITY):
        return "km"
    try:
        return _langdetect(_KHMER_TEXT_RE.sub(" ", text))
    except Exception:  # langdetect has failed on odd input before; a language guess must not crash
        return "und"
