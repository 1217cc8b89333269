"""Snippets and document HTML on the real corpus: escaped, marked, cut on word/cluster boundaries."""
from __future__ import annotations

import html
import re

import pytest

from analyzers import KhmerSubwordAnalyzer, MixedAnalyzer
from analyzers.khmer import is_cluster_boundary
from indexer.querybuild import QueryBuilder
from indexer.queryparse import parse
from indexer.search import SearchRequest
from indexer.snippets import body_html, match_spans, snippet

MIXED, SUBWORD = MixedAnalyzer(), KhmerSubwordAnalyzer()


def _plain(snip: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", snip)).removeprefix("… ").removesuffix(" …")


def _locate(body: str, plain: str) -> tuple[int, int]:
    """Start and end of the snippet's text in the body (whitespace collapsed in the snippet)."""
    pattern = r"\s+".join(re.escape(part) for part in plain.split())
    m = re.search(pattern, body)
    assert m, plain
    return m.start(), m.end()


@pytest.mark.parametrize("q", ["ស៊ីវិល", "សមាគម", "IDEA សមាគម", "សិទ្ធិ", "ការងារ"])
def test_khmer_snippets_never_cut_inside_a_cluster(search_service, corpus_records, q):
    bodies = {r.id: r.body for r in corpus_records}
    res = search_service.search(SearchRequest(q=q, per_page=20))
    assert res["results"], q
    for hit in res["results"]:
        body = bodies[hit["id"]]
        start, end = _locate(body, _plain(hit["snippet"]))
        assert is_cluster_boundary(body, start) and is_cluster_boundary(body, end), hit["id"]
        assert start == 0 or not body[start - 1].isalnum() or not body[start].isalnum() \
            or re.match(r"[\u1780-\u17ff]", body[start]), "English cut mid-word"


def test_khmer_snippet_cut_points_on_the_long_khmer_text(corpus_records):
    """Every window start the snippet code may pick in the Khmer statement is a cluster boundary."""
    khmer = [r for r in corpus_records if r.language == "km"]
    assert khmer
    for r in khmer:
        hl = QueryBuilder(MIXED, SUBWORD).build(parse("ស៊ីវិល")).highlight
        spans = match_spans(r.body, hl, MIXED, SUBWORD)
        for size in (40, 90, 160, 240):
            snip = snippet(r.body, spans, MIXED, size=size)
            start, end = _locate(r.body, _plain(snip))
            assert is_cluster_boundary(r.body, start) and is_cluster_boundary(r.body, end)


def test_english_snippet_marks_stemmed_words_and_cuts_on_words(search_service, corpus_records):
    bodies = {r.id: r.body for r in corpus_records}
    res = search_service.search(SearchRequest(q="arrests", per_page=10))
    for hit in res["results"]:
        marked = re.findall(r"<mark>(.*?)</mark>", hit["snippet"])
        if not marked:  # matched in the title only
            continue
        assert all(m.lower().startswith("arrest") for m in marked), marked
        body = bodies[hit["id"]]
        start, end = _locate(body, _plain(hit["snippet"]))
        assert start == 0 or not (body[start - 1].isalnum() and body[start].isalnum())
        assert end == len(body) or not (body[end - 1].isalnum() and body[end].isalnum())


def test_snippets_and_body_html_are_escaped(corpus_records):
    with_markup = [r for r in corpus_records if re.search(r"[<>&\"]", r.body)]
    assert with_markup, "the corpus has bodies with & < > or quotes"
    for r in with_markup:
        word = re.findall(r"[A-Za-z]{5,}", r.body)[0]
        hl = QueryBuilder(MIXED, SUBWORD).build(parse(word)).highlight
        spans = match_spans(r.body, hl, MIXED, SUBWORD)
        for out in (snippet(r.body, spans, MIXED), body_html(r.body, spans)):
            stripped = re.sub(r"</?(mark|p|br)>", "", out)
            assert "<" not in stripped and ">" not in stripped
            assert "<mark>" in out


def test_document_returns_all_fields_and_marked_body(search_service, corpus_records):
    r = next(r for r in corpus_records if "pre-trial detention" in r.body)
    doc = search_service.document(r.id, q="detention")
    for name in ("id", "title", "organisation", "doc_type", "date", "date_precision", "year",
                 "date_source", "language", "source", "url", "body"):
        assert doc[name] == getattr(r, name), name
    assert "<mark>detention</mark>" in doc["body_html"]
    assert doc["body_html"].count("<p>") == len([p for p in r.body.split("\n\n") if p.strip()])
    assert search_service.document(r.id)["body_html"].count("<mark>") == 0


def test_name_variant_is_marked(search_service):
    res = search_service.search(SearchRequest(q="Keoraksmey", per_page=10))
    variants = [h for h in res["results"] if "Keoreaksmey" in h["snippet"]]
    assert variants and all("<mark>Keoreaksmey</mark>" in h["snippet"] for h in variants)


def _real_words(records, script_re, n):
    """The n most frequent words of the corpus bodies matching `script_re` (real query words)."""
    from collections import Counter

    counts = Counter(w for r in records for w in re.findall(script_re, r.body or ""))
    return [w for w, _ in counts.most_common(n)]


def test_snippet_spans_from_term_vectors_equal_reanalysis(search_service, corpus_records):
    """The index's body and body_sub term vectors give exactly the spans that re-analysing the
    body gives, for every document of the real corpus and real English and Khmer words (Khmer
    words also as sub-word cluster sequences)."""
    from indexer.snippets import cluster_spans_from_vector, snippet_spans, term_spans_from_vector

    words = _real_words(corpus_records, r"[A-Za-z]{4,}", 25)
    words += ["សិទ្ធិ", "សមាគម", "ស៊ីវិល", "ការងារ", "រដ្ឋាភិបាល", "IDEA សមាគម", "Hun Sen", "pre-trial"]
    gen = search_service._current()
    searcher = gen.searcher
    checked = khmer_checked = 0
    for q in words:
        hl = QueryBuilder(MIXED, SUBWORD).build(parse(q)).highlight
        if not hl.terms:  # a stop word
            continue
        for docnum in range(searcher.doc_count_all()):
            body = searcher.stored_fields(docnum).get("body", "")
            from_vector = term_spans_from_vector(searcher, docnum, hl.terms)
            seqs = cluster_spans_from_vector(searcher, docnum, hl.cluster_seqs) if hl.cluster_seqs else None
            assert from_vector is not None
            assert snippet_spans(body, hl, MIXED, SUBWORD, from_vector, seqs) == \
                snippet_spans(body, hl, MIXED, SUBWORD), (q, docnum)
            checked += bool(from_vector)
            khmer_checked += bool(seqs)
    assert checked > 100 and khmer_checked > 5  # many (word, document) pairs really matched
