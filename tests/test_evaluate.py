"""The numpy query evaluator (indexer.evaluate.ArrayEvaluator) matches and scores exactly as
Whoosh's own matchers do, on the real corpus: for every query the search service builds (plain and
expanded, both modes), and for whole search responses."""
from __future__ import annotations

import numpy as np
import pytest

from indexer.evaluate import ArrayEvaluator, WhooshEvaluator
from indexer.querybuild import QueryBuilder
from indexer.queryparse import parse
from indexer.search import SearchRequest

QUERIES = ["detention", "human rights defenders", '"pre-trial detention"', "arrest OR prison", "Hun Sen",
           "សិទ្ធិ", "សមាគម ស៊ីវិល", "IDEA សមាគម", "journalist -prison", "torture", "Keoraksmey",
           "title:Cambodia", "workers union strike", "year:2019..2021 land", "(arrest OR charge) AND activist",
           "សិទ្ធិមនុស្ស", "ការឃុំខ្លួន", '"human rights"', "NOT prison", "organisation:licadho eviction",
           "Chea Chantha", "ជា ចាន់ថា", "prison* conditions", "freedom of expression online"]


@pytest.fixture(scope="module")
def generation(search_service):
    search_service.search(SearchRequest(q="warm"))
    return search_service._current()


def _queries(gen, text):
    for expand in (False, True):
        builder = QueryBuilder(gen.mixed, gen.subword, resolve_values=gen.columns.resolve, expand=expand)
        for mode in ("all", "any"):
            built = builder.build(parse(text), mode=mode)
            yield built.query
            if built.scoring is not None:
                yield built.scoring
            for clause in built.clauses:
                yield clause.own
                yield clause.full
            if built.negative is not None:
                yield built.negative


@pytest.mark.parametrize("text", QUERIES)
def test_array_evaluator_equals_whoosh_matchers(generation, text):
    reference = WhooshEvaluator(generation.searcher, generation.columns.alive)
    fast = ArrayEvaluator(generation.arrays, generation.columns.alive)
    matched_any = False
    for query in _queries(generation, text):
        want, got = reference.run(query), fast.run(query)
        assert np.array_equal(want.mask, got.mask), (text, query)
        np.testing.assert_allclose(got.scores, want.scores, rtol=1e-5, atol=1e-9, err_msg=f"{text}: {query}")
        matched_any |= bool(want.mask.any())
    assert matched_any, f"{text!r} should match something in the real corpus"


@pytest.mark.parametrize("text", QUERIES)
def test_search_responses_equal_with_whoosh_matching(search_service, monkeypatch, text):
    fast = search_service.search(SearchRequest(q=text, per_page=50))
    gen = search_service._current()
    with monkeypatch.context() as m:
        m.setattr(type(gen), "evaluator", lambda self: WhooshEvaluator(self.searcher, self.columns.alive))
        slow = search_service.search(SearchRequest(q=text, per_page=50))
    for result in (fast, slow):
        result.pop("took_ms")
    assert fast == slow


def test_phrase_needs_consecutive_words(generation):
    """A phrase of two words that both occur, but never side by side, matches nothing."""
    from whoosh import query as Q

    fast = ArrayEvaluator(generation.arrays, generation.columns.alive)
    both = fast.run(Q.And([Q.Term("body", "detent"), Q.Term("body", "prison")])).mask
    assert both.sum() > 3
    apart = fast.run(Q.Phrase("body", ["prison", "detent"])).mask
    together = fast.run(Q.Phrase("body", ["pre", "trial", "detent"])).mask
    assert together.any()
    assert apart.sum() < both.sum()
    reference = WhooshEvaluator(generation.searcher, generation.columns.alive)
    assert np.array_equal(apart, reference.run(Q.Phrase("body", ["prison", "detent"])).mask)


def test_a_khmer_word_implies_its_clusters_in_sequence(generation):
    """What SubwordPhrase.implied_by relies on, for every Khmer word of the real corpus: each
    document holding the word in `body` holds its clusters in sequence in `body_sub`."""
    import re

    from whoosh import query as Q

    reference = WhooshEvaluator(generation.searcher, generation.columns.alive)
    khmer = re.compile(r"[\u1780-\u17FF]")
    checked = 0
    for btext in generation.searcher.lexicon("body"):
        word = btext.decode("utf-8")
        if not khmer.search(word):
            continue
        clusters = [t.text for t in generation.subword(word, mode="query")]
        if len(clusters) < 2:
            continue
        with_word = reference.run(Q.Term("body", word)).mask
        with_clusters = reference.run(Q.Phrase("body_sub", clusters)).mask
        assert not (with_word & ~with_clusters).any(), word
        checked += 1
    assert checked > 50  # the Khmer statement and the Khmer lines of the other sources


def test_set_operations_agree_on_both_paths(generation):
    """Union, intersection and membership give the same documents and scores whether they sort
    (lists small against the index: forced here by a large index size) or go through index-long
    arrays (what the real corpus's size picks), on real posting lists of common and rare words."""
    from indexer import evaluate as E

    fast = ArrayEvaluator(generation.arrays, generation.columns.alive)
    size = fast.size
    words = ["right", "detent", "prison", "land", "torture", "journalist", "cambodia", "union"]
    parts = [fast._term("body", w) for w in words]
    parts = [p for p in parts if p[0].size]
    assert len(parts) >= 6 and max(p[0].size for p in parts) > size // 4
    huge = size * 1000  # every list is then below the dense share: the sorting path
    for group in (parts[:2], parts[:4], parts, parts[-3:]):
        for op in (E._union, E._intersection):
            dense, sorted_ = op(group, size), op(group, huge)
            assert np.array_equal(dense[0], sorted_[0]), op.__name__
            np.testing.assert_allclose(dense[1], sorted_[1], rtol=1e-12)
        a, b = group[0][0], group[-1][0]
        assert np.array_equal(E._member(a, b, size), E._member(a, b, huge))
        assert np.array_equal(E._member(a, b, size), np.isin(a, b))
    assert E._union(parts, size)[0].size > E._intersection(parts, size)[0].size > 0
