"""Two writer processes, each keeping its own segment (the default from PARALLEL_MIN_DOCS documents),
give the same search results as one process: same hits, same scores, same facet counts."""
from __future__ import annotations

from dataclasses import replace

import pytest
from whoosh import index as windex

from corpus_helpers import write_jsonl_corpus
from indexer import layout
from indexer.build import build_index
from indexer.search import SearchRequest, SearchService

QUERIES = ["detention", "Keoraksmey", "Chea Chantha", "ជា ចាន់ថា", "សង្គមស៊ីវិល", "LICADHO ពន្ធនាគារ",
           '"human rights"', "land -eviction"]


@pytest.fixture(scope="module")
def three_batches(tmp_path_factory, corpus_records):
    """The real records three times over (new ids), so that both writer processes get batches."""
    records = [replace(r, id=f"{r.id}-copy{n}") if n else r for n in range(3) for r in corpus_records]
    return write_jsonl_corpus(tmp_path_factory.mktemp("corpus"), records), len(records)


def _segments(root):
    ix = windex.open_dir(str(layout.current_generation(root)))
    try:
        return [s.doc_count_all() for s in ix._segments()]
    finally:
        ix.close()


def _answer(service, q):
    """(total, {id: score} of every hit, facet counts)."""
    hits, page = {}, 1
    while True:
        res = service.search(SearchRequest.from_params(q=q, per_page=100, page=page))
        hits.update({r["id"]: round(r["score"], 4) for r in res["results"]})
        if page * 100 >= res["total"]:
            return res["total"], hits, res["facets"]
        page += 1


def test_two_processes_keep_two_segments_and_answer_like_one(tmp_path, three_batches):
    corpus, count = three_batches
    one = build_index(corpus, tmp_path / "one", progress=False, procs=1)
    two = build_index(corpus, tmp_path / "two", progress=False, procs=2)
    assert one.added == two.added == count
    assert _segments(tmp_path / "one") == [count]
    parts = _segments(tmp_path / "two")
    assert len(parts) == 2 and sum(parts) == count
    a, b = SearchService(tmp_path / "one"), SearchService(tmp_path / "two")
    try:
        for q in QUERIES:
            total, hits, facets = _answer(a, q)
            assert total > 0, q
            assert (total, hits, facets) == _answer(b, q), q
    finally:
        a.close()
        b.close()


def test_incremental_update_on_a_two_segment_index(tmp_path, three_batches, corpus_records):
    corpus, count = three_batches
    root = tmp_path / "index"
    build_index(corpus, root, progress=False, procs=2)
    changed = replace(corpus_records[0], body=corpus_records[0].body + "\n\nAddendum about zzyzxquokka.")
    records = [changed, *corpus_records[1:]]
    write_jsonl_corpus(corpus, records + [replace(r, id=f"{r.id}-copy{n}") for n in (1, 2) for r in corpus_records])
    report = build_index(corpus, root, incremental=True, progress=False)
    assert report.incremental and (report.updated, report.added, report.deleted) == (1, 0, 0)
    service = SearchService(root)
    try:
        assert [r["id"] for r in service.search(SearchRequest(q="zzyzxquokka"))["results"]] == [changed.id]
        assert service.search(SearchRequest())["total"] == count
    finally:
        service.close()


def _order(service, q, sort):
    """Every hit's id in result order (all pages)."""
    ids, page = [], 1
    while True:
        res = service.search(SearchRequest.from_params(q=q, sort=sort, per_page=100, page=page))
        ids += [r["id"] for r in res["results"]]
        if page * 100 >= res["total"]:
            return ids
        page += 1


def test_tied_results_come_in_the_same_order_from_every_build(tmp_path, corpus_records):
    """Each record is there three times (same text, date and score): ties everywhere. One writer,
    two writers and an incremental build that added the third copy later list them in one order,
    by record id (they were ordered by docnum, which differs between builds)."""
    three = [replace(r, id=f"{r.id}-copy{n}") if n else r for n in range(3) for r in corpus_records]
    corpus = write_jsonl_corpus(tmp_path / "corpus", three)  # its own: another test edits the module's
    build_index(corpus, tmp_path / "one", progress=False, procs=1)
    build_index(corpus, tmp_path / "two", progress=False, procs=2)
    later = tmp_path / "later-corpus"
    two_copies = [replace(r, id=f"{r.id}-copy{n}") if n else r for n in range(2) for r in corpus_records]
    write_jsonl_corpus(later, two_copies)
    build_index(later, tmp_path / "incremental", progress=False, procs=1)
    write_jsonl_corpus(later, two_copies + [replace(r, id=f"{r.id}-copy2") for r in corpus_records])
    report = build_index(later, tmp_path / "incremental", incremental=True, progress=False)
    assert report.added == len(corpus_records)
    services = [SearchService(tmp_path / name) for name in ("one", "two", "incremental")]
    try:
        for q in ["", *QUERIES]:
            for sort in ("relevance", "date", "oldest"):
                orders = [_order(s, q, sort) for s in services]
                assert orders[0] and orders[0] == orders[1] == orders[2], (q, sort)
    finally:
        for s in services:
            s.close()
