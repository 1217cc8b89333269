"""A Whoosh segment writer that keeps postings per term in compact arrays and hands Whoosh's own
posting writer whole posting lists at commit.

Whoosh's `SegmentWriter.add_document` puts every posting, one tuple each, into a posting pool that
spills to disk, pickling each posting, and sorts them back at commit; then `FieldWriter.add_postings`
feeds them to the posting writer one call each. `BulkSegmentWriter` is a `SegmentWriter` whose
`add_document` writes the same per-document data (stored fields, lengths, columns, term vectors,
through Whoosh's per-document writer) and keeps the postings of each field in flat arrays (term id,
document, frequency, weight, positions); at commit it sorts them by term with numpy and fills
Whoosh's `W3PostingsWriter` a block at a time (the same blocks, pickles and term infos that
posting-by-posting writing gives: tests/test_index_bulk_equal.py compares the segments), then
writes the segment's posting-array file (`indexer.segment_postings`) from the same arrays.

- Text fields (a `Positions` format, optionally a `Characters` vector) are analysed through
  `indexer.bulk_analysis.DistinctRunAnalysis`: each distinct run once, through the schema's
  analyzer. Every other field is indexed by Whoosh's own `field.index`.
- Every `flush_docs` documents the segment is written and a new one started (peak memory bounded
  by a segment's postings); the term ids and run caches start afresh with it.
- Segments merged in by a merge policy (an incremental update) go through Whoosh's posting pool;
  such a segment's postings are written by Whoosh's own `add_postings`, merged with the arrays.

This relies on Whoosh internals (the writer's per-document and field writers, `W3PostingsWriter`'s
block buffer): the equal-index test fails when an upgrade of the pinned whoosh3 changes them.
"""
from __future__ import annotations

import heapq
from array import array
from pathlib import Path

import numpy as np
from whoosh import formats
from whoosh.system import emptybytes, pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import PostingPool, SegmentWriter

from indexer.bulk_analysis import DistinctRunAnalysis, Vocabulary
from indexer.pickled_lists import character_values, position_values

# Documents per segment: at ~11 kB of posting arrays a document (bench corpus), 25,000 documents
# keep a writer's postings near 300 MB; a 100,000-document build writes 4 segments per process.
FLUSH_DOCS = 25_000

_TOKENS, _FREQUENCY, _EXISTENCE, _VALUES = "tokens", "frequency", "existence", "values"


def _route(field) -> str:
    """How a field's postings are made and kept (see _FieldPostings)."""
    fmt = field.format
    if type(fmt) is formats.Positions and (field.vector is None or type(field.vector) is formats.Characters):
        return _TOKENS
    if type(fmt) is formats.Frequency:
        return _FREQUENCY
    if type(fmt) is formats.Existence:
        return _EXISTENCE
    return _VALUES


class _FieldPostings:
    """One field's postings in a segment, in the order documents were added: per posting the term
    id, document, frequency and weight; the positions of `tokens` fields flat; the encoded values
    of fields whose format is none of Positions, Frequency, Existence."""

    def __init__(self, route: str, vocabulary: Vocabulary | None):
        self.route = route
        self.vocabulary = vocabulary  # tokens: the analysis's; else this field's own, keyed by bytes
        self.tids = array("i")
        self.docs = array("i")
        self.freqs = array("i")
        self.weights = array("f")
        self.positions = array("i")
        self.values: list[bytes] = []

    def __len__(self) -> int:
        return len(self.tids)


class _ChunkedLists:
    """Python lists of slices of numpy arrays (one per array), made a chunk of postings at a time."""

    CHUNK = 1 << 16

    def __init__(self, *arrays: np.ndarray):
        self.arrays = arrays
        self.first = self.end = 0
        self.lists: list[list] = [[] for _ in arrays]

    def get(self, a: int, b: int) -> tuple[list[list], int]:
        """(lists holding postings a..b, the posting number of their first item); ascending calls."""
        if b > self.end:
            self.first, self.end = a, max(b, min(a + self.CHUNK, self.arrays[0].size))
            self.lists = [arr[a:self.end].tolist() for arr in self.arrays]
        return self.lists, self.first


class _ChunkedValues:
    """The Positions values of a field's sorted postings, encoded a chunk of postings at a time
    (indexer.pickled_lists) so that a whole field's values are never held at once."""

    CHUNK = 1 << 16

    def __init__(self, freqs: np.ndarray, positions: np.ndarray, pos_starts: np.ndarray, encode):
        self.freqs, self.positions, self.pos_starts, self.encode = freqs, positions, pos_starts, encode
        self.first, self.values = 0, []

    def get(self, a: int, b: int) -> list[bytes]:
        """The values of postings a..b (ascending calls)."""
        if b > self.first + len(self.values):
            self.first = a
            end = max(b, min(a + self.CHUNK, self.freqs.size))
            ps = self.pos_starts
            self.values = position_values(self.freqs[a:end], self.positions[ps[a]:ps[end]], self.encode)
        return self.values[a - self.first:b - self.first]


class BulkSegmentWriter(SegmentWriter):
    """`SegmentWriter` with postings kept in arrays and written per term (see the module's doc).

    `flush_docs`: documents per segment (None: FLUSH_DOCS); `posting_arrays`: write each segment's posting-array
    file from memory (a file storage only)."""

    def __init__(self, ix, *, flush_docs: int | None = None, posting_arrays: bool = True, **kwargs):
        super().__init__(ix, **kwargs)
        self._limitmb = kwargs.get("limitmb", 128)
        self.flush_docs = flush_docs or FLUSH_DOCS
        self.posting_arrays = posting_arrays and hasattr(self.storage, "folder")
        self.flushed_segments: list = []
        self.arrays_written: list[str] = []  # ids of the segments whose posting arrays were written
        schema = self.schema
        if any(schema[name].separate_spelling() for name in schema.names()):
            raise ValueError("fields with separate spelling are not supported by the bulk writer")
        self._routes = {name: _route(schema[name]) for name in schema.names() if schema[name].indexed}
        self._analyses: dict[int, DistinctRunAnalysis] = {}
        self._field_analysis = {}
        for name, route in self._routes.items():
            if route == _TOKENS:
                analyzer = schema[name].analyzer
                analysis = self._analyses.get(id(analyzer))
                if analysis is None:
                    analysis = self._analyses[id(analyzer)] = DistinctRunAnalysis(analyzer)
                self._field_analysis[name] = analysis
        self._new_postings()

    # ------------------------------------------------------------------ segment state
    def _new_postings(self) -> None:
        self._postings = {}
        for name, route in self._routes.items():
            vocabulary = self._field_analysis[name].vocabulary if route == _TOKENS else Vocabulary()
            self._postings[name] = _FieldPostings(route, vocabulary)
        self._lengths = {name: array("i") for name in self._routes}  # per document, as Whoosh decodes them

    def _start_new_segment(self) -> None:
        codec = self.codec
        self.newsegment = codec.new_segment(self.storage, self.indexname)
        self.perdocwriter = codec.per_document_writer(self.storage, self.newsegment)
        self.fieldwriter = codec.field_writer(self.storage, self.newsegment)
        self.pool = PostingPool(self._tempstorage, self.newsegment, limitmb=self._limitmb)
        self.docnum = self.docbase
        for analysis in self._analyses.values():
            analysis.reset()
        self._new_postings()

    def flush(self) -> None:
        """Write the current segment now (kept for the commit) and start a new one."""
        if self.docnum == self.docbase:
            return
        self.flushed_segments.append(self._finalize_segment())
        self._start_new_segment()

    # ------------------------------------------------------------------ adding documents
    def add_document(self, **fields):
        """What `SegmentWriter.add_document` does, with the postings kept in arrays."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields if not name.startswith("_")])
        self._check_fields(schema, fieldnames)
        lengths = dict.fromkeys(self._routes, 0)

        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                tokens = None
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    postings = self._postings[fieldname]
                    if postings.route == _TOKENS:
                        if not isinstance(value, str):
                            raise ValueError(f"{fieldname}: the bulk writer indexes text fields from strings only")
                        tokens = self._field_analysis[fieldname].analyse(value)
                        length = self._add_tokens(postings, docnum, tokens, field.format.field_boost * fieldboost)
                    else:
                        length = self._add_items(postings, docnum, field.index(value), fieldboost)
                    if not field.scorable:
                        length = 0
                    lengths[fieldname] = length
                vformat = field.vector
                if vformat:
                    if tokens is not None:
                        self._add_vector(perdocwriter, fieldname, field, self._vector_items(tokens, vformat))
                    else:
                        vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes
                                        in vformat.word_values(value, field.analyzer, mode="index"))
                        perdocwriter.add_vector_items(fieldname, field, vitems)
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except ValueError:
            perdocwriter.cancel_doc()
            self._drop_postings_of(docnum)
            raise
        perdocwriter.finish_doc()
        for name, length in lengths.items():
            self._lengths[name].append(byte_to_length(length_to_byte(length)) if length else 0)
        self._added = True
        self.docnum += 1
        if self.docnum - self.docbase >= self.flush_docs:
            self.flush()

    def _drop_postings_of(self, docnum: int) -> None:
        """Remove the postings a cancelled document left (they are the last ones of each field)."""
        for postings in self._postings.values():
            docs = postings.docs
            keep = len(docs)
            while keep and docs[keep - 1] == docnum:
                keep -= 1
            if keep == len(docs):
                continue
            if postings.route == _TOKENS:
                del postings.positions[len(postings.positions) - sum(postings.freqs[keep:]):]
            if postings.route == _VALUES:
                del postings.values[keep:]
            for name in ("tids", "docs", "freqs", "weights"):
                del getattr(postings, name)[keep:]

    @staticmethod
    def _add_tokens(postings: _FieldPostings, docnum: int, tokens, boost: float) -> int:
        """Append one document's postings of a text field from its tokens; the field length."""
        n = len(tokens)
        if not n:
            return 0
        order = np.argsort(tokens.tids, kind="stable")  # token order kept within a term
        tids = tokens.tids[order]
        firsts = np.flatnonzero(np.concatenate(([True], tids[1:] != tids[:-1])))
        counts = np.diff(np.append(firsts, n)).astype(np.int32)
        postings.tids.frombytes(tids[firsts].tobytes())
        postings.docs.extend(array("i", [docnum]) * firsts.size)
        postings.freqs.frombytes(counts.tobytes())
        postings.weights.frombytes((counts * np.float32(boost)).astype(np.float32).tobytes())
        postings.positions.frombytes(tokens.positions[order].tobytes())
        tokens.order, tokens.firsts = order, firsts  # for the term vector
        return n

    @staticmethod
    def _add_items(postings: _FieldPostings, docnum: int, items, fieldboost: float) -> int:
        """Append one document's postings from Whoosh's (bytes, freq, weight, value) items; the length."""
        id_of = postings.vocabulary.id_of
        route = postings.route
        length = 0
        for tbytes, freq, weight, vbytes in items:
            postings.tids.append(id_of(tbytes))
            postings.docs.append(docnum)
            postings.freqs.append(freq)
            postings.weights.append(weight * fieldboost)
            if route == _VALUES:
                postings.values.append(vbytes)
            length += freq
        return length

    @staticmethod
    def _vector_items(tokens, vformat) -> tuple[list, list, list]:
        """(terms, weights, encoded characters) of one document's term vector, terms ascending (as
        Whoosh's writer sorts them)."""
        if not len(tokens):
            return [], [], []
        order, firsts = tokens.order, tokens.firsts
        counts = np.diff(np.append(firsts, order.size))
        if type(vformat) is formats.Characters:
            values = character_values(counts, tokens.positions[order], tokens.starts[order], tokens.ends[order],
                                      vformat.encode)
        else:
            values = [vformat.encode(list(zip(*(a[order][f:f + c].tolist() for a in (tokens.positions, tokens.starts,
                                                                                        tokens.ends)))))
                      for f, c in zip(firsts.tolist(), counts.tolist())]
        texts = tokens.vocabulary.texts
        terms = [texts[tid] for tid in tokens.tids[order][firsts].tolist()]
        fb = vformat.field_boost
        weights = [n * fb for n in counts.tolist()]
        by_term = sorted(range(len(terms)), key=terms.__getitem__)
        return [terms[i] for i in by_term], [weights[i] for i in by_term], [values[i] for i in by_term]

    @staticmethod
    def _add_vector(perdocwriter, fieldname: str, field, items: tuple[list, list, list]) -> None:
        """`W3PerDocWriter.add_vector_items`, with the vector's posting blocks filled whole."""
        from whoosh.codec.whoosh3 import VECTOR_COLUMN, VECTOR_LEN_COLUMN, W3TermInfo, _vecfield

        terms, weights, values = items
        if not terms:
            return
        if perdocwriter._vpostfile is None:
            perdocwriter._prep_vectors()
        postwriter = perdocwriter._codec.postings_writer(perdocwriter._vpostfile, byteids=True)
        postwriter.start_postings(field.vector, W3TermInfo())
        n, limit = len(terms), postwriter._blocklimit
        for a in range(0, n, limit):
            b = min(a + limit, n)
            postwriter._ids = terms[a:b]
            postwriter._weights = array("f", weights[a:b])
            postwriter._values = [v for v in values[a:b] if v]
            postwriter._maxweight = max(0, max(weights[a:b]))
            postwriter._minlength, postwriter._maxlength = None, 0
            postwriter._write_block(last=b == n)
        offset, length = postwriter.finish_postings().extent()
        vecfield = _vecfield(fieldname)
        perdocwriter.add_column_value(vecfield, VECTOR_COLUMN, offset)
        perdocwriter.add_column_value(vecfield + "L", VECTOR_LEN_COLUMN, length)

    # ------------------------------------------------------------------ writing a segment
    def _flush_segment(self):
        self.perdocwriter.close()
        if self.pool.current or self.pool.runs:  # segments merged in: Whoosh's pool holds their postings
            pdr = self.per_document_reader() if self.codec.length_stats else None
            items = heapq.merge(self._posting_items(), self.pool.iter_postings())
            self.fieldwriter.add_postings(self.schema, pdr, items)
            if pdr:
                pdr.close()
        else:
            self._write_postings()
        self.fieldwriter.close()

    def _sorted_field(self, fieldname: str) -> dict | None:
        """One field's postings sorted by term bytes, then document: numpy arrays and term bytes."""
        postings = self._postings[fieldname]
        if not len(postings):
            return None
        tids = np.frombuffer(postings.tids, dtype=np.int32)
        used = np.unique(tids)
        vocab = postings.vocabulary
        keys = [vocab.bytes_of(int(t)) for t in used.tolist()] if postings.route == _TOKENS \
            else [vocab.texts[t] for t in used.tolist()]
        by_bytes = sorted(range(len(keys)), key=keys.__getitem__)
        rank = np.empty(int(used[-1]) + 1, dtype=np.int32)
        rank[used[by_bytes]] = np.arange(len(by_bytes), dtype=np.int32)
        post_rank = rank[tids]
        order = np.argsort(post_rank, kind="stable")  # documents stay ascending within a term
        term_starts = np.searchsorted(post_rank[order], np.arange(len(keys) + 1))
        freqs = np.frombuffer(postings.freqs, dtype=np.int32)
        out = {
            "terms": [keys[i] for i in by_bytes],
            "post_starts": term_starts.astype(np.int64),
            "order": order if postings.route == _VALUES else None,
            "docs": np.frombuffer(postings.docs, dtype=np.int32)[order],
            "freqs": freqs[order],
            "weights": np.frombuffer(postings.weights, dtype=np.float32)[order],
        }
        if postings.route == _TOKENS:
            counts = out["freqs"].astype(np.int64)
            starts = np.zeros(freqs.size + 1, dtype=np.int64)
            np.cumsum(freqs, out=starts[1:])
            pos_starts = np.zeros(counts.size + 1, dtype=np.int64)
            np.cumsum(counts, out=pos_starts[1:])
            gather = np.repeat(starts[:-1][order] - pos_starts[:-1], counts) + np.arange(pos_starts[-1])
            out["pos_starts"] = pos_starts
            out["positions"] = np.frombuffer(postings.positions, dtype=np.int32)[gather]
        return out

    def _write_postings(self) -> None:
        """Every field's postings through Whoosh's field writer, a posting block at a time, and the
        segment's posting-array file from the same arrays."""
        from indexer.segment_postings import SEARCHED_FIELDS

        schema = self.schema
        fieldwriter = self.fieldwriter
        arrays = {}
        for fieldname in sorted(self._postings):
            data = self._sorted_field(fieldname)
            if data is not None:
                self._write_field(fieldwriter, fieldname, schema[fieldname], data)
            if self.posting_arrays and fieldname in SEARCHED_FIELDS:
                arrays[fieldname] = self._field_arrays(fieldname, data)
            self._postings[fieldname] = None  # let the field's arrays go
        if self.posting_arrays:  # written once the segment is assembled (its files go into the compound file)
            self._pending_arrays = {name: arrays[name] for name in SEARCHED_FIELDS if name in arrays}

    def _write_field(self, fieldwriter, fieldname: str, field, data: dict) -> None:
        fmt = field.format
        route = _route(field)
        blocklimit = self.codec._blocklimit
        lengths_of = np.frombuffer(self._lengths[fieldname], dtype=np.int32)
        # Python lists of a chunk of postings at a time: a whole field's would take ~40 bytes a number
        window = _ChunkedLists(data["docs"], data["weights"], lengths_of[data["docs"]], data["freqs"])
        post_starts = data["post_starts"].tolist()
        if route == _TOKENS:
            values = _ChunkedValues(data["freqs"], data["positions"], data["pos_starts"], fmt.encode)
        elif route == _VALUES:
            values_of = self._postings[fieldname].values
            order = data["order"].tolist()

        fieldwriter.start_field(fieldname, field)
        postwriter = fieldwriter._postwriter
        for t, btext in enumerate(data["terms"]):
            fieldwriter.start_term(btext)
            first, end = post_starts[t], post_starts[t + 1]
            for a in range(first, end, blocklimit):
                b = min(a + blocklimit, end)
                (docs, weights, lengths, freqs), at = window.get(a, b)
                postwriter._ids = array("I", docs[a - at:b - at])
                block_weights = weights[a - at:b - at]
                postwriter._weights = array("f", block_weights)
                postwriter._maxweight = max(0, max(block_weights))
                if route == _TOKENS:
                    postwriter._values = values.get(a, b)
                elif route == _FREQUENCY:
                    postwriter._values = [pack_uint(f) for f in freqs[a - at:b - at]]
                elif route == _VALUES:
                    postwriter._values = [v for v in (values_of[order[i]] for i in range(a, b)) if v]
                else:
                    postwriter._values = []
                block_lengths = [n for n in lengths[a - at:b - at] if n]
                postwriter._minlength = min(block_lengths) if block_lengths else None
                postwriter._maxlength = max(block_lengths) if block_lengths else 0
                postwriter._write_block(last=b == end)
            fieldwriter.finish_term()
        fieldwriter.finish_field()

    def _posting_items(self):
        """This segment's array postings as Whoosh's (field, bytes, doc, weight, value) items, sorted."""
        for fieldname in sorted(self._postings):
            data = self._sorted_field(fieldname)
            if data is None:
                continue
            route = self._postings[fieldname].route
            fmt = self.schema[fieldname].format
            docs, weights, freqs = data["docs"].tolist(), data["weights"].tolist(), data["freqs"].tolist()
            starts = data["post_starts"].tolist()
            if route == _TOKENS:
                positions, pos_starts = data["positions"].tolist(), data["pos_starts"].tolist()
            elif route == _VALUES:
                values_of, order = self._postings[fieldname].values, data["order"].tolist()
            for t, btext in enumerate(data["terms"]):
                for i in range(starts[t], starts[t + 1]):
                    if route == _TOKENS:
                        value = fmt.encode(positions[pos_starts[i]:pos_starts[i + 1]])
                    elif route == _FREQUENCY:
                        value = pack_uint(freqs[i])
                    elif route == _VALUES:
                        value = values_of[order[i]]
                    else:
                        value = emptybytes
                    yield fieldname, btext, docs[i], weights[i], value

    def _field_arrays(self, fieldname: str, data: dict | None) -> dict:
        """The posting arrays of one field (indexer.segment_postings' layout) from the sorted postings."""
        field = self.schema[fieldname]
        with_positions = field.format.supports("positions")
        if data is None:
            terms, term_starts = b"", np.zeros(1, dtype=np.int64)
            post_starts = np.zeros(1, dtype=np.int64)
            docs, weights = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
            pos_starts, positions = np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32)
        else:
            terms = b"".join(data["terms"])
            term_starts = np.zeros(len(data["terms"]) + 1, dtype=np.int64)
            np.cumsum([len(t) for t in data["terms"]], out=term_starts[1:])
            post_starts, docs, weights = data["post_starts"], data["docs"], data["weights"]
            pos_starts, positions = data.get("pos_starts"), data.get("positions")
        out = {
            "terms": np.frombuffer(terms, dtype=np.uint8),
            "term_starts": term_starts,
            "post_starts": post_starts,
            "docs": docs.astype(np.int32),
            "weights": weights.astype(np.float32),
        }
        if field.scorable:
            out["lengths"] = np.frombuffer(self._lengths[fieldname], dtype=np.int32).astype(np.float32)
        if with_positions:
            out["pos_starts"] = pos_starts
            out["positions"] = positions.astype(np.int32)
        return out

    def _write_posting_arrays(self, arrays: dict) -> None:
        from indexer.segment_postings import postings_path, write_arrays

        segment_id = self.newsegment.segment_id()
        write_arrays(postings_path(Path(self.storage.folder), segment_id), segment_id,
                     self.get_segment().doc_count_all(), arrays)
        self.arrays_written.append(segment_id)

    # ------------------------------------------------------------------ committing
    def _finalize_segment(self):
        self._pending_arrays = None
        segment = super()._finalize_segment()
        if self._pending_arrays is not None:
            self._write_posting_arrays(self._pending_arrays)
        self._pending_arrays = None
        self._postings = {}  # what a finished segment held
        return segment

    def finished_segments(self) -> list:
        """Write the current segment and return every segment this writer made, without writing a
        TOC (a parent process commits the segments of its writer processes)."""
        self._check_state()
        if self.docnum > self.docbase:
            self.flushed_segments.append(self._finalize_segment())
        else:
            self._close_segment()
        segments = list(self.flushed_segments)
        # not _finish(): the temporary folder is the index's, shared with the other writer processes
        # (the parent's writer removes it)
        self.is_closed = True
        return segments

    def commit(self, mergetype=None, optimize=None, merge=None):
        """`SegmentWriter.commit`, with the segments flushed along the way kept."""
        self._check_state()
        try:
            finalsegments = self._merge_segments(mergetype, optimize, merge)
            finalsegments += self.flushed_segments
            if self.docnum > self.docbase:
                finalsegments.append(self._finalize_segment())
            else:
                self._close_segment()
            self._commit_toc(finalsegments)
        except Exception:
            self._cleanup_on_error()
            raise
        self._finish()
