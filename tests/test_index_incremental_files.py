"""Incremental updates skip a JSON Lines file whose stat mark still holds (not even read), read a
touched one again, and never trust a mark that could hide a change; on real records."""
from __future__ import annotations

import json
import os

import pytest

import reading.jsonl_documents as jsonl_documents
import reading.loader as loader
from corpus_helpers import DOCUMENT_FIELDS
from indexer.build import BUILT_FROM_FILE, CorpusErrors, build_index
from indexer.layout import current_generation
from indexer.search import SearchService


def _line(record, **changes) -> str:
    fields = {k: v for k, v in record.to_dict().items() if k in DOCUMENT_FIELDS and v is not None}
    return json.dumps({**fields, **changes}, ensure_ascii=False)


def _write(path, lines) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


@pytest.fixture
def settled(monkeypatch):
    """Files written by the test count as settled at once (the real delay is SETTLED_NS)."""
    monkeypatch.setattr(jsonl_documents, "SETTLED_NS", 0)


@pytest.fixture
def files_read(monkeypatch):
    """Labels of the JSON Lines files the loader actually reads."""
    seen: list[str] = []
    original = loader.read_jsonl

    def recording(path, label, *args, **kwargs):
        seen.append(label)
        return original(path, label, *args, **kwargs)

    monkeypatch.setattr(loader, "read_jsonl", recording)
    return seen


@pytest.fixture
def two_files(tmp_path, corpus_records):
    docs = tmp_path / "corpus" / "documents"
    docs.mkdir(parents=True)
    _write(docs / "a.jsonl", [_line(r) for r in corpus_records[:12]])
    _write(docs / "b.jsonl", [_line(r) for r in corpus_records[12:24]])
    return tmp_path / "corpus", tmp_path / "index"


def _built_from(index):
    return json.loads((current_generation(index) / BUILT_FROM_FILE).read_text(encoding="utf-8"))


def _titles(index, ids):
    service = SearchService(index)
    try:
        return [service.document(doc_id)["title"] for doc_id in ids]
    finally:
        service.close()


def test_an_untouched_file_is_not_read_and_a_touched_one_is(two_files, corpus_records, settled, files_read):
    corpus, index = two_files
    build_index(corpus, index, progress=False)
    marks = _built_from(index)["files"]
    assert sorted(marks) == ["documents/a.jsonl", "documents/b.jsonl"]
    assert len(marks["documents/a.jsonl"]["lines"]) == 12

    edited = corpus_records[13]
    lines = [_line(r) for r in corpus_records[12:24]]
    lines[1] = _line(edited, title="Kampot salt workers petition, edited")
    _write(corpus / "documents" / "b.jsonl", lines)
    files_read.clear()
    report = build_index(corpus, index, incremental=True, progress=False)
    assert files_read == ["documents/b.jsonl"]
    assert (report.updated, report.added, report.deleted, report.unchanged) == (1, 0, 0, 23)
    assert _titles(index, [edited.id, corpus_records[0].id]) == [
        "Kampot salt workers petition, edited", corpus_records[0].title]

    files_read.clear()  # nothing changed since: neither file is read, nothing is written
    report = build_index(corpus, index, incremental=True, progress=False)
    assert files_read == [] and (report.updated, report.unchanged) == (0, 24)


def test_a_new_file_is_read_and_the_others_are_not(two_files, corpus_records, settled, files_read):
    corpus, index = two_files
    build_index(corpus, index, progress=False)
    _write(corpus / "documents" / "c.jsonl", [_line(r) for r in corpus_records[24:27]])
    files_read.clear()
    report = build_index(corpus, index, incremental=True, progress=False)
    assert files_read == ["documents/c.jsonl"]
    assert (report.added, report.unchanged) == (3, 24)


def test_same_size_and_restored_mtime_is_still_read_again(two_files, corpus_records, settled, files_read):
    corpus, index = two_files
    build_index(corpus, index, progress=False)
    path = corpus / "documents" / "a.jsonl"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    first = corpus_records[0]
    swapped = first.title[:-1] + ("x" if first.title[-1] != "x" else "y")  # same byte length
    assert len(swapped.encode()) == len(first.title.encode())
    path.write_text(text.replace(json.dumps(first.title, ensure_ascii=False),
                                 json.dumps(swapped, ensure_ascii=False), 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `touch -r` or `cp -p` would
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    files_read.clear()
    report = build_index(corpus, index, incremental=True, progress=False)
    assert files_read == ["documents/a.jsonl"]  # the status change time gave it away
    assert report.updated == 1 and _titles(index, [first.id]) == [swapped]


def test_a_file_changed_just_now_gets_no_mark(two_files):
    corpus, index = two_files  # written a moment ago: its stat could still hide a change
    build_index(corpus, index, progress=False)
    assert _built_from(index)["files"] == {}


def test_new_record_rules_read_every_file_again(two_files, settled, files_read, monkeypatch):
    corpus, index = two_files
    build_index(corpus, index, progress=False)
    monkeypatch.setattr(jsonl_documents, "RECORD_RULES", "changed")
    files_read.clear()
    report = build_index(corpus, index, incremental=True, progress=False)
    assert sorted(files_read) == ["documents/a.jsonl", "documents/b.jsonl"]
    assert report.unchanged == 24 and not report.updated


def test_a_line_with_a_problem_is_reported_on_every_update(two_files, corpus_records, settled, files_read):
    corpus, index = two_files
    lines = [_line(r) for r in corpus_records[12:24]]
    lines[2] = _line(corpus_records[14], date="the week after the flood")  # kept, but an error
    _write(corpus / "documents" / "b.jsonl", lines)
    report = build_index(corpus, index, progress=False, skip_bad=True)
    assert [p.line for p in report.degraded] == [3] and not report.skipped  # indexed, date dropped
    assert "documents/b.jsonl" not in _built_from(index)["files"]  # a file with a problem is always read
    files_read.clear()
    with pytest.raises(CorpusErrors) as raised:
        build_index(corpus, index, incremental=True, progress=False)
    assert files_read == ["documents/b.jsonl"]
    assert [(p.file, p.line) for p in raised.value.problems] == [("documents/b.jsonl", 3)]


def test_a_duplicate_in_an_unchanged_file_is_reported_again(two_files, corpus_records, settled, files_read):
    corpus, index = two_files
    lines = [_line(r) for r in corpus_records[12:24]] + [_line(corpus_records[0])]  # a's first record again
    _write(corpus / "documents" / "b.jsonl", lines)
    build_index(corpus, index, progress=False, skip_bad=True)
    files_read.clear()
    with pytest.raises(CorpusErrors) as raised:
        build_index(corpus, index, incremental=True, progress=False)
    assert files_read == ["documents/b.jsonl"]
    assert ["duplicate id" in p.message for p in raised.value.problems] == [True]


def test_raw_line_digest_tells_bytes_lines_and_files_apart():
    raw = '{"title": "ការពារសិទ្ធិមនុស្ស"}'.encode()
    digest = jsonl_documents.line_digest("documents/a.jsonl", 3, raw)
    assert digest == jsonl_documents.line_digest("documents/a.jsonl", 3, raw)
    others = {jsonl_documents.line_digest("documents/a.jsonl", 4, raw),
              jsonl_documents.line_digest("documents/b.jsonl", 3, raw),
              jsonl_documents.line_digest("documents/a.jsonl", 3, raw + b" ")}
    assert digest not in others and len(others) == 3


def test_bom_crlf_and_blank_lines_read_alike_parsed_or_known(tmp_path, corpus_records):
    docs = tmp_path / "corpus" / "documents"
    docs.mkdir(parents=True)
    records = corpus_records[:5]
    lines = [_line(records[0]), "", _line(records[1]), " " * 100, _line(records[2]), "\u00a0\u3000",
             _line(records[3]), "\t", _line(records[4])]
    (docs / "mixed.jsonl").write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    first = loader.load_corpus(tmp_path / "corpus", line_digests=True)
    assert not first.problems
    assert [r.id for r in first.records] == [r.id for r in records]
    assert [r.title for r in first.records] == [r.title for r in records]
    again = loader.load_corpus(tmp_path / "corpus", line_digests=True, known_lines=first.line_digests)
    assert not again.records and again.kept_ids == [r.id for r in records] and not again.problems
    assert again.line_digests == first.line_digests


def test_an_invalid_utf8_line_is_reported_with_its_column_and_the_rest_loads(tmp_path, corpus_records):
    docs = tmp_path / "corpus" / "documents"
    docs.mkdir(parents=True)
    bad = _line(corpus_records[1]).encode("utf-8").replace(b'"title"', b'"ti\xfftle"', 1)
    (docs / "a.jsonl").write_bytes(_line(corpus_records[0]).encode() + b"\n" + bad + b"\n" +
                                   _line(corpus_records[2]).encode() + b"\n")
    column = bad.index(b"\xff") + 1
    for known in (None, {}):
        result = loader.load_corpus(tmp_path / "corpus", line_digests=True, known_lines=known)
        assert [str(p) for p in result.problems] == [f"documents/a.jsonl:2: invalid UTF-8: byte 0xff at column {column}"]
        assert [r.id for r in result.records] == [corpus_records[0].id, corpus_records[2].id]
        assert len(result.line_digests) == 2


def test_a_damaged_record_of_lines_is_not_trusted(two_files, corpus_records, settled, files_read):
    corpus, index = two_files
    build_index(corpus, index, progress=False)
    path = current_generation(index) / BUILT_FROM_FILE
    built_from = json.loads(path.read_text(encoding="utf-8"))
    built_from["lines"][next(iter(built_from["lines"]))] = 7  # not a record id
    path.write_text(json.dumps(built_from), encoding="utf-8")
    files_read.clear()
    report = build_index(corpus, index, incremental=True, progress=False)
    assert sorted(files_read) == ["documents/a.jsonl", "documents/b.jsonl"]
    assert (report.unchanged, report.updated, report.added) == (24, 0, 0)
