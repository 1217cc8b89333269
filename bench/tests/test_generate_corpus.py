"""The generated corpus: record format, language shares, determinism, query set."""
from __future__ import annotations

import json
import re
import statistics

import pytest

from bench.corpus_files import iter_documents, load_queries
from bench.generate_corpus import generate, main
from bench.tests.conftest import needs_gold

FIELDS = {"id", "title", "organisation", "doc_type", "date", "language", "url", "body"}
KHMER = re.compile(r"[\u1780-\u17FF]")
LATIN = re.compile(r"[A-Za-z]")


def test_documents_have_the_record_fields_and_valid_values(small_corpus):
    documents = list(iter_documents(small_corpus))
    assert len(documents) == 600
    assert len({d["id"] for d in documents}) == 600
    for document in documents:
        assert set(document) == FIELDS
        assert re.fullmatch(r"(200[5-9]|201\d|202[0-5])-\d\d-\d\d", document["date"])
        assert document["language"] in {"en", "km", "mixed"}
        assert document["title"].strip() and document["body"].strip()


def test_language_shares_and_scripts_match_the_request(small_corpus):
    documents = list(iter_documents(small_corpus))
    by_language = {lang: [d for d in documents if d["language"] == lang] for lang in ("en", "km", "mixed")}
    assert 0.25 <= len(by_language["km"]) / 600 <= 0.35
    assert all(not KHMER.search(d["body"]) for d in by_language["en"])
    assert all(len(LATIN.findall(d["body"])) < 0.05 * len(KHMER.findall(d["body"])) for d in by_language["km"])
    assert all(KHMER.search(d["body"]) and LATIN.search(d["body"]) for d in by_language["mixed"])


def test_english_documents_are_about_300_words(small_corpus):
    lengths = [len(d["body"].split()) for d in iter_documents(small_corpus) if d["language"] == "en"]
    assert 230 <= statistics.median(lengths) <= 330
    assert min(lengths) >= 50


@needs_gold
def test_same_seed_same_bytes_and_a_smaller_corpus_is_a_prefix(tmp_path, small_corpus):
    generate(tmp_path / "a", 600, seed=11, queries_per_kind=30, progress=False)
    generate(tmp_path / "b", 250, seed=11, queries_per_kind=30, progress=False)
    original = (small_corpus / "documents" / "bench-000.jsonl").read_text(encoding="utf-8")
    assert (tmp_path / "a" / "documents" / "bench-000.jsonl").read_text(encoding="utf-8") == original
    assert (tmp_path / "a" / "queries.json").read_text() == (small_corpus / "queries.json").read_text()
    prefix = (tmp_path / "b" / "documents" / "bench-000.jsonl").read_text(encoding="utf-8")
    assert original.startswith(prefix)


def test_queries_come_in_five_kinds_and_mostly_match_the_corpus(small_corpus):
    queries = load_queries(small_corpus)
    assert [q["kind"] for q in queries] == (["en"] * 30 + ["km"] * 30 + ["mixed"] * 30
                                            + ["typo"] * 7 + ["partial"] * 7)
    text = "\n".join(d["title"] + " " + d["body"] for d in iter_documents(small_corpus)).lower()
    english = [q["q"].strip('"') for q in queries if q["kind"] == "en"]
    assert all(word in text for query in english for word in query.split())
    khmer = [q["q"] for q in queries if q["kind"] == "km"]
    assert all(KHMER.search(q) and not LATIN.search(q) for q in khmer)
    assert all(part in text for query in khmer for part in query.split())
    mixed = [q["q"] for q in queries if q["kind"] == "mixed"]
    assert all(KHMER.search(q) and LATIN.search(q) for q in mixed)
    typed = {q["q"] for q in queries if q["kind"] in ("en", "km")}
    typos = [q["q"] for q in queries if q["kind"] == "typo"]
    assert all(t not in typed for t in typos)  # one word changed
    partial = [q["q"] for q in queries if q["kind"] == "partial"]
    assert all(q.split()[-1] not in text for q in partial)  # a word no document holds


def test_refuses_to_overwrite_a_directory_that_is_not_a_generated_corpus(tmp_path, capsys):
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "real.jsonl").write_text('{"id": "keep"}\n')
    assert main(["--docs", "10", "--out", str(tmp_path)]) == 2
    assert "not a generated bench corpus" in capsys.readouterr().err
    assert (tmp_path / "documents" / "real.jsonl").read_text() == '{"id": "keep"}\n'


@pytest.mark.parametrize("argv, message", [
    (["--docs", "0"], "at least 1"),
    (["--docs", "10", "--khmer-share", "1.5"], "khmer_share"),
])
def test_bad_arguments_get_a_clear_error(tmp_path, capsys, argv, message):
    assert main([*argv, "--out", str(tmp_path / "out")]) == 2
    assert message in capsys.readouterr().err
