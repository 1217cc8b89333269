"""The search state carried in the URL (query, filters, sort, page, UI language) and the links derived from it.

Values are kept as the raw strings the user sent: validation belongs to `indexer.search.SearchRequest`.
Every link built here keeps the UI language, so a shared or bookmarked URL reproduces the page.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

FACETS = ("organisation", "doc_type", "year", "language")
SEARCH_PARAMS = ("q", *FACETS, "sort", "page", "per_page")
RANGE_PARAMS = ("year_from", "year_to")  # the date-range filter: from/to year, either may be left open
NO_YEAR = "0000"  # a year no record has: what a range that excludes every ticked year filters on


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = ""
    page: str = ""
    per_page: str = ""
    lang: str = "en"
    year_from: str = ""
    year_to: str = ""
    # whether the URL chose the UI language: links keep lang= only then, so a link shared by someone
    # whose browser picked English opens in the recipient's language
    lang_explicit: bool = True

    @classmethod
    def from_args(cls, args: MultiDict, lang: str) -> SearchState:
        """Read the state from request arguments; blank and duplicate filter values are dropped."""
        filters = {}
        for facet in FACETS:
            values = _unique(v.strip() for v in args.getlist(facet))
            if values:
                filters[facet] = values
        return cls(
            q=args.get("q", "").strip(),
            filters=filters,
            sort=args.get("sort", "").strip(),
            page=args.get("page", "").strip(),
            per_page=args.get("per_page", "").strip(),
            lang=lang,
            year_from=args.get("year_from", "").strip(),
            year_to=args.get("year_to", "").strip(),
            lang_explicit=(args.get("lang") or "").strip().lower()[:2] == lang,
        )

    def search_params(self) -> MultiDict:
        """The search parameters only (no UI language), as the service's `from_params` reads them;
        the date range becomes `year` values (intersected with any ticked years)."""
        params = MultiDict([(k, v) for k, v in self._pairs() if k not in ("lang", *RANGE_PARAMS)])
        if self.has_range():
            params.setlist("year", self.effective_years())
        return params

    def has_range(self) -> bool:
        return bool(self.year_from or self.year_to)

    def effective_years(self) -> list[str]:
        """The `year` values searched: the ticked years, each narrowed to the date range."""
        from indexer.querybuild import parse_year

        span = f"{self.year_from}..{self.year_to}"
        ticked = self.filters.get("year", ())
        if not self.has_range():
            return list(ticked)
        if parse_year(span) is None or not ticked:
            return [span]  # an invalid range reaches the service's validation as it was typed
        lo, hi = parse_year(span)
        narrowed = []
        for value in ticked:
            bounds = parse_year(value)
            if bounds is None:
                return [value]
            a, b = max(lo, bounds[0]), min(hi, bounds[1])
            if a <= b:
                narrowed.append(a if a == b else f"{a}..{b}")
        return narrowed or [NO_YEAR]

    def query_string(self, *, with_page: bool = True) -> str:
        pairs = self._pairs() if with_page else [(k, v) for k, v in self._pairs() if k != "page"]
        return urlencode(pairs)

    def is_active(self, facet: str, value: str) -> bool:
        return value in self.filters.get(facet, ())

    def active_filters(self) -> list[tuple[str, str]]:
        return [(facet, value) for facet in FACETS for value in self.filters.get(facet, ())]

    # Derived states: any change of query or filters goes back to page 1.
    def toggled(self, facet: str, value: str, *, exclusive: bool = False) -> SearchState:
        """`value` switched on or off; `exclusive` (single-valued facets) replaces the current value."""
        current = self.filters.get(facet, ())
        if value in current:
            values = tuple(v for v in current if v != value)
        else:
            values = (value,) if exclusive else (*current, value)
        return self._with_filter_values(facet, values)

    def without(self, facet: str, value: str) -> SearchState:
        return self._with_filter_values(facet, tuple(v for v in self.filters.get(facet, ()) if v != value))

    def cleared(self) -> SearchState:
        return replace(self, filters={}, page="", year_from="", year_to="")

    def without_range(self) -> SearchState:
        return replace(self, year_from="", year_to="", page="")

    def with_sort(self, sort: str) -> SearchState:
        return replace(self, sort=sort, page="")

    def with_query(self, q: str) -> SearchState:
        return replace(self, q=q, page="")

    def with_page(self, page: int) -> SearchState:
        return replace(self, page="" if page == 1 else str(page))

    def with_lang(self, lang: str) -> SearchState:
        return replace(self, lang=lang, lang_explicit=True)

    def _with_filter_values(self, facet: str, values: tuple[str, ...]) -> SearchState:
        filters = dict(self.filters)
        if values:
            filters[facet] = values
        else:
            filters.pop(facet, None)
        return replace(self, filters=filters, page="")

    def _pairs(self) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        for facet in FACETS:
            pairs.extend((facet, value) for value in self.filters.get(facet, ()))
        for name in (*RANGE_PARAMS, "sort", "page", "per_page"):
            value = getattr(self, name)
            if value:
                pairs.append((name, value))
        if self.lang_explicit:
            pairs.append(("lang", self.lang))
        return pairs


def _unique(values) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return tuple(seen)
