"""HTTP fuzz, fast variant (the long run is bench/http_fuzz.py): hostile URLs on /search, /api/search and the
document routes never get a 5xx; the documented limits answer 400 naming the parameter; no id or path
reaches a file."""
from __future__ import annotations

import logging
from collections import Counter
from urllib.parse import quote

import pytest

from bench.http_fuzz import TRAVERSAL, Fuzzer, corpus_vocabulary, verdict
from webui import create_app


@pytest.fixture(scope="module")
def client(search_service):
    app = create_app(service=search_service)
    app.logger.setLevel(logging.CRITICAL)
    return app.test_client()


def get(client, path, query=b""):
    response = client.get(path, query_string=query.decode("ascii"))
    return response, verdict(path, query, response.status_code, response.content_type or "", response.get_data())


def test_fuzzed_requests_never_get_a_5xx_and_keep_the_error_contract(client, search_service):
    words, ids = corpus_vocabulary(search_service)
    assert len(ids) == search_service.search()["total"] and words
    fuzzer, statuses, problems = Fuzzer(2024, words, ids), Counter(), []
    for _ in range(400):
        path, query = fuzzer.request()
        response, problem = get(client, path, query)
        statuses[response.status_code] += 1
        if problem:
            problems.append((problem, path, query[:120]))
    assert not problems, problems[:5]
    assert all(statuses[code] > 20 for code in (200, 400, 404)), statuses  # the mix really was exercised


LIMITS = [  # (query string, parameter the 400 names): the hostile values and the documented limits
    ("year=abc", "year"), ("page=-1", "page"), (f"page={10**9}", "page"), (f"page={10**6 + 1}", "page"),
    (f"per_page={10**6}", "per_page"), ("per_page=101", "per_page"), ("per_page=0", "per_page"),
    ("q=a&q=b", "q"), ("page=1&page=2", "page"), ("sort=date&sort=relevance", "sort"),
    ("q=" + "x" * 1001, "q"), ("q=" + quote("ស" * 1001), "q"), ("page=%00", "page"), ("per_page=1e2", "per_page"),
]


@pytest.mark.parametrize("query, parameter", LIMITS)
def test_documented_limits_answer_400_naming_the_parameter(client, query, parameter):
    response, problem = get(client, "/api/search", query.encode())
    expected = 414 if len(query) > 8192 else 400
    assert response.status_code == expected and problem is None, response.get_data()[:300]
    assert response.get_json()["parameter"] == parameter and response.get_json()["error"]
    page, problem = get(client, "/search", (query + "&lang=en").encode())
    assert problem is None
    if query.count(f"{parameter}=") > 1:  # the HTML page reads the first of a repeated value (a result)
        assert page.status_code == 200
        return
    assert page.status_code == expected
    if expected == 400:
        assert f"“{parameter}”".encode() in page.get_data()


def test_the_edges_inside_the_limits_are_results(client):
    for query in (f"page={10**6}&per_page=100", "per_page=100", "q=" + "x" * 1000, "q=%00%01%1f%7f",
                  "q=" + quote('((("unbalanced title: AND OR NOT -')):
        response, problem = get(client, "/api/search", query.encode())
        assert response.status_code == 200 and problem is None, (query, response.get_data()[:200])
    assert client.get(f"/api/search?page={10**6}&per_page=100").get_json()["results"] == []
    assert client.get("/api/search?q=" + "x" * 9000).status_code == 414  # the 8 kB query-string cap


DOCUMENT_ROUTES = ["/documents/", "/api/documents/"]


@pytest.mark.parametrize("doc_id", TRAVERSAL + ["%5c..%5c..%5cwebui%5capp.py", "..%5c..%5cpyproject.toml",
                                                 "%2e%2e%5c%2e%2e%5cMakefile", "a%00b", "%00"])
def test_path_traversal_in_a_document_id_reaches_no_file(client, doc_id):
    for route in DOCUMENT_ROUTES:
        response, problem = get(client, route + doc_id)
        assert response.status_code in (404, 400) and problem is None, (route + doc_id, response.status_code)
        body = response.get_data()
        assert b"root:" not in body and b"[project]" not in body and b"create_app" not in body


def test_a_real_id_with_traversal_appended_is_not_that_document(client, search_service):
    real = search_service.search(per_page=1)["results"][0]["id"]
    assert client.get(f"/api/documents/{real}").status_code == 200
    for suffix in ("%00", "%2f..", "/..", "\\..", "%2e%2e", "/../" + real):
        assert client.get(f"/api/documents/{real}{suffix}").status_code == 404, suffix
