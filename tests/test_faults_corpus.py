"""Corpus faults through `bayon index` while a service keeps serving: a broken file is reported with file and
line, the default build stops before switching (the old index keeps serving), `--skip-bad` indexes the rest
and lists what it skipped, and a duplicate id is an error, never a silent overwrite."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bayon.cli import main
from indexer import layout
from indexer.search import SearchService

FIELDS = ("id", "title", "organisation", "doc_type", "date", "language", "url", "body")
GOOD = 6  # real records in the good file


def _line(record) -> str:
    return json.dumps({k: v for k, v in record.to_dict().items() if k in FIELDS and v is not None},
                      ensure_ascii=False)


def _bad_json(docs: Path, records):
    (docs / "zz-added.jsonl").write_text(_line(records[GOOD]) + '\n{"id": "x", "title": "cut off", "body": \n',
                                      encoding="utf-8")
    return "documents/zz-added.jsonl:2:", 1


def _bad_utf8(docs: Path, records):
    (docs / "zz-added.jsonl").write_bytes(_line(records[GOOD]).encode() + b"\n" +
                                       _line(records[GOOD + 1]).replace("a", "\xff", 1).encode("latin-1", "replace")
                                       + b"\n")
    return "documents/zz-added.jsonl:2:", 1


def _markdown_without_front_matter(docs: Path, records):
    (docs / "zz-added.jsonl").write_text(_line(records[GOOD]) + "\n", encoding="utf-8")
    (docs / "note.md").write_text("# A note\n\nNo front matter here.\n", encoding="utf-8")
    return "documents/note.md:1:", 1


def _duplicate_id(docs: Path, records):
    clash = dict(json.loads(_line(records[GOOD])), id=records[0].id, title="An impostor with a reused id")
    (docs / "zz-added.jsonl").write_text(_line(records[GOOD]) + "\n" + json.dumps(clash, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    return "documents/zz-added.jsonl:2:", 1


FAULTS = {"invalid JSON": _bad_json, "invalid UTF-8": _bad_utf8,
          "Markdown without front matter": _markdown_without_front_matter, "duplicate id": _duplicate_id}


def run_index(corpus: Path, root: Path, *extra: str):
    return CliRunner().invoke(main, ["index", "--corpus", str(corpus), "--index-dir", str(root), "-q", *extra])


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_broken_corpus_file_stops_the_switch_and_skip_bad_indexes_the_rest(tmp_path, corpus_records, fault):
    docs = tmp_path / "corpus" / "documents"
    docs.mkdir(parents=True)
    (docs / "real.jsonl").write_text("".join(_line(r) + "\n" for r in corpus_records[:GOOD]), encoding="utf-8")
    root = tmp_path / "index"
    assert run_index(tmp_path / "corpus", root).exit_code == 0
    served = layout.current_generation(root)
    service = SearchService(root)
    first = service.document(corpus_records[0].id)

    where, bad = FAULTS[fault](docs, corpus_records)
    res = run_index(tmp_path / "corpus", root)
    assert res.exit_code == 1, res.output
    assert where in res.output and "the index was not changed" in res.output and "--skip-bad" in res.output
    if fault == "duplicate id":  # both places are named
        assert "(first at documents/real.jsonl:1)" in res.output
    assert layout.current_generation(root) == served
    assert service.search()["total"] == GOOD and service.document(corpus_records[0].id) == first

    res = run_index(tmp_path / "corpus", root, "--skip-bad")
    assert res.exit_code == 0, res.output
    assert f"skipped: {where}" in res.output and f"skipped {bad}" in res.output
    assert layout.current_generation(root) != served
    assert service.search()["total"] == GOOD + 1  # the good record of the new file is in, same service
    assert service.document(corpus_records[GOOD].id)["title"] == corpus_records[GOOD].title
    assert service.document(corpus_records[0].id)["title"] == corpus_records[0].title  # never overwritten
    service.close()
