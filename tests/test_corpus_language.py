"""Record languages as the corpus assigns them (analyzers.langid): Khmer by script share, langdetect
(seeded) for the rest, `mixed` for both scripts; checked on real source text."""
from __future__ import annotations

from analyzers.langid import detect_language  # the one the corpus uses
from corpus_helpers import CCHR, LICADHO_STATEMENTS, source_text


def _line_containing(name: str, needle: str) -> str:
    return next(line for line in source_text(name).splitlines() if needle in line)


def test_real_khmer_statement_is_km_despite_latin_acronyms():
    text = _line_containing(CCHR, "ជា ចាន់ថា ទៅឃុំខ្លួន")
    assert "(IDEA)" in text
    assert detect_language(text) == "km"


def test_real_english_statement_is_en():
    assert detect_language(_line_containing(LICADHO_STATEMENTS, "Chantha’s work on 16 July 2024")) == "en"


def test_khmer_and_english_together_is_mixed():
    khmer = _line_containing(CCHR, "ជា ចាន់ថា ទៅឃុំខ្លួន")
    english = _line_containing(LICADHO_STATEMENTS, "Chantha’s work on 16 July 2024")
    assert detect_language(khmer + "\n" + english) == "mixed"


def test_other_languages_and_nothing():
    assert detect_language("Les organisations de la société civile demandent la libération immédiate du journaliste.") == "fr"
    assert detect_language("12 345 — 2024") == "und"
    assert detect_language("") == "und"


def test_detection_is_deterministic():
    text = "Civic space in Cambodia is rated as repressed by the CIVICUS Monitor."
    assert len({detect_language(text) for _ in range(5)}) == 1
