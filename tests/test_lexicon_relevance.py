"""The bilingual relevance set (tests/relevance/queries.json, our own judgments) is well-formed,
holds the issue's acceptance queries, and expansion lifts the cross-language groups on the real
index (bench/relevance.py prints the full table)."""
from __future__ import annotations

from bench.relevance import evaluate, load_queries, ndcg_at

GROUPS = {"en->en", "km->km", "km->en", "en->km", "names", "mixed", "partial", "typos", "questions", "filters"}


def test_every_group_present_and_every_judged_id_is_a_real_record(corpus_records):
    queries = load_queries()
    ids = {r.id for r in corpus_records}
    assert {q["group"] for q in queries} == GROUPS
    for q in queries:
        assert q["judgments"] and set(q["judgments"]) <= ids, q["query"]
        assert set(q["judgments"].values()) <= {1, 2, 3}
    texts = {q["query"] for q in queries}
    assert {"អ្នកការពារសិទ្ធិមនុស្ស", "សហជីព", "Chea Chantha"} <= texts


def test_ndcg():
    assert ndcg_at(["a", "b"], {"a": 3, "b": 1}) == 1.0
    assert 0 < ndcg_at(["b", "a"], {"a": 3, "b": 1}) < 1
    assert ndcg_at(["x"], {}) == 0.0


def test_expansion_lifts_cross_language_groups_and_keeps_english(search_service):
    queries = load_queries()
    plain = evaluate(search_service, queries, use_expansions=False)
    expanded = evaluate(search_service, queries, use_expansions=True)

    def mean(scores, group):
        return sum(scores[group]) / len(scores[group])

    assert mean(plain, "km->en") < 0.2 < 0.7 < mean(expanded, "km->en")
    assert mean(expanded, "en->km") > mean(plain, "en->km")
    assert mean(expanded, "names") >= mean(plain, "names")
    assert mean(expanded, "en->en") >= mean(plain, "en->en") - 0.02
