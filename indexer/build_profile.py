"""Where a one-process build's time goes, by phase, for the bulk writer (indexer.bulk_writer).

`profile_build(corpus_dir)` runs `build_index(..., procs=1)` into a temporary root with timers
wrapped around the functions of each phase, and returns {phase: self seconds} (time spent in a
phase's nested phases is counted once, under the inner phase) plus `total` and `documents`:

- parse: reading and parsing the corpus (`reading.loader.load_corpus`), Khmer segmentation excluded;
- fields: record -> field values (`indexer.documents.record_to_fields`: content hash);
- keys: the name keys of title + body (`indexer.namekey.keys_for_text`, run by the `name_keys`
  field's analyzer), Khmer segmentation excluded;
- segment: the Khmer word segmenter (the engine's `segment`, cache misses only);
- runs: the text fields' analyzers on each distinct run, once (`indexer.bulk_analysis`), and on the
  start of each text;
- assemble: documents' token streams assembled from the analysed runs (cache look-ups included);
- analyze: the other fields' analysis and Whoosh formats (`FieldType.index`: ids, facets, keys, vocab);
- postings: a document's postings appended to the segment's arrays;
- vectors: the term vectors (encoded characters, written by Whoosh's per-document writer);
- write: the rest of `add_document` (stored fields, columns, lengths);
- sort: the segment's postings sorted by term at commit (numpy);
- commit: the rest of the commit (Whoosh's posting blocks and term infos, segment files);
- arrays: the posting-array files (`indexer.segment_postings`), written from memory;
- other: what no phase covers (locking, checks, fuzzy vocabulary, generation switch).

`writer="whoosh"` profiles Whoosh's own add_document path (its phases: analyze, write, commit, arrays).
"""
from __future__ import annotations

import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

PHASES = ("parse", "fields", "keys", "segment", "runs", "assemble", "analyze", "postings", "vectors", "write",
          "sort", "commit", "arrays", "other")


class _PhaseClock:
    """Self time per phase for nested timed calls (one thread)."""

    def __init__(self):
        self.seconds = {p: 0.0 for p in PHASES}
        self._stack: list[list] = []  # [phase, started, child seconds]

    def wrap(self, func, phase, materialize: bool = False):
        """`func` timed as `phase`; `materialize` consumes a returned generator inside the timing."""
        def timed(*args, **kwargs):
            self._stack.append([phase, time.perf_counter(), 0.0])
            try:
                result = func(*args, **kwargs)
                return list(result) if materialize else result
            finally:
                name, started, child = self._stack.pop()
                spent = time.perf_counter() - started
                self.seconds[name] += spent - child
                if self._stack:
                    self._stack[-1][2] += spent
        timed.__wrapped__ = func
        return timed


@contextmanager
def _patched(obj, attr, replacement):
    original = getattr(obj, attr)
    setattr(obj, attr, replacement)
    try:
        yield
    finally:
        setattr(obj, attr, original)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@contextmanager
def _patched_method(cls, name, clock, phase, materialize: bool = False):
    """`cls.name` timed as `phase` (a static method stays one, and is put back as one)."""
    raw = vars(cls)[name]
    if isinstance(raw, staticmethod):
        setattr(cls, name, staticmethod(clock.wrap(raw.__func__, phase, materialize)))
    else:
        setattr(cls, name, clock.wrap(raw, phase, materialize))
    try:
        yield
    finally:
        setattr(cls, name, raw)


def profile_build(corpus_dir, writer: str = "bulk") -> dict:
    """{phase: seconds, 'total': seconds, 'documents': n} for a full one-process build of `corpus_dir`."""
    import reading.loader
    from whoosh import fields as wfields
    from whoosh import writing

    import indexer.build
    import indexer.bulk_analysis
    import indexer.documents
    import indexer.namekey
    from analyzers import segment as seg
    from indexer.bulk_writer import BulkSegmentWriter

    clock = _PhaseClock()
    engine = seg._engine_module(seg.DEFAULT_ENGINE)
    from analyzers import khmer_words

    seg._segment_cached.cache_clear()  # count every segmentation this build needs
    khmer_words._words_of_run.cache_clear()
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="bayon-profile-") as root:
        stack.enter_context(_patched(reading.loader, "load_corpus", clock.wrap(reading.loader.load_corpus, "parse")))
        stack.enter_context(_patched(indexer.build, "record_to_fields",
                                     clock.wrap(indexer.documents.record_to_fields, "fields")))
        stack.enter_context(_patched(engine, "segment", clock.wrap(engine.segment, "segment")))
        stack.enter_context(_patched(indexer.build, "_write_posting_arrays",
                                     clock.wrap(indexer.build._write_posting_arrays, "arrays")))
        stack.enter_context(_patched(indexer.namekey, "keys_for_text",
                                     clock.wrap(indexer.namekey.keys_for_text, "keys")))
        for cls in (wfields.FieldType, *_subclasses(wfields.FieldType)):
            if "index" in vars(cls):
                stack.enter_context(_patched(cls, "index", clock.wrap(vars(cls)["index"], "analyze", True)))
        for cls in {writing.SegmentWriter, *_subclasses(writing.SegmentWriter)}:
            if "add_document" in vars(cls):
                stack.enter_context(_patched(cls, "add_document", clock.wrap(cls.add_document, "write")))
            if "commit" in vars(cls):
                stack.enter_context(_patched(cls, "commit", clock.wrap(cls.commit, "commit")))
        # vector analysis runs inside add_document through the format: count it as analysis
        from whoosh import formats
        from whoosh.codec.whoosh3 import W3PerDocWriter
        stack.enter_context(_patched(formats.Characters, "word_values",
                                     clock.wrap(formats.Characters.word_values, "analyze", True)))
        stack.enter_context(_patched(indexer.bulk_analysis, "_tokens",
                                     clock.wrap(indexer.bulk_analysis._tokens, "runs")))
        stack.enter_context(_patched_method(indexer.bulk_analysis.DistinctRunAnalysis, "analyse", clock, "assemble"))
        for name in ("_add_tokens", "_add_items"):
            stack.enter_context(_patched_method(BulkSegmentWriter, name, clock, "postings"))
        for name in ("_vector_items", "_add_vector"):
            stack.enter_context(_patched_method(BulkSegmentWriter, name, clock, "vectors"))
        stack.enter_context(_patched_method(W3PerDocWriter, "add_vector_items", clock, "vectors"))
        stack.enter_context(_patched_method(BulkSegmentWriter, "_sorted_field", clock, "sort"))
        for name in ("_field_arrays", "_write_posting_arrays"):
            stack.enter_context(_patched_method(BulkSegmentWriter, name, clock, "arrays"))
        started = time.perf_counter()
        report = clock.wrap(indexer.build.build_index, "other")(Path(corpus_dir), Path(root), progress=False,
                                                                 procs=1, writer=writer)
        total = time.perf_counter() - started
    out = dict(clock.seconds)
    out["total"] = total
    out["documents"] = report.documents
    out["writer"] = writer
    runs = khmer_words._words_of_run.cache_info()
    out["khmer_runs"] = {"requests": runs.hits + runs.misses, "segmented": runs.misses}
    return out


def format_profile(figures: dict) -> str:
    """A small table: phase, seconds, share, then the total and docs/s."""
    total = figures["total"] or 1.0
    lines = [f"{'phase':<8} {'seconds':>8} {'share':>6}"]
    for phase in PHASES:
        lines.append(f"{phase:<8} {figures[phase]:8.2f} {figures[phase] / total:6.0%}")
    lines.append(f"{'total':<8} {figures['total']:8.2f}  ({figures['documents']} documents, "
                 f"{figures['documents'] / total:.0f} docs/s, one process, {figures.get('writer', 'bulk')} writer)")
    runs = figures.get("khmer_runs")
    if runs and runs["requests"]:
        hits = runs["requests"] - runs["segmented"]
        lines.append(f"Khmer runs: {runs['requests']} requested, {runs['segmented']} segmented: cache hit rate "
                     f"{hits / runs['requests']:.0%} (each run is asked for by its text field and by the name "
                     f"keys: 50% without any repetition across documents)")
    return "\n".join(lines)
