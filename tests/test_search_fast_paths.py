"""The search's fast paths give exactly what the plain computations they replace give, on the real
corpus: term vectors parsed from their raw bytes (indexer.snippets) against Whoosh's own vector
matcher, the page-only ordering against a full lexsort, phrase results reused from the generation's
cache against a fresh evaluation, the group key's summary against normalising the whole body, and
the non-Khmer shortcut of is_cluster_boundary against scanning for clusters."""
from __future__ import annotations

import re
import unicodedata

import numpy as np
import pytest

from analyzers.khmer import _CLUSTER_RE, is_cluster_boundary
from indexer.evaluate import ArrayEvaluator
from indexer.groups import SUMMARY_CHARS, _summary
from indexer.querybuild import QueryBuilder
from indexer.queryparse import parse
from indexer.search import SearchRequest, SearchService, _lexsort_first
from indexer.snippets import _matcher_vector_postings, _vector_postings

QUERIES = ["detention", "human rights defenders", '"pre-trial detention"', "Hun Sen", "សិទ្ធិ",
           "សមាគម ស៊ីវិល", "IDEA សមាគម", "សិទ្ធិមនុស្ស", "ការឃុំខ្លួន", "Chea Chantha", "ជា ចាន់ថា",
           "land rights", "workers union strike", "torture prison", "freedom of expression online",
           "តុលាការ ការឃុំខ្លួន", "CCHR ភាពធន់", "eviction ដីធ្លី"]


@pytest.fixture(scope="module")
def generation(search_service):
    search_service.search(SearchRequest(q="warm"))
    return search_service._current()


def _whoosh_vector_postings(searcher, docnum, field, terms):
    """The reference: Whoosh's vector matcher stepped with skip_to (what snippets did before)."""
    return _matcher_vector_postings(searcher.reader(), docnum, field, sorted(set(terms)),
                                    searcher.schema[field].vector)


def test_raw_vector_reading_equals_whoosh_matcher(generation):
    """Every document's body and body_sub vector: its first, last and every seventh term plus
    terms it lacks give the same postings both ways (and None alike where there is no vector)."""
    searcher = generation.searcher
    reader = searcher.reader()
    absent = {"body": ["aaaa", "zzzz", "prison", "សិទ្ធិ"], "body_sub": ["ក", "សិ", "zz"]}
    checked = multi_block = 0
    for docnum in range(searcher.doc_count_all()):
        for field in ("body", "body_sub"):
            own = []
            if reader.has_vector(docnum, field):
                vec = reader.vector(docnum, field)
                while vec.is_active():
                    own.append(vec.id())
                    vec.next()
            terms = set(own[::7]) | set(own[:1]) | set(own[-1:]) | set(absent[field])
            want = _whoosh_vector_postings(searcher, docnum, field, terms)
            assert _vector_postings(searcher, docnum, field, terms) == want, (docnum, field)
            checked += want is not None
            multi_block += len(own) > 128
    assert checked > 70 and multi_block > 5  # vectors of several blocks were read too


@pytest.mark.parametrize("page", [1, 3])
def test_page_ordering_equals_full_sort(generation, page):
    service = SearchService.__new__(SearchService)
    for q in QUERIES + ["", "rights", "ការ"]:
        for sort in ("relevance", "date", "oldest"):
            req = SearchRequest(q=q, sort=sort, page=page)
            seen = {}
            original = SearchService._order

            def spy(self, gen, built, req, docnums, scores, matches, limit=None):
                seen["args"] = (gen, built, req, docnums, scores, matches)
                return original(self, gen, built, req, docnums, scores, matches, limit=limit)

            SearchService._order = spy
            try:
                generation_result = service._search(generation, req)
            finally:
                SearchService._order = original
            full = original(service, *seen["args"])
            first = (page - 1) * req.per_page
            assert [r["id"] for r in generation_result["results"]] == [
                generation.searcher.stored_fields(int(d))["id"] for d in full[first:first + req.per_page]], (q, sort)


def test_lexsort_first_equals_lexsort_on_ties_and_floats():
    rng = np.random.default_rng(7)
    for _ in range(400):
        n = int(rng.integers(0, 3000))
        keys = [rng.integers(0, 2, n).astype(bool), np.round(rng.random(n) * 10, 1),
                -rng.integers(0, 4, n), rng.permutation(n)]
        keys = keys[:int(rng.integers(1, 5))]
        limit = int(rng.integers(0, 60))
        assert np.array_equal(_lexsort_first(limit, keys), np.lexsort(keys)[:limit])


def test_cached_phrases_give_the_fresh_results(generation):
    """A second evaluator of the generation takes phrases from the shared cache: the same masks and
    scores as an evaluator without the cache, for every clause of the queries."""
    builder = QueryBuilder(generation.mixed, generation.subword, resolve_values=generation.columns.resolve,
                           expand=True)
    built = [builder.build(parse(q)) for q in QUERIES]
    queries = [c.full for b in built for c in b.clauses] + [b.scoring for b in built if b.scoring is not None]
    generation.evaluator()  # the generation's cache, filled by the first pass below
    for q in queries:
        generation.evaluator().run(q)
    assert len(generation._phrases) > 10
    for q in queries:
        cached = generation.evaluator().run(q)
        fresh = ArrayEvaluator(generation.arrays, generation.columns.alive).run(q)
        assert np.array_equal(cached.mask, fresh.mask), q
        assert np.array_equal(cached.scores, fresh.scores), q


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip().casefold()


def test_group_summary_equals_normalising_the_whole_body(corpus_records):
    bodies = [r.body or "" for r in corpus_records]
    # decomposed accents, final sigma, a ligature, wide spacing: case folding and NFC around a cut
    bodies += [("Cafe\u0301 ΣΑΣ ﬃ  \n\t" * 400), ("x" * 5000), (" \n" * 3000 + "Word " * 300), ""]
    for body in bodies:
        assert _summary(body) == _normal(body)[:SUMMARY_CHARS]


def _scanned_boundary(text: str, offset: int) -> bool:
    """is_cluster_boundary without its shortcut."""
    if offset <= 0 or offset >= len(text):
        return True
    lo = max(0, offset - 32)
    return not any(m.start() < offset < m.end() for m in _CLUSTER_RE.finditer(text, lo, min(len(text), offset + 32)))


def test_cluster_boundary_shortcut_equals_scanning(corpus_records, corpus_dir):
    texts = [t for r in corpus_records for t in (r.body, r.title) if t and re.search("[\u1780-\u17ff]", t)]
    texts += [p.read_text(encoding="utf-8") for p in sorted((corpus_dir / "sources").glob("*.txt"))]
    # Khmer with its spaces removed (long runs) and invisible marks inside
    texts += [t.replace(" ", "") for t in texts] + [t.replace(" ", "\u200b") for t in texts[:3]]
    assert sum(len(re.findall("[\u1780-\u17ff]", t)) for t in texts) > 3000
    checked = 0
    for text in texts:
        for offset in range(-1, len(text) + 2):
            assert is_cluster_boundary(text, offset) == _scanned_boundary(text, offset), offset
            checked += 1
    assert checked > 100000
