"""Language identification on real corpus text and on degenerate input."""
from __future__ import annotations

from pathlib import Path

import pytest

from analyzers import detect_language

SOURCES = Path(__file__).resolve().parent.parent / "corpus" / "sources"


def test_real_khmer_and_english_paragraphs():
    lines = [line.strip() for line in (SOURCES / "002_1757a1ed9e3dcfdc.txt").read_text(encoding="utf-8").splitlines()]
    khmer = [line for line in lines if sum("\u1780" <= c <= "\u17ff" for c in line) > 100]
    assert khmer and all(detect_language(line) == "km" for line in khmer)
    english = (SOURCES / "001_c0b3175ae2cf30d9.txt").read_text(encoding="utf-8")[:3000]
    assert detect_language(english) == "en"


def test_mixed_and_deterministic():
    assert detect_language("UPR របស់ CCHR ឆ្នាំ២០២៤") == "mixed"
    text = "Le Cambodge doit libérer les défenseurs des droits humains emprisonnés."
    assert {detect_language(text) for _ in range(5)} == {"fr"}


@pytest.mark.parametrize("text", ["", "   ", "2024", "២០២៤", "។ ៕ «»", "!!!", None, b"bytes"])
def test_never_raises_on_degenerate_input(text):
    assert detect_language(text) == "und"


def test_khmer_only_and_khmer_with_an_acronym():
    assert detect_language("សិទ្ធិមនុស្ស") == "km"
    assert detect_language("សមាគមប្រជាធិបតេយ្យឯករាជ្យនៃសេដ្ឋកិច្ចក្រៅប្រព័ន្ធ (IDEA)") == "km"
