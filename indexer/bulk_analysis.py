"""Analysis by distinct text: each distinct script run is analysed once, documents are assembled.

A full build analyses the same words and Khmer phrases over and over: an English word is a run of
its own (analyzers.scripts.runs), a Khmer run a phrase between spaces. `DistinctRunAnalysis` asks
the field's own analyzer (the object in the schema, so a change to the chains flows through) for
the tokens of each distinct run once, keeps them as small int arrays (term ids, positions and
character offsets relative to the run) in a cache bounded in bytes, and assembles a document's
token stream from them: the same terms, positions and offsets the analyzer gives for the whole
text (tests/test_index_bulk_equal.py builds indexes both ways and compares them).

How runs compose is read from the analyzer, not restated here. A run is analysed framed by a
sentinel word, `SENTINEL run SENTINEL`: its tokens' positions relative to the first sentinel, and
the second sentinel's position, say where the run's tokens sit after whatever came before and
where the next run starts (stop words closing their gap, dropped tokens leaving one: whatever the
chain does). A document's start is analysed as it is, up to the first run that yields a token
(a stop filter keeps the positions of leading stop words: `The court` puts `court` at 1).

Only analyzers whose tokenizer is an `analyzers.tokenizers.ScriptTokenizer` (runs are its unit)
are split into runs; any other analyzer's text is analysed whole, through the same object.
"""
from __future__ import annotations

import numpy as np

from analyzers.scripts import run_texts

SENTINEL = "zqxj"  # a word every chain keeps as one token (checked by `_check_sentinel`)
RUN_CACHE_BYTES = 32 * 1024 * 1024  # per analyzer (a writer has one per text field analyzer: 4 here)
_ENTRY_OVERHEAD = 800  # the LRU's node, the key, the entry tuple and its four numpy array headers
_EMPTY = np.zeros(0, dtype=np.int32)


class NotDecomposable(Exception):
    """The analyzer did not give what framing a run by sentinels needs; analyse the text whole."""


class RunCache:
    """Analysed runs by text, bounded in bytes: past `max_bytes` it is emptied and fills again (a
    plain dict: the look-up is on the hot path, once per run of every document)."""

    __slots__ = ("max_bytes", "used", "items", "misses")

    def __init__(self, max_bytes: int):
        self.max_bytes, self.used = max_bytes, 0
        self.items: dict = {}
        self.misses = 0

    def put(self, key: str, value, size: int) -> None:
        if self.used + size > self.max_bytes:
            self.items.clear()
            self.used = 0
        self.items[key] = value
        self.used += size

    def clear(self) -> None:
        self.items.clear()
        self.used = 0

    def __len__(self) -> int:
        return len(self.items)


class Vocabulary:
    """Term text <-> small int id, one table per analyzer; bytes (UTF-8) made once per term."""

    __slots__ = ("ids", "texts", "_bytes")

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.texts: list[str] = []
        self._bytes: list[bytes | None] = []

    def id_of(self, text: str) -> int:
        found = self.ids.get(text)
        if found is None:
            found = self.ids[text] = len(self.texts)
            self.texts.append(text)
            self._bytes.append(None)
        return found

    def bytes_of(self, tid: int) -> bytes:
        b = self._bytes[tid]
        if b is None:
            b = self._bytes[tid] = self.texts[tid].encode("utf-8")
        return b

    def __len__(self) -> int:
        return len(self.texts)


class DocTokens:
    """One document field's tokens in order, as int32 arrays: term ids (into `vocabulary`),
    positions, start and end characters."""

    __slots__ = ("tids", "positions", "starts", "ends", "vocabulary", "order", "firsts")

    def __init__(self, tids, positions, starts, ends, vocabulary):
        self.tids, self.positions, self.starts, self.ends = tids, positions, starts, ends
        self.vocabulary = vocabulary
        self.order = self.firsts = None  # set by the writer: tokens sorted by term, each term's first

    def __len__(self) -> int:
        return int(self.tids.size)


def _is_run_tokenized(analyzer) -> bool:
    from analyzers.tokenizers import ScriptTokenizer

    inner = getattr(analyzer, "inner", analyzer)  # analyzers.replay.ReplayLastAnalyzer
    items = getattr(inner, "items", None)
    first = items[0] if items else inner
    return isinstance(first, ScriptTokenizer)


def _tokens(analyzer, text: str):
    """(text, pos, start, end) of the kept tokens the analyzer gives for `text` in index mode, as
    the Whoosh formats read them (stopped tokens dropped); boosts other than 1 are not supported."""
    out = []
    for t in analyzer(text, positions=True, chars=True, boosts=True, mode="index"):
        if t.stopped:
            continue
        if t.boost != 1.0:
            raise NotDecomposable(f"token boost {t.boost}")
        out.append((t.text, t.pos, t.startchar, t.endchar))
    return out


class DistinctRunAnalysis:
    """Analyses texts through one analyzer, each distinct run once (see the module's doc)."""

    def __init__(self, analyzer, cache_bytes: int = RUN_CACHE_BYTES):
        self.analyzer = analyzer
        self.vocabulary = Vocabulary()
        self.cache = RunCache(cache_bytes)
        self.runs_analysed = 0
        self.whole_texts = 0  # texts analysed whole (no decomposition)
        self._by_runs = _is_run_tokenized(analyzer)
        if self._by_runs:
            try:
                self._step = self._check_sentinel()
            except NotDecomposable:
                self._by_runs = False

    def reset(self) -> None:
        """Forget every term id and cached run (a new segment starts a new vocabulary)."""
        self.vocabulary = Vocabulary()
        self.cache.clear()

    def _check_sentinel(self) -> int:
        """The position step from one sentinel to the next with nothing between them."""
        s = SENTINEL
        got = _tokens(self.analyzer, f"{s} {s}")
        if [(start, end) for _, _, start, end in got] != [(0, len(s)), (len(s) + 1, 2 * len(s) + 1)]:
            raise NotDecomposable("the sentinel is not kept as one token")
        return got[1][1] - got[0][1]

    # ------------------------------------------------------------------ one run
    def _run_entry(self, run: str):
        """(term ids, positions after the previous token, starts, ends, advance) of one run."""
        entry = self.cache.items.get(run)
        if entry is not None:
            return entry
        return self._analyse_run(run)

    def _analyse_run(self, run: str):
        self.cache.misses += 1
        s = SENTINEL
        first = len(s) + 1
        last = first + len(run) + 1
        got = _tokens(self.analyzer, f"{s} {run} {s}")
        if len(got) < 2 or got[0][2:] != (0, len(s)) or got[-1][2:] != (last, last + len(s)):
            raise NotDecomposable(f"sentinels lost around {run!r}")
        p1, p2 = got[0][1], got[-1][1]
        inner = got[1:-1]
        id_of = self.vocabulary.id_of
        if inner:
            tids = np.array([id_of(t[0]) for t in inner], dtype=np.int32)
            rel = np.array([(t[1] - p1, t[2] - first, t[3] - first) for t in inner], dtype=np.int32)
            if rel[:, 1].min() < 0 or rel[:, 2].max() > len(run):
                raise NotDecomposable(f"a token outside its run {run!r}")
            entry = (tids, rel[:, 0].copy(), rel[:, 1].copy(), rel[:, 2].copy(), p2 - p1 - self._step)
        else:
            entry = (_EMPTY, _EMPTY, _EMPTY, _EMPTY, p2 - p1 - self._step)
        self.runs_analysed += 1
        self.cache.put(run, entry, _ENTRY_OVERHEAD + 2 * len(run) + 16 * int(entry[0].size))
        return entry

    # ------------------------------------------------------------------ one text
    def analyse(self, text: str) -> DocTokens:
        """The tokens of `text`, as the analyzer gives them for the whole text."""
        if self._by_runs and text:
            try:
                return self._assembled(text)
            except NotDecomposable:
                pass
        return self._whole(text)

    def _whole(self, text: str) -> DocTokens:
        if not text:
            return DocTokens(_EMPTY, _EMPTY, _EMPTY, _EMPTY, self.vocabulary)
        self.whole_texts += 1
        got = _tokens(self.analyzer, text)
        if not got:
            return DocTokens(_EMPTY, _EMPTY, _EMPTY, _EMPTY, self.vocabulary)
        id_of = self.vocabulary.id_of
        tids = np.array([id_of(t[0]) for t in got], dtype=np.int32)
        rest = np.array([t[1:] for t in got], dtype=np.int32)
        return DocTokens(tids, rest[:, 0].copy(), rest[:, 1].copy(), rest[:, 2].copy(), self.vocabulary)

    def _assembled(self, text: str) -> DocTokens:
        cached = self.cache.items
        analyse_run = self._analyse_run
        spans = run_texts(text)  # the tokenizer's runs
        # the start of the text, analysed as it is, up to the first run that yields a token
        lead = 0
        for _start, _end, run in spans:
            entry = cached.get(run) or analyse_run(run)
            if entry[0].size:
                break
            lead += 1
        if lead == len(spans):  # no run yields a token
            return DocTokens(_EMPTY, _EMPTY, _EMPTY, _EMPTY, self.vocabulary)
        cut = spans[lead][1]
        head = _tokens(self.analyzer, f"{text[:cut]} {SENTINEL}")
        if not head or head[-1][2:] != (cut + 1, cut + 1 + len(SENTINEL)):
            raise NotDecomposable("sentinel lost after the start of the text")
        base = head[-1][1] - self._step  # where the token before the next run sits
        head = head[:-1]
        id_of = self.vocabulary.id_of
        parts_t = [np.array([id_of(t[0]) for t in head], dtype=np.int32)]
        parts_p = [np.array([t[1] for t in head], dtype=np.int32)]
        parts_s = [np.array([t[2] for t in head], dtype=np.int32)]
        parts_e = [np.array([t[3] for t in head], dtype=np.int32)]
        bases, offsets, counts = [], [], []
        for start, _end, run in spans[lead + 1:]:
            entry = cached.get(run) or analyse_run(run)
            tids = entry[0]
            if tids.size:
                parts_t.append(tids)
                parts_p.append(entry[1])
                parts_s.append(entry[2])
                parts_e.append(entry[3])
                bases.append(base)
                offsets.append(start)
                counts.append(tids.size)
            base += entry[4]
        tids = np.concatenate(parts_t)
        positions = np.concatenate(parts_p)
        starts = np.concatenate(parts_s)
        ends = np.concatenate(parts_e)
        if counts:
            n_head = parts_t[0].size
            counts_arr = np.array(counts, dtype=np.int64)
            positions[n_head:] += np.repeat(np.array(bases, dtype=np.int32), counts_arr)
            shift = np.repeat(np.array(offsets, dtype=np.int32), counts_arr)
            starts[n_head:] += shift
            ends[n_head:] += shift
        return DocTokens(tids, positions, starts, ends, self.vocabulary)

    def token_list(self, text: str) -> list[tuple[str, int, int, int]]:
        """`analyse(text)` as (text, pos, start, end) tuples (what `_tokens` gives): for tests."""
        doc = self.analyse(text)
        texts = doc.vocabulary.texts
        return [(texts[t], p, s, e) for t, p, s, e in zip(doc.tids.tolist(), doc.positions.tolist(),
                                                         doc.starts.tolist(), doc.ends.tolist())]
