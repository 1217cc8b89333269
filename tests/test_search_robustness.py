"""Any user query string is searched without an error, on the real index."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings, strategies as st

from indexer.search import SearchRequest
SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "indexer" / "search_schema.json").read_text())

ALPHABET = list('ab -"():*?\\/~^&|!.,;\'') + ["AND", "OR", "NOT", "title:", "org:", "year:", "..",
                                              "ស៊ី", "វិល", "្", "ិ", "\u200b", "Kem", "detention", "😀", "é"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.sampled_from(ALPHABET), max_size=12))
def test_any_query_returns_a_valid_result(search_service, parts):
    q = "".join(parts)
    res = search_service.search(SearchRequest(q=q, per_page=5))
    jsonschema.validate(res, SCHEMA)
    assert res["query"] == q


def test_edge_queries(search_service):
    for q in ["*", "?", "\\", "title:", "year:", "year:abcd", "org:", "-", "--", "NOT NOT", "()", '""',
              "។", "\u200b", "a" * 1000, "ស៊ីវិល" * 50, "x" * 300]:
        res = search_service.search(SearchRequest(q=q))
        assert isinstance(res["total"], int), q
