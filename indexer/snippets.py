"""Highlighted text: the spans of a text that a query matched, a snippet around them, the full body.

Output is escaped HTML where only <mark>...</mark> (and <p>, <br> in body_html) are markup.
Cuts fall on word boundaries (token edges of the mixed analyzer, or spaces) and never inside a
Khmer cluster (checked with analyzers.khmer.is_cluster_boundary).
"""
from __future__ import annotations

import html
import re
import io
import struct
import threading
import weakref
import zlib
from bisect import bisect_left
from pickle import load as _pickle_load, loads as _pickle_loads

import numpy as np
from whoosh.codec.whoosh3 import VECTOR_COLUMN, WHOOSH3_HEADER_MAGIC, W3PerDocReader, _vecfield
from whoosh.columns import NumericColumn

from indexer.namekey import _LATIN_WORD, name_keys
from indexer.querybuild import Highlight

SNIPPET_CHARS = 240
SCAN_CHARS = 4000  # snippets look for matches in this much text first (long reports: the rest only if none)
MAX_SCAN_CHARS = 200_000  # and never in more than this
_WS = re.compile(r"\s+")
_WS_CHAR = re.compile(r"\s")  # str.isspace(), as a pattern
_KHMER = re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]")
_PARA = re.compile(r"\n[ \t]*\n\s*")
_INT = struct.Struct("!i")  # a block length in a Whoosh 3 posting list (whoosh.system._INT_SIZE)


def _vector_postings(searcher, docnum: int, field: str, terms) -> dict | None:
    """{term: [(position, start, end), ...]} of `terms` in the document's `field`, read from its
    term vector (character offsets stored at index time); None when there is no such vector."""
    if field not in searcher.schema:
        return None
    vformat = searcher.schema[field].vector
    reader = searcher.reader()
    if vformat is None or not hasattr(vformat, "decode_characters"):
        return None
    wanted = sorted(set(terms))
    raw = _raw_vector(reader, docnum, field)
    if raw is _NO_VECTOR:
        return None
    if raw is not None:
        found = _lookup_in_blocks(raw, wanted, vformat)
        if found is not None:
            return found
    return _matcher_vector_postings(reader, docnum, field, wanted, vformat)


def _matcher_vector_postings(reader, docnum: int, field: str, wanted: list[str], vformat) -> dict | None:
    """{term: characters} for the sorted `wanted` terms through Whoosh's own vector matcher, stepped
    with skip_to (the path for any codec; None when the document has no vector of the field)."""
    if not reader.has_vector(docnum, field):
        return None
    found = {}
    vec = reader.vector(docnum, field)
    for term in wanted:
        if not vec.is_active():
            break
        vec.skip_to(term)
        if vec.is_active() and vec.id() == term:
            found[term] = vformat.decode_characters(vec.value())
    return found


_NO_VECTOR = b""  # _raw_vector: the document has no vector of the field (Whoosh's has_vector is False)


def _raw_vector(reader, docnum: int, field: str) -> bytes | None:
    """The bytes of a document's term vector as Whoosh 3 writes it (a posting list whose ids are the
    terms), read in one piece, or _NO_VECTOR; None for another codec or layout (the caller then asks
    Whoosh's own reader)."""
    try:
        if hasattr(reader, "_segment_and_docnum"):
            segment, docnum = reader._segment_and_docnum(docnum)
            reader = reader.readers[segment]
        perdoc = reader._perdoc
        if type(perdoc) is not W3PerDocReader:
            return None
        if not perdoc.has_column(_vecfield(field)):  # W3PerDocReader.has_vector, without reading twice
            return _NO_VECTOR
        offset, length = _vector_extent(perdoc, docnum, field)
        if not offset:
            return _NO_VECTOR
        if length is None or length <= 0:
            return None
        if perdoc._vpostfile is None:
            perdoc._prep_vectors()
        raw = perdoc._vpostfile.get(offset, length)
    except (AttributeError, TypeError):
        return None
    return raw if raw[:4] == WHOOSH3_HEADER_MAGIC and len(raw) == length else None


_EXTENTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # per-document reader: {field: columns}
_EXTENTS_LOCK = threading.Lock()


def _vector_extent(perdoc, docnum: int, field: str) -> tuple[int, int]:
    """W3PerDocReader._vector_extent (offset and length of a document's vector), from the two
    columns read whole once per segment reader instead of one small file read per value."""
    with _EXTENTS_LOCK:
        columns = _EXTENTS.setdefault(perdoc, {})
        found = columns.get(field)
    if found is None:
        vecfield = _vecfield(field)
        offsets = _whole_column(perdoc._cached_reader(vecfield, VECTOR_COLUMN))
        # Whoosh reads the length column with VECTOR_COLUMN too (and -1 without one)
        lengths = _whole_column(perdoc._cached_reader(vecfield + "L", VECTOR_COLUMN))
        found = (offsets, lengths)
        with _EXTENTS_LOCK:
            columns[field] = found
    offsets, lengths = found
    if offsets is None or (lengths is None and perdoc.has_column(_vecfield(field) + "L")):
        return perdoc._vector_extent(docnum, field)  # a column of another kind: Whoosh reads it
    if docnum > perdoc._doccount:
        raise IndexError(f"Asked for document {docnum!r} of {perdoc._doccount}")
    return _column_value(offsets, docnum), (-1 if lengths is None else _column_value(lengths, docnum))


def _whole_column(reader):
    """(values, default) of a Whoosh NumericColumn reader, read in one piece; None otherwise."""
    if type(reader) is not NumericColumn.Reader:
        return None
    count = reader._count
    raw = reader._dbfile.get(reader._basepos, count * reader._fixedlen) if count else b""
    dtype = np.dtype(">" + reader._typecode)
    if dtype.itemsize != reader._fixedlen or len(raw) != count * reader._fixedlen:
        return None
    return np.frombuffer(raw, dtype=dtype), reader._default


def _column_value(column, docnum: int) -> int:
    values, default = column
    return int(values[docnum]) if docnum < values.size else default


def _lookup_in_blocks(raw: bytes, wanted: list, vformat) -> dict | None:
    """What Whoosh's matcher finds (`skip_to(term)`, then `id() == term`) for each of the ascending
    `wanted` terms in the raw vector `raw` (_raw_vector): the blocks are parsed from memory, a block
    whose largest term (its header) is below the next wanted one is passed without reading its data,
    and inside a block (sorted, unique terms) each wanted term is one binary search. None when the
    bytes do not parse as expected."""
    decode = vformat.decode_characters
    fixed = vformat.fixed_value_size()
    found: dict = {}
    buffer = io.BytesIO(raw)
    pos, end, i, n = 4, len(raw), 0, len(wanted)
    while i < n and pos < end:
        (length,) = _INT.unpack_from(raw, pos)
        last = length < 0
        block_end = pos + 4 + abs(length)
        buffer.seek(pos + 4)
        info = _pickle_load(buffer)  # (count, largest id, max weight, compression, min len, max len)
        count, block_max, compression = info[0], info[1], info[3]
        if wanted[i] <= block_max:
            data = raw[buffer.tell():block_end]
            ids, _weights, values = _pickle_loads(zlib.decompress(data) if compression else data)
            if fixed is not None and fixed >= 0:
                values = (None,) * count if fixed == 0 else tuple(values[k:k + fixed] for k in range(0, len(values), fixed))
            while i < n and wanted[i] <= block_max:
                term = wanted[i]
                at = bisect_left(ids, term)
                if at < len(ids) and ids[at] == term:
                    found[term] = decode(values[at])
                i += 1
        if last:
            break
        pos = block_end
    if pos > end:
        return None
    return found


def _term_spans(found: dict, terms) -> list[tuple[int, int]]:
    """(start, end) of every token of `terms` in `found` (_vector_postings), ascending."""
    return sorted((start, end) for term in set(terms) if term in found for _pos, start, end in found[term])


def _sequence_spans(found: dict, seqs) -> list[tuple[int, int]]:
    """(start, end) of every run of consecutive positions holding one of the term sequences `seqs`
    in `found` (_vector_postings), ascending."""
    spans = []
    for seq in seqs:
        if not all(c in found for c in seq):
            continue
        at = [{pos: (start, end) for pos, start, end in found[c]} for c in seq]
        for pos, (start, _end) in at[0].items():
            if all(pos + k in at[k] for k in range(1, len(seq))):
                spans.append((start, at[-1][pos + len(seq) - 1][1]))
    return sorted(spans)


def term_spans_from_vector(searcher, docnum: int, terms, field: str = "body") -> list[tuple[int, int]] | None:
    """(start, end) of every token of `terms` in the document's `field`, from its term vector;
    None when the index has no such vector."""
    found = _vector_postings(searcher, docnum, field, terms)
    return None if found is None else _term_spans(found, terms)


def cluster_spans_from_vector(searcher, docnum: int, seqs, field: str = "body_sub") -> list[tuple[int, int]] | None:
    """(start, end) of every run of consecutive positions holding one of the cluster sequences
    `seqs` in the document's sub-word `field`, from its term vector; None without a vector."""
    found = _vector_postings(searcher, docnum, field, {c for seq in seqs for c in seq})
    return None if found is None else _sequence_spans(found, seqs)


def vector_spans(searcher, docnum: int, hl: Highlight):
    """(term spans, cluster-sequence spans, phrase spans) of `hl` in a document, as
    term_spans_from_vector(hl.terms), cluster_spans_from_vector(hl.cluster_seqs) and
    cluster_spans_from_vector(hl.phrases, field="body") give them (None for what `hl` does not
    mark or the document has no vector of), the body vector read once for terms and phrases."""
    terms, seqs, phrases = hl.terms, hl.cluster_seqs, getattr(hl, "phrases", None)
    body = None
    if terms or phrases:
        wanted = set(terms or ()) | {w for seq in phrases or () for w in seq}
        body = _vector_postings(searcher, docnum, "body", wanted)
    term_spans = _term_spans(body, terms) if terms and body is not None else None
    phrase_spans = _sequence_spans(body, phrases) if phrases and body is not None else None
    seq_spans = cluster_spans_from_vector(searcher, docnum, seqs) if seqs else None
    return term_spans, seq_spans, phrase_spans


def match_spans(text: str, hl: Highlight, mixed, subword, term_spans=None,
                cluster_spans=None, phrase_spans=None) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) character spans of `text` matched by `hl`.

    `term_spans` (term_spans_from_vector) and `cluster_spans` (cluster_spans_from_vector), over
    the whole stored text, replace analysing `text` for `hl.terms` and `hl.cluster_seqs`
    (`phrase_spans`, cluster_spans_from_vector over the word field, for `hl.phrases`); spans
    ending beyond `text` (a prefix of it) are left out."""
    spans: list[tuple[int, int]] = []
    if not text:
        return spans
    if hl.terms and term_spans is not None:
        spans.extend(span for span in term_spans if span[1] <= len(text))
    elif hl.terms:
        for tok in mixed(text, chars=True, mode="index"):
            if tok.text in hl.terms:
                spans.append((tok.startchar, tok.endchar))
    if hl.cluster_seqs and cluster_spans is not None:
        spans.extend(span for span in cluster_spans if span[1] <= len(text))
    elif hl.cluster_seqs and _KHMER.search(text):
        toks = [(t.text, t.startchar, t.endchar) for t in subword(text, chars=True, mode="index")]
        texts = [t[0] for t in toks]
        for seq in hl.cluster_seqs:
            n = len(seq)
            for i in range(len(texts) - n + 1):
                if tuple(texts[i:i + n]) == seq:
                    spans.append((toks[i][1], toks[i + n - 1][2]))
    phrases = getattr(hl, "phrases", None)
    if phrases and phrase_spans is not None:
        spans.extend(span for span in phrase_spans if span[1] <= len(text))
    elif phrases:
        toks = [(t.text, t.startchar, t.endchar) for t in mixed(text, chars=True, mode="index")]
        texts = [t[0] for t in toks]
        for seq in phrases:
            n = len(seq)
            for i in range(len(texts) - n + 1):
                if tuple(texts[i:i + n]) == seq:
                    spans.append((toks[i][1], toks[i + n - 1][2]))
    if hl.name_keys:
        # the words a name key may mark are those the index keys (indexer.namekey.keys_for_text):
        # capitalised ones, here of 3+ letters, never a common word ("main" for "men", "in");
        # only those are visited (each Latin word of `text` as latin_words gives them, and the next)
        for m in _CAPITALISED_WORD.finditer(text):
            w, s, e = m.group(), m.start(), m.end()
            if not _name_part(w):
                continue
            if name_keys(w) & hl.name_keys:
                spans.append((s, e))
            following = _LATIN_WORD.search(text, e)
            if following is not None:
                w2, s2, e2 = following.group(), following.start(), following.end()
                # a name written in two parts ("Chan Tha"); not a name and the word after it
                # ("Chantha, a leader": "a" is no part of the name)
                if (s2 - e <= 2 and w2[:1].isupper() and len(w2) > 1 and not name_keys(w) & hl.name_keys
                        and name_keys(w + w2) & hl.name_keys):
                    spans.extend([(s, e), (s2, e2)])
    return _merge(spans)


# a Latin word (indexer.namekey.latin_words: a maximal run of _LATIN_WORD's letters) whose first
# letter is upper case (str.isupper), found without visiting the others
_LATIN_LETTERS = "A-Za-z\u00C0-\u024F"
_UPPER_LATIN = "".join(re.escape(chr(c)) for c in range(0x41, 0x250)
                       if re.fullmatch(f"[{_LATIN_LETTERS}]", chr(c)) and chr(c).isupper())
_CAPITALISED_WORD = re.compile(f"(?<![{_LATIN_LETTERS}])[{_UPPER_LATIN}][{_LATIN_LETTERS}]*")


def _name_part(word: str) -> bool:
    """A word a name key may mark: capitalised, 3 letters or more."""
    return word[:1].isupper() and len(word) >= 3


def _merge(spans):
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def render(text: str, spans, start: int = 0, end: int | None = None) -> str:
    """Escaped `text[start:end]` with the spans inside it wrapped in <mark>."""
    end = len(text) if end is None else end
    parts, pos = [], start
    for s, e in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        parts.append(html.escape(text[pos:s], quote=False))
        parts.append("<mark>" + html.escape(text[s:e], quote=False) + "</mark>")
        pos = e
    parts.append(html.escape(text[pos:end], quote=False))
    return "".join(parts)


def snippet_spans(text: str, hl: Highlight, mixed, subword, term_spans=None,
                  cluster_spans=None, phrase_spans=None) -> list[tuple[int, int]]:
    """Match spans for a snippet: those in the first SCAN_CHARS (cut at a space), else in the first
    MAX_SCAN_CHARS (so a snippet of a 50 MB body costs what one of a 200 kB body does; a match only
    beyond them gives a snippet from the start). `term_spans`, `cluster_spans`, `phrase_spans`: as
    for match_spans."""
    for limit in (SCAN_CHARS, MAX_SCAN_CHARS):
        if len(text) <= limit:
            break
        spans = match_spans(text[:_cut_at_space(text, limit)], hl, mixed, subword, term_spans, cluster_spans,
                            phrase_spans)
        if spans or limit == MAX_SCAN_CHARS:
            return spans
    return match_spans(text, hl, mixed, subword, term_spans, cluster_spans, phrase_spans)


def _cut_at_space(text: str, limit: int) -> int:
    """A cut near `limit` (the last space before it, else the next whitespace): never inside a word
    or a Khmer run. A whitespace-free run is cut at most 1,000 characters past `limit`."""
    cut = text.rfind(" ", 0, limit)
    cut = cut if cut > 0 else limit
    end = min(len(text), max(cut, limit) + 1000)
    while cut < end and not text[cut].isspace():
        cut += 1
    return cut


def snippet(text: str, spans, mixed, size: int = SNIPPET_CHARS) -> str:
    """A window of about `size` characters around the densest matches, whitespace collapsed."""
    if not text:
        return ""
    if spans:
        lo, hi = _best_window(spans, size)
        centre_pad = max(0, (size - (hi - lo)) // 3)
        want_start = max(0, lo - centre_pad)
    else:
        want_start = 0
    want_end = min(len(text), want_start + size)
    if want_end - want_start < size:
        want_start = max(0, want_end - size)
    start, end = _snap(text, want_start, want_end, mixed)
    body = render(text, spans, start, end)
    body = _WS.sub(" ", body).strip()
    prefix = "… " if start > 0 and text[:start].strip() else ""
    suffix = " …" if end < len(text) and text[end:].strip() else ""
    return prefix + body + suffix


def body_html(text: str, spans) -> str:
    """The whole text as escaped HTML paragraphs (<p>, <br> for single line breaks), matches marked."""
    if not text:
        return ""
    marked = render(text, spans)
    paras = [p.strip() for p in _PARA.split(marked)]
    return "".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in paras if p)


def _best_window(spans, size):
    """(start, end) of the run of spans fitting in `size` chars that holds the most spans."""
    best, best_n = (spans[0][0], spans[0][1]), 0
    j = 0
    for i in range(len(spans)):
        j = max(j, i)
        while j + 1 < len(spans) and spans[j + 1][1] - spans[i][0] <= size:
            j += 1
        if j - i + 1 > best_n:
            best_n, best = j - i + 1, (spans[i][0], spans[j][1])
    return best


SNAP_REACH = 24  # characters analysed either side of a snippet edge inside a long run


def _snap(text: str, start: int, end: int, mixed):
    """Move `start` back and `end` forward (within 40 characters, else the other way) onto word/cluster
    boundaries. Only the text around the two edges is analysed: the whitespace-free run holding each
    edge, at most SNAP_REACH characters either side (no token crosses whitespace)."""
    from analyzers.khmer import is_cluster_boundary

    lo, hi = max(0, start - 40), min(len(text), end + 40)
    cuts = {lo, hi, 0, len(text)}
    for m in _WS.finditer(text, lo, hi):
        cuts.update((m.start(), m.end()))
    for edge in {start, end}:
        cuts.update(_word_cuts_near(text, edge, lo, hi, mixed))

    def valid(c):  # a cut at lo/hi may fall inside a token cut by the window: only the text's ends
        return (c in (0, len(text)) or lo < c < hi) and is_cluster_boundary(text, c)

    ordered = sorted(cuts)
    back = lambda limit: next((c for c in reversed(ordered) if c <= limit and valid(c)), None)  # noqa: E731
    ahead = lambda limit: next((c for c in ordered if c >= limit and valid(c)), None)  # noqa: E731
    s = back(start)
    if s is None:
        s = ahead(start) or 0
    e = ahead(end)
    if e is None:
        e = back(end)
        e = len(text) if e is None else e
    if e <= s:
        e = ahead(s + 1)
        e = len(text) if e is None else e
    return s, e


def _word_cuts_near(text: str, edge: int, lo: int, hi: int, mixed) -> set[int]:
    """Token boundaries near `edge` inside its whitespace-free run (clipped to lo..hi)."""
    from analyzers.khmer import is_cluster_boundary

    # the run: back to the whitespace before `edge` (else lo), on to the whitespace after it (else hi)
    before = _WS_CHAR.search(text[lo:edge][::-1])
    a = edge - before.start() if before else min(lo, edge)
    after = _WS_CHAR.search(text, edge, hi)
    b = after.start() if after else max(edge, hi)
    if not a < edge < b:
        return set()
    piece_a, piece_b = max(a, edge - SNAP_REACH), min(b, edge + SNAP_REACH)
    while piece_a > a and not is_cluster_boundary(text, piece_a):
        piece_a -= 1
    while piece_b < b and not is_cluster_boundary(text, piece_b):
        piece_b += 1
    out = set()
    for tok in mixed(text[piece_a:piece_b], chars=True, mode="index"):
        out.update((piece_a + tok.startchar, piece_a + tok.endchar))
    # where the piece was cut out of its run is not a word boundary
    if piece_a != a:
        out.discard(piece_a)
    if piece_b != b:
        out.discard(piece_b)
    return out
