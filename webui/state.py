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


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = ""
    page: str = ""
    per_page: str = ""
    lang: str = "en"

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
        )

    def search_params(self) -> MultiDict:
        """The search parameters only (no UI language), as the service's `from_params` reads them."""
        return MultiDict([(k, v) for k, v in self._pairs() if k != "lang"])

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
        return replace(self, filters={}, page="")

    def with_query(self, q: str) -> SearchState:
        return replace(self, q=q, page="")

    def with_page(self, page: int) -> SearchState:
        return replace(self, page="" if page == 1 else str(page))

    def with_lang(self, lang: str) -> SearchState:
        return replace(self, lang=lang)

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
        for name in ("sort", "page", "per_page"):
            value = getattr(self, name)
            if value:
                pairs.append((name, value))
        pairs.append(("lang", self.lang))
        return pairs


def _unique(values) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return tuple(seen)
