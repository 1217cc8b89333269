"""What the snippets and document pages mark, on the real corpus: a phrase only where its words
stand together, a name and not the word after it, every kind of match in the document page."""
from __future__ import annotations

import re

from indexer.search import SearchRequest

KHMER_NAME = "ជា ចាន់ថា"  # the lexicon's Khmer writing of Chea Chantha


def marks(fragment: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", fragment)


def test_a_lexicon_phrase_does_not_mark_its_common_words_alone(search_service):
    res = search_service.search(SearchRequest(q="Chea Chantha"))
    assert KHMER_NAME in res["also_searched"]
    khmer = [r for r in res["results"] if r["language"] == "km"]
    assert khmer
    for hit in khmer:
        found = marks(hit["snippet"])
        assert found and all(m == KHMER_NAME for m in found), found  # never a lone "ជា"
    doc = search_service.document(khmer[0]["id"], "Chea Chantha")
    body_marks = marks(doc["body_html"])
    assert body_marks and "ជា" not in body_marks
    assert doc["body"].count("ជា") > len(body_marks)  # the common word is there, unmarked


def test_a_name_is_marked_without_the_word_after_it(search_service):
    res = search_service.search(SearchRequest(q="Chea Chantha"))
    english = [r for r in res["results"] if r["language"] == "en"]
    found = [m for hit in english for m in marks(hit["snippet"])]
    assert "Chantha" in found and "a" not in found, found


def test_a_quoted_phrase_marks_the_phrase_not_each_word(search_service):
    res = search_service.search(SearchRequest(q='"human rights"', expand=False, per_page=50))
    lone = [r for r in res["results"] if re.search(r"(?<!human )\brights\b",
                                                   search_service.document(r["id"])["body"])]
    assert lone  # records that also say "rights" without "human" before it
    doc = search_service.document(lone[0]["id"], '"human rights"', expand=False)
    body_marks = marks(doc["body_html"])
    assert body_marks and all(m.lower() == "human rights" for m in body_marks), body_marks


def test_the_document_marks_lexicon_expansions_as_the_search_found_them(search_service):
    res = search_service.search(SearchRequest(q="resilience"))
    khmer = next(r for r in res["results"] if r["language"] == "km")
    assert khmer["matched_via"] == "expansion"
    assert marks(search_service.document(khmer["id"], "resilience")["body_html"]) == ["ភាពធន់"]
    assert marks(search_service.document(khmer["id"], "resilience", expand=False)["body_html"]) == []


def test_a_name_key_does_not_join_two_peoples_names(search_service, corpus_records):
    """Rong Chhun (ឈុន) and Chhoeun Daravy (ឈឿន) are two people: Chhun's key no longer meets
    Chhoeun, in matching or in marks (their vowels are romanized u and oeu)."""
    for q in ("Chhun", "Rong Chhun"):
        res = search_service.search(SearchRequest(q=q, per_page=50))
        found = {m for r in res["results"] for m in marks(r["snippet"])}
        assert "Chhun" in found and "Chhoeun" not in found, (q, found)
        text = {r.id: f"{r.title} {r.body}" for r in corpus_records}
        assert all("Chhun" in text[r["id"]] or "Chuun" in text[r["id"]] or "ឈុន" in text[r["id"]]
                   for r in res["results"] if "Chhun" not in r["missing"]), q
    daravy = search_service.search(SearchRequest(q="Chhoeun Daravy", per_page=50))
    assert daravy["total"] and not any("Chhun" in marks(r["snippet"]) for r in daravy["results"])
    # nor is a common Khmer word a name: "Rong" no longer finds the Khmer statement through រង
    rong = search_service.search(SearchRequest(q="Rong Chhun", per_page=50))
    assert all(r["language"] == "en" for r in rong["results"]), rong["results"]


def test_a_name_key_marks_no_common_word(search_service):
    """A name key marks capitalised words of 3+ letters only (those the index keys), and a Khmer
    grammar word is no name: `men` marks neither "main" nor "in", and finds no Khmer record
    through មិន (min); the Khmer records it finds come through the lexicon (បុរស)."""
    res = search_service.search(SearchRequest(q="men", per_page=50))
    found = {m for r in res["results"] for m in marks(r["snippet"])}
    assert not {m for m in found if m[:1].islower() and m.lower() not in ("men", "man", "man's")}, found
    for r in res["results"]:
        if r["language"] == "km":
            assert r["matched_via"] == "expansion", r["id"]
