"""An incremental update hard-links the previous generation's segment files instead of copying
them, and leaves that generation exactly as it was (still served by an older searcher)."""
from __future__ import annotations

import hashlib
from dataclasses import replace

from corpus_helpers import write_jsonl_corpus
from indexer import layout
from indexer.build import _indexed_hashes, build_index
from indexer.search import SearchRequest, SearchService


def _digests(gen):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in gen.iterdir() if p.is_file()}


def test_update_links_segments_and_keeps_the_old_generation_intact(tmp_path, corpus_records):
    records = list(corpus_records)
    corpus = write_jsonl_corpus(tmp_path / "corpus", records)
    root = tmp_path / "index"
    build_index(corpus, root, progress=False)
    old_gen = layout.current_generation(root)
    before = _digests(old_gen)
    old = SearchService(root)
    old_total = old.search(SearchRequest(q="detention"))["total"]

    changed = replace(records[0], body=records[0].body + "\n\ndetention zzqlinktest")
    write_jsonl_corpus(corpus, [changed, *records[2:]])
    report = build_index(corpus, root, incremental=True, progress=False)
    assert report.incremental and (report.updated, report.deleted) == (1, 1)
    new_gen = layout.current_generation(root)
    old_segs = {p.name: p.stat().st_ino for p in old_gen.glob("*.seg")}
    assert old_segs
    shared = [p for p in new_gen.glob("*.seg") if old_segs.get(p.name) == p.stat().st_ino]
    assert shared, "segments are linked, not copied"
    assert _digests(old_gen) == before  # the previous generation is unchanged
    assert old.search(SearchRequest(q="zzqlinktest"))["total"] == 1  # service switched
    from whoosh import index as windex

    ix = windex.open_dir(str(old_gen))
    with ix.searcher() as searcher:
        hashes = _indexed_hashes(searcher)
        stored = {f["id"]: f["content_hash"] for f in searcher.all_stored_fields()}
        assert hashes == stored and set(hashes) == {r.id for r in records}  # from the columns
        assert sum(1 for _ in searcher.documents()) == len(records)
    ix.close()
    assert old_total > 0
    old.close()


def test_update_copies_only_what_a_generation_needs(tmp_path, corpus_records):
    records = list(corpus_records[:20])
    corpus = write_jsonl_corpus(tmp_path / "corpus", records)
    root = tmp_path / "index"
    build_index(corpus, root, progress=False)
    old_gen = layout.current_generation(root)
    (old_gen / "LINE_DIGESTS.json").write_text("{}", encoding="utf-8")  # as an earlier version left it
    write_jsonl_corpus(corpus, [replace(records[0], title=records[0].title + " (corrected)"), *records[1:]])
    build_index(corpus, root, incremental=True, progress=False)
    new_gen = layout.current_generation(root)
    names = {p.name for p in new_gen.iterdir()}
    assert "LINE_DIGESTS.json" not in names
    assert {"BUILT_FROM.json", "SCHEMA_VERSION", layout.COMPLETE_MARK} <= names  # written anew
    assert (new_gen / "BUILT_FROM.json").stat().st_ino != (old_gen / "BUILT_FROM.json").stat().st_ino
    service = SearchService(root)
    assert service.document(records[0].id)["title"] == records[0].title + " (corrected)"
    assert service.search(SearchRequest())["total"] == 20
    service.close()
