"""Incremental updates parse only the JSON Lines lines that changed since the last build (line
digests remembered in the generation), on real records; and they never trust stale digests."""
from __future__ import annotations

import json

import pytest

import reading.jsonl_documents as jsonl_documents
from reading.loader import load_corpus
from indexer.build import BUILT_FROM_FILE, build_index
from indexer.layout import current_generation
from indexer.search import SearchService
from tests.corpus_helpers import write_jsonl_corpus


@pytest.fixture
def built(tmp_path, corpus_records):
    corpus = write_jsonl_corpus(tmp_path / "corpus", corpus_records[:30])
    index = tmp_path / "index"
    build_index(corpus, index, progress=False)
    return corpus, index


@pytest.fixture
def parsed_lines(monkeypatch):
    """Line numbers document_record is called for, i.e. the lines actually parsed."""
    seen: list[int] = []
    original = jsonl_documents.document_record

    def counting(fields, label, name, line, **kwargs):
        seen.append(line)
        return original(fields, label, name, line, **kwargs)

    monkeypatch.setattr(jsonl_documents, "document_record", counting)
    return seen


def _lines(corpus):
    return (corpus / "documents" / "real.jsonl").read_text(encoding="utf-8").splitlines()


def _write(corpus, lines):
    (corpus / "documents" / "real.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _ids(index, q):
    service = SearchService(index)
    try:
        return {r["id"] for r in service.search(q=q, per_page=100)["results"]}
    finally:
        service.close()


def test_only_changed_lines_are_parsed(built, parsed_lines):
    corpus, index = built
    lines = _lines(corpus)
    edited = json.loads(lines[4])
    edited["title"] = "Zanzibarian marker title for the edited record"
    lines[4] = json.dumps(edited, ensure_ascii=False)
    deleted = json.loads(lines[9])["id"]
    lines[9] = ""  # a blank line keeps the later lines' numbers
    _write(corpus, lines)
    report = build_index(corpus, index, incremental=True, progress=False)
    assert parsed_lines == [5]
    assert (report.updated, report.deleted, report.added, report.unchanged) == (1, 1, 0, 28)
    assert _ids(index, "Zanzibarian") == {edited["id"]}
    service = SearchService(index)
    try:
        assert service.document(deleted) is None
    finally:
        service.close()


def test_shifted_lines_are_read_again_and_nothing_changes(built, parsed_lines):
    corpus, index = built
    lines = _lines(corpus)
    _write(corpus, ["", *lines])  # every line number moves (a missing id derives from it)
    report = build_index(corpus, index, incremental=True, progress=False)
    assert len(parsed_lines) == 30
    assert (report.updated, report.deleted, report.added, report.unchanged) == (0, 0, 0, 30)


def test_stale_digests_are_not_trusted(built, parsed_lines):
    corpus, index = built
    digests_file = current_generation(index) / BUILT_FROM_FILE
    built_from = json.loads(digests_file.read_text(encoding="utf-8"))
    digests = built_from["lines"]
    assert len(digests) == 30 and len(built_from["hashes"]) == 30
    first = next(iter(digests))
    digests[first] = "no-such-record"  # a remembered line naming a record the index does not hold
    digests_file.write_text(json.dumps(built_from), encoding="utf-8")
    report = build_index(corpus, index, incremental=True, progress=False)
    assert len(parsed_lines) == 30  # read everything again
    assert (report.updated, report.deleted, report.added, report.unchanged) == (0, 0, 0, 30)
    rebuilt = json.loads((current_generation(index) / BUILT_FROM_FILE).read_text(encoding="utf-8"))
    assert rebuilt["lines"][first] != "no-such-record"


def test_recorded_hashes_equal_the_index_and_a_wrong_count_is_not_trusted(built, parsed_lines):
    from indexer.build import _indexed_hashes_of

    corpus, index = built
    gen = current_generation(index)
    built_from = json.loads((gen / BUILT_FROM_FILE).read_text(encoding="utf-8"))
    assert built_from["hashes"] == _indexed_hashes_of(gen)
    del built_from["hashes"][next(iter(built_from["hashes"]))]  # one hash fewer than indexed documents
    (gen / BUILT_FROM_FILE).write_text(json.dumps(built_from), encoding="utf-8")
    report = build_index(corpus, index, incremental=True, progress=False)
    assert len(parsed_lines) == 30  # the record was not trusted: everything read again
    assert (report.updated, report.deleted, report.added, report.unchanged) == (0, 0, 0, 30)


def test_kept_lines_still_count_for_duplicate_ids(built):
    corpus, index = built
    lines = _lines(corpus)
    lines.append(lines[0])  # the same record again, on a new line
    _write(corpus, lines)
    known = json.loads((current_generation(index) / BUILT_FROM_FILE).read_text(encoding="utf-8"))["lines"]
    result = load_corpus(corpus, known_lines=known)
    assert len(result.kept_ids) == 30 and not result.records
    assert [p.line for p in result.problems if "duplicate id" in p.message] == [31]
