"""Evaluate a Whoosh query tree with numpy over `indexer.postings.PostingArrays`.

Gives what Whoosh's matchers give (the documents a query matches and each one's BM25F score:
a term's score times its boost; Or and And add their matching children's scores; AndNot keeps
its positive side's; a phrase scores the sum of its words' scores) without walking postings in
Python. A phrase is checked on positions only for documents that hold all its words. Query types
the evaluator does not know (ranges, wildcards...) are matched by Whoosh itself, same result,
slower. `tests/test_evaluate.py` checks equality with Whoosh on real queries.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as Q

from indexer.postings import PostingArrays


@dataclass
class Match:
    """Documents a query matches (`mask`) and their scores (`scores`, 0 where not matched)."""
    mask: np.ndarray
    scores: np.ndarray


class ArrayEvaluator:
    """Evaluates queries against one open generation; results are memoised per query object for
    the evaluator's life (make one per search: a query's own clauses are often shared)."""

    def __init__(self, arrays: PostingArrays, alive: np.ndarray, phrases=None):
        """`phrases`: a cache shared by the generation's evaluators (analyzers.cache.ByteBudgetLRU)
        for phrase results, or None; a phrase's matches and scores depend only on the generation's
        postings, so a phrase that any earlier search of the generation evaluated is not checked
        on positions again."""
        self.arrays, self.alive = arrays, alive
        self._phrases = phrases
        self.searcher = arrays.searcher
        self.size = arrays.size
        weighting = self.searcher.weighting
        self._bm25 = (getattr(weighting, "B", 0.75), getattr(weighting, "K1", 1.2),
                      getattr(weighting, "_field_B", {}))
        self._memo: dict[int, tuple] = {}

    def run(self, query) -> Match:
        """Mask (deleted documents removed) and scores of `query`."""
        docs, scores = self._eval(query)
        return _dense(docs, scores, self.alive)

    # Internally a result is (docnums ascending int64, scores float64), both sparse.
    def _eval(self, q) -> tuple[np.ndarray, np.ndarray]:
        key = id(q)
        found = self._memo.get(key)
        if found is not None and found[0] is q:
            return found[1]
        result = self._dispatch(q)  # scores include q's own boost
        self._memo[key] = (q, result)
        return result

    def _dispatch(self, q):
        if type(q) is Q.Term:
            return self._term(q.fieldname, q.text, q.boost)
        if isinstance(q, Q.Phrase) and q.slop == 1 and type(q).matcher is Q.Phrase.matcher:
            return _boosted(self._shared_phrase(q), q.boost)
        if type(q) is Q.Or and getattr(q, "scale", None) is None and not getattr(q, "minmatch", 0):
            return _boosted(_union([self._eval(s) for s in q.subqueries], self.size), q.boost)
        if type(q) is Q.And:
            return _boosted(_intersection([self._eval(s) for s in q.subqueries], self.size), q.boost)
        if type(q) is Q.AndNot:
            pos = self._eval(q.a)
            neg = self._eval(q.b)
            keep = ~_member(pos[0], neg[0], self.size)
            return _boosted((pos[0][keep], pos[1][keep]), q.boost)
        if type(q) is Q.Every and q.fieldname in (None, "", "*"):
            docs = np.flatnonzero(self.alive).astype(np.int64)
            return docs, np.full(docs.size, float(q.boost))
        if isinstance(q, type(Q.NullQuery)):
            return _EMPTY
        return self._by_whoosh(q)

    # ------------------------------------------------------------------ leaves
    def _term(self, fieldname, text, boost=1.0):
        docs, weights = self.arrays.postings(fieldname, text)
        if docs.size == 0:
            return _EMPTY
        return docs.astype(np.int64), self._term_scores(fieldname, text, docs, weights) * boost

    def _term_scores(self, fieldname, text, docs, weights) -> np.ndarray:
        field = self.arrays.schema[fieldname]
        tf = weights.astype(np.float64)
        if not field.scorable:
            return tf  # Whoosh's WeightScorer: the weight itself
        B, K1, per_field = self._bm25
        B = per_field.get(fieldname, B)
        idf, avgfl = self.arrays.term_statistics(fieldname, text)
        avgfl = avgfl or 1
        fl = self.arrays.lengths(fieldname)[docs].astype(np.float64)
        return idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))

    def _shared_phrase(self, q: Q.Phrase):
        """_phrase(q), from the generation's phrase cache when an earlier search evaluated the same
        phrase (field, words and, for a SubwordPhrase, the same `implied_by` term)."""
        key = _phrase_key(q) if self._phrases is not None else None
        if key is None:
            return self._phrase(q)
        found = self._phrases.get(key)
        if found is None:
            found = self._phrase(q)
            for array in found:
                array.flags.writeable = False  # shared by later searches: never changed in place
            self._phrases.put(key, found, found[0].nbytes + found[1].nbytes + 200)
        return found

    def _phrase(self, q: Q.Phrase):
        field = self.arrays.schema[q.fieldname] if q.fieldname in self.arrays.schema else None
        if field is None or not field.format or not field.format.supports("positions"):
            return self._by_whoosh(q)
        words = []
        for word in q.words:
            try:
                words.append(field.to_bytes(word))
            except ValueError:
                return _EMPTY
        postings = [self.arrays.postings(q.fieldname, w) for w in words]
        if any(d.size == 0 for d, _ in postings):
            return _EMPTY
        candidates = postings[0][0]
        for docs, _ in postings[1:]:
            candidates = candidates[_member(candidates, docs, self.size)]
            if candidates.size == 0:
                return _EMPTY
        if len(words) == 1:
            matched = candidates
        else:
            implied = getattr(q, "implied_by", None)  # indexer.querybuild.SubwordPhrase
            known = self._eval(implied)[0] if implied is not None else _EMPTY[0]
            if known.size:
                sure = _member(candidates, known, self.size)
                checked = self._in_sequence(q.fieldname, words, candidates[~sure])
                matched = np.union1d(candidates[sure], checked)
            else:
                matched = self._in_sequence(q.fieldname, words, candidates)
        if matched.size == 0:
            return _EMPTY
        total = np.zeros(matched.size)
        for word, (docs, weights) in zip(words, postings):
            rows = np.searchsorted(docs, matched)
            total += self._term_scores(q.fieldname, word, matched, weights[rows])
        return matched.astype(np.int64), total

    def _in_sequence(self, fieldname, words, candidates) -> np.ndarray:
        """The candidates where the words occur at consecutive positions, in order. Words are
        checked from the one with the fewest positions in the candidates, and each next word only
        in the candidates still possible."""
        if candidates.size == 0:
            return candidates
        positions = [self.arrays.positions(fieldname, w) for w in words]
        term_rows = [p.rows_of(candidates, self.size) for p in positions]
        order = np.argsort([p.count_at(r) for p, r in zip(positions, term_rows)], kind="stable")
        rows = np.arange(candidates.size, dtype=np.int64)  # candidates still possible
        starts = None  # (candidate row << 32) | (phrase start + 2**31), ascending
        for i in order:
            owner, pos = positions[i].at_rows(term_rows[i][rows])
            keys = (rows[owner] << 32) | (pos - int(i) + (1 << 31))  # ascending: rows, then positions
            starts = keys if starts is None else _sorted_common(starts, keys)
            if starts.size == 0:
                return np.zeros(0, dtype=np.int64)
            rows = starts >> 32
            first = np.ones(rows.size, dtype=bool)
            first[1:] = rows[1:] != rows[:-1]
            rows = rows[first]
        return candidates[rows]

    def _by_whoosh(self, q):
        """Whoosh's own matchers, for query types this module does not evaluate."""
        return self.arrays.whoosh_match(q)


def _phrase_key(q: Q.Phrase):
    """What a phrase's result depends on (its boost is applied outside), or None when that is
    not known (an `implied_by` hint other than a plain term)."""
    implied = getattr(q, "implied_by", None)
    if implied is not None and type(implied) is not Q.Term:
        return None
    hint = None if implied is None else (implied.fieldname, implied.text, float(implied.boost))
    words = tuple(w if isinstance(w, (str, bytes)) else repr(w) for w in q.words)
    return (type(q).__name__, q.fieldname, words, hint)


def whoosh_match(searcher, q) -> tuple[np.ndarray, np.ndarray]:
    """(docnums ascending, scores) of `q` by Whoosh's matchers (deleted documents excluded)."""
    context = searcher.context()
    ids, values = [], []
    for sub, offset in searcher.leaf_searchers():
        m = q.matcher(sub, context)
        while m.is_active():
            ids.append(offset + m.id())
            values.append(m.score())
            m.next()
    if not ids:
        return _EMPTY
    docs = np.array(ids, dtype=np.int64)
    order = np.argsort(docs, kind="stable")
    return docs[order], np.array(values, dtype=np.float64)[order]


class WhooshEvaluator:
    """The reference: queries matched and scored by Whoosh's matchers (what ArrayEvaluator must
    equal). A top-level AndNot is taken as a set difference: whoosh3's AndNotMatcher over a union
    can let through a document both sides hold ("journalist -prison" on the real corpus)."""

    def __init__(self, searcher, alive: np.ndarray):
        self.searcher, self.alive = searcher, alive

    def run(self, query) -> Match:
        if type(query) is Q.AndNot:
            pos, neg = self.run(query.a), self.run(query.b)
            mask = pos.mask & ~neg.mask
            return Match(mask, np.where(mask, pos.scores * query.boost, 0.0))
        docs, scores = whoosh_match(self.searcher, query)
        return _dense(docs, scores, self.alive)


_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


def _dense(docs, scores, alive) -> Match:
    mask = np.zeros(alive.size, dtype=bool)
    dense = np.zeros(alive.size, dtype=np.float64)
    if docs.size:
        mask[docs] = True
        dense[docs] = scores
        dead = docs[~alive[docs]]  # matched but deleted: neither matched nor scored
        if dead.size:
            mask[dead] = False
            dense[dead] = 0.0
    return Match(mask, dense)


def _boosted(result, boost):
    return result if boost == 1.0 else (result[0], result[1] * boost)


def _in_sorted(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Mask over `a`: which values are in ascending `b`."""
    if b.size == 0:
        return np.zeros(a.size, dtype=bool)
    at = np.searchsorted(b, a)
    at[at == b.size] = 0
    return b[at] == a


def _sorted_common(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Values of ascending `a` that are also in ascending `b` (no sort: a binary search each)."""
    if a.size > b.size:
        a, b = b, a
    return a[_in_sorted(a, b)]


# Below this many items per document of the index, set operations sort; above, they go through
# arrays as long as the index (no sort; a pass over the index's document numbers).
_DENSE_SHARE = 1 / 32


def _member(a: np.ndarray, b: np.ndarray, size: int) -> np.ndarray:
    """Mask over docnums `a`: which are in ascending docnums `b` (`size`: docnums are below it)."""
    if b.size == 0 or a.size == 0:
        return np.zeros(a.size, dtype=bool)
    if a.size + b.size < size * _DENSE_SHARE:
        return _in_sorted(a, b)
    mask = np.zeros(size, dtype=bool)
    mask[b] = True
    return mask[a]


def _union(parts, size: int):
    """Docnums in any part, ascending, with the sum of their scores in the parts holding them."""
    parts = [p for p in parts if p[0].size]
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return parts[0]
    if sum(p[0].size for p in parts) < size * _DENSE_SHARE:
        docs = np.concatenate([p[0] for p in parts])
        scores = np.concatenate([p[1] for p in parts])
        unique, inverse = np.unique(docs, return_inverse=True)
        return unique, np.bincount(inverse, weights=scores, minlength=unique.size)
    present = np.zeros(size, dtype=bool)
    total = np.zeros(size, dtype=np.float64)
    for docs, scores in parts:  # each part's docnums are unique: one addition per document
        present[docs] = True
        total[docs] += scores
    docs = np.flatnonzero(present)
    return docs, total[docs]


def _intersection(parts, size: int):
    """Docnums in every part, ascending, with the sum of their scores."""
    if not parts or any(p[0].size == 0 for p in parts):
        return _EMPTY
    parts = sorted(parts, key=lambda p: p[0].size)
    docs, total = parts[0]
    for other_docs, other_scores in parts[1:]:
        if docs.size + other_docs.size < size * _DENSE_SHARE:
            docs, here, there = np.intersect1d(docs, other_docs, assume_unique=True, return_indices=True)
            total = total[here] + other_scores[there]
        else:
            keep = _member(docs, other_docs, size)
            dense = np.zeros(size, dtype=np.float64)
            dense[other_docs] = other_scores
            docs = docs[keep]
            total = total[keep] + dense[docs]
        if docs.size == 0:
            return _EMPTY
    return docs, total
