"""Query expansion: which lexicon forms a query holds, what is added, and the ranking guarantee,
on real queries and on the real index (the issue's acceptance queries)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lexicon.expand import (TRANSLATION_WEIGHT, VARIANT_WEIGHT, also_searched, expand,
                            rank_with_expansions)
from lexicon.expanded_search import search_with_expansions


def _added(query: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in expand(query):
        out.setdefault(e.relation, set()).update(e.added_terms)
    return out


def test_khmer_terms_add_their_english_equivalents():
    assert "human rights defender" in _added("អ្នកការពារសិទ្ធិមនុស្ស")["translation"]
    assert "union" in _added("សហជីព")["translation"]
    # the longest form wins: the defender phrase, not "human rights" inside it
    assert "human rights" not in _added("អ្នកការពារសិទ្ធិមនុស្ស")["translation"]


def test_a_khmer_sentence_from_the_corpus_is_expanded_term_by_term():
    sentence = "យើងខ្ញុំជា អង្គការសង្គមស៊ីវិល សមាគម សហព័ន្ធ សហជីព ពិតជាមានការខកចិត្តជាខ្លាំង"
    added = _added(sentence)["translation"]
    assert {"civil society organisation", "association", "federation", "union"} <= added


def test_english_queries_add_khmer_forms_by_stem_and_variants():
    added = _added("mothers in prisons")
    assert {"ម្តាយ", "ពន្ធនាគារ"} <= added["translation"]
    assert "jail" in added["variant"]
    assert also_searched(expand("mothers in prisons"))[:2] == ["ម្តាយ", "ពន្ធនាគារ"]
    assert "ជា ចាន់ថា" in _added("Chea Chantha")["translation"]
    assert "Cambodian Center for Human Rights" in _added("cchr")["variant"]


def test_weights_put_translations_below_variants_below_exact():
    assert 0 < TRANSLATION_WEIGHT < VARIANT_WEIGHT < 1
    weights = {e.relation: e.weight for e in expand("prison")}
    assert weights == {"translation": TRANSLATION_WEIGHT, "variant": VARIANT_WEIGHT}


def test_no_match_inside_a_khmer_syllable_or_an_english_word():
    assert expand("ដីកា") == []                 # ដី is not the word ដីធ្លី
    assert expand("imprisonmentality") == []
    assert expand("") == [] and expand("   ") == []
    assert expand(None) == []  # type: ignore[arg-type]


@given(st.dictionaries(st.text(min_size=1, max_size=4), st.floats(0, 1e6)),
       st.dictionaries(st.text(min_size=1, max_size=4), st.floats(0, 1e6)))
def test_an_exact_match_is_never_ranked_below_an_expansion_only_match(exact, expanded):
    ranked = rank_with_expansions(exact, expanded)
    vias = [via for _, _, via in ranked]
    assert vias == sorted(vias, key=lambda v: v != "exact")
    assert {d for d, _, _ in ranked} == set(exact) | set(expanded)


# ------------------------------------------------------------------ on the real index
def _top(service, q, n=10, **kw):
    return search_with_expansions(service, q, per_page=n, **kw)["results"]


def test_khmer_defender_query_finds_english_publications_about_defenders(search_service):
    results = _top(search_service, "អ្នកការពារសិទ្ធិមនុស្ស", 5)
    assert len(results) == 5
    assert all(r["language"] == "en" for r in results)
    assert sum("defender" in r["title"].lower() or "defender" in r["snippet"].lower() for r in results) >= 3
    assert _top(search_service, "អ្នកការពារសិទ្ធិមនុស្ស", use_expansions=False) == []


def test_khmer_union_query_finds_the_english_union_statements(search_service):
    titles = [r["title"] for r in _top(search_service, "សហជីព", 5)]
    assert any("Union" in t for t in titles)
    assert any("LRSU Unionists" in t for t in titles)


def test_chea_chantha_finds_the_khmer_statement_and_the_english_one(search_service):
    results = _top(search_service, "Chea Chantha", 5)
    languages = {r["language"] for r in results[:3]}
    assert {"en", "km"} <= languages
    assert results[0]["matched_via"] == "exact"


def test_expansion_never_pushes_an_exact_match_below_a_translated_one(search_service):
    for q in ("prison", "សហជីព", "Chea Chantha", "ពន្ធនាគារ", "eviction land", "union"):
        result = search_with_expansions(search_service, q, per_page=100)
        exact_ids = {r["id"] for r in search_service.search(q=q, per_page=100)["results"]}
        vias = [r["matched_via"] for r in result["results"]]
        assert vias == sorted(vias, key=lambda v: v != "exact"), q
        assert {r["id"] for r in result["results"] if r["matched_via"] == "exact"} == exact_ids


def test_the_result_says_what_was_added_and_can_be_turned_off(search_service):
    on = search_with_expansions(search_service, "សហជីព")
    assert "trade union" in on["also_searched"]
    assert on["expansions"][0]["relation"] == "translation"
    off = search_with_expansions(search_service, "សហជីព", use_expansions=False)
    assert off["also_searched"] == [] and off["total"] < on["total"]
