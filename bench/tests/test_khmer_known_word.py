"""bench.khmer_known_word: its metrics on hand-made rankings, and a tiny run on real gold sentences
(test.txt) through a real index and the search service."""
from __future__ import annotations

import random

import pytest

from bench import khmer_known_word as kw
from bench.khmer_text import KHMER_SEG_DIR, KhmerSentence

TEST_GOLD = KHMER_SEG_DIR / "test.txt"


def test_average_precision_of_a_hand_made_ranking():
    # relevant a, b, c, d; ranked a (1), b (3), c (5); d never ranked
    ranked = ["a", "x", "b", "y", "c", "z"]
    relevant = {"a", "b", "c", "d"}
    assert kw.average_precision(ranked, relevant) == pytest.approx((1 / 1 + 2 / 3 + 3 / 5) / 4)
    assert kw.average_precision(ranked, relevant, cutoff=3) == pytest.approx((1 / 1 + 2 / 3) / 4)
    assert kw.average_precision(["a", "b", "c", "d"], relevant) == 1.0
    assert kw.average_precision(["x", "y"], relevant) == 0.0
    assert kw.recall(ranked, relevant) == 0.75
    assert kw.recall(ranked, relevant, cutoff=2) == 0.25
    assert kw.precision_at(ranked, relevant, 10) == 0.3  # a short list's missing ranks are misses
    assert kw.r_precision(ranked, relevant) == 0.5  # a and b among the first 4
    with pytest.raises(ValueError):
        kw.average_precision(ranked, set())


def test_summary_means_per_group():
    rows = [{"group": "word", "relevant": 2, "returned": 3, **kw.query_figures(["a", "x", "b"], {"a", "b"})},
            {"group": "pair", "relevant": 1, "returned": 1, **kw.query_figures(["x"], {"c"})}]
    summary = kw.summarise(rows)
    assert summary["word"]["map"] == pytest.approx((1 + 2 / 3) / 2)
    assert summary["pair"]["map"] == 0.0
    assert summary["all"]["map"] == pytest.approx((1 + 2 / 3) / 4)
    assert summary["all"]["queries"] == 2 and summary["all"]["returned"] == 2.0


def test_relevance_is_the_whole_gold_word_or_the_adjacent_pair():
    # the text ab occurs in both documents, but only d1's gold segmentation holds it as a word
    d1 = kw.Document("d1", (KhmerSentence("ពលរដ្ឋខ្មែរ", ("ពលរដ្ឋ", "ខ្មែរ")), KhmerSentence("ការពារ", ("ការពារ",))))
    d2 = kw.Document("d2", (KhmerSentence("ពលរដ្ឋខ្មែរ", ("ពលរដ្ឋខ្មែរ",)), KhmerSentence("ខ្មែរពលរដ្ឋ", ("ខ្មែរ", "ពលរដ្ឋ"))))
    assert d1.gold_words() == {"ពលរដ្ឋ", "ខ្មែរ", "ការពារ"}
    assert ("ពលរដ្ឋ", "ខ្មែរ") in d1.gold_pairs() and ("ពលរដ្ឋ", "ខ្មែរ") not in d2.gold_pairs()
    assert d2.record()["title"] == "ពលរដ្ឋខ្មែរ" and d2.record()["body"] == "ខ្មែរពលរដ្ឋ"


@pytest.mark.skipif(not TEST_GOLD.is_file(), reason="needs ../shared/khmer-seg/test.txt")
def test_tiny_run_on_gold_sentences_through_the_search_service():
    settings = {"seed": 5, "max_docs": 160, "words": 6, "pairs": 3}  # 5% of 160: 8 documents
    result = kw.run_split("test", **settings)
    documents, queries = kw.documents_and_queries("test", **settings)
    assert result["documents"] == len(documents) == 160
    assert result["queries"] == {"word": 6, "pair": 3}
    by_id = {d.id: d for d in documents}
    rng = random.Random(0)
    for q in queries:  # relevance recomputed from the gold words
        if q.group == "word":
            expected = {d.id for d in documents if q.text in d.gold_words()}
        else:
            expected = {d.id for d in documents if any("".join(p) == q.text for p in d.gold_pairs())}
        assert q.relevant == expected and len(expected) >= kw.MIN_RELEVANT
        assert " " not in q.text
        doc = by_id[rng.choice(sorted(q.relevant))]
        record = doc.record()
        assert (record["title"] + record["body"]).replace(" ", "") == "".join(w for s in doc.sentences for w in s.words)
    for mode in ("plain", "expanded"):
        rows = result["per_query"][mode]
        assert [r["text"] for r in rows] == [q.text for q in queries]
        for row, q in zip(rows, queries):
            assert set(row["ranked"]) <= set(by_id)
            assert row["map"] == kw.average_precision(row["ranked"], q.relevant)
            # a gold word typed as it is written finds every document that holds it
            assert row["recall"] == 1.0, (mode, row["group"], row["ranked"][:5])
        summary = result[mode]
        assert summary["all"]["map"] == pytest.approx(sum(r["map"] for r in rows) / len(rows))
        assert 0.0 < summary["word"]["map"] <= 1.0


def test_two_khmer_words_typed_together_rank_the_documents_holding_them_together_first(monkeypatch):
    """Two adjacent gold words typed without a space: documents where they stand together outrank
    those holding them apart (indexer.querybuild.ADJACENT_KHMER_BOOST); without the bonus the
    same run ranks them lower."""
    import indexer.querybuild as qb

    settings = {"seed": 5, "max_docs": 300, "words": 1, "pairs": 12}
    boosted = kw.run_split("test", **settings)["plain"]["pair"]["map"]
    monkeypatch.setattr(qb, "ADJACENT_KHMER_BOOST", 0.0)
    flat = kw.run_split("test", **settings)["plain"]["pair"]["map"]
    assert boosted > flat + 0.02, (boosted, flat)
