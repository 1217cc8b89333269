"""The one search service behind `bayon search` and the web UI.

`SearchService(index_root).search(SearchRequest(...))` returns the JSON shape of
`bayon search --json` (indexer/search_schema.json); `.document(id, q)` returns one record.
The service keeps one searcher per index generation and switches when CURRENT changes.
"""
from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexer import layout
from indexer.evaluate import ArrayEvaluator
from indexer.groups import group_key
from indexer.facets import FacetColumns, multi_select_counts
from indexer.postings import PostingArrays
from indexer.querybuild import Highlight, QueryBuilder, parse_year
from indexer.queryparse import parse
from indexer.questions import content_words, only_function_words
from indexer.ranking import tiers
from indexer.snippets import (body_html, cluster_spans_from_vector, match_spans, snippet, snippet_spans,
                              term_spans_from_vector)
from analyzers.invisible import strip_invisible
from indexer.fuzzy import FuzzyVocabulary
from indexer.typos import Corrections, find_corrections, stem_known
from lexicon.expand import also_searched

SORTS = ("relevance", "date", "oldest")  # date: newest first; oldest: oldest first
MAX_PER_PAGE = 100
MAX_QUERY_CHARS = 1000
SPAN_CACHE = 4096
RECORD_FIELDS = ("id", "title", "organisation", "doc_type", "date", "date_precision", "year",
                 "date_source", "language", "source", "url", "body", "content_hash")


class BadParameter(ValueError):
    """A search parameter is invalid; `name` says which."""

    def __init__(self, name: str, message: str):
        self.name, self.message = name, message
        super().__init__(f"{name}: {message}")


@dataclass
class SearchRequest:
    q: str = ""
    organisation: list[str] = field(default_factory=list)
    doc_type: list[str] = field(default_factory=list)
    # each "2019" or "2019..2021" (an end may be open: "2019.."); several are OR'd. A lone string
    # is accepted and becomes a one-item list.
    year: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    expand: bool = True  # also search the lexicon's translations and variants of the query's terms
    typos: bool = True  # also search the nearest vocabulary words of words the index lacks (indexer.typos)

    def __post_init__(self):
        if self.year is None:
            self.year = []
        elif isinstance(self.year, str):
            self.year = [self.year] if self.year.strip() else []

    @classmethod
    def from_params(cls, q=None, organisation=None, doc_type=None, year=None, language=None,
                    sort=None, page=None, per_page=None, expand=None,
                    typos=None) -> "SearchRequest":
        """Validate loosely typed parameters (strings or lists, e.g. from a URL); raise BadParameter."""
        q = "" if q is None else str(q)
        if len(q) > MAX_QUERY_CHARS:
            raise BadParameter("q", f"longer than {MAX_QUERY_CHARS} characters")
        years = _list(year)
        for y in years:
            if parse_year(y) is None:
                raise BadParameter("year", f"{y!r} is not a year (YYYY) or a range (YYYY..YYYY)")
        sort = sort or "relevance"
        if sort not in SORTS:
            raise BadParameter("sort", f"{sort!r} is not one of {', '.join(SORTS)}")
        return cls(q=q, organisation=_list(organisation), doc_type=_list(doc_type), year=years,
                   language=_list(language), sort=sort,
                   page=_int("page", page, 1, 1, 10**6),
                   per_page=_int("per_page", per_page, 10, 1, MAX_PER_PAGE),
                   expand=_bool("expand", expand, True), typos=_bool("typos", typos, True))


def _list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [str(v).strip() for v in value if v is not None and str(v).strip()]


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _bool(name, value, default) -> bool:
    """A flag from a bool or a URL string (1/0, true/false, yes/no, on/off)."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise BadParameter(name, f"{value!r} is not 1 or 0")


def _int(name, value, default, lo, hi) -> int:
    if value in (None, ""):
        return default
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise BadParameter(name, f"{value!r} is not a whole number") from None
    if not lo <= n <= hi:
        raise BadParameter(name, f"must be between {lo} and {hi}")
    return n


class _Generation:
    """An open index generation: searcher, facet columns, fuzzy vocabulary."""

    def __init__(self, path: Path):
        from whoosh.filedb.filestore import FileStorage

        from indexer.schema import text_analyzers

        self.path = path
        # without mmap: a mapped file's touched pages count as the server's resident memory, and a
        # search touches much of a large index's postings; reads through the page cache do not
        self.index = FileStorage(str(path), supports_mmap=False).open_index()
        self.searcher = self.index.searcher()
        self.mixed, self.subword = text_analyzers()
        self.columns = FacetColumns(self.searcher)
        self.arrays = PostingArrays(self.searcher, folder=path)
        self._fuzzy = None
        self._spans: OrderedDict = OrderedDict()

    def snippet_spans(self, docnum: int, body: str, hl: Highlight):
        """Match spans of a body for a snippet, remembered for the last SPAN_CACHE (doc, query) pairs."""
        key = (docnum, frozenset(hl.terms), frozenset(hl.cluster_seqs), frozenset(hl.name_keys),
               frozenset(hl.phrases))
        spans = self._spans.get(key)
        if spans is None:
            vector_spans = term_spans_from_vector(self.searcher, docnum, hl.terms) if hl.terms else None
            seq_spans = cluster_spans_from_vector(self.searcher, docnum, hl.cluster_seqs) if hl.cluster_seqs else None
            phrase_spans = (cluster_spans_from_vector(self.searcher, docnum, hl.phrases, field="body")
                            if hl.phrases else None)
            spans = snippet_spans(body, hl, self.mixed, self.subword, vector_spans, seq_spans, phrase_spans)
            self._spans[key] = spans
            if len(self._spans) > SPAN_CACHE:
                self._spans.popitem(last=False)
        else:
            self._spans.move_to_end(key)
        return spans

    def evaluator(self) -> ArrayEvaluator:
        """A query evaluator for one search (it memoises the search's shared sub-queries)."""
        return ArrayEvaluator(self.arrays, self.columns.alive)

    @property
    def fuzzy(self) -> FuzzyVocabulary:
        """The generation's fuzzy vocabulary (indexer.fuzzy), read on first use."""
        if self._fuzzy is None:
            self._fuzzy = FuzzyVocabulary.open(self.path, self.searcher.reader())
        return self._fuzzy

    def close(self):
        self.arrays.close()
        self.searcher.close()
        self.index.close()


class SearchService:
    def __init__(self, index_root):
        self.root = Path(index_root)
        self._lock = threading.RLock()
        self._gen: _Generation | None = None
        self._retired: _Generation | None = None

    # ------------------------------------------------------------------ generations
    def _current(self) -> _Generation:
        path = layout.require_current(self.root)
        if self._gen is None or self._gen.path != path:
            fresh = _Generation(path)
            if self._retired is not None:
                self._retired.close()
            self._retired, self._gen = self._gen, fresh
        return self._gen

    def close(self) -> None:
        with self._lock:
            for g in (self._gen, self._retired):
                if g is not None:
                    g.close()
            self._gen = self._retired = None

    # ------------------------------------------------------------------ search
    def search(self, request: SearchRequest | None = None, **params) -> dict:
        """Search; `request` or keyword parameters as for SearchRequest.from_params."""
        if request is None:
            request = SearchRequest.from_params(**params)
        started = time.perf_counter()
        with self._lock:
            gen = self._current()
            result = self._search(gen, request)
        result["took_ms"] = round((time.perf_counter() - started) * 1000, 2)
        return result

    def _search(self, gen: _Generation, req: SearchRequest) -> dict:
        cols, searcher = gen.columns, gen.searcher
        builder = QueryBuilder(gen.mixed, gen.subword, resolve_values=cols.resolve, expand=req.expand)
        typed = strip_invisible(req.q)  # the same query with or without invisible characters
        tree = content_words(parse(typed), gen.mixed)  # question and function words never required
        corrections = _corrections(gen, builder, tree) if typed.strip() else Corrections()
        if req.typos:
            builder.typos = corrections.alternatives()
        built = builder.build(tree, mode="all")
        matches = _Matches(gen, built)
        if not matches.base.any() and len(built.clauses) > 1:
            built = builder.build(tree, mode="any")  # nothing has every term: any term will do
            matches = _Matches(gen, built)
        if not matches.base.any() and only_function_words(tree, gen.mixed):
            built = builder.build(parse(""))  # "តើ អ្វី": nothing holds them; browse instead
            matches = _Matches(gen, built)
        base = matches.base

        filters: dict[str, np.ndarray] = {}
        for name, wanted in (("organisation", req.organisation), ("doc_type", req.doc_type),
                             ("language", req.language)):
            if wanted:
                resolved = [v for w in wanted for v in cols.resolve(name, w)]
                filters[name] = cols.values_mask(name, resolved)
        if req.year:
            filters["year"] = np.zeros(cols.size, dtype=bool)
            for y in req.year:
                lo, hi = parse_year(y)
                filters["year"] |= cols.range_mask("year", lo, hi)

        final = base.copy()
        for m in filters.values():
            final &= m
        facets = multi_select_counts(cols, base, filters)
        for name, wanted in (("organisation", req.organisation), ("doc_type", req.doc_type),
                             ("language", req.language)):
            for w in wanted:  # a selected value stays visible even when it counts 0
                for v in cols.resolve(name, w):
                    facets[name].setdefault(v, 0)

        docnums = np.flatnonzero(final)
        total_all_words = int((final & matches.tiers.all_words).sum())
        scores = np.zeros(cols.size)
        if matches.scores is not None:
            scores[docnums] = matches.scores[docnums]
        order = self._order(gen, built, req, docnums, scores, matches)
        total = int(docnums.size)
        first = (req.page - 1) * req.per_page
        page_docs = order[first:first + req.per_page]

        results = []
        for d in page_docs:
            stored = searcher.stored_fields(int(d))
            spans = gen.snippet_spans(int(d), stored.get("body", ""), built.highlight)
            results.append({
                "id": stored["id"],
                "title": stored.get("title", ""),
                "organisation": stored.get("organisation") or None,
                "doc_type": stored.get("doc_type") or None,
                "date": stored.get("date") or None,
                "year": _year(stored.get("year")),
                "language": stored.get("language") or None,
                "source": stored.get("source") or None,
                "url": stored.get("url") or None,
                "snippet": snippet(stored.get("body", ""), spans, gen.mixed),
                "score": round(float(scores[d]), 4),
                "matched_via": ("exact" if built.is_empty or matches.own_count[d] == matches.any_count[d]
                                else "expansion"),
                "missing": matches.tiers.missing(int(d)),
                "group": group_key(stored.get("title", ""), stored.get("body", "")),
            })
        suggestion = corrections.suggestion(typed)
        expansions = [e.to_dict() for e in built.expansions]
        return {"query": req.q, "total": total, "page": req.page, "per_page": req.per_page,
                "results": results, "facets": facets, "suggestion": suggestion,
                "matched": "any" if built.mode == "any" else matches.tiers.matched,
                "total_all_words": total_all_words, "expand": req.expand, "expansions": expansions,
                "also_searched": also_searched(built.expansions),
                "typos": req.typos, "corrected": corrections.corrected(typed) if req.typos else None}

    def _order(self, gen, built, req, docnums, scores, matches) -> np.ndarray:
        """Docnums in result order: documents matching every plain word first (indexer.ranking),
        then the others by the share of the query's word weight they match; within that, by date
        (newest first), or by relevance: documents matching more clauses as typed first; among
        those, documents that need no expansion first (so an expansion never lifts a document
        above one the query itself matches); then score, newer."""
        if docnums.size == 0:
            return docnums
        dates = gen.columns.date_order()[docnums]
        partial = ~matches.tiers.all_words[docnums]
        coverage = -matches.tiers.partial_rank()[docnums]
        if req.sort == "oldest":  # undated last, as in newest first
            values = gen.columns.values["date"]
            undated = (dates == 0) & bool(values and values[0] == "")  # code 0 is '' when any is undated
            return docnums[np.lexsort((docnums, -scores[docnums], dates, undated, partial))]
        if req.sort == "date" or built.is_empty:
            keys = (docnums, -scores[docnums], -dates, partial)
            return docnums[np.lexsort(keys)]
        via_expansion = matches.own_count[docnums] < matches.any_count[docnums]
        keys = (docnums, -dates, -scores[docnums], via_expansion, -matches.own_count[docnums],
                coverage, -matches.firm_coverage[docnums], partial)
        return docnums[np.lexsort(keys)]

    # ------------------------------------------------------------------ one document
    def document(self, doc_id: str, q: str | None = None, expand: bool = True) -> dict | None:
        """Every stored field of one record plus `body_html` (escaped, paragraphs, query words marked;
        with `expand`, the lexicon's translations and variants of them too, as the search found them)."""
        from whoosh.query import Term

        with self._lock:
            gen = self._current()
            docnum = next(iter(gen.searcher.docs_for_query(Term("id", str(doc_id)))), None)
            if docnum is None:
                return None
            stored = gen.searcher.stored_fields(docnum)
            hl = Highlight()
            if q:
                tree = content_words(parse(strip_invisible(q[:MAX_QUERY_CHARS])), gen.mixed)
                hl = QueryBuilder(gen.mixed, gen.subword, expand=expand).build(tree).highlight
            body = stored.get("body", "")
            spans = match_spans(body, hl, gen.mixed, gen.subword)
        record = {name: stored.get(name) for name in RECORD_FIELDS}
        record["year"] = _year(record["year"])
        for name in ("organisation", "doc_type", "date", "language", "source"):
            record[name] = record[name] or None
        record["body_html"] = body_html(body, spans)
        record["title_html"] = body_html(stored.get("title", ""), match_spans(
            stored.get("title", ""), hl, gen.mixed, gen.subword)).removeprefix("<p>").removesuffix("</p>")
        return record


def _corrections(gen: _Generation, builder: QueryBuilder, tree) -> Corrections:
    """Typo alternatives and suggestions for the query's words (indexer.typos); a word is held when
    the query builder's own search for it (stem, name keys, sub-words, lexicon) matches a document."""
    def held(word: str) -> bool:
        one = builder.build(parse(word))
        return one.is_empty or bool(_Matches(gen, one).base.any())

    reader = gen.searcher.reader()
    return find_corrections(gen.fuzzy, tree, held=held,
                            stem_known=lambda low: stem_known(reader, gen.mixed, low))


class _Matches:
    """Masks of a built query over one generation: `base` (the documents it matches: its plain
    words in tiers, indexer.ranking, its other clauses required), `tiers`, and per document how
    many clauses match as typed (`own_count`) and through any representation; `scores`: the
    BM25F score of `built.scoring` per document (None when nothing is scored)."""

    def __init__(self, gen: _Generation, built):
        cols = gen.columns
        ev = gen.evaluator()
        self.scores = None
        self.own_count = np.zeros(cols.size, dtype=np.int32)
        self.any_count = np.zeros(cols.size, dtype=np.int32)
        required = cols.alive.copy()
        word_masks, firm_masks, words = [], [], []
        for clause in built.clauses:
            full = ev.run(clause.full).mask
            own = full if clause.own is clause.full else ev.run(clause.own).mask
            self.any_count += full
            self.own_count += own & full
            if clause.word is not None or built.mode == "any":  # may be missing: tiers
                word_masks.append(full)
                firm_masks.append(full if clause.firm is None else ev.run(clause.firm).mask)
                words.append(clause.word)
            else:
                required &= full
        if built.scoring is not None:
            self.scores = ev.run(built.scoring).scores
        if built.negative is not None:
            required &= ~ev.run(built.negative).mask
        self.tiers = tiers(word_masks, words, required, cols.alive)
        self.base = self.tiers.base
        # the share of the word weight matched without typo alternatives: typo matches rank lower
        typo_free = all(f is w for f, w in zip(firm_masks, word_masks))
        self.firm_coverage = (self.tiers.coverage if typo_free
                              else tiers(firm_masks, words, cols.alive, cols.alive).coverage)


def _year(value):
    if value in (None, ""):
        return None
    return int(value) if re.fullmatch(r"\d{4}", str(value)) else None
