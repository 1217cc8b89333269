"""Which segments an incremental update keeps, drops or merges (a Whoosh merge policy).

Every update adds a segment, and every segment costs each query a little. Whoosh's default policy
(MERGE_SMALL) keeps the small segments of a 100,000-document index until about a dozen have piled
up, then copies them all in one update, and copying a segment in Whoosh is slow (10-20 ms per
document, and 0.6 s for a 100-document segment even when all its documents are deleted). So: a
segment whose documents are all deleted is dropped (nothing to copy; the last one stays when the
update adds nothing); when more than MAX_SEGMENTS small segments (each at most SMALL_SHARE of the live documents)
would remain, the smaller half of them is merged into the update's new segment. Merging is rare
(every few updates past the bound) and costs that update the copy of those documents.
"""
from __future__ import annotations

MAX_SEGMENTS = 10  # small segments, the new one included
SMALL_SHARE = 0.05  # a segment is small when it holds at most this share of the live documents


def bounded_merge(writer, segments: list) -> list:
    """Whoosh `mergetype`: the segments to keep as they are; merged ones are added to `writer`.

    At most MAX_SEGMENTS small segments remain, and at most 1 / SMALL_SHARE large ones can exist;
    a large segment (e.g. a full build's) is never copied."""
    live = [s for s in segments if s.doc_count() > 0]
    if not live and segments and not getattr(writer, "_added", False):
        # nothing live and nothing added: keep the smallest segment, as an index without any
        # segment reads as one without columns (which the search service needs)
        return [min(segments, key=lambda s: s.doc_count_all())]
    total = sum(s.doc_count() for s in live)
    small = sorted((s for s in live if s.doc_count() <= SMALL_SHARE * total), key=lambda s: s.doc_count())
    if len(small) + 1 <= MAX_SEGMENTS:  # + the segment this update writes
        return live
    merged = small[:max(2, len(small) // 2)]
    _add_segments(writer, merged)
    merged_ids = {s.segid for s in merged}
    return [s for s in live if s.segid not in merged_ids]


def _add_segments(writer, segments: list) -> None:
    """Copy the live documents of `segments` into `writer`. Small segments are read through mapped
    files (2.5x faster to copy than reading on demand; mapping copies a segment whole, which only a
    small one can afford)."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.reading import SegmentReader

    mapped = FileStorage(writer.storage.folder, supports_mmap=True, readonly=True)
    for segment in segments:
        reader = SegmentReader(mapped, writer.schema, segment)
        try:
            writer.add_reader(reader)
        finally:
            reader.close()
