"""Text analysis for bayon: script-aware Whoosh analyzers for Khmer, English and mixed text."""
from __future__ import annotations

from analyzers.analyzers import EnglishAnalyzer, KhmerAnalyzer, KhmerSubwordAnalyzer, MixedAnalyzer
from analyzers.langid import detect_language

__all__ = ["MixedAnalyzer", "KhmerSubwordAnalyzer", "EnglishAnalyzer", "KhmerAnalyzer", "detect_language"]
