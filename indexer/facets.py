"""Facet columns of one searcher as numpy arrays, filter masks, and multi-select facet counts."""
from __future__ import annotations

import numpy as np

from indexer.schema import FACETS


class FacetColumns:
    """Per-searcher cache: for each facet field the distinct values and one int code per document."""

    def __init__(self, searcher):
        reader = searcher.reader()
        n = reader.doc_count_all()
        self.size = n
        self.alive = np.ones(n, dtype=bool)
        if reader.has_deletions():
            for docnum in range(n):
                if reader.is_deleted(docnum):
                    self.alive[docnum] = False
        self.values: dict[str, list[str]] = {}
        self.codes: dict[str, np.ndarray] = {}
        for name in FACETS + ("date", "id"):
            # an index with no segment (built from an empty corpus) has no columns: no values
            column = reader.column_reader(name) if n else None
            raw = [_text(column[d]) for d in range(n)]
            values = sorted(set(raw))
            index = {v: i for i, v in enumerate(values)}
            self.values[name] = values
            self.codes[name] = np.fromiter((index[v] for v in raw), dtype=np.int32, count=n)

    def values_mask(self, name: str, wanted) -> np.ndarray:
        """Documents whose `name` value is one of `wanted` (exact strings)."""
        lookup = {v: i for i, v in enumerate(self.values[name])}
        codes = [lookup[v] for v in wanted if v in lookup]
        return np.isin(self.codes[name], np.array(codes, dtype=np.int32))

    def range_mask(self, name: str, lo: str, hi: str) -> np.ndarray:
        """Documents whose value v (non-empty) satisfies lo <= v <= hi (string order)."""
        codes = [i for i, v in enumerate(self.values[name]) if v and lo <= v <= hi]
        return np.isin(self.codes[name], np.array(codes, dtype=np.int32))

    def counts(self, name: str, mask: np.ndarray) -> dict[str, int]:
        """{value: count} over documents in `mask`; unknown ('') values are not listed."""
        bins = np.bincount(self.codes[name][mask], minlength=len(self.values[name]))
        out = {v: int(c) for v, c in zip(self.values[name], bins) if c and v}
        if name in ("year", "date"):
            return dict(sorted(out.items(), key=lambda kv: kv[0], reverse=True))
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))

    def id_order(self) -> np.ndarray:
        """Rank of each document's record id (the last tie-break of every order): the same for a
        full build, an incremental one and any number of writers, unlike the docnum."""
        return self.codes["id"]

    def date_order(self) -> np.ndarray:
        """Date code per document: higher is newer ('' i.e. unknown is lowest)."""
        return self.codes["date"]

    def resolve(self, name: str, typed: str) -> list[str]:
        """Indexed values of facet `name` equal to `typed` ignoring case (the typed value if none)."""
        low = typed.casefold()
        found = [v for v in self.values.get(name, []) if v.casefold() == low]
        return found or [typed]


def multi_select_counts(cols: FacetColumns, base: np.ndarray, filters: dict[str, np.ndarray]) -> dict:
    """Each facet counted over `base` and every filter except that facet's own."""
    out = {}
    for name in FACETS:
        mask = base.copy()
        for other, fmask in filters.items():
            if other != name:
                mask &= fmask
        out[name] = cols.counts(name, mask)
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return str(value)
