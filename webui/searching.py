"""The web UI's one door to the search service: URL parameters -> `SearchRequest` (validation is the
indexer's, shared with the CLI) and the search itself."""
from __future__ import annotations

import time
from dataclasses import fields

from flask import current_app
from werkzeug.datastructures import MultiDict


def service():
    """The app's single `SearchService` (its searcher is reused across requests)."""
    return current_app.extensions["bayon_search"]


def repeatable(name: str) -> bool:
    """Whether `SearchRequest` takes a list for parameter `name` (e.g. organisation) or one value (year)."""
    from indexer.search import SearchRequest

    return any(f.name == name and f.default_factory is list for f in fields(SearchRequest))


def build_request(params: MultiDict):
    """Validate URL parameters into a `SearchRequest`; raises `indexer.search.BadParameter`.

    Only the shape is handled here (lists for repeatable parameters, a single value otherwise);
    every value check is `SearchRequest.from_params`'s, as for `bayon search`.
    """
    from indexer.search import BadParameter, SearchRequest

    kwargs: dict[str, object] = {}
    for f in fields(SearchRequest):
        values = params.getlist(f.name)
        if not values:
            continue
        if f.default_factory is list:
            kwargs[f.name] = values
        elif len(values) > 1:
            raise BadParameter(f.name, f"given {len(values)} times; give it once")
        else:
            kwargs[f.name] = values[0]
    return SearchRequest.from_params(**kwargs)


def timed_search(params: MultiDict) -> tuple[dict, float]:
    """Run the search for `params`; return the service's result and the server-side time in ms."""
    search_request = build_request(params)
    started = time.perf_counter()
    result = service().search(search_request)
    return result, (time.perf_counter() - started) * 1000.0
