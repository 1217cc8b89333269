"""Posting lists of one open index as numpy arrays, read straight from Whoosh's posting blocks.

Whoosh matches a query by walking every posting through Python matcher objects; at tens of
thousands of documents that walk is most of a search. `PostingArrays` instead reads a term's
posting blocks once (ids, weights: one unpickle per block of up to 128 postings), keeps the
result as numpy arrays over the searcher's global document numbers, and caches them (LRU,
bounded in bytes) for the life of the index generation. Positions, needed only to check a
phrase, are decoded per term on first use and cached the same way. The figures each array holds
are exactly those Whoosh's own matchers give: the same weights, the same byte-coded field lengths.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from pickle import loads  # what whoosh.formats decodes position values with

import numpy as np
from whoosh import formats
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from indexer.segment_postings import open_segment_postings

POSTINGS_BUDGET = 192 * 1024 * 1024  # bytes of cached posting arrays per generation
POSITIONS_BUDGET = 256 * 1024 * 1024  # bytes of cached phrase positions per generation (100,000 bench docs: 134 MB after 600 queries)
STATISTICS_BUDGET = 4 * 1024 * 1024  # bytes of remembered (idf, average length) per generation (about 20,000 terms)
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
_EMPTY_DOCS = np.zeros(0, dtype=np.int32)
_EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


class _ByteBudgetCache:
    """An LRU mapping whose values report their size; evicts oldest beyond `budget` bytes."""

    def __init__(self, budget: int):
        self.budget, self.used = budget, 0
        self._items: OrderedDict = OrderedDict()

    def get(self, key):
        value = self._items.get(key)
        if value is None:
            return None
        self._items.move_to_end(key)
        return value[0]

    def put(self, key, value, size: int) -> None:
        if key in self._items:
            return
        self._items[key] = (value, size)
        self.used += size
        while self.used > self.budget and len(self._items) > 1:
            _, (_, old) = self._items.popitem(last=False)
            self.used -= old


class TermPositions:
    """Positions of one term in every document it occurs in: CSR rows aligned with its postings."""

    __slots__ = ("docs", "starts", "flat")

    def __init__(self, docs: np.ndarray, starts: np.ndarray, flat: np.ndarray):
        self.docs, self.starts, self.flat = docs, starts, flat

    def nbytes(self) -> int:
        return self.docs.nbytes + self.starts.nbytes + self.flat.nbytes

    def rows_of(self, docs: np.ndarray, size: int) -> np.ndarray:
        """This term's rows for `docs` (sorted docnums, all in its postings; `size`: docnums are
        below it): a binary search each, or one pass over an index-long map for many docs."""
        if docs.size * 16 < size:
            return np.searchsorted(self.docs, docs)
        row_of = np.empty(size, dtype=np.int64)
        row_of[self.docs] = np.arange(self.docs.size)
        return row_of[docs]

    def count_at(self, rows: np.ndarray) -> int:
        """How many positions the postings at `rows` hold in all."""
        return int((self.starts[rows + 1] - self.starts[rows]).sum())

    def at_rows(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(i, position) pairs of the postings at `rows`, where i indexes `rows`."""
        begin = self.starts[rows]
        counts = self.starts[rows + 1] - begin
        total = int(counts.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        owner = np.repeat(np.arange(rows.size, dtype=np.int64), counts)
        # index of each output item in `flat`: begin of its row plus its rank inside the row
        first_out = np.cumsum(counts) - counts
        index = np.arange(total, dtype=np.int64) + (begin - first_out)[owner]
        return owner, self.flat[index].astype(np.int64)


class PostingArrays:
    """Numpy views of the posting lists and field lengths of one open Whoosh searcher."""

    def __init__(self, searcher, postings_budget: int = POSTINGS_BUDGET,
                 positions_budget: int = POSITIONS_BUDGET, folder=None):
        """`folder`: the index directory, where segments' posting-array files are looked for
        (`indexer.segment_postings`); without it, or for a segment without one, postings are read
        from Whoosh's blocks."""
        self.searcher = searcher
        self.schema = searcher.schema
        self.size = searcher.doc_count_all()
        self.leaves = [(sub.reader(), offset) for sub, offset in searcher.leaf_searchers()]
        self.stored = [open_segment_postings(folder, reader) if folder is not None else None
                       for reader, _ in self.leaves]
        self._postings = _ByteBudgetCache(postings_budget)
        self._positions = _ByteBudgetCache(positions_budget)
        self._lengths: dict[str, np.ndarray] = {}
        self._statistics = _ByteBudgetCache(STATISTICS_BUDGET)
        self._lock = threading.Lock()
        # Whoosh's readers seek and read one shared file object: reads through them (segments
        # without a postings file) take turns; `stored` files are read with pread, concurrently
        self._whoosh_read = threading.Lock()

    # ------------------------------------------------------------------ scoring statistics
    def term_statistics(self, fieldname: str, text) -> tuple[float, float]:
        """(idf, average field length) of a term, read through the shared searcher in turn, and
        remembered for the generation (a look-up in Whoosh's term table costs a few file reads)."""
        key = (fieldname, text)
        with self._lock:
            found = self._statistics.get(key)
        if found is not None:
            return found
        with self._whoosh_read:
            found = self.searcher.idf(fieldname, text), self.searcher.avg_field_length(fieldname)
        with self._lock:
            self._statistics.put(key, found, 200 + len(text))
        return found

    def whoosh_match(self, q) -> tuple[np.ndarray, np.ndarray]:
        """A query Whoosh evaluates itself (indexer.evaluate.whoosh_match), in turn with other reads."""
        from indexer.evaluate import whoosh_match

        with self._whoosh_read:
            return whoosh_match(self.searcher, q)

    # ------------------------------------------------------------------ postings
    def postings(self, fieldname: str, text) -> tuple[np.ndarray, np.ndarray]:
        """(docnums, weights) of a term over the whole index, docnums ascending; empty when absent.
        Deleted documents are included (callers mask them out)."""
        btext = self._bytes(fieldname, text)
        if btext is None:
            return _EMPTY_DOCS, _EMPTY_WEIGHTS
        key = (fieldname, btext)
        with self._lock:
            found = self._postings.get(key)
        if found is not None:
            return found
        docs_parts, weight_parts = [], []
        for (reader, offset), stored in zip(self.leaves, self.stored):
            if stored is not None and stored.has_field(fieldname):
                row = stored.term_index(fieldname, btext)
                if row < 0:
                    continue
                ids, weights = stored.postings(fieldname, row)
            else:
                with self._whoosh_read:
                    if (fieldname, btext) not in reader:
                        continue
                    ids, weights = _read_postings(reader, fieldname, btext)
            docs_parts.append(ids + offset)
            weight_parts.append(weights)
        if docs_parts:
            docs = np.concatenate(docs_parts).astype(np.int32, copy=False)
            weights = np.concatenate(weight_parts).astype(np.float32, copy=False)
        else:
            docs, weights = _EMPTY_DOCS, _EMPTY_WEIGHTS
        with self._lock:
            self._postings.put(key, (docs, weights), docs.nbytes + weights.nbytes + 200)
        return docs, weights

    def positions(self, fieldname: str, text) -> TermPositions | None:
        """Positions of a term in each document (None when the term is absent)."""
        btext = self._bytes(fieldname, text)
        if btext is None:
            return None
        key = (fieldname, btext)
        with self._lock:
            found = self._positions.get(key)
        if found is not None:
            return found
        docs, _ = self.postings(fieldname, btext)
        if docs.size == 0:
            return None
        count_parts, flat_parts = [], []  # in the postings' order
        for (reader, _), stored in zip(self.leaves, self.stored):
            if stored is not None and stored.has_positions(fieldname):
                row = stored.term_index(fieldname, btext)
                if row >= 0:
                    counts, flat = stored.positions(fieldname, row)
                    count_parts.append(counts)
                    flat_parts.append(flat)
            else:
                with self._whoosh_read:
                    if (fieldname, btext) not in reader:
                        continue
                    values = _read_values(reader, fieldname, btext)
                counts, flat = _decode_positions(self.schema[fieldname].format, values)
                count_parts.append(counts)
                flat_parts.append(flat)
        counts = np.concatenate(count_parts).astype(np.int64, copy=False)
        flat = np.concatenate(flat_parts).astype(np.int32, copy=False)
        starts = np.zeros(counts.size + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        result = TermPositions(docs, starts, flat)
        with self._lock:
            self._positions.put(key, result, result.nbytes() + 200)
        return result

    def close(self) -> None:
        for stored in self.stored:
            if stored is not None:
                stored.close()

    # ------------------------------------------------------------------ lengths and statistics
    def lengths(self, fieldname: str) -> np.ndarray:
        """Per-document length of a field as Whoosh scores it (byte-coded, float32)."""
        with self._lock:
            found = self._lengths.get(fieldname)
        if found is not None:
            return found
        parts = []
        for (reader, _), stored in zip(self.leaves, self.stored):
            found = stored.lengths(fieldname) if stored is not None else None
            if found is None:
                with self._whoosh_read:
                    found = _read_lengths(reader, fieldname)
            parts.append(found)
        lengths = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
        with self._lock:
            self._lengths[fieldname] = lengths
        return lengths

    def _bytes(self, fieldname: str, text):
        if fieldname not in self.schema:
            return None
        if isinstance(text, bytes):
            return text
        try:
            return self.schema[fieldname].to_bytes(text)
        except ValueError:
            return None


def _decode_positions(fmt, values: list) -> tuple[np.ndarray, np.ndarray]:
    """(position count per value, all positions as int32) of encoded posting values."""
    counts: list[int] = []
    flat: list[int] = []
    if type(fmt) is not formats.Positions:
        for v in values:
            found = fmt.decode_positions(v)
            counts.append(len(found))
            flat.extend(found)
        return np.array(counts, dtype=np.int64), np.array(flat, dtype=np.int32)
    # formats.Positions: a uint count, then a pickled list of position deltas; summed here per row
    for v in values:
        deltas = loads(v[_INT_SIZE:] if v.endswith(b".") else v[_INT_SIZE:] + b".")
        counts.append(len(deltas))
        flat.extend(deltas)
    counts_arr, deltas_arr = np.array(counts, dtype=np.int64), np.array(flat, dtype=np.int64)
    if deltas_arr.size == 0:
        return counts_arr, deltas_arr.astype(np.int32)
    running = np.cumsum(deltas_arr)
    row_base = np.cumsum(counts_arr) - counts_arr  # index of each row's first delta
    before = np.zeros(counts_arr.size, dtype=np.int64)
    has = counts_arr > 0
    before[has] = running[row_base[has]] - deltas_arr[row_base[has]]  # running sum before the row
    return counts_arr, (running - np.repeat(before, counts_arr)).astype(np.int32)


def _leaf_matcher(reader, fieldname: str, btext: bytes):
    fmt = reader.schema[fieldname].format
    return reader._terms.matcher(fieldname, btext, fmt)  # the raw matcher: no deletion filter


def _read_postings(reader, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(ids, weights) of one term in one segment."""
    ids, weights, _ = read_matcher(_leaf_matcher(reader, fieldname, btext), with_values=False)
    return ids, weights


def _read_values(reader, fieldname: str, btext: bytes) -> list:
    """Encoded values of one term's postings in one segment, in posting order."""
    return read_matcher(_leaf_matcher(reader, fieldname, btext), with_values=True)[2]


def read_matcher(m, with_values: bool) -> tuple[np.ndarray, np.ndarray, list | None]:
    """(ids int64, weights float32, encoded values or None) of a fresh leaf matcher's postings,
    block by block for a W3 matcher, posting by posting otherwise (postings inlined in the term info)."""
    if not isinstance(m, W3LeafMatcher):
        ids, weights, values = [], [], []
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            if with_values:
                values.append(m.value())
            m.next()
        return (np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float32),
                values if with_values else None)
    id_parts, weight_parts, values = [], [], []
    for _ in _blocks(m):
        id_parts.append(_block_ids(m))
        weight_parts.append(_block_weights(m))
        if with_values:
            m._read_values()
            values.extend(m._values)
    return np.concatenate(id_parts), np.concatenate(weight_parts), values if with_values else None


def _blocks(m: W3LeafMatcher):
    """Step a fresh W3 matcher through its blocks (yields once per block, data loaded)."""
    while True:
        m._read_data()
        yield
        if m._lastblock:
            return
        m._goto(m._nextoffset)


def _block_ids(m: W3LeafMatcher) -> np.ndarray:
    raw = m._data[0]
    ids = np.asarray(raw, dtype=np.int64)
    if not m._byteids:  # delta-coded (whoosh.util.numlists.delta_encode)
        ids = np.cumsum(ids)
    return ids


def _block_weights(m: W3LeafMatcher) -> np.ndarray:
    raw = m._data[1]
    n = m._blocklength
    if raw is None:
        return np.ones(n, dtype=np.float32)
    if isinstance(raw, float):
        return np.full(n, raw, dtype=np.float32)
    return np.asarray(raw, dtype=np.float32)


def _read_lengths(reader, fieldname: str) -> np.ndarray:
    """Byte-coded lengths of a field in one segment, decoded as Whoosh's scorer decodes them."""
    n = reader.doc_count_all()
    perdoc = getattr(reader, "_perdoc", None)
    lenfield = _lenfield(fieldname)
    if perdoc is None or not perdoc.has_column(lenfield):
        return np.array([reader.doc_field_length(d, fieldname, 0) or 0 for d in range(n)], dtype=np.float32)
    column = perdoc._cached_reader(lenfield, LENGTHS_COLUMN)
    codes = np.fromiter((column[d] for d in range(n)), dtype=np.uint8, count=n)
    return _LENGTH_OF_BYTE[codes]
