"""The lexicon's term entries on the real corpus: Khmer queries for the English records' subjects
find them, English queries find the Khmer records, and no expansion brings in a record that holds
none of the entry's forms (precision). Relevance is decided here from the records' text, by stem,
not through the lexicon."""
from __future__ import annotations

import re

import pytest

from lexicon.khmer_text import normalize
from lexicon.loader import shipped_entries

_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’][A-Za-z]+)?")


def _stems(text: str) -> list[str]:
    """Stems of the words of `text` without Whoosh's stop words (the index leaves them out too)."""
    import Stemmer
    from whoosh.analysis import STOP_WORDS

    words = [w.replace("’", "'").lower() for w in _WORD.findall(text)]
    words = [w[:-2] if w.endswith("'s") else w for w in words if w not in STOP_WORDS]
    return Stemmer.Stemmer("english").stemWords(words)


def _holds(text_stems: list[str], phrase: str) -> bool:
    key = _stems(phrase)
    return bool(key) and any(text_stems[i:i + len(key)] == key for i in range(len(text_stems) - len(key) + 1))


@pytest.fixture(scope="module")
def record_stems(corpus_records):
    return {r.id: (_stems(r.title), _stems(f"{r.title}\n{r.body}")) for r in corpus_records}


def _ids(result) -> set[str]:
    return {r["id"] for r in result["results"]}


def _all_word_ids(result) -> set[str]:
    """The results matching every word of the query (a partial match, indexer.ranking, may hold
    one of a phrase's words without any form of the entry)."""
    return {r["id"] for r in result["results"] if not r["missing"]}


@pytest.mark.parametrize("khmer, english", [
    ("ការឃុំខ្លួនបណ្តោះអាសន្ន", "pre-trial detention"),
    ("ការបរិហារកេរ្តិ៍", "defamation"),
    ("ការញុះញង់", "incitement"),
    ("ពលកម្មកុមារ", "child labour"),
    ("ការរំលោភសេពសន្ថវៈ", "rape"),
    ("ក្រុមប្រឹក្សាសិទ្ធិមនុស្ស", "Human Rights Council"),
    ("អ្នករាយការណ៍ពិសេស", "Special Rapporteur"),
    ("ការស៊ើបអង្កេត", "investigation"),
    ("អាកាសធាតុ", "climate"),
    ("បណ្តឹងឧទ្ធរណ៍", "appeal"),
    ("ការធ្វើទុក្ខបុកម្នេញ", "persecution"),
    ("គណៈកម្មាធិការជាតិរៀបចំការបោះឆ្នោត", "National Election Committee"),
    ("សហភាពអឺរ៉ុប", "European Union"),
    ("ការឃុំខ្លួនដោយបំពាន", "arbitrary detention"),
    ("ភាពអាសន្ន", "state of emergency"),
    ("រដ្ឋសភា", "National Assembly"),
])
def test_a_khmer_query_finds_the_english_records_titled_with_its_subject(search_service, corpus_records,
                                                                          record_stems, khmer, english):
    titled = {r.id for r in corpus_records if r.language == "en" and _holds(record_stems[r.id][0], english)}
    mentioning = {r.id for r in corpus_records if r.language == "en" and _holds(record_stems[r.id][1], english)}
    assert mentioning, english
    plain = _ids(search_service.search(q=khmer, expand=False, per_page=100))
    found = search_service.search(q=khmer, per_page=100)
    assert not plain & mentioning
    assert mentioning <= _ids(found)
    top = [r["id"] for r in found["results"][:max(len(titled), 1)]]
    assert titled <= set(top)  # the records about it first


@pytest.mark.parametrize("english, khmer", [
    ("fraud", "ឆបោក"),
    ("article", "មាត្រា"),  # not "article 610": the Khmer record holds 610, a partial match by itself
    ("disappointed", "ការខកចិត្ត"),
    ("regional leader", "ថ្នាក់ដឹកនាំតំបន់"),
    ("public awareness", "ការយល់ដឹង"),
    ("centre", "មជ្ឈមណ្ឌល"),
    ("July", "ខែកក្កដា"),  # not "July 2024": the Khmer record holds 2024, a partial match by itself
])
def test_an_english_query_reaches_the_khmer_record_that_holds_its_pair(search_service, corpus_records, english, khmer):
    holding = {r.id for r in corpus_records if r.language == "km" and khmer in normalize(f"{r.title}\n{r.body}")}
    assert holding
    plain = _ids(search_service.search(q=english, expand=False, per_page=100))
    found = _ids(search_service.search(q=english, per_page=100))
    assert not plain & holding
    assert holding <= found


@pytest.mark.slow
def test_no_english_expansion_reaches_a_record_holding_none_of_the_entry_forms(search_service, corpus_records,
                                                                              record_stems):
    """For every one-word English form of a term that occurs in the corpus and has other English
    forms (translations reach only Khmer text; variants can reach English records): a record
    found only with expansion is a Khmer record or holds another English form of the entry."""
    by_id = {r.id: r for r in corpus_records}
    vocabulary = {s for _, body in record_stems.values() for s in body}
    checked = 0
    for entry in shipped_entries():
        if entry.kind != "term":
            continue
        for form in entry.english:
            key = _stems(form)
            if len(key) != 1 or key[0] not in vocabulary or len({tuple(_stems(f)) for f in entry.english}) < 2:
                continue
            plain = _ids(search_service.search(q=form, expand=False, per_page=100))
            extra = _ids(search_service.search(q=form, per_page=100)) - plain
            for doc in extra:
                if by_id[doc].language == "km":
                    continue
                assert any(_holds(record_stems[doc][1], other) for other in entry.english), (form, doc)
            checked += 1
    assert checked > 50


@pytest.mark.slow
def test_no_khmer_expansion_reaches_an_english_record_holding_none_of_the_translations(search_service,
                                                                                      corpus_records,
                                                                                      record_stems):
    """For the Khmer forms of every term whose English side occurs in the corpus."""
    by_id = {r.id: r for r in corpus_records}
    english_records = [r for r in corpus_records if r.language != "km"]
    checked = 0
    for entry in shipped_entries():
        if entry.kind != "term" or not any(_holds(record_stems[r.id][1], en)
                                           for en in entry.english for r in english_records):
            continue
        for form in entry.khmer[:1]:
            plain = _ids(search_service.search(q=form, expand=False, per_page=100))
            extra = _all_word_ids(search_service.search(q=form, per_page=100)) - plain
            for doc in extra:
                if by_id[doc].language == "km":
                    continue
                assert any(_holds(record_stems[doc][1], en) for en in entry.english), (form, doc)
            checked += 1
    assert checked > 250


def test_a_broad_word_does_not_outrank_the_query_itself(search_service):
    """"rights" -> សិទ្ធិ: the records matching the English word come first, the Khmer ones after."""
    result = search_service.search(q="rights", per_page=100)
    via = [r["matched_via"] for r in result["results"]]
    assert "expansion" in via
    assert via == sorted(via, key=lambda v: v != "exact")
    khmer = search_service.search(q="សិទ្ធិ", per_page=100)
    assert khmer["results"][0]["language"] == "km"  # the Khmer record that says it, before translations
