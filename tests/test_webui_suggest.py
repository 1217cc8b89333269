"""/api/suggest: completions from the index's titles and the lexicon's names and vocabulary."""
from __future__ import annotations

import pytest

from webui import create_app


@pytest.fixture(scope="module")
def client(search_service):
    app = create_app(service=search_service)
    app.testing = True
    return app.test_client()


def suggested(client, typed):
    response = client.get("/api/suggest", query_string={"q": typed})
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Server-Timing"].startswith("suggest;dur=")
    return response.get_json()["suggestions"]


def test_names_come_before_titles_that_start_with_them(client):
    found = suggested(client, "chea")
    assert [s["text"] for s in found][:2] == ["Chea Chantha", "Chea Chantha’s Activities are Not a Crime"]
    assert [s["kind"] for s in found][:2] == ["name", "title"]


def test_khmer_prefixes_complete_in_khmer(client):
    found = suggested(client, "ជា")
    assert found[0] == {"text": "ជា ចាន់ថា", "kind": "name", "lang": "km"}
    assert all(s["lang"] == "km" for s in found)


def test_a_word_inside_a_title_completes_it(client, corpus_records):
    title = next(r.title for r in corpus_records if r.title.startswith("Life in Prison"))
    assert title in [s["text"] for s in suggested(client, "mother's st")]


def test_short_odd_or_hostile_input_gives_nothing_not_an_error(client):
    for typed in ("", "p", "zzqx", "<script>", "\x00\x01", "ា" * 500):
        assert isinstance(suggested(client, typed), list)
    assert suggested(client, "p") == [] and suggested(client, "zzqx") == []
