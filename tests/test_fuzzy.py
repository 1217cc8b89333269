"""Typo tolerance (indexer.fuzzy, indexer.typos) on the real corpus: misspelt words find what the
right spelling finds, below exact matches; the fuzzy vocabulary equals a brute-force scan; it is
rewritten by incremental updates; the work per request is bounded."""
from __future__ import annotations

import json
import random
import re

import pytest

from indexer.fuzzy import (FILE_NAME, FuzzyVocabulary, allowed_typos, khmer_clusters, levenshtein,
                           lexicon_khmer_forms, osa_distance)
from indexer.layout import current_generation
from indexer.queryparse import parse
from indexer.search import BadParameter, SearchRequest, SearchService
from indexer.typos import MAX_WORD_CHARS, MAX_WORDS, find_corrections
from tests.corpus_helpers import write_jsonl_corpus


def _ids(service, q, **params):
    res = service.search(SearchRequest.from_params(q=q, per_page=100, **params))
    return [r["id"] for r in res["results"]], res


@pytest.fixture(scope="module")
def client(search_service):
    from webui import create_app

    return create_app(service=search_service).test_client()


@pytest.fixture(scope="module")
def fuzzy(search_service):
    return search_service._current().fuzzy


@pytest.mark.parametrize("typed,right", [("evictoin", "eviction"), ("journalsts", "journalists"),
                                         ("detension", "detention")])
def test_misspelt_word_finds_what_the_right_spelling_finds(search_service, typed, right):
    expected, _ = _ids(search_service, right)
    assert expected
    found, res = _ids(search_service, typed)
    assert set(found) == set(expected)
    assert res["corrected"] == {"query": right, "original": typed, "words": [{"from": typed, "to": [right]}]}
    assert res["suggestion"] == right
    assert res["typos"] is True
    # typos=0 searches the words as typed: nothing, and "Did you mean" still offers the right spelling
    exact, res = _ids(search_service, typed, typos="0")
    assert exact == [] and res["corrected"] is None and res["suggestion"] == right


def test_typo_matches_rank_after_exact_matches(search_service, corpus_records):
    """A typo alternative never lifts a document above one matching a query word as typed: with
    no document holding both words, every exact match of the first word comes first."""
    evicted = set(_ids(search_service, "eviction")[0])
    for word in ("journalists", "children", "prison", "women", "election"):
        holders = set(_ids(search_service, word)[0])
        if holders and not holders & evicted:
            break
    else:
        pytest.fail("no word of the list is disjoint from the eviction documents")
    ids, res = _ids(search_service, f"{word} evictoin")
    assert res["matched"] == "any" and res["corrected"]["query"] == f"{word} eviction"
    assert set(ids) == holders | evicted
    assert set(ids[:len(holders)]) == holders
    scores = {r["id"]: r["score"] for r in res["results"]}
    assert max(scores[i] for i in evicted) < max(scores[i] for i in holders)


def test_misspelt_romanized_name_finds_the_name(search_service, corpus_records):
    holders = {r.id for r in corpus_records if re.search(r"\bKeoraksmey\b", f"{r.title}\n{r.body}")}
    assert holders
    ids, res = _ids(search_service, "Keoraksnmey", expand="0")  # one letter too many: no name key meets it
    assert holders <= set(ids)
    assert res["corrected"]["query"] == "Keoraksmey"
    assert _ids(search_service, "Keoraksnmey", expand="0", typos="0")[0] == []


@pytest.mark.parametrize("edit", ["missing", "wrong"])
def test_khmer_word_one_cluster_off_finds_the_word(search_service, edit):
    word = "ការខកចិត្ត"
    cl = khmer_clusters(word)
    assert cl == ["កា", "រ", "ខ", "ក", "ចិ", "ត្ត"]
    typed = "".join(cl[:3] + cl[4:]) if edit == "missing" else "".join(cl[:2] + ["គ"] + cl[3:])
    expected, _ = _ids(search_service, word, expand="0")
    assert expected
    found, res = _ids(search_service, typed, expand="0")
    assert set(found) == set(expected)
    assert res["corrected"]["words"] == [{"from": typed, "to": [word]}]
    assert _ids(search_service, typed, expand="0", typos="0")[0] == []


@pytest.mark.parametrize("typed,form", [("បរិស្ថន", "បរិស្ថាន"),  # environment, a vowel missing
                                        ("ទារុណកម្ន", "ទារុណកម្ម")])  # torture, the last cluster wrong
def test_khmer_typo_of_a_lexicon_word_no_record_holds_finds_its_translation(search_service, fuzzy, typed, form):
    """A Khmer query for English publications: no indexed Khmer record holds the word, so the
    lexicon's Khmer forms are the vocabulary it is corrected to (before: no result at all)."""
    assert not fuzzy.has_khmer(form) and not fuzzy.khmer_near(typed)
    expected, right = _ids(search_service, form)
    assert expected and right["corrected"] is None
    found, res = _ids(search_service, typed)
    assert set(found) == set(expected)
    assert res["corrected"]["words"] == [{"from": typed, "to": [form]}]
    assert {r["language"] for r in res["results"]} == {"en"}
    assert _ids(search_service, typed, typos="0")[0] == []


def test_a_short_khmer_word_is_not_corrected_to_a_lexicon_form(search_service, fuzzy):
    """ពេលនេះ (now), three clusters, is in neither the index nor the lexicon, and one cluster
    from the lexicon's ពេលខ្លះ (sometimes): a real word, left as typed."""
    assert not fuzzy.has_khmer("ពេលនេះ") and "ពេលខ្លះ" in lexicon_khmer_forms()
    assert _ids(search_service, "ពេលនេះ")[1]["corrected"] is None


def test_a_correctly_spelt_word_never_gets_typo_alternatives(search_service, fuzzy):
    rng = random.Random(13)
    latin = rng.sample(fuzzy.latin, 60)
    khmer = rng.sample(fuzzy.khmer, min(20, len(fuzzy.khmer)))
    for word in latin + khmer:
        res = search_service.search(SearchRequest(q=word, per_page=1))
        assert res["corrected"] is None, word
        assert res["suggestion"] is None, word


def _edits(rng, word, alphabet, n):
    w = list(word)
    for _ in range(n):
        op = rng.choice("ids" if len(w) > 1 else "i")
        i = rng.randrange(len(w) + (op == "i"))
        if op == "i":
            w.insert(i, rng.choice(alphabet))
        elif op == "d":
            del w[i]
        else:
            w[i] = rng.choice(alphabet)
    return w


def test_latin_lookup_equals_a_brute_force_scan(fuzzy):
    rng = random.Random(7)
    vocab = fuzzy.latin
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    words = [w for w in vocab if len(w) >= 5]
    for _ in range(300):
        query = "".join(_edits(rng, rng.choice(words), alphabet, rng.choice((1, 1, 2))))
        k = allowed_typos(query)
        brute = sorted((t, d, int(fuzzy.latin_df[i])) for i, t in enumerate(vocab) if t != query
                       for d in [osa_distance(query, t, k)] if k and d is not None)
        assert sorted(fuzzy.latin_near(query, k)) == brute, query


def test_khmer_lookup_equals_a_brute_force_scan(fuzzy):
    rng = random.Random(11)
    vocab = fuzzy.khmer
    clusters = sorted({c for w in vocab for c in khmer_clusters(w)})
    seen = 0
    for _ in range(300):
        query = _edits(rng, khmer_clusters(rng.choice(vocab)), clusters, 1)
        text = "".join(query)
        query = khmer_clusters(text)  # the text as the index reads it
        brute = sorted(t for t in vocab if t != text and len(query) >= 3
                       and levenshtein(query, khmer_clusters(t), 1) is not None)
        assert sorted(t for t, _ in fuzzy.khmer_near(text)) == brute, text
        seen += bool(brute)
    assert seen > 100


def test_incremental_update_rewrites_the_fuzzy_vocabulary(tmp_path, corpus_records):
    from indexer.build import build_index

    corpus = write_jsonl_corpus(tmp_path / "corpus", corpus_records[:20])
    index = tmp_path / "index"
    build_index(corpus, index, progress=False)
    first = current_generation(index)
    assert (first / FILE_NAME).is_file()
    record = {"id": "fuzzy-new-1", "title": "Statement on floodplain resettlement",
              "organisation": "LICADHO", "doc_type": "Statement", "date": "2024-05-01", "language": "en",
              "body": "Families were moved for the Zanzibarian causeway without compensation."}
    with open(corpus / "documents" / "real.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")
    report = build_index(corpus, index, incremental=True, progress=False)
    assert report.incremental and report.added == 1
    second = current_generation(index)
    assert second != first and (second / FILE_NAME).is_file()
    assert FuzzyVocabulary.open(second).has_latin("zanzibarian")
    assert not FuzzyVocabulary.open(first).has_latin("zanzibarian")
    service = SearchService(index)
    try:
        ids, res = _ids(service, "Zanzibrian")
        assert ids == ["fuzzy-new-1"] and res["corrected"]["query"] == "Zanzibarian"
    finally:
        service.close()


def test_a_damaged_fuzzy_file_is_rebuilt_in_memory(tmp_path, corpus_records):
    from indexer.build import build_index

    corpus = write_jsonl_corpus(tmp_path / "corpus", corpus_records)
    index = tmp_path / "index"
    build_index(corpus, index, progress=False)
    path = current_generation(index) / FILE_NAME
    path.write_bytes(path.read_bytes()[:1000])  # truncated
    service = SearchService(index)
    try:
        res = service.search(SearchRequest(q="detension"))
        assert res["total"] and res["corrected"]["query"] == "detention"
    finally:
        service.close()


class _Counting:
    """A fuzzy vocabulary that counts its look-ups."""

    def __init__(self, inner):
        self.inner, self.calls = inner, []

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if name.endswith("_near"):
            def counted(word, *args):
                self.calls.append(word)
                return attr(word, *args)
            return counted
        return attr


def test_work_per_request_is_bounded(search_service, fuzzy):
    gen = search_service._current()
    from indexer.typos import stem_known

    letters = "abcdefghijklmnopqrstuvwxyz"
    made_up = " ".join(f"zq{letters[i // 26]}{letters[i % 26]}xvbw" for i in range(140))
    counting = _Counting(fuzzy)
    found = find_corrections(counting, parse(made_up), held=lambda w: False,
                             stem_known=lambda low: stem_known(gen.searcher.reader(), gen.mixed, low))
    assert len(counting.calls) == MAX_WORDS and found.truncated
    counting = _Counting(fuzzy)
    find_corrections(counting, parse("detension" + "x" * MAX_WORD_CHARS), held=lambda w: False,
                     stem_known=lambda low: False)
    assert counting.calls == []
    # a spent budget: no look-up at all, the query is answered as typed
    counting = _Counting(fuzzy)
    found = find_corrections(counting, parse("detension"), held=lambda w: False,
                             stem_known=lambda low: False, budget=-1)
    assert counting.calls == [] and found.truncated and found.corrected("detension") is None
    res = search_service.search(SearchRequest(q="a" * 1000))
    assert res["total"] == 0 and res["corrected"] is None


def test_typos_flag_is_validated():
    with pytest.raises(BadParameter) as err:
        SearchRequest.from_params(q="x", typos="maybe")
    assert err.value.name == "typos"
    assert SearchRequest.from_params(q="x", typos="0").typos is False


def test_page_shows_results_for_the_correction_and_links_the_words_as_typed(client):
    import html

    text = client.get("/search?q=evictoin&lang=en").get_data(as_text=True)
    corrected = re.search(r'<p class="suggestion corrected" id="corrected">(.*?)</p>', text, re.S).group(1)
    assert "Showing results for" in corrected and "Search instead for" in corrected
    instead = html.unescape(re.search(r'<a href="([^"]+)" id="search-instead">', corrected).group(1))
    assert "q=evictoin" in instead and "typos=0" in instead
    text = client.get(instead).get_data(as_text=True)
    assert 'id="corrected"' not in text and 'id="suggestion"' in text
    hostile = client.get("/search?q=%3Cscriptt%3E+evictoin&lang=en").get_data(as_text=True)
    assert "<scriptt>" not in hostile


def test_cli_says_what_it_corrected_and_no_typos_searches_as_typed(real_index_dir):
    from click.testing import CliRunner

    from indexer.commands import search_command

    out = CliRunner().invoke(search_command, ["evictoin", "--index-dir", str(real_index_dir), "--json"])
    assert out.exit_code == 0 and json.loads(out.output)["corrected"]["query"] == "eviction"
    out = CliRunner().invoke(search_command, ["evictoin", "--index-dir", str(real_index_dir)])
    assert out.output.startswith("Showing results for: eviction")
    out = CliRunner().invoke(search_command, ["evictoin", "--no-typos", "--index-dir", str(real_index_dir)])
    assert "Did you mean: eviction" in out.output and "No results for 'evictoin'" in out.output
