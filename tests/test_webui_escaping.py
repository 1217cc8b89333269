"""Markup inside a document (here a real CCHR listing with a <script> typed into an item) shows as text."""
from __future__ import annotations

import json
import re
import shutil
import tomllib

import pytest

from webui import create_app

SOURCE = "002_1757a1ed9e3dcfdc.txt"
TITLE = "FORCED EVICTIONS IN CAMBODIA"
INJECTED_TITLE = "FORCED EVICTIONS <script>alert('t')</script> IN CAMBODIA"
INJECTED_BODY = "<img src=x onerror=alert('b')> fact sheet"


@pytest.fixture(scope="module")
def client(tmp_path_factory, corpus_dir):
    """An index of one real source file whose item carries markup in its title and summary."""
    from indexer.build import build_index
    from indexer.search import SearchService

    corpus = tmp_path_factory.mktemp("corpus-with-markup")
    (corpus / "sources").mkdir()
    text = (corpus_dir / "sources" / SOURCE).read_text(encoding="utf-8")
    assert text.count(TITLE) == 2 and "fact sheet" in text
    text = text.replace(TITLE, INJECTED_TITLE).replace("fact sheet", INJECTED_BODY, 1)
    (corpus / "sources" / SOURCE).write_text(text, encoding="utf-8")
    manifest = (corpus_dir / "sources.toml").read_text(encoding="utf-8")
    entry = next(e for e in tomllib.loads(manifest)["source"] if e["file"] == SOURCE)
    # A manifest with that one entry (JSON strings are valid TOML basic strings).
    (corpus / "sources.toml").write_text(
        "[[source]]\n" + "".join(f"{key} = {json.dumps(value, ensure_ascii=False)}\n" for key, value in entry.items()),
        encoding="utf-8")
    index_root = tmp_path_factory.mktemp("index-with-markup")
    build_index(corpus, index_root, progress=False)
    service = SearchService(index_root)
    yield create_app(service=service).test_client()
    shutil.rmtree(corpus, ignore_errors=True)


def test_markup_in_a_document_is_text_on_the_search_page_and_the_document_page(client):
    data = client.get("/api/search?q=evictions").get_json()
    hit = next(r for r in data["results"] if "<script>" in r["title"])
    assert "<img" not in hit["snippet"]  # the service escapes; JSON carries the title as data
    for url in ("/search?q=evictions", "/search?q=onerror", "/search?q=script", f"/documents/{hit['id']}?q=evictions",
                f"/documents/{hit['id']}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, url
        tags = re.findall(r"<(\w+)", page)
        assert "img" not in tags and tags.count("script") == 1, url  # only the external app.js
    document = client.get(f"/documents/{hit['id']}?q=evictions").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in document
    assert "&lt;img src=x onerror=alert(&#39;b&#39;)&gt;" in document
