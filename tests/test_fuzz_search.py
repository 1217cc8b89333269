"""Property tests with any Unicode: the query parser never raises, and the search service answers every
query and filter value with a schema-valid result or a BadParameter naming the parameter."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from hypothesis import HealthCheck, given, settings, strategies as st

from indexer.queryparse import Group, parse
from indexer.search import BadParameter, SearchRequest

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "indexer" / "search_schema.json").read_text())
SYNTAX = st.sampled_from(['"', "(", ")", " AND ", " OR ", " NOT ", "-", "title:", "org:", "type:", "year:",
                          "lang:", "..", "*", "\\", ":", "\u0000", "\u17d2", "\u200b", " "])
# Any code point (control characters, NUL, unpaired surrogates, private use, every plane) mixed with syntax.
ANY_QUERY = st.lists(st.one_of(st.text(alphabet=st.characters(), max_size=8), SYNTAX), max_size=12).map("".join)
KHMER_QUERY = st.text(alphabet=st.characters(min_codepoint=0x1780, max_codepoint=0x17FF), max_size=40)
SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@settings(max_examples=500, deadline=None)
@given(ANY_QUERY)
def test_the_parser_takes_any_unicode(text):
    assert isinstance(parse(text), Group)


@SETTINGS
@given(q=st.one_of(ANY_QUERY, KHMER_QUERY))
def test_any_query_gets_a_schema_valid_result_and_a_document_view(search_service, q):
    result = search_service.search(SearchRequest(q=q, per_page=3))
    jsonschema.validate(result, SCHEMA)
    assert result["query"] == q
    if result["results"]:
        doc = search_service.document(result["results"][0]["id"], q=q)
        assert doc["id"] == result["results"][0]["id"] and isinstance(doc["body_html"], str)


PARAM_VALUES = st.one_of(st.text(max_size=12), st.integers(-10**12, 10**12).map(str),
                         st.sampled_from(["2019", "2015..2020", "..", "2019..", "abc", "-1", str(10**9), "0"]))


@SETTINGS
@given(name=st.sampled_from(["organisation", "doc_type", "year", "language", "sort", "page", "per_page"]),
       values=st.lists(PARAM_VALUES, min_size=1, max_size=3))
def test_any_parameter_value_is_a_result_or_a_bad_parameter_naming_it(search_service, name, values):
    value = values if name in ("organisation", "doc_type", "language") else values[0]
    try:
        request = SearchRequest.from_params(**{name: value})
    except BadParameter as error:
        assert error.name == name and error.message
        return
    jsonschema.validate(search_service.search(request), SCHEMA)
