"""The web UI over the real search service and the real corpus, through Flask's test client."""
from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from webui import create_app

KHMER = re.compile(r"[\u1780-\u17FF]")
RESILIENCE = "ភាពធន់"  # the CCHR Khmer flyer on resilience (source 002)


@pytest.fixture(scope="module")
def client(search_service):
    app = create_app(service=search_service)
    app.testing = True
    return app.test_client()


def page(client, url, status=200, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.status_code, response.data[:500])
    return response.get_data(as_text=True)


def links(html_text, css_class):
    """hrefs of <a class="css_class"> elements, unescaped."""
    return [html.unescape(m) for m in re.findall(rf'<a class="{css_class}" href="([^"]+)"', html_text)]


def result_links(html_text):
    return [html.unescape(m) for m in re.findall(r'<h3><a href="([^"]+)"', html_text)]


def facet_toggle(html_text, facet, value):
    """The link of one facet checkbox (what a click follows)."""
    for attrs in re.findall(r"<input ([^>]*)>", html_text):
        if f'name="{facet}"' in attrs and f'value="{html.escape(value)}"' in attrs:
            return html.unescape(re.search(r'data-toggle-url="([^"]+)"', attrs).group(1))
    raise AssertionError(f"no {facet}={value} facet on the page")


def total_of(html_text) -> int:
    """The result count the page announces ("1 result", "48 results")."""
    return int(re.search(r'id="summary">\s*(\d+) results?', html_text).group(1))


def api(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/json"
    return response.get_json()


# --------------------------------------------------------------------------- search page
def test_empty_query_browses_every_publication_newest_first(client, corpus_records):
    data = api(client, "/api/search?per_page=100")
    assert data["total"] == len(corpus_records)
    dates = [r["date"] for r in data["results"] if r["date"]]
    assert dates == sorted(dates, reverse=True)
    text = page(client, "/?lang=en")
    assert f"{data['total']} results" in text
    assert "newest first" in text
    assert result_links(text)[0].startswith(f"/documents/{data['results'][0]['id']}?")


def test_khmer_query_finds_the_khmer_flyer_with_the_word_highlighted(client):
    text = page(client, f"/search?q={RESILIENCE}&lang=en")
    snippets = re.findall(r'<p class="snippet">(.*?)</p>', text, re.S)
    assert any(f"<mark>{RESILIENCE}</mark>" in s or (
        "<mark>" in s and KHMER.search(s)) for s in snippets), snippets
    assert '<span class="org">CCHR</span>' in text
    assert '<span class="badge badge-km">Khmer</span>' in text
    assert '<article lang="km">' in text  # Khmer results are marked up as Khmer for fonts and screen readers


def test_facet_click_narrows_results_and_the_chip_removes_the_filter(client):
    base = page(client, "/search?q=rights&lang=en")
    total = total_of(base)
    toggle = facet_toggle(base, "organisation", "CIVICUS")
    assert parse_qs(urlsplit(toggle).query)["organisation"] == ["CIVICUS"]
    narrowed = page(client, toggle)
    narrowed_total = total_of(narrowed)
    assert 0 < narrowed_total < total
    assert set(re.findall(r'<span class="org">([^<]+)</span>', narrowed)) == {"CIVICUS"}
    assert re.search(r'name="organisation"\s+value="CIVICUS" checked', narrowed)
    # The same through the API: every result is CIVICUS, and the count matches the page.
    data = api(client, "/api/search?q=rights&organisation=CIVICUS&per_page=100")
    assert data["total"] == narrowed_total and {r["organisation"] for r in data["results"]} == {"CIVICUS"}
    # A second organisation is added (multi-select), then the chip of the first removes only it.
    both = page(client, facet_toggle(narrowed, "organisation", "LICADHO"))
    assert total_of(both) > narrowed_total
    chip = next(url for url in links(both, "chip") if "CIVICUS" not in parse_qs(urlsplit(url).query)
                .get("organisation", []))
    only_licadho = page(client, chip)
    assert set(re.findall(r'<span class="org">([^<]+)</span>', only_licadho)) == {"LICADHO"}
    cleared = page(client, links(only_licadho, "clear-all")[0])
    assert total_of(cleared) == total


def test_sort_by_date_and_pagination_keep_the_rest_of_the_state(client):
    data = api(client, "/api/search?q=rights&sort=date&per_page=5")
    assert data["total"] > 5
    text = page(client, "/search?q=rights&sort=date&per_page=5&lang=km")
    assert re.search(r'data-sort="date" aria-current="true"', text)
    next_url = html.unescape(re.search(r'<a rel="next" href="([^"]+)"', text).group(1))
    params = parse_qs(urlsplit(next_url).query)
    assert params == {"q": ["rights"], "sort": ["date"], "page": ["2"], "per_page": ["5"], "lang": ["km"]}
    second = api(client, "/api/search?q=rights&sort=date&per_page=5&page=2")
    first_ids = {r["id"] for r in data["results"]}
    assert first_ids.isdisjoint(r["id"] for r in second["results"])
    assert "?" in result_links(page(client, next_url))[0]


def test_did_you_mean_links_to_the_suggested_query(client, search_service):
    from indexer.search import SearchRequest

    query = "chidren rihgts"
    suggestion = search_service.search(SearchRequest.from_params(q=query))["suggestion"]
    if suggestion is None:
        pytest.skip("the service makes no suggestion for this misspelling")
    # with typo alternatives on, the page shows "Showing results for" instead (tests/test_fuzzy.py)
    text = page(client, f"/search?q={query}&lang=en&typos=0")
    href = html.unescape(re.search(r'<a href="([^"]+)" id="suggestion">', text).group(1))
    assert parse_qs(urlsplit(href).query)["q"] == [suggestion]


def test_khmer_interface_translates_the_page_and_doc_types(client):
    text = page(client, "/search?q=children&lang=km")
    assert '<html lang="km">' in text
    assert "តម្រង" in text and "ស្វែងរក" in text and "លទ្ធផល" in text
    assert not re.search(r">\s*(Filters|Search|Sort by|Results)\s*<", text)
    # Accept-Language chooses Khmer when the URL does not say.
    assert '<html lang="km">' in page(client, "/", **{"Accept-Language": "km-KH,km;q=0.9,en;q=0.5"})
    assert '<html lang="en">' in page(client, "/", **{"Accept-Language": "fr-FR,en;q=0.5"})
    # Every link on the page keeps the chosen language.
    outside_switcher = re.sub(r'<nav class="ui-lang".*?</nav>', "", text, flags=re.S)
    for href in re.findall(r'href="(/(?:search|documents)[^"]*)"', outside_switcher):
        assert "lang=km" in href, href


def test_doc_type_facet_labels_come_from_the_corpus_model_in_khmer(client, corpus_records):
    from reading.model import doc_type_label

    text = page(client, "/search?lang=km")
    doc_types = {r.doc_type for r in corpus_records}
    shown = [t for t in doc_types if doc_type_label(t, "km") in text]
    assert shown and len(shown) == len(doc_types)


# --------------------------------------------------------------------------- document page
def test_document_page_highlights_the_query_and_links_back_to_the_same_results(client):
    search_url = f"/search?q={RESILIENCE}&organisation=CCHR&lang=en"
    doc_url = result_links(page(client, search_url))[0]
    text = page(client, doc_url)
    assert "<mark>" in text and KHMER.search(text)
    back = html.unescape(re.search(r'<a href="([^"]+)" id="back-to-results">', text).group(1))
    assert parse_qs(urlsplit(back).query) == parse_qs(urlsplit(search_url).query)
    assert "002_1757a1ed9e3dcfdc.txt" in text
    assert "CCHR" in text


def test_document_json_and_unknown_documents(client):
    found = api(client, "/api/search?q=prison&per_page=1")["results"][0]
    record = api(client, f"/api/documents/{found['id']}?q=prison")
    assert record["id"] == found["id"] and "<mark>" in record["body_html"]
    missing = api(client, "/api/documents/no-such-document", status=404)
    assert missing["parameter"] == "id"
    assert "Not found" in page(client, "/documents/no-such-document", status=404)


# --------------------------------------------------------------------------- API = CLI
@pytest.mark.parametrize("query, cli_args", [
    ("q=children", ["children"]),
    (f"q={RESILIENCE}", [RESILIENCE]),
    ("q=land+rights&organisation=LICADHO&organisation=CCHR", ["land", "rights", "--org", "LICADHO", "--org", "CCHR"]),
    ("q=freedom&year=2020..2024&language=en&sort=date&page=2&per_page=3",
     ["freedom", "--year", "2020..2024", "--lang", "en", "--sort", "date", "--page", "2", "--per-page", "3"]),
    ("", []),
])
def test_api_search_answers_the_same_as_bayon_search_json(client, real_index_dir, query, cli_args):
    from click.testing import CliRunner

    from bayon.cli import main

    outcome = CliRunner().invoke(main, ["search", "--json", "--index-dir", str(real_index_dir), *cli_args])
    assert outcome.exit_code == 0, outcome.output
    from_cli = json.loads(outcome.stdout)
    from_api = api(client, f"/api/search?{query}")
    for payload in (from_cli, from_api):
        payload.pop("took_ms", None)
    assert from_api == from_cli


@pytest.mark.parametrize("query, parameter", [
    ("page=abc", "page"), ("page=0", "page"), ("per_page=101", "per_page"), ("year=twenty", "year"),
    ("sort=sideways", "sort"), ("expand=maybe", "expand"),
    ("year=2019&year=20x0", "year"), ("organization=LICADHO", "organization"),
    ("q=" + "x" * 1001, "q"),
])
def test_bad_parameters_get_a_400_naming_the_parameter(client, query, parameter):
    body = api(client, f"/api/search?{query}", status=400)
    assert body["parameter"] == parameter and body["error"]
    if parameter != "organization":  # the HTML page names it too, and keeps the search box
        text = page(client, f"/search?{query}&lang=en", status=400)
        assert f"“{parameter}”" in text and 'id="q"' in text


# --------------------------------------------------------------------------- security
XSS = "<script>alert('x')</script>"


def test_a_script_in_the_query_is_text_everywhere(client):
    for url in (f"/search?q={XSS}", f"/search?q={XSS}+children", f"/documents/{{}}?q={XSS}"):
        if "{}" in url:
            doc_id = api(client, "/api/search?q=children&per_page=1")["results"][0]["id"]
            url = url.replace("{}", doc_id)
        text = page(client, url)
        assert "<script>alert" not in text
        assert "&lt;script&gt;alert(" in text
    assert api(client, f"/api/search?q={XSS}")["query"] == XSS  # JSON carries it as data


def test_security_headers_on_pages_api_and_static(client):
    for url in ("/", "/api/search?q=x", "/static/style.css", "/no-such-page"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]
    # No inline script anywhere: the only script is the external, same-origin app.js.
    text = page(client, "/search?q=children")
    scripts = re.findall(r"<script[^>]*>", text)
    assert scripts and all(re.fullmatch(r'<script src="/static/\w+\.js\?v=\w+"( defer)?>', tag) for tag in scripts), scripts
    assert " on" not in " ".join(re.findall(r"<[^>]+>", text)).replace(" one", "")  # no onclick= etc.


@pytest.mark.parametrize("url", [
    "/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%2e%2e%2f%2e%2e/pyproject.toml",
    "/static//etc/passwd", "/static/fonts/../../pages.py", "/templates/base.html", "/webui/app.py",
])
def test_no_route_serves_files_outside_the_static_folder(client, url):
    response = client.get(url, follow_redirects=True)
    assert response.status_code in (404, 400), url
    assert b"create_app" not in response.data and b"root:" not in response.data


def test_static_files_and_the_bundled_khmer_font_are_served(client):
    css = page(client, "/static/style.css")
    assert "NotoSansKhmer-Regular.woff2" in css and "//" not in css.replace("/*", "").replace("*/", "")
    font = client.get("/static/fonts/NotoSansKhmer-Regular.woff2")
    assert font.status_code == 200 and font.data[:4] == b"wOF2"
    assert "OFL" in page(client, "/static/fonts/OFL.txt")


def test_only_get_and_bounded_requests(client):
    assert client.post("/search", data={"q": "x"}).status_code == 405
    assert client.post("/api/search").get_json()["error"]
    assert client.get("/search?q=" + "x" * 9000).status_code == 414


def test_opensearch_description_points_at_the_search_page(client):
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    body = response.get_data(as_text=True)
    # site-relative without a configured base URL: the Host header is never echoed (tests/test_reliability_serve.py);
    # no lang=: the browser's own Accept-Language chooses the interface of a search it starts
    assert 'template="/search?q={searchTerms}"' in body
    assert 'rel="search" type="application/opensearchdescription+xml"' in page(client, "/")


# --------------------------------------------------------------------------- app factory and `bayon serve`
def test_create_app_opens_its_own_service_on_an_index_dir(real_index_dir):
    own = create_app(index_dir=real_index_dir).test_client()
    assert own.get("/api/search?q=prison").get_json()["total"] > 0


def test_without_an_index_pages_say_so_and_serve_refuses_to_start(tmp_path):
    from click.testing import CliRunner

    from bayon.cli import main

    no_index = create_app(index_dir=tmp_path / "none").test_client()
    response = no_index.get("/search?q=prison&lang=km")
    assert response.status_code == 503 and "មានបញ្ហាកើតឡើង" in response.get_data(as_text=True)
    assert no_index.get("/api/search?q=prison").status_code == 503
    outcome = CliRunner().invoke(main, ["serve", "--index-dir", str(tmp_path / "none")])
    assert outcome.exit_code == 1 and "bayon index" in outcome.output


def test_pages_and_json_are_gzipped_for_clients_that_accept_it(client):
    import gzip

    plain = client.get("/search?q=rights&lang=km")
    zipped = client.get("/search?q=rights&lang=km", headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["Vary"]
    assert len(zipped.data) * 3 < len(plain.data)
    assert gzip.decompress(zipped.data).decode().count("<li class=\"result") == 10
    api_zipped = client.get("/api/search?q=rights", headers={"Accept-Encoding": "gzip"})
    assert json.loads(gzip.decompress(api_zipped.data))["total"] == client.get("/api/search?q=rights").get_json()["total"]


# --------------------------------------------------------------------------- expansion, default operator, years
def test_page_says_what_was_also_searched_and_links_to_turn_it_off_and_on(client):
    on_html = page(client, "/search?q=%E1%9E%9F%E1%9E%A0%E1%9E%87%E1%9E%B8%E1%9E%96&lang=en")  # សហជីព
    assert 'id="also-searched"' in on_html and "Also searched:" in on_html and "trade union" in on_html
    off_url = html.unescape(re.search(r'id="also-searched".*?href="([^"]+)" id="expand-toggle"', on_html, re.S).group(1))
    assert parse_qs(urlsplit(off_url).query)["expand"] == ["0"]
    off_html = page(client, off_url)
    assert "Also searched:" not in off_html and total_of(off_html) < total_of(on_html)
    # with expansion off, every link keeps it off, and one link turns it back on
    assert all("expand=0" in u for u in result_links(off_html))
    assert 'name="expand" value="0"' in off_html
    back = html.unescape(re.search(r'href="([^"]+)" id="expand-toggle"', off_html).group(1))
    assert "expand" not in parse_qs(urlsplit(back).query)
    assert total_of(page(client, back)) == total_of(on_html)
    km = page(client, "/search?q=%E1%9E%9F%E1%9E%A0%E1%9E%87%E1%9E%B8%E1%9E%96&lang=km")
    assert "ក៏បានស្វែងរកផងដែរ៖" in km


def test_api_expand_parameter_and_new_keys(client):
    on = api(client, "/api/search?q=prison")
    off = api(client, "/api/search?q=prison&expand=0")
    assert on["expand"] is True and "jail" in on["also_searched"] and on["expansions"]
    assert off["expand"] is False and off["also_searched"] == [] and off["expansions"] == []
    assert on["matched"] == off["matched"] == "all"


def test_no_document_with_every_word_falls_back_to_any_and_says_so(client):
    body = api(client, "/api/search?q=detention+zzyzxq")
    assert body["matched"] == "any" and body["total"] > 0
    text = page(client, "/search?q=detention+zzyzxq&lang=en")
    assert 'id="matched-any"' in text
    assert 'id="matched-any"' not in page(client, "/search?q=detention&lang=en")


def test_year_facet_is_multi_select_and_repeatable(client, corpus_records):
    years = sorted({r.year for r in corpus_records if r.year})
    a, b = str(years[0]), str(years[-1])
    text = page(client, f"/search?year={a}&lang=en")
    assert re.search(rf'<input type="checkbox"[^>]*name="year"[^>]*value="{b}"', text)
    both = api(client, f"/api/search?year={a}&year={b}&per_page=100")
    assert both["total"] == sum(r.year in (years[0], years[-1]) for r in corpus_records)
    # the year facet ignores its own selection: every year keeps its count
    assert set(both["facets"]["year"]) == {str(y) for y in years}
    toggled = facet_toggle(text, "year", b)
    assert parse_qs(urlsplit(toggled).query)["year"] == [a, b]
