"""A hyphenated word matches documents that write it joined up, on the real corpus: the index holds
"pretrial" for "pre-trial" (and its parts), and a query for "pre-trial" now looks that form up too."""
from __future__ import annotations

from indexer.querybuild import QueryBuilder
from indexer.search import SearchRequest


def _ids(service, q):
    return {r["id"] for r in service.search(SearchRequest(q=q, per_page=100, expand=False))["results"]}


def test_hyphenated_and_joined_queries_find_the_same_documents(search_service, monkeypatch):
    joined = _ids(search_service, "pretrial")
    assert len(joined) >= 3
    assert _ids(search_service, "pre-trial") == joined
    assert _ids(search_service, "pre-trial detention") == _ids(search_service, "pretrial detention")
    with monkeypatch.context() as m:  # without the joined form, documents writing "pretrial" are lost
        m.setattr(QueryBuilder, "_joined_forms", lambda self, text, tokens: [])
        assert _ids(search_service, "pre-trial") < joined


def test_joined_form_is_highlighted(search_service):
    result = search_service.search(SearchRequest(q="pre-trial", per_page=100, expand=False))
    snippets = " ".join(r["snippet"] for r in result["results"]).lower()
    assert "<mark>pretrial</mark>" in snippets
