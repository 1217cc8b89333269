"""Acceptance of issue 4 on the real corpus: English, Khmer, mixed and name queries."""
from __future__ import annotations

import re

import pytest

from analyzers.khmer import normalize
from indexer.search import SearchRequest


def _all_ids(service, q, **filters):
    ids, page = [], 1
    while True:
        res = service.search(SearchRequest.from_params(q=q, page=page, per_page=100, **filters))
        ids += [r["id"] for r in res["results"]]
        if len(ids) >= res["total"] or not res["results"]:
            return ids
        page += 1


def _text(record):
    return f"{record.title}\n{record.body}"


def _ids_where(records, pattern, flags=0):
    rx = re.compile(pattern, flags)
    return {r.id for r in records if rx.search(_text(r))}


def test_arrests_finds_the_statements_saying_arrested(search_service, corpus_records):
    arrested = _ids_where(corpus_records, r"\barrested\b")
    only_arrested = arrested - _ids_where(corpus_records, r"\barrests\b")
    assert only_arrested, "the corpus has texts that say 'arrested' but never 'arrests'"
    found = set(_all_ids(search_service, "arrests"))
    assert arrested <= found
    statements = {r.id for r in corpus_records if "statement" in (r.doc_type or "").lower()} & only_arrested
    assert statements and statements <= found


def test_pretrial_finds_pre_trial(search_service, corpus_records):
    hyphenated = _ids_where(corpus_records, r"\bpre-trial detention\b", re.I)
    assert hyphenated
    ids = _all_ids(search_service, "pretrial detention")
    assert hyphenated <= set(ids)
    # documents with both words come before documents with only one
    both = _ids_where(corpus_records, r"\bpre-?trial\b", re.I) & _ids_where(corpus_records, r"\bdetention\b", re.I)
    assert set(ids[:len(both)]) == both


def test_misspelling_suggests_detention(search_service):
    res = search_service.search(SearchRequest(q="detension"))
    assert res["suggestion"] == "detention"
    res = search_service.search(SearchRequest(q="pretrial detension"))
    assert res["suggestion"] == "pretrial detention"
    assert search_service.search(SearchRequest(q="detention"))["suggestion"] is None


def test_khmer_subword_finds_the_joint_statement(search_service, corpus_records):
    holders = _ids_where(corpus_records, "សង្គមស៊ីវិល")
    khmer = {r.id for r in corpus_records if r.language == "km"} & holders
    assert khmer
    ids = _all_ids(search_service, "ស៊ីវិល")
    assert khmer <= set(ids)
    assert ids[0] in khmer


def _word_spans(text):
    """Original-text Khmer words of `text`, as the index's analyzer cuts them."""
    from analyzers import MixedAnalyzer

    return {text[t.startchar:t.endchar] for t in MixedAnalyzer()(text, chars=True, mode="index")
            if re.search(r"[\u1780-\u17D3]", text[t.startchar:t.endchar])}


def _noncanonical_clusters(records):
    """{cluster as typed: canonical cluster} for Khmer clusters typed out of canonical order."""
    from analyzers.khmer import iter_clusters

    out = {}
    for r in records:
        text = _text(r)
        for c in iter_clusters(text):
            typed = text[c.start:c.end]
            if c.text != typed and not re.search(r"[0-9\u17e0-\u17e9]", typed):
                out[typed] = c.text
    return out


# base consonant, subscript (coeng + consonant), dependent vowel: canonical order
_SUB_THEN_VOWEL = re.compile("([\u1780-\u17a2])(\u17d2[\u1780-\u17a2])([\u17b6-\u17c5])")


def test_khmer_non_canonical_order_matches_both_ways(search_service, corpus_records):
    variants = _noncanonical_clusters(corpus_records)
    assert variants, "the corpus has Khmer typed in non-canonical order"
    # the canonical spelling finds the document typed out of order
    forward = 0
    for r in corpus_records:
        for word in _word_spans(_text(r)):
            if any(typed in word for typed in variants):
                assert r.id in _all_ids(search_service, normalize(word)), word
                forward += 1
    assert forward
    # the corpus's own out-of-order typing is a vowel typed before the subscript; typing canonical
    # words of the Khmer documents that way finds them
    assert any(_SUB_THEN_VOWEL.sub(r"\1\3\2", canon) == typed for typed, canon in variants.items())
    backward = 0
    for r in corpus_records:
        if r.language != "km":
            continue
        words = [w for w in _word_spans(_text(r)) if _SUB_THEN_VOWEL.search(w) and normalize(w) == w]
        for word in sorted(words)[:15]:
            typed = _SUB_THEN_VOWEL.sub(r"\1\3\2", word)
            assert typed != word and normalize(typed) == word
            assert r.id in _all_ids(search_service, typed), (word, typed)
            backward += 1
    assert backward


def test_mixed_query_puts_the_khmer_statement_first(search_service, corpus_records):
    both = {r.id for r in corpus_records if r.language == "km" and "IDEA" in _text(r) and "សមាគម" in _text(r)}
    assert both
    res = search_service.search(SearchRequest(q="IDEA សមាគម"))
    assert res["results"][0]["id"] in both
    assert "<mark>" in res["results"][0]["snippet"]


@pytest.mark.parametrize("query,variant", [("Keoraksmey", r"Keoreaksmey"), ("Keoreaksmey", r"Keoraksmey"),
                                           ("Vietnam", r"Viet\s+Nam"), ("Viet Nam", r"Vietnam")])
def test_romanized_name_variants_find_each_other(search_service, corpus_records, query, variant):
    variant_docs = _ids_where(corpus_records, rf"\b{variant}\b")
    assert variant_docs
    assert variant_docs <= set(_all_ids(search_service, query))


def test_exact_outranks_name_key_match(search_service, corpus_records):
    exact = _ids_where(corpus_records, r"\bKeoraksmey\b")
    variant_only = _ids_where(corpus_records, r"\bKeoreaksmey\b") - exact
    ids = _all_ids(search_service, "Keoraksmey")
    assert exact and variant_only
    assert max(ids.index(i) for i in exact) < min(ids.index(i) for i in variant_only)


def test_empty_query_browses_newest_first(search_service, corpus_records):
    res = search_service.search(SearchRequest(q="", per_page=100))
    assert res["total"] == len(corpus_records)
    dates = [r["date"] for r in res["results"] if r["date"]]
    assert dates == sorted(dates, reverse=True)
    undated = [i for i, r in enumerate(res["results"]) if not r["date"]]
    assert not undated or min(undated) >= len(dates)  # undated documents come last


@pytest.mark.parametrize("typed,expected,name", [("Kem Lay", "Kem Ley", "Kem Ley"),
                                                  ("Senkarona", "Senkaruna", "Senkaruna"),
                                                  ("Chanta", "Chantha", "Chantha"),
                                                  ("Keoraksmay", "Keoraksmey", "Keoraksmey")])
def test_misspelt_romanized_name_suggests_and_still_finds(search_service, corpus_records, typed, expected, name):
    res = search_service.search(SearchRequest(q=typed, per_page=100))
    assert res["suggestion"] == expected
    holders = _ids_where(corpus_records, rf"\b{name}\b")
    assert holders and holders <= {r["id"] for r in res["results"]}


def test_khmer_script_name_meets_its_romanization_without_the_lexicon(search_service, corpus_records):
    """No lexicon (expand=False): the Khmer words are indexed by romanized name key, so ជា ចាន់ថា
    finds the English statement on Chea Chantha and the reverse, each below the exact match."""
    khmer = {r.id for r in corpus_records if r.language == "km" and "ចាន់ថា" in _text(r)}
    english = {r.id for r in corpus_records if r.language == "en" and "Chea Chantha" in _text(r)}
    assert khmer and english
    from_khmer = _all_ids_no_expand(search_service, "ជា ចាន់ថា")
    from_latin = _all_ids_no_expand(search_service, "Chea Chantha")
    assert english <= set(from_khmer) and khmer <= set(from_latin)
    assert from_khmer[0] in khmer and from_latin[0] in english
    # a spelling variant of the romanization also reaches the Khmer text
    assert khmer <= set(_all_ids_no_expand(search_service, "Chanta"))


def test_khmer_name_keys_do_not_match_small_english_words(search_service):
    """Romanized Khmer words meet capitalised names only: សិទ្ធិ (romanized 'sete') must not find
    English texts through 'see the'."""
    res = search_service.search(SearchRequest(q="អ្នកការពារសិទ្ធិមនុស្ស", expand=False, per_page=100))
    assert all(r["language"] != "en" for r in res["results"])


def _all_ids_no_expand(service, q):
    res = service.search(SearchRequest(q=q, expand=False, per_page=100))
    return [r["id"] for r in res["results"]]
