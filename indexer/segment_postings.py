"""Posting arrays of one Whoosh segment, written once beside it and read back by slicing.

Whoosh stores a term's postings as pickled blocks, and each phrase position list as its own
pickle: reading a common term at query time costs one unpickle per 128 postings, and its positions
one unpickle per posting. After a segment is written, `write_segment_postings` decodes every term
of the searched fields once and writes them as flat arrays in `<segment id>.postings` beside the
segment's `.seg` file. `SegmentPostings` reads a term's slice of those arrays with one `pread` per
array: no unpickling at query time. The arrays hold exactly what Whoosh's matchers give (same
document numbers, weights, positions and byte-coded field lengths); `indexer.postings` uses them
when present and valid, and reads the Whoosh blocks otherwise.

File layout: MAGIC, the header's length (8 bytes, little-endian), a JSON header, then each array
at a 64-byte aligned offset. The header names the segment, its document count and, per field,
each array's dtype, offset and item count. Per field:
  terms        uint8    the field's term bytes, ascending, concatenated
  term_starts  int64    n_terms + 1 offsets into `terms`
  post_starts  int64    n_terms + 1 offsets into docs/weights (and pos_starts)
  docs         int32    segment-local document numbers, ascending per term
  weights      float32  Whoosh's posting weight
  lengths      float32  per document field length, as Whoosh's scorer decodes it (if the field has lengths)
  pos_starts   int64    postings + 1 offsets into positions (fields with positions)
  positions    int32    token positions, ascending per posting
A file is written to a temporary name and renamed, so a present file is complete.
"""
from __future__ import annotations

import bisect
import json
import os
import struct
from pathlib import Path

import numpy as np

MAGIC = b"BAYONPA1"
SUFFIX = ".postings"
_ALIGN = 64
# the fields queries look up (facet and id fields are answered from columns, not postings)
SEARCHED_FIELDS = ("title", "body", "title_sub", "body_sub", "name_keys")


class CorruptPostings(ValueError):
    """A postings file that cannot be read as written (truncated, wrong segment)."""


def postings_path(folder: Path, segment_id: str) -> Path:
    return Path(folder) / f"{segment_id}{SUFFIX}"


# ---------------------------------------------------------------------------------------- writing
def write_segment_postings(reader, path: Path, fields=SEARCHED_FIELDS) -> int:
    """Decode `reader`'s (a Whoosh SegmentReader) postings of `fields` and write them to `path`;
    returns the number of postings written."""
    from indexer.postings import _decode_positions, _read_lengths

    schema = reader.schema
    arrays: dict[str, dict[str, np.ndarray]] = {}
    total = 0
    for fieldname in fields:
        if fieldname not in schema or not schema[fieldname].indexed:
            continue
        fmt = schema[fieldname].format
        with_positions = fmt.supports("positions")
        blob, term_starts, post_starts = bytearray(), [0], [0]
        docs_parts, weight_parts, count_parts, flat_parts = [], [], [], []
        for btext, terminfo in _field_items(reader, fieldname):
            ids, weights, values = _read_term(reader, terminfo, fmt, with_positions)
            blob += btext
            term_starts.append(len(blob))
            post_starts.append(post_starts[-1] + len(ids))
            docs_parts.append(ids)
            weight_parts.append(weights)
            if with_positions:
                counts, flat = _decode_positions(fmt, values)
                count_parts.append(counts)
                flat_parts.append(flat)
        field = {
            "terms": np.frombuffer(bytes(blob), dtype=np.uint8),
            "term_starts": np.array(term_starts, dtype=np.int64),
            "post_starts": np.array(post_starts, dtype=np.int64),
            "docs": _concat(docs_parts, np.int32),
            "weights": _concat(weight_parts, np.float32),
        }
        if schema[fieldname].scorable:
            field["lengths"] = _read_lengths(reader, fieldname).astype(np.float32)
        if with_positions:
            counts = _concat(count_parts, np.int64)
            pos_starts = np.zeros(counts.size + 1, dtype=np.int64)
            np.cumsum(counts, out=pos_starts[1:])
            field["pos_starts"] = pos_starts
            field["positions"] = _concat(flat_parts, np.int32)
        arrays[fieldname] = field
        total += int(post_starts[-1])
    _write(path, reader.segment().segment_id(), reader.doc_count_all(), arrays)
    return total


def _field_items(reader, fieldname: str, start: bytes = b""):
    """(term bytes, term info) of one field of a segment, terms ascending (the terms table's order),
    from the first term not below `start`."""
    previous = None
    for (name, btext), terminfo in reader._terms.items_from(fieldname, start):
        if name != fieldname:
            return
        if previous is not None and btext <= previous:
            raise ValueError(f"terms of {fieldname!r} out of order in segment {reader.segment().segment_id()}")
        previous = btext
        yield btext, terminfo


def _read_term(reader, terminfo, fmt, with_values: bool):
    """(ids, weights, encoded values or None) of one term's postings in one segment, in one pass."""
    from indexer.postings import read_matcher

    if terminfo.is_inlined():  # a few postings kept in the term info itself
        ids, weights, values = terminfo.inlined_postings()
        return ids, weights, values if with_values else None
    terms = reader._terms
    return read_matcher(terms._codec.postings_reader(terms._postfile, terminfo, fmt), with_values)


def _concat(parts, dtype) -> np.ndarray:
    """One array of `dtype` from arrays and tuples."""
    if not parts:
        return np.zeros(0, dtype=dtype)
    return np.concatenate([np.asarray(p, dtype=dtype) for p in parts])


def write_arrays(path: Path, segment_id: str, doc_count: int, arrays: dict) -> None:
    """Write the posting arrays of one segment ({field: {array name: ndarray}}, the layout above)
    to `path` (a temporary name, fsynced, then renamed)."""
    _write(path, segment_id, doc_count, arrays)


def _write(path: Path, segment_id: str, doc_count: int, arrays: dict) -> None:
    header = {"segment": segment_id, "docs": doc_count, "fields": {}}
    # offsets are relative to the data start, which follows the header (aligned)
    offset = 0
    layout = []
    for fieldname, field in arrays.items():
        entry = header["fields"][fieldname] = {}
        for name, arr in field.items():
            entry[name] = [arr.dtype.str, offset, int(arr.size)]
            layout.append((offset, arr))
            offset = _aligned(offset + arr.nbytes)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    data_start = _aligned(len(MAGIC) + 8 + len(head))
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as out:
        out.write(MAGIC + struct.pack("<Q", len(head)) + head)
        for at, arr in layout:
            out.seek(data_start + at)
            out.write(np.ascontiguousarray(arr).tobytes())
        out.truncate(data_start + offset)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def _aligned(n: int) -> int:
    return (n + _ALIGN - 1) // _ALIGN * _ALIGN


# ---------------------------------------------------------------------------------------- reading
class _FieldTerms:
    """The sorted term bytes of one field, indexable for `bisect`."""

    __slots__ = ("blob", "starts")

    def __init__(self, blob: bytes, starts: np.ndarray):
        self.blob, self.starts = blob, starts

    def __len__(self) -> int:
        return self.starts.size - 1

    def __getitem__(self, i: int) -> bytes:
        return self.blob[self.starts[i]:self.starts[i + 1]]

    def find(self, btext: bytes) -> int:
        i = bisect.bisect_left(self, btext)
        return i if i < len(self) and self[i] == btext else -1


class SegmentPostings:
    """Reads one segment's postings file: term lookups by binary search, slices by `pread`.
    Term tables are read into memory on a field's first use; posting slices are read on demand."""

    def __init__(self, path: Path, segment_id: str, doc_count: int):
        self.path = Path(path)
        self._fd = os.open(self.path, os.O_RDONLY)
        try:
            self._size = os.fstat(self._fd).st_size
            start = self._pread(0, len(MAGIC) + 8)
            if len(start) != len(MAGIC) + 8 or start[:len(MAGIC)] != MAGIC:
                raise CorruptPostings(f"{self.path.name}: not a postings file")
            (head_len,) = struct.unpack("<Q", start[len(MAGIC):])
            header = json.loads(self._pread(len(MAGIC) + 8, head_len))
            self._data = _aligned(len(MAGIC) + 8 + head_len)
            if header.get("segment") != segment_id or header.get("docs") != doc_count:
                raise CorruptPostings(f"{self.path.name}: written for another segment")
            self._fields = header["fields"]
            for entry in self._fields.values():
                for dtype, offset, count in entry.values():
                    if self._data + offset + np.dtype(dtype).itemsize * count > self._size:
                        raise CorruptPostings(f"{self.path.name}: truncated")
        except (OSError, ValueError, KeyError, TypeError, struct.error) as e:
            os.close(self._fd)
            if isinstance(e, CorruptPostings):
                raise
            raise CorruptPostings(f"{self.path.name}: {e}") from e
        self._terms: dict[str, _FieldTerms] = {}
        self._starts: dict[str, np.ndarray] = {}

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def has_field(self, fieldname: str) -> bool:
        return fieldname in self._fields

    def has_positions(self, fieldname: str) -> bool:
        return "positions" in self._fields.get(fieldname, ())

    def term_index(self, fieldname: str, btext: bytes) -> int:
        """The term's row in the field's tables, or -1 when the segment lacks it."""
        terms = self._terms.get(fieldname)
        if terms is None:
            blob = self._array(fieldname, "terms").tobytes()
            terms = _FieldTerms(blob, self._array(fieldname, "term_starts"))
            self._starts[fieldname] = self._array(fieldname, "post_starts")
            self._terms[fieldname] = terms
        return terms.find(btext)

    def postings(self, fieldname: str, row: int) -> tuple[np.ndarray, np.ndarray]:
        """(segment-local docnums int32, weights float32) of the term at `row`."""
        begin, end = self._post_range(fieldname, row)
        return (self._array(fieldname, "docs", begin, end - begin),
                self._array(fieldname, "weights", begin, end - begin))

    def positions(self, fieldname: str, row: int) -> tuple[np.ndarray, np.ndarray]:
        """(position count per posting int64, positions int32) of the term at `row`."""
        begin, end = self._post_range(fieldname, row)
        starts = self._array(fieldname, "pos_starts", begin, end - begin + 1)
        flat = self._array(fieldname, "positions", int(starts[0]), int(starts[-1] - starts[0]))
        return np.diff(starts), flat

    def lengths(self, fieldname: str) -> np.ndarray | None:
        if "lengths" not in self._fields.get(fieldname, ()):
            return None
        return self._array(fieldname, "lengths")

    def _post_range(self, fieldname: str, row: int) -> tuple[int, int]:
        starts = self._starts[fieldname]
        return int(starts[row]), int(starts[row + 1])

    def _array(self, fieldname: str, name: str, first: int = 0, count: int | None = None) -> np.ndarray:
        dtype, offset, size = self._fields[fieldname][name]
        dtype = np.dtype(dtype)
        if count is None:
            count = size - first
        if count <= 0:
            return np.zeros(0, dtype=dtype)
        raw = self._pread(self._data + offset + first * dtype.itemsize, count * dtype.itemsize)
        if len(raw) != count * dtype.itemsize:
            raise CorruptPostings(f"{self.path.name}: short read")
        return np.frombuffer(raw, dtype=dtype)

    def _pread(self, at: int, n: int) -> bytes:
        return os.pread(self._fd, n, at)


def open_segment_postings(folder: Path, reader) -> SegmentPostings | None:
    """The postings file of `reader`'s segment in `folder`, or None when absent or unusable."""
    segment = reader.segment()
    if segment is None:  # an empty index's reader
        return None
    segment_id = segment.segment_id()
    path = postings_path(folder, segment_id)
    if not path.exists():
        return None
    try:
        return SegmentPostings(path, segment_id, reader.doc_count_all())
    except CorruptPostings:
        return None


# ---------------------------------------------------------------------------------------- a generation
def segments_without_postings(gen: Path) -> list[str]:
    """Ids of the segments of the index in `gen` that have no postings file yet; files of segments
    no longer in the index (merged away) and unfinished temporaries are deleted."""
    from whoosh import index as windex

    gen = Path(gen)
    ix = windex.open_dir(str(gen))
    try:
        segment_ids = [s.segment_id() for s in ix._segments()]
    finally:
        ix.close()
    for stale in gen.glob(f"*{SUFFIX}"):
        if stale.name[: -len(SUFFIX)] not in segment_ids:
            stale.unlink()
    for tmp in gen.glob(f"*{SUFFIX}.tmp"):
        tmp.unlink()
    return [s for s in segment_ids if not postings_path(gen, s).exists()]


def write_postings(gen: Path, segment_ids: list[str], procs: int = 1, on_done=None) -> None:
    """Write the postings files of `segment_ids` in `gen`, up to `procs` at once; `on_done(segment
    id)` is called after each."""
    if procs > 1 and len(segment_ids) > 1:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        from indexer.workers import die_with_parent

        with ProcessPoolExecutor(max_workers=min(procs, len(segment_ids)), initializer=die_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            futures = {pool.submit(_write_one, str(gen), s): s for s in segment_ids}
            for future in as_completed(futures):
                future.result()
                if on_done is not None:
                    on_done(futures[future])
        return
    for s in segment_ids:
        _write_one(str(gen), s)
        if on_done is not None:
            on_done(s)


def _write_one(gen: str, segment_id: str) -> int:
    from whoosh import index as windex
    from whoosh.reading import SegmentReader

    ix = windex.open_dir(gen)
    try:
        segment = next(s for s in ix._segments() if s.segment_id() == segment_id)
        reader = SegmentReader(ix.storage, ix.schema, segment)
        try:
            return write_segment_postings(reader, postings_path(Path(gen), segment_id))
        finally:
            reader.close()
    finally:
        ix.close()
