"""Query expansion: which lexicon forms a query holds, what is added, and the ranking guarantee,
on real queries and on the real index (the issue's acceptance queries)."""
from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lexicon.expand import (TRANSLATION_WEIGHT, VARIANT_WEIGHT, also_searched, expand,
                            rank_with_expansions)


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


# ------------------------------------------------------------------ on the real index, through the service
def _search(service, q, n=10, **kw):
    return service.search(q=q, per_page=n, **kw)


def _top(service, q, n=10, **kw):
    return _search(service, q, n, **kw)["results"]


def test_khmer_defender_query_finds_english_publications_about_defenders(search_service):
    results = _top(search_service, "អ្នកការពារសិទ្ធិមនុស្ស", 5)
    assert len(results) == 5
    assert all(r["language"] == "en" for r in results)
    assert sum("defender" in r["title"].lower() or "defender" in r["snippet"].lower() for r in results) >= 3
    # without expansion no English publication is found: only a Khmer text holding a part of the
    # compound (សិទ្ធិមនុស្ស, human rights) as a partial match
    plain = _search(search_service, "អ្នកការពារសិទ្ធិមនុស្ស", 10, expand=False)
    assert plain["total_all_words"] == 0
    assert plain["results"] and all(r["language"] == "km" for r in plain["results"])


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
    for q in ("prison", "សហជីព", "Chea Chantha", "ពន្ធនាគារ", "eviction land", "union", "ម្តាយ ពន្ធនាគារ",
              "LICADHO ពន្ធនាគារ", "pre-trial detention"):
        result = _search(search_service, q, 100)
        plain = _search(search_service, q, 100, expand=False)
        _assert_exact_first_in_each_tier(result, q)
        if plain["matched"] == result["matched"]:
            # every document the query itself matches comes before any found by translation
            _assert_exact_before_translated(plain, result, q)


def test_the_result_says_what_was_added_and_can_be_turned_off(search_service):
    on = _search(search_service, "សហជីព")
    assert "trade union" in on["also_searched"]
    assert on["expansions"][0]["relation"] == "translation"
    assert on["expansions"][0]["source_term"] == "សហជីព"
    off = _search(search_service, "សហជីព", expand=False)
    assert off["also_searched"] == [] and off["expansions"] == [] and off["total"] < on["total"]
    assert off["expand"] is False and on["expand"] is True


def test_added_terms_are_marked_in_snippets(search_service):
    results = _top(search_service, "ពន្ធនាគារ", 5)
    english = [r for r in results if r["language"] == "en"]
    assert english and all(re.search(r"<mark>(prison|jail)", r["snippet"], re.I) for r in english)


def test_unspaced_khmer_query_expands_each_word_inside_it(search_service, corpus_records):
    """ម្តាយពន្ធនាគារ typed without a space: both words are found inside and each is translated,
    so English texts about mothers in prison match although no English text holds the Khmer."""
    res = _search(search_service, "ម្តាយពន្ធនាគារ", 100)
    assert {"mother", "prison"} <= set(res["also_searched"])
    english = [r for r in _all_words(res) if r["language"] == "en"]
    assert english and res["matched"] == "all"
    by_id = {r.id: f"{r.title} {r.body}".lower() for r in corpus_records}
    for r in english:
        text = by_id[r["id"]]
        assert "mother" in text and ("prison" in text or "jail" in text), r["id"]


def test_a_span_expansion_is_an_alternative_for_the_whole_span(search_service, corpus_records):
    """"pre-trial detention" is one lexicon form: its Khmer translation stands for both words, so
    the Khmer text that writes it matches although it has neither English word."""
    khmer = {r.id for r in corpus_records if r.language == "km" and "ឃុំខ្លួនបណ្តោះអាសន្ន" in r.body}
    assert khmer
    res = _search(search_service, "pre-trial detention", 100)
    assert res["matched"] == "all"
    found = {r["id"]: r for r in res["results"]}
    assert khmer <= set(found)
    assert all(found[i]["matched_via"] == "expansion" for i in khmer)


_QUERY_WORDS = ["prison", "mother", "union", "land", "eviction", "rights", "Chea", "Chantha",
                "ពន្ធនាគារ", "ម្តាយ", "សហជីព", "ដីធ្លី", "សិទ្ធិ", "LICADHO", "CCHR", "journalist"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(_QUERY_WORDS), min_size=1, max_size=3))
def test_property_expansion_never_lifts_a_document_above_an_exact_one(search_service, words):
    q = " ".join(words)
    result = _search(search_service, q, 100)
    _assert_exact_first_in_each_tier(result, q)
    plain = _search(search_service, q, 100, expand=False)
    if plain["matched"] == result["matched"] and plain["total"]:
        _assert_exact_before_translated(plain, result, q)


def _assert_exact_before_translated(plain, result, q):
    """Every all-words document of the query without expansion is listed, in the expanded
    all-words tier, before any document found there only through a translation."""
    exact = {r["id"] for r in _all_words(plain)}
    tier = _all_words(result)
    assert exact <= {r["id"] for r in tier}, q
    last_exact = max((i for i, r in enumerate(tier) if r["id"] in exact), default=-1)
    assert not any(r["translated"] for r in tier[:last_exact + 1]), q


def _all_words(result) -> list[dict]:
    """The results that match every word of the query (they come first: indexer.ranking)."""
    return result["results"][:result["total_all_words"]]


def _assert_exact_first_in_each_tier(result, q):
    """Among the documents that match the same words (every word, or the same partial set),
    those the query matches in its own words (as typed, or a same-language variant: "behind bars"
    for imprisoned) come before those found only through a translation; a result matched through
    a translation is one matched through an expansion."""
    by_missing: dict[tuple, list[str]] = {}
    n_all = result["total_all_words"]
    for i, r in enumerate(result["results"]):
        assert (r["missing"] == []) == (i < n_all), q  # the all-words tier comes first
        by_missing.setdefault(tuple(r["missing"]), []).append(r["translated"])
        assert not r["translated"] or r["matched_via"] == "expansion", q
    for translated in by_missing.values():
        assert translated == sorted(translated), q


def test_a_same_language_variant_ranks_with_the_words_as_typed(search_service):
    """"behind bars" is a variant of imprisoned: the five Women Activists Behind Bars records
    (some never say "imprisoned") are ranked by score with the records that do, not after them,
    and none of them counts as translated (before: all five came after the two UN advocacy lists)."""
    res = _search(search_service, "women activists imprisoned", 10)
    top = res["results"][:5]
    assert all("Behind Bars" in r["title"] and not r["translated"] for r in top), [r["title"] for r in top]
    assert any(r["matched_via"] == "expansion" for r in top)  # found through the variant


def test_a_form_inside_an_english_phrase_form_translates_its_word(search_service, corpus_records):
    """"mental health" is a lexicon form (សុខភាពផ្លូវចិត្ត) and so is "mental" (ផ្លូវចិត្ត): a Khmer
    text that says ផ្លូវចិត្ត without សុខភាព is found for "mental", a partial match (it was not found)."""
    khmer = {r.id for r in corpus_records if r.language == "km" and "ផ្លូវចិត្ត" in r.body
             and "សុខភាពផ្លូវចិត្ត" not in r.body}
    assert khmer
    res = _search(search_service, "mental health", 20)
    assert {"សុខភាពផ្លូវចិត្ត", "ផ្លូវចិត្ត"} <= set(res["also_searched"])
    found = {r["id"]: r for r in res["results"]}
    assert khmer <= set(found)
    assert all(found[i]["missing"] == ["health"] and found[i]["translated"] for i in khmer)
    # only translations come from a form inside a longer one: no same-language variant of
    # "detention" (detained) widens "pre-trial detention"
    assert "detained" not in _search(search_service, "pre-trial detention")["also_searched"]


def test_an_unspaced_khmer_compound_is_searched_as_its_words(search_service, corpus_records):
    """ការបណ្តេញចេញដោយបង្ខំ (forced eviction) is made of two lexicon forms, ការបណ្តេញចេញ (eviction)
    and ដោយបង្ខំ (forced): the English text that writes "forced eviction" comes first, as the one
    all-words match; texts holding "forced" and "eviction" apart follow, each saying the compound
    is missing (they hold its parts only apart), as an English query's partial matches do."""
    compound = "ការបណ្តេញចេញដោយបង្ខំ"
    res = _search(search_service, compound, 100)
    texts = {r.id: f"{r.title} {r.body}".lower() for r in corpus_records}
    together = {i for i, t in texts.items() if re.search(r"\bforced evictions?\b", t)}
    apart = {i for i, t in texts.items() if i not in together and re.search(r"\bevict(ion|ions|ed)\b", t)
             and re.search(r"\bforc(ed|ibly)\b", t)}
    assert together and apart
    assert {r["id"] for r in _all_words(res)} == together
    listed = {r["id"]: r for r in res["results"]}
    assert apart <= set(listed)
    assert all(listed[i]["missing"] == [compound] for i in apart)
    # and without the cut the compound found only the texts writing it whole
    assert res["total"] > len(together)


def test_a_khmer_compound_with_a_joining_word_is_cut_around_it(search_service, corpus_records):
    """អំពើហិង្សាក្នុងគ្រួសារ (domestic violence) is violence + ក្នុង (in) + family: cut so, ក្នុង no word
    of its own; the English text writing "domestic violence" is the all-words match, texts
    holding "violence" and "family" apart follow it, saying the compound is missing."""
    compound = "អំពើហិង្សាក្នុងគ្រួសារ"
    from analyzers.analyzers import MixedAnalyzer
    from indexer.queryparse import parse
    from indexer.questions import content_words

    tree = content_words(parse(compound), MixedAnalyzer())
    assert [w.text for w in tree.children] == ["អំពើហិង្សា", "ក្នុង", "គ្រួសារ"]
    res = _search(search_service, compound, 100)
    texts = {r.id: f"{r.title} {r.body}".lower() for r in corpus_records}
    whole = {i for i, t in texts.items() if "domestic violence" in t}
    assert whole and whole <= {r["id"] for r in _all_words(res)}
    assert all("ក្នុង" not in r["missing"] for r in res["results"])
    apart = [r for r in res["results"] if r["missing"] == [compound]]
    assert apart and all("violence" in texts[r["id"]] and "famil" in texts[r["id"]] for r in apart)
