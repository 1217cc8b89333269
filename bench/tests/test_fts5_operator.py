"""The FTS5 baseline uses bayon's operator: every item required, any item when nothing has them all;
quoted phrases and unspaced Khmer words are phrases. Checked on documents made of real source sentences."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import fts5_baseline
from bench.english_text import english_sentences
from bench.khmer_presegment import presegment
from bench.khmer_text import source_sentences

SOURCES = Path(__file__).resolve().parents[2] / "corpus" / "sources"


def sentence_with(sentences: list[str], *parts: str) -> str:
    """The first real source sentence containing every part (so the test data is the sources' own text)."""
    found = [s for s in sentences if all(p in s for p in parts)]
    assert found, parts
    return found[0]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    english = english_sentences(SOURCES)
    khmer = [s.text for s in source_sentences(SOURCES)]
    bodies = {
        "detention": sentence_with(english, "pregnant women", "pre-trial detention"),
        "torture": sentence_with(english, "Women human rights defenders", "torture"),
        "journalist": sentence_with(english, "journalist Mech Dara"),
        "statement": sentence_with(khmer, "សេចក្ដីថ្លែងការណ៍រួម", "មិនមែនជាបទល្មើស"),
        "civil-society": sentence_with(khmer, "យើងខ្ញុំជា អង្គការសង្គមស៊ីវិល"),
    }
    corpus = tmp_path_factory.mktemp("operator-corpus")
    (corpus / "documents").mkdir()
    with (corpus / "documents" / "real.jsonl").open("w", encoding="utf-8") as handle:
        for doc_id, body in bodies.items():
            language = "km" if any("\u1780" <= c <= "\u17ff" for c in body) else "en"
            handle.write(json.dumps({"id": doc_id, "title": "", "organisation": "CCHR", "doc_type": "Statement",
                                     "date": "2024-07-01", "language": language, "url": None, "body": body},
                                    ensure_ascii=False) + "\n")
    db = corpus / "fts5.sqlite"
    assert fts5_baseline.build(corpus, db, workers=1)["docs"] == 5
    return fts5_baseline.FTS5Search(db)


def matches(searcher, query: str) -> tuple[set[str], str]:
    answer = searcher.search(query, per_page=50)
    assert answer["total"] == len(answer["results"])
    return {r["id"] for r in answer["results"]}, answer["matched"]


@pytest.mark.parametrize("query, expected", [
    ("women", {"detention", "torture"}),
    ("women detention", {"detention"}),              # OR would add "torture"
    ("torture women", {"torture"}),
    ('"pre-trial detention"', {"detention"}),
    ('"detention pre-trial"', set()),                # one phrase, words in the wrong order: no fallback
    ('women "pre-trial detention"', {"detention"}),
    ("ចាន់ថា", {"statement", "civil-society"}),
    ("ចាន់ថា បទល្មើស", {"statement"}),
    ("មិនមែនជាបទល្មើស", {"statement"}),             # unspaced: one phrase of its khmercut tokens
    ("ចាន់ថាបទល្មើស", set()),                       # both words are in "statement", but not adjacent
])
def test_every_item_is_required(searcher, query, expected):
    assert matches(searcher, query) == (expected, "all")


@pytest.mark.parametrize("query, expected", [
    ("torture lawyer", {"detention", "torture"}),
    ("journalist ចាន់ថា", {"journalist", "statement", "civil-society"}),
    ('"detention pre-trial" torture', {"torture"}),
])
def test_any_item_when_no_document_has_them_all(searcher, query, expected):
    assert matches(searcher, query) == (expected, "any")


def test_an_unspaced_khmer_word_is_one_phrase_of_its_segments():
    assert len(presegment("ចាន់ថាបទល្មើស").split()) == 3  # the premise of the Khmer cases above
    assert fts5_baseline.match_groups("ចាន់ថាបទល្មើស women") == ['"ចាន់ ថា បទល្មើស"', '"women"']
    assert fts5_baseline.match_groups('"pre-trial detention" ។ «') == ['"pre-trial detention"']


@pytest.mark.parametrize("query", ["", "   ", "។", '""', "« »"])
def test_nothing_searchable_matches_nothing(searcher, query):
    assert matches(searcher, query) == (set(), "all")
