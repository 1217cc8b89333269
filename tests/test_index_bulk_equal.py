"""The bulk writer (indexer.bulk_writer: analysis by distinct run, postings in arrays, whole posting
lists at commit) writes the index Whoosh's own add_document path writes: the same segment files
byte for byte (every file in the compound segment: terms, postings, vectors, stored fields, lengths,
columns) and the same posting-array files, on the real corpus and on a generated bench corpus.
Where bytes legitimately differ (a bulk build flushed into several segments, an incremental update)
the indexes are compared term by term: postings with weights and positions, field lengths, stored
fields, columns and term vectors, per document id.

The bulk writer fills Whoosh's posting writer through its internals: an upgrade of the pinned
whoosh3 that changes them fails here."""
from __future__ import annotations

import json
import struct
from dataclasses import replace
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage

from corpus_helpers import write_jsonl_corpus
from indexer import layout
from indexer.build import build_index
from indexer.segment_postings import MAGIC, postings_path, write_segment_postings


@pytest.fixture(scope="module")
def bench_corpus(tmp_path_factory) -> Path:
    """A generated bench corpus of 300 documents (30% Khmer, 5% mixed)."""
    from bench.generate_corpus import generate
    from bench.khmer_text import DEFAULT_GOLD_SENTENCES

    if not DEFAULT_GOLD_SENTENCES.is_file():
        pytest.skip("needs ../shared/khmer-seg/dev.txt for bench/generate_corpus.py")
    out = tmp_path_factory.mktemp("bench-corpus")
    generate(out, 300, seed=17, queries_per_kind=5, progress=False)
    return out


def _segments(gen: Path):
    ix = FileStorage(str(gen)).open_index()
    try:
        return ix._segments()
    finally:
        ix.close()


def _segment_files(gen: Path, segment) -> dict[str, bytes]:
    """{file name with the (random) segment id replaced by SEG: bytes} of one segment."""
    storage = FileStorage(str(gen))
    sid = segment.segment_id()
    files = segment.open_compound_file(storage) if segment.is_compound() else storage
    names = [n for n in files.list() if n.startswith(sid + ".") or n.startswith("_" + sid)]
    out = {n.replace(sid, "SEG"): files.open_file(n).read() for n in names}
    assert out, f"no files for segment {sid}"
    return out


def _posting_arrays(path: Path) -> tuple[dict, bytes]:
    """(header without the segment id, the array data) of a posting-array file."""
    raw = path.read_bytes()
    assert raw[:len(MAGIC)] == MAGIC
    (head_len,) = struct.unpack("<Q", raw[len(MAGIC):len(MAGIC) + 8])
    header = json.loads(raw[len(MAGIC) + 8:len(MAGIC) + 8 + head_len])
    data_start = (len(MAGIC) + 8 + head_len + 63) // 64 * 64
    del header["segment"]
    return header, raw[data_start:]


def _build_both(corpus: Path, tmp_path: Path):
    whoosh = build_index(corpus, tmp_path / "whoosh", progress=False, procs=1, writer="whoosh")
    bulk = build_index(corpus, tmp_path / "bulk", progress=False, procs=1, writer="bulk")
    assert whoosh.added == bulk.added > 0
    return whoosh.generation, bulk.generation


def _assert_same_bytes(whoosh_gen: Path, bulk_gen: Path) -> None:
    (ws,), (bs,) = _segments(whoosh_gen), _segments(bulk_gen)
    assert ws.doc_count_all() == bs.doc_count_all()
    assert ws._fieldlengths == bs._fieldlengths
    wfiles, bfiles = _segment_files(whoosh_gen, ws), _segment_files(bulk_gen, bs)
    assert sorted(wfiles) == sorted(bfiles)
    assert {".trm", ".pst", ".vps"} <= {Path(n).suffix for n in wfiles}
    for name in sorted(wfiles):
        assert wfiles[name] == bfiles[name], f"{name} differs"
    # the posting arrays: decoded from the written segment (Whoosh path) and written from memory (bulk)
    wpost = _posting_arrays(postings_path(whoosh_gen, ws.segment_id()))
    bpost = _posting_arrays(postings_path(bulk_gen, bs.segment_id()))
    assert wpost[0] == bpost[0]
    assert wpost[1] == bpost[1]


def test_real_corpus_segments_are_byte_identical(tmp_path, corpus_dir):
    _assert_same_bytes(*_build_both(corpus_dir, tmp_path))


def test_bench_corpus_segments_are_byte_identical(tmp_path, bench_corpus, monkeypatch):
    import indexer.bulk_writer

    # postings are turned into Python lists and encoded values a chunk at a time: small chunks here,
    # so that blocks and terms straddle chunk boundaries
    monkeypatch.setattr(indexer.bulk_writer._ChunkedLists, "CHUNK", 777)
    monkeypatch.setattr(indexer.bulk_writer._ChunkedValues, "CHUNK", 555)
    _assert_same_bytes(*_build_both(bench_corpus, tmp_path))


# --------------------------------------------------------------------------- term by term
def _contents(root: Path) -> dict:
    """Everything a search reads, keyed by document id instead of document number."""
    from whoosh import index as windex

    ix = windex.open_dir(str(layout.current_generation(root)))
    schema = ix.schema
    out: dict = {"postings": {}, "lengths": {}, "stored": {}, "columns": {}, "vectors": {}}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        ids = {d: f["id"] for d, f in ((d, searcher.stored_fields(d)) for d in reader.all_doc_ids())}
        out["stored"] = {ids[d]: searcher.stored_fields(d) for d in ids}
        for fieldname in schema.names():
            field = schema[fieldname]
            if field.indexed:
                with_positions = field.format.supports("positions")
                terms = {}
                for btext in reader.lexicon(fieldname):
                    m = reader.postings(fieldname, btext)
                    postings = {}
                    while m.is_active():
                        postings[ids[m.id()]] = (m.weight(), tuple(m.value_as("positions")) if with_positions else None)
                        m.next()
                    terms[btext] = postings
                out["postings"][fieldname] = terms
                out["lengths"][fieldname] = {ids[d]: reader.doc_field_length(d, fieldname, 0) for d in ids}
            if field.column_type and reader.has_column(fieldname):
                column = reader.column_reader(fieldname)
                out["columns"][fieldname] = {ids[d]: column[d] for d in ids}
            if field.vector:
                out["vectors"][fieldname] = {
                    ids[d]: list(reader.vector(d, fieldname).items_as("characters"))
                    for d in ids if reader.has_vector(d, fieldname)}
    ix.close()
    return out


def _assert_same_contents(a: dict, b: dict) -> None:
    assert a["stored"].keys() == b["stored"].keys() and a["stored"]
    for part in ("stored", "lengths", "columns", "vectors"):
        assert a[part] == b[part], part
    assert a["postings"].keys() == b["postings"].keys()
    for fieldname in a["postings"]:
        assert a["postings"][fieldname] == b["postings"][fieldname], fieldname


def test_a_bulk_build_flushed_into_segments_holds_the_same_index(tmp_path, bench_corpus, monkeypatch):
    import indexer.bulk_writer

    whoosh = build_index(bench_corpus, tmp_path / "whoosh", progress=False, procs=1, writer="whoosh")
    monkeypatch.setattr(indexer.bulk_writer, "FLUSH_DOCS", 120)  # 300 documents: 120 + 120 + 60
    bulk = build_index(bench_corpus, tmp_path / "bulk", progress=False, procs=1, writer="bulk")
    segments = _segments(bulk.generation)
    assert [s.doc_count_all() for s in segments] == [120, 120, 60]
    _assert_same_contents(_contents(tmp_path / "whoosh"), _contents(tmp_path / "bulk"))
    # each segment's posting arrays, written from memory, are what decoding the segment gives
    from whoosh.reading import SegmentReader

    storage = FileStorage(str(bulk.generation))
    ix = storage.open_index()
    for segment in segments:
        reader = SegmentReader(storage, ix.schema, segment)
        decoded = tmp_path / f"{segment.segment_id()}.decoded"
        write_segment_postings(reader, decoded)
        reader.close()
        assert _posting_arrays(decoded) == _posting_arrays(postings_path(bulk.generation, segment.segment_id()))
    ix.close()


def test_an_incremental_update_adds_the_same_documents(tmp_path, corpus_records):
    """Documents added and changed by an update go through the bulk writer: the updated index holds
    what Whoosh's path gives, deletions and a merge of small segments included."""
    import indexer.segment_merge

    records = list(corpus_records)
    roots = {kind: tmp_path / kind for kind in ("whoosh", "bulk")}
    corpora = {kind: write_jsonl_corpus(tmp_path / f"corpus-{kind}", records) for kind in roots}
    for kind, root in roots.items():
        build_index(corpora[kind], root, progress=False, procs=1, writer=kind)
    changed = [replace(r, body=r.body + "\n\nAddendum: Chea Chantha ជា ចាន់ថា zzyzxquokka.") for r in records[:3]]
    added = [replace(r, id=f"{r.id}-again", title=f"Again: {r.title}") for r in records[3:8]]
    updated = changed + records[3:-2] + added  # the last two deleted
    for kind, root in roots.items():
        write_jsonl_corpus(corpora[kind], updated)
        report = build_index(corpora[kind], root, incremental=True, progress=False, writer=kind)
        assert (report.added, report.updated, report.deleted) == (5, 3, 2), kind
    _assert_same_contents(_contents(roots["whoosh"]), _contents(roots["bulk"]))
    # with a merge of small segments into the update's segment (Whoosh's pool beside the arrays)
    for kind, root in roots.items():
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(indexer.segment_merge, "MAX_SEGMENTS", 1)  # every segment small: all merged
            mp.setattr(indexer.segment_merge, "SMALL_SHARE", 1.0)
            write_jsonl_corpus(corpora[kind], updated[:-1] + [replace(updated[-1], body="Merged body ជា ចាន់ថា")])
            report = build_index(corpora[kind], root, incremental=True, progress=False, writer=kind)
            assert report.updated == 1, kind
        assert len(_segments(layout.current_generation(root))) == 1, kind
    _assert_same_contents(_contents(roots["whoosh"]), _contents(roots["bulk"]))
