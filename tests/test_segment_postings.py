"""Posting-array files beside each segment (indexer.segment_postings) hold exactly what Whoosh's
own posting blocks hold, are written by every build and update, follow the segments through
merges, and are ignored (Whoosh's blocks read instead) when unusable: on the real corpus."""
from __future__ import annotations

import shutil
from contextlib import contextmanager
from dataclasses import replace

import numpy as np
import pytest
from whoosh.filedb.filestore import FileStorage

from indexer import layout
from indexer.build import build_index
from indexer.postings import PostingArrays
from indexer.search import SearchRequest, SearchService
from indexer.segment_postings import (SEARCHED_FIELDS, SUFFIX, SegmentPostings, CorruptPostings,
                                      open_segment_postings, postings_path)

from corpus_helpers import write_jsonl_corpus


@contextmanager
def _current_searcher(root):
    """(generation directory, searcher) of the index under `root`, closed afterwards."""
    gen = layout.current_generation(root)
    ix = FileStorage(str(gen), supports_mmap=False).open_index()
    searcher = ix.searcher()
    try:
        yield gen, searcher
    finally:
        searcher.close()
        ix.close()


def _segment_ids(searcher):
    return [sub.reader().segment().segment_id() for sub, _ in searcher.leaf_searchers()]


@pytest.fixture(scope="module")
def two_segment_index(tmp_path_factory, corpus_records):
    """The real records three times over (new ids: both writer processes get batches), built by
    two writer processes, each keeping its own segment."""
    records = [replace(r, id=f"{r.id}-copy{n}") if n else r for n in range(3) for r in corpus_records]
    corpus = write_jsonl_corpus(tmp_path_factory.mktemp("corpus"), records)
    root = tmp_path_factory.mktemp("two-segments")
    build_index(corpus, root, progress=False, procs=2, multisegment=True)
    return root


def test_every_segment_of_a_build_has_its_postings_file(two_segment_index):
    with _current_searcher(two_segment_index) as (gen, searcher):
        ids = _segment_ids(searcher)
        assert len(ids) == 2
        assert sorted(p.name for p in gen.glob(f"*{SUFFIX}")) == sorted(i + SUFFIX for i in ids)


def test_arrays_equal_whoosh_blocks_for_every_term(two_segment_index):
    """Every term of every searched field: same docnums, weights, positions and lengths."""
    with _current_searcher(two_segment_index) as (gen, searcher):
        from_files = PostingArrays(searcher, folder=gen)
        from_blocks = PostingArrays(searcher)
        assert all(s is not None for s in from_files.stored)
        checked = 0
        for field in SEARCHED_FIELDS:
            fmt = searcher.schema[field].format
            terms = sorted({t for reader, _ in from_blocks.leaves for t in reader.lexicon(field)})
            assert terms, field
            for btext in terms:
                d1, w1 = from_files.postings(field, btext)
                d2, w2 = from_blocks.postings(field, btext)
                assert d1.size > 0
                assert np.array_equal(d1, d2) and np.array_equal(w1, w2), (field, btext)
                if fmt.supports("positions"):
                    p1, p2 = from_files.positions(field, btext), from_blocks.positions(field, btext)
                    assert np.array_equal(p1.starts, p2.starts), (field, btext)
                    assert np.array_equal(p1.flat, p2.flat), (field, btext)
                checked += 1
            if searcher.schema[field].scorable:
                assert np.array_equal(from_files.lengths(field), from_blocks.lengths(field))
        assert checked > 10_000
        # a term no segment holds
        assert from_files.postings("body", "zzzqqqnotaword")[0].size == 0
        assert from_files.positions("body", "zzzqqqnotaword") is None
        from_files.close()


def test_khmer_positions_come_from_the_file(two_segment_index):
    """A Khmer sub-word cluster's positions are read from the file and match the blocks'."""
    with _current_searcher(two_segment_index) as (gen, searcher):
        reader, _ = next((sub.reader(), off) for sub, off in searcher.leaf_searchers())
        stored = open_segment_postings(gen, reader)
        btext = "សិទ្ធិ".encode("utf-8")
        row = stored.term_index("body_sub", btext)
        if row < 0:  # the word is one token; its first cluster is a sub-word term
            btext = sorted(t for t in reader.lexicon("body_sub") if t.decode("utf-8").startswith("ស"))[0]
            row = stored.term_index("body_sub", btext)
        assert row >= 0
        counts, flat = stored.positions("body_sub", row)
        values = list(reader.postings("body_sub", btext).items_as("positions"))
        assert counts.tolist() == [len(p) for _, p in values]
        assert flat.tolist() == [x for _, p in values for x in p]
        stored.close()


def test_search_responses_do_not_depend_on_the_files(two_segment_index, tmp_path):
    """The same whole responses with the files and, on a copy without them, from Whoosh's blocks."""
    bare = tmp_path / "bare"
    shutil.copytree(two_segment_index, bare)
    gen = layout.current_generation(bare)
    for f in gen.glob(f"*{SUFFIX}"):
        f.unlink()
    with_files, without = SearchService(two_segment_index), SearchService(bare)
    for q in ["human rights defenders", '"land rights"', "សិទ្ធិមនុស្ស", "ការឃុំខ្លួន", "Hun Sen prison",
              "CCHR សមាគម", "torture -police"]:
        a = with_files.search(SearchRequest(q=q))
        b = without.search(SearchRequest(q=q))
        a.pop("took_ms", None), b.pop("took_ms", None)
        assert a == b, q
        assert a["total"] > 0, q
    with_files.close()
    without.close()


def test_unusable_files_are_refused(two_segment_index, tmp_path):
    with _current_searcher(two_segment_index) as (gen, searcher):
        reader = searcher.leaf_searchers()[0][0].reader()
        segment_id = reader.segment().segment_id()
        source = postings_path(gen, segment_id)
        truncated = tmp_path / source.name
        truncated.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
        with pytest.raises(CorruptPostings, match="truncated"):
            SegmentPostings(truncated, segment_id, reader.doc_count_all())
        with pytest.raises(CorruptPostings, match="another segment"):
            SegmentPostings(source, segment_id, reader.doc_count_all() + 1)
        garbage = tmp_path / "garbage"
        garbage.write_bytes(b"not postings at all")
        with pytest.raises(CorruptPostings, match="not a postings file"):
            SegmentPostings(garbage, segment_id, reader.doc_count_all())
        # found in a folder, an unusable file is passed over: Whoosh's blocks are read instead
        assert open_segment_postings(tmp_path, reader) is None
        assert open_segment_postings(gen, reader) is not None


def test_an_update_writes_the_new_segment_file_and_links_the_others(tmp_path, corpus_records):
    """Incremental: the previous generation's files are hard-linked, the new segment gets its own,
    and every file belongs to a segment of the index (a merged-away segment's file goes with it)."""
    records = list(corpus_records)
    corpus = write_jsonl_corpus(tmp_path / "corpus", records)
    root = tmp_path / "index"
    build_index(corpus, root, progress=False)
    first = layout.current_generation(root)
    first_files = {p.name: p.stat().st_ino for p in first.glob(f"*{SUFFIX}")}
    assert len(first_files) == 1

    for round_ in range(3):  # enough updates for Whoosh to merge its small segments
        changed = replace(records[round_], body=records[round_].body + f"\n\nzzqpostings{round_} detention")
        records[round_] = changed
        write_jsonl_corpus(corpus, records)
        report = build_index(corpus, root, incremental=True, progress=False)
        assert report.incremental and report.updated == 1
        with _current_searcher(root) as (gen, searcher):
            ids = _segment_ids(searcher)
        assert sorted(p.name for p in gen.glob(f"*{SUFFIX}")) == sorted(i + SUFFIX for i in ids)
        if round_ == 0:
            linked = [p for p in gen.glob(f"*{SUFFIX}") if first_files.get(p.name) == p.stat().st_ino]
            assert linked, "the unchanged segment's file is linked, not rewritten"
        service = SearchService(root)
        try:
            assert service.search(SearchRequest(q=f"zzqpostings{round_}"))["total"] == 1
            assert service._current().arrays.stored and all(s is not None for s in service._current().arrays.stored)
        finally:
            service.close()
