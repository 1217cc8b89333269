"""Incremental updates drop segments whose documents are all deleted and keep the number of
segments bounded by merging small ones, without losing or duplicating a document; real records."""
from __future__ import annotations

from dataclasses import replace

import pytest
from whoosh.filedb.filestore import FileStorage

import indexer.segment_merge as segment_merge
from corpus_helpers import write_jsonl_corpus
from indexer.build import build_index
from indexer.layout import current_generation
from indexer.search import SearchService


def _segments(root) -> list[tuple[int, int]]:
    """(documents, live documents) of each segment of the current generation."""
    ix = FileStorage(str(current_generation(root)), supports_mmap=False).open_index()
    try:
        with ix.reader() as reader:
            leaves = [leaf for leaf, _ in reader.leaf_readers()]
            return sorted((leaf.doc_count_all(), leaf.doc_count()) for leaf in leaves)
    finally:
        ix.close()


def _titles(root, ids):
    service = SearchService(root)
    try:
        assert service.search(per_page=1)["total"] == len(ids)
        return [service.document(doc_id)["title"] for doc_id in ids]
    finally:
        service.close()


@pytest.fixture
def thirty(tmp_path, corpus_records):
    records = list(corpus_records[:30])
    corpus = write_jsonl_corpus(tmp_path / "corpus", records)
    root = tmp_path / "index"
    build_index(corpus, root, progress=False, procs=1)
    assert _segments(root) == [(30, 30)]
    return records, corpus, root


def test_a_segment_left_with_no_live_document_is_dropped(thirty):
    records, corpus, root = thirty
    for round_ in (1, 2, 3):  # the same record edited again: its previous segment empties
        records[4] = replace(records[4], title=f"{records[4].title} (revised {round_})")
        write_jsonl_corpus(corpus, records)
        report = build_index(corpus, root, incremental=True, progress=False)
        assert report.updated == 1
        assert _segments(root) == [(1, 1), (30, 29)]
    assert _titles(root, [r.id for r in records]) == [r.title for r in records]


def test_the_number_of_segments_stays_bounded(thirty, monkeypatch):
    monkeypatch.setattr(segment_merge, "MAX_SEGMENTS", 4)
    monkeypatch.setattr(segment_merge, "SMALL_SHARE", 0.5)  # merged segments of a few records stay small
    records, corpus, root = thirty
    counts = []
    for n in range(8):  # a different record each time: every update's segment stays live
        records[n] = replace(records[n], title=f"{records[n].title} (edition {n})")
        write_jsonl_corpus(corpus, records)
        build_index(corpus, root, incremental=True, progress=False)
        segments = _segments(root)
        counts.append(len(segments))
        assert sum(live for _, live in segments) == 30
    assert counts[:4] == [2, 3, 4, 5]  # no merge before the bound: 4 small segments + the full build's
    assert max(counts) == 5 and counts[4] < 5  # then small ones are merged
    assert _titles(root, [r.id for r in records]) == [r.title for r in records]


def test_large_segments_are_never_merged_to_keep_the_bound(thirty, monkeypatch):
    monkeypatch.setattr(segment_merge, "MAX_SEGMENTS", 2)
    records, corpus, root = thirty
    for n in range(3):
        records[n] = replace(records[n], title=f"{records[n].title} (edition {n})")
        write_jsonl_corpus(corpus, records)
        build_index(corpus, root, incremental=True, progress=False)
    segments = _segments(root)
    assert (30, 27) in segments  # the big segment was not copied
    assert sum(live for _, live in segments) == 30


def test_a_corpus_emptied_keeps_a_searchable_index(thirty):
    records, corpus, root = thirty
    write_jsonl_corpus(corpus, [])
    report = build_index(corpus, root, incremental=True, progress=False)
    assert report.deleted == 30 and report.documents == 0
    assert _segments(root) == [(30, 0)]
    service = SearchService(root)
    try:
        assert service.search(q="rights")["total"] == 0 and service.document(records[0].id) is None
    finally:
        service.close()
    write_jsonl_corpus(corpus, records[:3])
    report = build_index(corpus, root, incremental=True, progress=False)
    assert report.added == 3 and _segments(root) == [(3, 3)]
    assert _titles(root, [r.id for r in records[:3]]) == [r.title for r in records[:3]]
