"""English sentences and Khmer sentences taken from the real source files and the khPOS dev set."""
from __future__ import annotations

import random
import re
from pathlib import Path

from bench.english_text import MarkovProse, english_sentences, unwrap_lines
from bench.khmer_text import KhmerProse, source_sentences
from bench.tests.conftest import needs_gold

SOURCES = Path(__file__).resolve().parents[2] / "corpus" / "sources"


def test_hard_wrapped_report_lines_are_joined_into_whole_sentences():
    sentences = english_sentences(SOURCES)
    # 004 (the LICADHO report from a PDF) breaks this sentence over three lines.
    assert ("However, in practice, Cambodia’s criminal justice system is focused almost entirely on incarceration "
            "for pre-trial detainees.") in sentences
    assert len(sentences) > 1000


def test_listing_chrome_and_khmer_are_not_english_prose():
    sentences = english_sentences(SOURCES)
    assert not [s for s in sentences if "|" in s or re.search(r"[\u1780-\u17FF]", s) or s == "Read More"]


def test_unwrap_keeps_separate_lines_that_start_a_new_sentence():
    assert unwrap_lines("One line ends here.\nNext starts.\nbroken line\ncontinues") == [
        "One line ends here.", "Next starts.", "broken line continues"]


def test_markov_prose_is_deterministic_and_made_of_source_words():
    sentences = english_sentences(SOURCES)
    prose = MarkovProse(sentences)
    first = prose.paragraphs(random.Random(3), 300)
    assert first == prose.paragraphs(random.Random(3), 300)
    vocabulary = {w for s in sentences for w in s.split()}
    words = " ".join(first).split()
    assert len(words) >= 300 and set(words) <= vocabulary


def test_khmer_sentences_of_the_cchr_source_include_the_resilience_flyer():
    texts = [s.text for s in source_sentences(SOURCES)]
    assert any("«ភាពធន់»" in t for t in texts)
    assert not [t for t in texts if t.startswith("•")]


@needs_gold
def test_khmer_documents_are_real_khpos_sentences_without_spaces():
    from bench.khmer_text import gold_sentences

    gold = gold_sentences()
    prose = KhmerProse(gold)
    paragraphs = prose.paragraphs(random.Random(5), 200)
    known = {s.text for s in gold}
    pieces = [p for paragraph in paragraphs for p in paragraph.split(" ")]
    # khPOS sentences may contain no space at all once their word spaces are removed; every piece is one.
    assert pieces and all(piece in known for piece in pieces)
    assert sum(prose.word_counts.values()) >= 200
