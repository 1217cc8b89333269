"""Exports of a result list (CSV, JSON, RIS), the Atom feed, near-duplicate groups and the date
range, over the real index through Flask's test client."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from webui import create_app

ROOT = Path(__file__).resolve().parent.parent
SEARCHES = ["q=prison", "q=rights&organisation=LICADHO&sort=date", "", "q=%E1%9E%97%E1%9E%B6%E1%9E%96%E1%9E%92%E1%9E%93%E1%9F%8B",
            "year_from=2019&year_to=2021", "q=resilience&expand=0"]


@pytest.fixture(scope="module")
def client(search_service):
    app = create_app(service=search_service)
    app.testing = True
    return app.test_client()


def api_pages(client, query: str) -> list[dict]:
    """Every result of `/api/search` for `query`, page after page (the date range as year=)."""
    from werkzeug.datastructures import MultiDict

    from webui.state import SearchState

    state = SearchState.from_args(MultiDict(_pairs(query)), "en")
    params = state.search_params()
    for name in ("expand",):
        if name in dict(_pairs(query)):
            params[name] = dict(_pairs(query))[name]
    results, page = [], 1
    while True:
        params["page"], params["per_page"] = str(page), "7"
        data = client.get("/api/search", query_string=params).get_json()
        results += data["results"]
        if page * 7 >= data["total"]:
            return results
        page += 1


def _pairs(query: str):
    from urllib.parse import parse_qsl

    return parse_qsl(query, keep_blank_values=False)


@pytest.mark.parametrize("query", SEARCHES)
def test_csv_and_json_exports_hold_every_result_of_every_page(client, query):
    expected = api_pages(client, query)
    assert expected
    fields = ("id", "title", "date", "organisation", "doc_type", "language", "url", "source", "group")
    as_json = client.get(f"/export.json?{query}")
    assert as_json.mimetype == "application/json"
    data = json.loads(as_json.get_data(as_text=True))
    assert data["total"] == len(expected) == len(data["results"])
    assert [{f: r[f] for f in fields} for r in data["results"]] == [{f: r[f] for f in fields} for r in expected]
    assert all(r["page"] == f"http://localhost/documents/{r['id']}" for r in data["results"])

    as_csv = client.get(f"/export.csv?{query}")
    assert as_csv.mimetype == "text/csv"
    assert "attachment" in as_csv.headers["Content-Disposition"]
    text = as_csv.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [r["id"] for r in rows] == [r["id"] for r in expected]
    assert [r["title"] for r in rows] == [r["title"] for r in expected]
    assert [r["date"] or None for r in rows] == [r["date"] for r in expected]


def test_exports_page_through_the_service_and_stop_at_the_limit(client, search_service, monkeypatch):
    from webui import export

    calls = []
    original = search_service.search

    def counting(request=None, **params):
        calls.append(request.page)
        return original(request, **params)

    monkeypatch.setattr(search_service, "search", counting)
    monkeypatch.setattr(export, "EXPORT_PAGE", 10)
    monkeypatch.setattr(export, "EXPORT_LIMIT", 25)
    response = client.get("/export.json")
    assert calls == [1]  # only the first page before the body is read: the rest is streamed
    data = json.loads(response.get_data(as_text=True))
    assert len(data["results"]) == 25 and data["truncated"] is True and data["total"] > 25
    assert calls == [1, 2, 3]  # ten at a time, and no page beyond the limit


def test_ris_export_has_one_record_per_result(client):
    expected = api_pages(client, "q=prison")
    text = client.get("/export.ris?q=prison").get_data(as_text=True)
    records = [r for r in text.split("ER  - ") if r.strip()]
    assert len(records) == len(expected)
    assert all(r.strip().startswith("TY  - ") and "TI  - " in r for r in records)
    assert f"ID  - {expected[0]['id']}" in records[0]


def test_a_bad_parameter_gets_its_400_before_any_export_starts(search_service):
    app = create_app(service=search_service)
    for url, streamed in (("/export.csv?year=soon", False), ("/export.json?sort=sideways", False),
                          ("/feed.atom?year=soon", False), ("/export.csv?q=prison", True),
                          ("/export.json", True)):
        with app.test_request_context(url, headers={"Accept-Encoding": "gzip"}):
            app.preprocess_request()
            response = app.make_response(app.dispatch_request())
            response = app.process_response(response)  # gzip must not buffer a stream
            assert response.is_streamed is streamed, url
            assert response.status_code == (200 if streamed else 400), url


@pytest.mark.parametrize("query", ["q=prison&lang=en", "lang=km", "q=%E1%9E%97%E1%9E%B6%E1%9E%96%E1%9E%92%E1%9E%93%E1%9F%8B"])
def test_the_atom_feed_parses_and_has_what_rfc_4287_requires(client, query):
    import feedparser
    from xml.etree import ElementTree as ET

    response = client.get(f"/feed.atom?{query}")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title and feed.feed.id and feed.feed.updated
    assert any(link.rel == "self" for link in feed.feed.links)
    assert feed.entries
    newest = [e.updated for e in feed.entries]
    assert newest == sorted(newest, reverse=True)  # newest first
    # RFC 4287 4.1.1/4.1.2: atom:feed and each atom:entry have id, title, updated; an author in the
    # feed (or in every entry)
    atom = "{http://www.w3.org/2005/Atom}"
    root = ET.fromstring(response.data)
    for name in ("id", "title", "updated", "author"):
        assert root.find(atom + name) is not None, name
    for entry in root.findall(atom + "entry"):
        for name in ("id", "title", "updated"):
            assert (entry.findtext(atom + name) or "").strip(), name
        assert entry.find(atom + "link[@rel='alternate']") is not None
    ids = [e.id for e in feed.entries]
    assert len(ids) == len(set(ids))


def test_the_json_keeps_every_record_of_a_group_with_its_key(client):
    import jsonschema

    data = client.get("/api/search?q=%22life+in+prison%22").get_json()
    jsonschema.validate(data, json.loads((ROOT / "indexer" / "search_schema.json").read_text()))
    series = [r for r in data["results"] if r["title"] == "Life in Prison: A Mother's Story"]
    assert len(series) == 3 and len({r["group"] for r in series}) == 1
    others = {r["group"] for r in data["results"] if r["title"] != "Life in Prison: A Mother's Story"}
    assert series[0]["group"] not in others
    page = client.get("/search?q=%22life+in+prison%22&lang=en").get_data(as_text=True)
    assert page.count('class="result result-group"') == 1
    assert page.count("Life in Prison: A Mother&#39;s Story</a></h3>") == 1


def test_oldest_first_is_the_reverse_of_newest_first_for_dated_records(client):
    newest = client.get("/api/search?sort=date&per_page=100").get_json()["results"]
    oldest = client.get("/api/search?sort=oldest&per_page=100").get_json()["results"]
    assert len(newest) == len(oldest)
    dated = [r["date"] for r in oldest if r["date"]]
    assert dated == sorted(dated) and dated[0] < dated[-1]
    assert all(r["date"] is None for r in oldest[len(dated):])  # undated last, as in newest first


def test_the_date_range_intersects_ticked_years(client):
    both = client.get("/search?year=2020&year_from=2019&year_to=2021&lang=en").get_data(as_text=True)
    alone = client.get("/api/search?year=2020").get_json()["total"]
    assert f">\n      {alone} results" in both or f"{alone} results" in both
    outside = client.get("/search?year=2015&year_from=2019&year_to=2021&lang=en").get_data(as_text=True)
    assert "No publication matches" in outside
    bad = client.get("/search?year_from=20x&lang=en")
    assert bad.status_code == 400 and "year" in bad.get_data(as_text=True)


def test_the_two_language_versions_of_the_chea_chantha_statement_link_to_each_other(client, corpus_records):
    english = next(r for r in corpus_records if r.language == "en" and r.title.startswith("Chea Chantha"))
    khmer = next(r for r in corpus_records if r.language == "km" and "ជា ចាន់ថា" in r.title)
    for a, b in ((english, khmer), (khmer, english)):
        data = client.get(f"/api/documents/{a.id}").get_json()
        assert [v["id"] for v in data["versions"]] == [b.id]
        page = client.get(f"/documents/{a.id}?lang=km").get_data(as_text=True)
        assert f'href="/documents/{b.id}?lang=km" hreflang="{b.language}" class="version-link"' in page
    # no other record of the corpus is called a version of another
    linked = [r.id for r in corpus_records
              if client.get(f"/api/documents/{r.id}").get_json()["versions"]]
    assert sorted(linked) == sorted([english.id, khmer.id])
