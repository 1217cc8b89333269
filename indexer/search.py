"""The one search service behind `bayon search` and the web UI.

`SearchService(index_root).search(SearchRequest(...))` returns the JSON shape of
`bayon search --json` (indexer/search_schema.json); `.document(id, q)` returns one record.
The service keeps each open index generation's shared state (facet columns, posting arrays,
fuzzy vocabulary) and one Whoosh searcher per thread (Whoosh's readers seek and read shared file objects,
so a searcher is never used by two threads at once); searches run concurrently, and only the switch
to a new generation takes a (small) lock. A generation is closed when it is no longer current and
its last search has finished. Each search has a time budget (indexer.budget): past it, snippets are
not highlighted and no suggestion is made.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexer import layout
from analyzers.cache import ByteBudgetLRU
from indexer.budget import SEARCH_BUDGET_SECONDS, Budget
from indexer.evaluate import ArrayEvaluator
from indexer.groups import group_key
from indexer.facets import FacetColumns, multi_select_counts
from indexer.postings import PostingArrays
from indexer.querybuild import Highlight, QueryBuilder, parse_year
from indexer.queryparse import parse
from indexer.questions import content_words, only_function_words
from indexer import ranking
from indexer.ranking import tiers
from indexer.snippets import body_html, match_spans, snippet, snippet_spans, vector_spans
from analyzers.invisible import strip_invisible
from indexer.fuzzy import FuzzyVocabulary, lexicon_khmer_forms
from indexer.typos import Corrections, find_corrections, stem_known
from lexicon.expand import also_searched

SORTS = ("relevance", "date", "oldest")  # date: newest first; oldest: oldest first
MAX_PER_PAGE = 100
MAX_QUERY_CHARS = 1000
SPAN_CACHE_BYTES = 8 * 1024 * 1024  # snippet match spans kept per generation (keyed by doc and query digest)
PHRASE_CACHE_BYTES = 48 * 1024 * 1024  # phrase results (matches and scores) kept per generation (indexer.evaluate)
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
        self._local = threading.local()
        self._searchers: list = []  # every searcher opened on this generation (closed with it)
        self._lock = threading.Lock()  # the searcher list
        self._fuzzy_lock = threading.Lock()
        self.users = 0  # searches running on this generation (SearchService's switch lock guards it)
        self.retired = False
        # the shared state's own searcher: PostingArrays reads through it (taking turns), never a thread's
        main = self.index.searcher()
        self._searchers.append(main)
        self.mixed, self.subword = text_analyzers()
        self.columns = FacetColumns(main)
        self.arrays = PostingArrays(main, folder=path)
        self._fuzzy = None
        self._spans = ByteBudgetLRU(SPAN_CACHE_BYTES)
        self._phrases = ByteBudgetLRU(PHRASE_CACHE_BYTES)

    @property
    def searcher(self):
        """This thread's searcher of the generation (opened on the thread's first use)."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self.index.searcher()
            with self._lock:
                self._searchers.append(searcher)
            self._local.searcher = searcher
        return searcher

    def snippet_spans(self, docnum: int, body: str, hl: Highlight):
        """Match spans of a body for a snippet, remembered (SPAN_CACHE_BYTES) per (doc, query)."""
        key = (docnum, _highlight_digest(hl))  # a digest: a long query's terms are not kept per doc
        spans = self._spans.get(key)
        if spans is not None:
            return spans
        term_spans, seq_spans, phrase_spans = vector_spans(self.searcher, docnum, hl)
        spans = snippet_spans(body, hl, self.mixed, self.subword, term_spans, seq_spans, phrase_spans)
        self._spans.put(key, spans, 250 + 72 * len(spans))
        return spans

    def evaluator(self) -> ArrayEvaluator:
        """A query evaluator for one search (it memoises the search's shared sub-queries)."""
        return ArrayEvaluator(self.arrays, self.columns.alive, phrases=self._phrases)

    @property
    def fuzzy(self) -> FuzzyVocabulary:
        """The generation's fuzzy vocabulary (indexer.fuzzy), read on first use (once, by one thread)."""
        with self._fuzzy_lock:
            if self._fuzzy is None:
                self._fuzzy = FuzzyVocabulary.open(self.path, self.searcher.reader())
            return self._fuzzy

    def close(self):
        self.arrays.close()
        with self._lock:
            searchers, self._searchers = self._searchers, []
        for searcher in searchers:
            searcher.close()
        self.index.close()


def _highlight_digest(hl: Highlight) -> bytes:
    """16 bytes naming what `hl` marks (its terms, cluster sequences, name keys and phrases, order-free)."""
    import hashlib

    parts = (sorted(hl.terms), sorted(hl.cluster_seqs), sorted(hl.name_keys), sorted(hl.phrases))
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).digest()


# a query that reaches every analyzer and lexicon table a search loads on first use
WARM_UP_QUERY = "ជា ចាន់ថា សិទ្ធិមនុស្ស ភ្នំពេញ human rights Phnom Penh"
_warming = threading.Lock()
_warmed = False


class SearchService:
    def __init__(self, index_root, budget_seconds: float | None = SEARCH_BUDGET_SECONDS):
        """`budget_seconds`: each search's time budget (indexer.budget); None: no budget."""
        self.root = Path(index_root)
        self.budget_seconds = budget_seconds
        self._switch = threading.Lock()  # held only to read or swap the current generation
        self._opening = threading.Lock()  # one thread opens a new generation; the others go on
        self._gen: _Generation | None = None

    # ------------------------------------------------------------------ generations
    def _current(self) -> _Generation:
        """The current generation (opened if CURRENT changed), for callers that only look at it."""
        gen = self._acquire()
        self._release(gen)
        return gen

    def _acquire(self) -> _Generation:
        """The current generation, counted as in use until `_release`. While one thread opens a new
        generation the others keep searching the one they have."""
        path = layout.require_current(self.root)
        while True:
            with self._switch:
                gen = self._gen
                if gen is not None and (gen.path == path or self._opening.locked()):
                    gen.users += 1
                    return gen
            if self._opening.acquire(blocking=gen is None):
                break
        try:
            with self._switch:
                if self._gen is not None and self._gen.path == path:
                    self._gen.users += 1
                    return self._gen
            fresh = _Generation(path)  # slow on a large index: no switch lock held meanwhile
            with self._switch:
                old, self._gen = self._gen, fresh
                fresh.users += 1
                if old is not None:
                    old.retired = True
                    if old.users == 0:
                        old.close()
            return fresh
        finally:
            self._opening.release()

    def _release(self, gen: _Generation) -> None:
        with self._switch:
            gen.users -= 1
            done = gen.retired and gen.users == 0
        if done:
            gen.close()

    def close(self) -> None:
        with self._switch:
            gen, self._gen = self._gen, None
        if gen is not None:
            gen.close()

    # ------------------------------------------------------------------ search
    def warm_up(self) -> None:
        """Load, once per process, what the first search would otherwise load inside its time
        budget (the Khmer segmenter's model, the lexicon, the places, the analyzers, the lexicon's
        Khmer typo vocabulary): a search of
        Khmer and English words without a budget. Without it a fresh process's first answer (every
        `bayon search`, a server's first visitor) would come back degraded, its snippets unmarked."""
        global _warmed
        with _warming:
            if _warmed:
                return
            gen = self._acquire()
            try:
                self._search(gen, SearchRequest.from_params(q=WARM_UP_QUERY), Budget(None))
                lexicon_khmer_forms()  # the Khmer typo vocabulary of the lexicon (indexer.typos)
            finally:
                self._release(gen)
            _warmed = True

    def search(self, request: SearchRequest | None = None, **params) -> dict:
        """Search; `request` or keyword parameters as for SearchRequest.from_params."""
        if request is None:
            request = SearchRequest.from_params(**params)
        started = time.perf_counter()
        if not _warmed:
            self.warm_up()
        budget = Budget(self.budget_seconds)
        gen = self._acquire()
        try:
            result = self._search(gen, request, budget)
        finally:
            self._release(gen)
        result["degraded"] = budget.degraded
        result["took_ms"] = round((time.perf_counter() - started) * 1000, 2)
        return result

    def _search(self, gen: _Generation, req: SearchRequest, budget: Budget | None = None) -> dict:
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
        first = (req.page - 1) * req.per_page
        order = self._order(gen, built, req, docnums, scores, matches, limit=first + req.per_page)
        total = int(docnums.size)
        page_docs = order[first:first + req.per_page]

        budget = budget or Budget(None)
        results = []
        for d in page_docs:
            stored = searcher.stored_fields(int(d))
            if budget.expired():  # the cheap snippet: the start of the body, unmarked
                budget.cut("snippets")
                spans = []
            else:
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
                "translated": bool(not built.is_empty and matches.near_count[d] < matches.any_count[d]),
                "missing": matches.tiers.missing(int(d)),
                "share": round(float(matches.tiers.coverage[d]), 4),
                "group": group_key(stored.get("title", ""), stored.get("body", "")),
            })
        suggestion = None
        if typed.strip() and budget is not None and budget.expired():
            budget.cut("suggestion")
        else:
            suggestion = corrections.suggestion(typed)
        expansions = [e.to_dict() for e in built.expansions]
        return {"query": req.q, "total": total, "page": req.page, "per_page": req.per_page,
                "results": results, "facets": facets, "suggestion": suggestion,
                "matched": "any" if built.mode == "any" else matches.tiers.matched,
                "total_all_words": total_all_words, "expand": req.expand, "expansions": expansions,
                "also_searched": also_searched(built.expansions),
                "typos": req.typos, "corrected": corrections.corrected(typed) if req.typos else None}

    def _order(self, gen, built, req, docnums, scores, matches, limit: int | None = None) -> np.ndarray:
        """Docnums in result order: documents matching every plain word first (indexer.ranking),
        then the others; by date (newest first), or by relevance. By relevance, in the all-words
        tier: documents matching more clauses in the query's own words first (as typed or through
        a same-language variant, `Clause.near`); among those, documents that need no translation
        first (so a translation never lifts a document above one matching in the query's own
        words); then words matched through a typo alternative last; then score, newer, and the
        record id. The partial matches after them by `ranking.ORDER` ("soft": BM25F times the
        share of the word weight squared), those matched only through a typo alternative after
        the others, those listed only to fill the first page (below the minimum) last;
        among documents lacking the same words, the same guarantee: one matching in the query's
        own words before one needing a translation. With `limit`, only the first `limit` of them
        (the same ones, in the same order) where that saves sorting everything."""
        if docnums.size == 0:
            return docnums
        dates = gen.columns.date_order()[docnums]
        ids = gen.columns.id_order()[docnums]  # ties: by record id, whatever the build
        # a score summed over other segments or in another order differs in its last bits: equal
        # documents must tie (and then go by id) in every build
        ranked = np.round(scores[docnums], 9)
        t = matches.tiers
        partial = ~t.all_words[docnums]
        if req.sort == "oldest":  # undated last, as in newest first
            values = gen.columns.values["date"]
            undated = (dates == 0) & bool(values and values[0] == "")  # code 0 is '' when any is undated
            return docnums[_lexsort_first(limit, (ids, -ranked, dates, undated, partial))]
        if req.sort == "date" or built.is_empty:
            keys = (ids, -ranked, -dates, partial)
            return docnums[_lexsort_first(limit, keys)]
        via_translation = matches.near_count[docnums] < matches.any_count[docnums]
        near = -matches.near_count[docnums]
        firm = matches.firm_coverage[docnums]
        if ranking.ORDER != "soft":
            keys = (ids, -dates, -ranked, via_translation, near,
                    -t.partial_rank()[docnums], -firm, partial)
            return docnums[_lexsort_first(limit, keys)]
        coverage = t.coverage[docnums]
        soft = np.where(partial, -np.round(t.partial_rank(scores=scores)[docnums], 9), 0.0)
        typo = np.where(partial, firm < coverage - 1e-9, -firm)
        filled = t.filled[docnums] if t.filled is not None else np.zeros(docnums.size, dtype=bool)
        keys = (ids, -dates, -ranked, via_translation, near, soft, typo, filled, partial)
        if not (via_translation & partial).any():  # nothing for the guarantee below to move
            return docnums[_lexsort_first(limit, keys)]
        order = np.lexsort(keys)
        tail = np.flatnonzero(partial[order])
        if tail.size > 1:  # exact before translated among the partial matches lacking the same words
            sets = t.missing_sets()[docnums[order[tail]]]
            via = via_translation[order[tail]]
            at = np.arange(tail.size)
            slots = np.lexsort((at, sets))
            members = np.lexsort((at, via, sets))
            placed = np.empty_like(tail)
            placed[slots] = order[tail][members]
            order[tail] = placed
        return docnums[order]

    # ------------------------------------------------------------------ one document
    def document(self, doc_id: str, q: str | None = None, expand: bool = True, part=None) -> dict | None:
        """Every stored field of one record plus `body_html` (escaped, paragraphs, query words marked;
        with `expand`, the lexicon's translations and variants of them too, as the search found them)
        of body part `part` (1-based, indexer.docparts; `body_part`, `body_parts` say which of how
        many); raises BadParameter for a part the body does not have."""
        from whoosh.query import Term

        from indexer.docparts import part_bounds

        gen = self._acquire()
        try:
            docnum = next(iter(gen.searcher.docs_for_query(Term("id", str(doc_id)))), None)
            if docnum is None:
                return None
            stored = gen.searcher.stored_fields(docnum)
            hl = Highlight()
            if q:
                tree = content_words(parse(strip_invisible(q[:MAX_QUERY_CHARS])), gen.mixed)
                hl = QueryBuilder(gen.mixed, gen.subword, expand=expand).build(tree).highlight
        finally:
            self._release(gen)
        body = stored.get("body", "")
        bounds = part_bounds(body)
        n = _int("part", part, 1, 1, len(bounds))
        start, end = bounds[n - 1]
        text = body[start:end] if len(bounds) > 1 else body
        spans = match_spans(text, hl, gen.mixed, gen.subword)
        record = {name: stored.get(name) for name in RECORD_FIELDS}
        record["year"] = _year(record["year"])
        for name in ("organisation", "doc_type", "date", "language", "source"):
            record[name] = record[name] or None
        record["body_html"] = body_html(text, spans)
        record["body_part"], record["body_parts"] = n, len(bounds)
        record["title_html"] = body_html(stored.get("title", ""), match_spans(
            stored.get("title", ""), hl, gen.mixed, gen.subword)).removeprefix("<p>").removesuffix("</p>")
        return record


def _lexsort_first(limit: int | None, keys) -> np.ndarray:
    """`np.lexsort(keys)[:limit]` (the last key primary) without sorting everything: the items
    that can be among the first `limit` are found key by key (a partition: every item below the
    limit-th value of a key is in; those equal to it are decided by the next key), and only they
    are sorted. lexsort is stable, so they keep their relative order."""
    keys = [np.asarray(k) for k in keys]
    n = keys[0].size if keys else 0
    if limit is None or n <= max(2 * limit, 256) or any(k.dtype.kind == "f" and np.isnan(k).any() for k in keys):
        order = np.lexsort(keys)
        return order if limit is None else order[:limit]
    if limit <= 0:
        return np.zeros(0, dtype=np.intp)
    chosen = _first_items(np.arange(n), keys[::-1], limit)  # ascending indices
    return chosen[np.lexsort([k[chosen] for k in keys])]


def _first_items(items: np.ndarray, keys: list, limit: int) -> np.ndarray:
    """The (ascending) items among the first `limit` of `items` in lexicographic order of `keys`
    (most significant first), ties at the end broken by the items' own order."""
    if items.size <= limit:
        return items
    if not keys:
        return items[:limit]
    values = keys[0][items]
    kth = np.partition(values, limit - 1)[limit - 1]
    below = values < kth
    tied = items[values == kth]
    rest = _first_items(tied, keys[1:], limit - int(below.sum()))
    return np.sort(np.concatenate([items[below], rest]))


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
        self.near_count = np.zeros(cols.size, dtype=np.int32)  # as typed or a same-language variant
        required = cols.alive.copy()
        word_masks, firm_masks, words = [], [], []
        position = {}  # id of a clause -> its index in word_masks
        for clause in built.clauses:
            full = ev.run(clause.full).mask
            own = full if clause.own is clause.full else ev.run(clause.own).mask
            self.any_count += full
            self.own_count += own & full
            near = own if clause.near is None else ev.run(clause.near).mask
            self.near_count += near & full
            if clause.word is not None or built.mode == "any":  # may be missing: tiers
                position[id(clause)] = len(word_masks)
                word_masks.append(full)
                firm_masks.append(full if clause.firm is None else ev.run(clause.firm).mask)
                words.append(clause.word)
            else:
                required &= full
        if built.scoring is not None:
            self.scores = ev.run(built.scoring).scores
        if built.negative is not None:
            required &= ~ev.run(built.negative).mask
        together = [(text, [position[id(c)] for c in parts], ev.run(q).mask, loose)
                    for text, parts, q, loose in built.together
                    if built.mode == "all" and all(id(c) in position for c in parts)]
        self.tiers = tiers(word_masks, words, required, cols.alive, together=together)

        self.base = self.tiers.base
        # the share of the word weight matched without typo alternatives: typo matches rank lower
        typo_free = all(f is w for f, w in zip(firm_masks, word_masks))
        self.firm_coverage = (self.tiers.coverage if typo_free
                              else tiers(firm_masks, words, cols.alive, cols.alive).coverage)


def _year(value):
    if value in (None, ""):
        return None
    return int(value) if re.fullmatch(r"\d{4}", str(value)) else None
