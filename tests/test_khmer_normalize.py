"""Khmer normalisation and syllables, on real Khmer text from the CCHR source (002)."""
from __future__ import annotations

from pathlib import Path

import pytest

from analyzers import KhmerAnalyzer, MixedAnalyzer
from analyzers.khmer import cluster_boundaries, clusters, is_cluster_boundary, normalize

SOURCE_002 = Path(__file__).resolve().parent.parent / "corpus" / "sources" / "002_1757a1ed9e3dcfdc.txt"


@pytest.fixture(scope="module")
def khmer_lines() -> list[str]:
    """The Khmer paragraphs of the CCHR listing, as captured."""
    lines = SOURCE_002.read_text(encoding="utf-8").splitlines()
    found = [line.strip() for line in lines if sum("\u1780" <= ch <= "\u17ff" for ch in line) > 100]
    assert len(found) >= 2
    return found


def words(text: str, analyzer=None) -> list[str]:
    return [t.text for t in (analyzer or MixedAnalyzer())(text)]


def test_vowel_typed_before_coeng_as_in_the_cchr_source(khmer_lines):
    assert "សិទិ្ធ" in khmer_lines[0]          # the source really has the non-canonical order
    assert normalize("សិទិ្ធ") == normalize("សិទ្ធិ") == "សិទ្ធិ"
    assert "សិទ្ធិ" in words(khmer_lines[0])


def test_coeng_ro_goes_last_and_coeng_da_equals_coeng_ta():
    assert normalize("មន្រ្តី") == normalize("មន្ត្រី")
    assert normalize("ឧត្ដម") == normalize("ឧត្តម")
    assert normalize("បណ្ដោះអាសន្ន") == normalize("បណ្តោះអាសន្ន")
    assert words("ឧត្ដម") == words("ឧត្តម")


def test_khmer_digits_become_ascii_and_split_from_words():
    assert normalize("២០២៤") == "2024"
    assert "2024" in words("ឆ្នាំ២០២៤")
    assert words("ឆ្នាំ២០២៤", KhmerAnalyzer()) == ["ឆ្នាំ", "2024"]


@pytest.mark.parametrize("split, merged", [
    ("ក\u17c1\u17b8ត", "កើត"),      # េ + ី
    ("ក\u17b8\u17c1ត", "កើត"),      # ី + េ
    ("គ\u17c1\u17b6ល", "គោល"),      # េ + ា
    ("ស\u17c1\u17c0ម", "សៀម"),      # េ + ៀ
    ("ល\u17c1\u17bfង", "លឿង"),      # េ + ឿ
])
def test_split_vowels_are_merged(split, merged):
    assert normalize(split) == merged


def test_repeated_marks_and_invisible_characters_are_dropped():
    assert normalize("កា\u17b6រ") == "ការ"
    assert normalize("ក\u200cា\u200dរ") == "ការ"
    assert normalize("ការ\u00ad\ufeff") == "ការ"
    assert normalize("ឲ្យ") == normalize("ឱ្យ")


def test_shifter_and_sign_order_is_canonical():
    # robat, register shifter and nikahit/reahmuk typed out of order
    assert normalize("ស\u17c6\u17bb") == normalize("ស\u17bb\u17c6") == "សុំ"
    assert normalize("ប\u17c7\u17b6") == "បាះ"
    assert normalize("ម៉ែ") == normalize("ម\u17c2\u17c9")


def test_zwsp_is_a_word_break_and_changes_nothing_else(khmer_lines):
    sentence = khmer_lines[1]
    plain = words(sentence)
    assert words(sentence.replace(" ", "\u200b")) == plain
    # ZWSP typed between the words gives the same tokens as without it
    spans = [(t.startchar, t.endchar) for t in MixedAnalyzer()(sentence, chars=True, removestops=False)]
    pieces, last = [], 0
    for start, end in spans:
        pieces.append(sentence[last:start] + sentence[start:end])
        last = end
    pieces.append(sentence[last:])
    assert words("\u200b".join(pieces)) == plain


def test_khmer_punctuation_is_a_separator():
    assert words("ការពារ។ សិទ្ធិ៖ «ភាពធន់»៕", KhmerAnalyzer()) == ["ការពារ", "សិទ្ធិ", "ភាពធន់"]


def test_clusters_of_real_text(khmer_lines):
    assert clusters("មជ្ឈមណ្ឌលសិទិ្ធ") == ["ម", "ជ្ឈ", "ម", "ណ្ឌ", "ល", "សិ", "ទ្ធិ"]
    line = khmer_lines[0]
    cuts = cluster_boundaries(line)
    assert cuts[0] == 0 and cuts[-1] == len(line)
    joined = "".join(clusters(line))
    assert joined == "".join(clusters(normalize(line)))
    # a subscript is never separated from its base
    offset = line.index("ជ្ឈ")
    assert offset + 1 not in cuts and offset + 2 not in cuts and offset + 3 in cuts
    assert not is_cluster_boundary(line, offset + 1)
    assert is_cluster_boundary(line, offset + 3)


def test_normalize_is_idempotent_on_real_text(khmer_lines):
    for line in khmer_lines:
        once = normalize(line)
        assert normalize(once) == once
