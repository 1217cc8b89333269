"""The analysis chains used by the index fields (Whoosh analyzers, picklable)."""
from __future__ import annotations

from whoosh.analysis.analyzers import CompositeAnalyzer

from analyzers.english import LatinFoldFilter, SnowballFilter
from analyzers.filters import ScriptStopFilter
from analyzers.tokenizers import ScriptTokenizer


def MixedAnalyzer(engine: str | None = None) -> CompositeAnalyzer:
    """Any mix of Khmer, English, numbers, Thai and other scripts: Khmer words normalised and
    segmented, English folded and Snowball-stemmed, stop words of each language removed."""
    return ScriptTokenizer(engine=engine) | LatinFoldFilter() | ScriptStopFilter() | SnowballFilter()


def EnglishAnalyzer() -> CompositeAnalyzer:
    """Latin-script (and other non-Khmer) words and numbers only; Khmer text is ignored."""
    return (ScriptTokenizer(scripts=("latin", "number", "other", "thai"))
            | LatinFoldFilter() | ScriptStopFilter() | SnowballFilter())


def KhmerAnalyzer(engine: str | None = None) -> CompositeAnalyzer:
    """Khmer words (normalised, segmented, particles removed) and numbers only."""
    return ScriptTokenizer(scripts=("khmer", "number"), engine=engine) | ScriptStopFilter()


def KhmerSubwordAnalyzer() -> CompositeAnalyzer:
    """Khmer orthographic syllables as tokens (a compound matches whether it was segmented whole
    or split); Latin words and numbers pass through folded and lowercased, unstemmed, so mixed
    queries work on this field too. No stop words: syllables are not words."""
    return ScriptTokenizer(khmer_unit="cluster") | LatinFoldFilter()
