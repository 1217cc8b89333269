"""Hostile corpus files and index folders: every bad file is one problem naming it, never a crash nor
the loss of other files' records, and `bayon index` never touches a folder it did not make."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bayon.cli import main
from corpus_helpers import write_jsonl_corpus
from indexer import layout
from indexer.build import build_index
from reading.loader import load_corpus
from reading.problems import PROBLEMS_SHOWN

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("id", "title", "organisation", "doc_type", "date", "language", "url", "body")


def _line(record, **changes) -> str:
    fields = {k: v for k, v in record.to_dict().items() if k in FIELDS and v is not None}
    return json.dumps({**fields, **changes}, ensure_ascii=False)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def _two_files(tmp_path, corpus_records) -> Path:
    docs = tmp_path / "corpus" / "documents"
    docs.mkdir(parents=True)
    (docs / "a.jsonl").write_text("".join(_line(r) + "\n" for r in corpus_records[:4]), encoding="utf-8")
    (docs / "b.jsonl").write_text("".join(_line(r) + "\n" for r in corpus_records[4:9]), encoding="utf-8")
    return tmp_path / "corpus"


# --------------------------------------------------------------------------- deep nesting
def test_deeply_nested_json_is_one_problem_naming_its_line(tmp_path, corpus_records):
    corpus = _two_files(tmp_path, corpus_records)
    deep = "[" * 990 + "]" * 990
    with open(corpus / "documents" / "a.jsonl", "a", encoding="utf-8") as f:
        f.write(deep + "\n" + json.dumps({"title": "t", "organisation": "o", "body": "b", "x": json.loads("[" * 40 + "]" * 40)}) + "\n")
    res = run("corpus", "check", "--corpus", str(corpus))
    assert res.exit_code == 1 and "Traceback" not in res.output and res.exception is None or isinstance(res.exception, SystemExit)
    assert "documents/a.jsonl:5: JSON nested deeper than 32 levels" in res.output
    assert "documents/a.jsonl:6: JSON nested deeper than 32 levels" in res.output
    assert "9 records" in res.output
    root = tmp_path / "index"
    res = run("index", "--corpus", str(corpus), "--index-dir", str(root), "-q", "--skip-bad")
    assert res.exit_code == 0, res.output
    assert "skipped: documents/a.jsonl:5:" in res.output and "skipped 2" in res.output


def test_brackets_inside_strings_are_text_not_nesting(tmp_path, corpus_records):
    corpus = _two_files(tmp_path, corpus_records)
    body = "[" * 500 + " quoted brackets {{{ " + "]" * 3
    with open(corpus / "documents" / "b.jsonl", "a", encoding="utf-8") as f:
        f.write(_line(corpus_records[9], body=body) + "\n")
    result = load_corpus(corpus)
    assert not result.errors and len(result.records) == 10


def test_front_matter_that_never_closes_is_one_problem_and_output_is_capped(tmp_path, corpus_records):
    corpus = _two_files(tmp_path, corpus_records)
    lines = ["---"] + ["not a field line"] * 100_000
    (corpus / "documents" / "huge.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = run("corpus", "check", "--corpus", str(corpus))
    assert res.exit_code == 1
    assert "documents/huge.md:1: front matter is not closed by a '---' line within 200 lines" in res.output
    assert len(res.output.splitlines()) < 50, len(res.output.splitlines())
    assert "more problem(s) not shown" in res.output


def test_problem_output_is_capped_but_counted_whole(tmp_path, corpus_records):
    corpus = _two_files(tmp_path, corpus_records)
    (corpus / "documents" / "bad.jsonl").write_text("{not json\n" * 5000, encoding="utf-8")
    res = run("corpus", "check", "--corpus", str(corpus))
    shown = [line for line in res.output.splitlines() if line.startswith("documents/bad.jsonl:")]
    assert len(shown) <= PROBLEMS_SHOWN
    assert "documents/bad.jsonl: 4980 more problem(s) not shown" in res.output
    assert "9 records, 5000 errors" in res.output


# --------------------------------------------------------------------------- per-file isolation
def test_an_unreadable_file_is_one_problem_and_the_other_files_load(tmp_path, corpus_records):
    """A mode-000 file; root reads through file modes, so as root the loader runs without the
    capabilities that allow it (setpriv), the same kernel check an ordinary user meets."""
    corpus = _two_files(tmp_path, corpus_records)
    (corpus / "documents" / "a.jsonl").chmod(0o000)
    code = ("import sys, json; sys.path.insert(0, %r); from reading.loader import load_corpus; "
            "r = load_corpus(%r); print(json.dumps([len(r.records), [str(p) for p in r.problems]]))"
            % (str(PROJECT_ROOT), str(corpus)))
    prefix = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("root, and no setpriv to drop the file-permission override")
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]
    done = subprocess.run([*prefix, sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    count, problems = json.loads(done.stdout)
    assert count == 5  # every record of b.jsonl
    assert problems == ["documents/a.jsonl: cannot read: Permission denied; none of its records loaded"]


def test_symbolic_links_out_of_the_corpus_or_broken_are_problems(tmp_path, corpus_records):
    corpus = _two_files(tmp_path, corpus_records)
    outside = tmp_path / "elsewhere.jsonl"
    outside.write_text(_line(corpus_records[20]) + "\n", encoding="utf-8")
    (corpus / "documents" / "out.jsonl").symlink_to(outside)
    (corpus / "documents" / "gone.jsonl").symlink_to(tmp_path / "missing.jsonl")
    (corpus / "inside.jsonl").write_text(_line(corpus_records[21]) + "\n", encoding="utf-8")
    (corpus / "documents" / "in.jsonl").symlink_to(corpus / "inside.jsonl")
    result = load_corpus(corpus)
    messages = sorted(str(p) for p in result.errors)
    assert len(messages) == 2
    assert messages[0].startswith("documents/gone.jsonl:1: broken symbolic link")
    assert messages[1].startswith("documents/out.jsonl:1: symbolic link to") and "outside the corpus" in messages[1]
    assert {r.id for r in result.records} == {r.id for r in corpus_records[:9]} | {corpus_records[21].id}


# --------------------------------------------------------------------------- ids and --skip-bad wording
@pytest.mark.parametrize("bad_id", ["a/b", "..", ".", "x\\y", "tab\there", "nul\x00"])
def test_an_id_that_cannot_be_a_link_segment_is_an_error(tmp_path, corpus_records, bad_id):
    corpus = _two_files(tmp_path, corpus_records)
    with open(corpus / "documents" / "b.jsonl", "a", encoding="utf-8") as f:
        f.write(_line(corpus_records[9], id=bad_id) + "\n")
    result = load_corpus(corpus)
    assert [p.line for p in result.errors] == [6] and "slashes" in result.errors[0].message
    derived = [r for r in result.records if r.title == corpus_records[9].title]
    assert derived and derived[0].id == "b-6"


def test_skip_bad_says_which_records_were_indexed_without_a_field(tmp_path, corpus_records):
    corpus = _two_files(tmp_path, corpus_records)
    with open(corpus / "documents" / "b.jsonl", "a", encoding="utf-8") as f:
        f.write(_line(corpus_records[9], date="sometime") + "\n")  # kept, its date dropped
        f.write('{"title": "no body"}\n')  # not indexed
    res = run("index", "--corpus", str(corpus), "--index-dir", str(tmp_path / "index"), "-q", "--skip-bad")
    assert res.exit_code == 0, res.output
    assert "indexed without the field: documents/b.jsonl:6: unknown date format" in res.output
    assert "skipped: documents/b.jsonl:7: missing body" in res.output
    assert "skipped: documents/b.jsonl:6" not in res.output
    assert "10 documents" in res.output and "skipped 2, indexed without a bad field 1" in res.output


# --------------------------------------------------------------------------- the index folder is bayon's
def _snapshot(folder: Path) -> dict:
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in sorted(folder.rglob("*"))}


def test_index_refuses_a_folder_it_did_not_make_and_touches_nothing(tmp_path, corpus_records):
    corpus = write_jsonl_corpus(tmp_path / "corpus", corpus_records[:5])
    folder = tmp_path / "mine"
    (folder / "gen-photos").mkdir(parents=True)
    (folder / "gen-photos" / "holiday.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    (folder / "CURRENT").write_text("my current notes\n")
    (folder / ".lock").write_text("my lock notes\n")
    before = _snapshot(folder)
    res = run("index", "--corpus", str(corpus), "--index-dir", str(folder), "-q")
    assert res.exit_code == 1 and "is not a bayon index folder" in res.output, res.output
    assert "Traceback" not in res.output
    assert _snapshot(folder) == before


def test_a_folder_a_user_puts_in_a_bayon_index_is_never_pruned(tmp_path, corpus_records):
    corpus = write_jsonl_corpus(tmp_path / "corpus", corpus_records[:5])
    root = tmp_path / "index"
    assert run("index", "--corpus", str(corpus), "--index-dir", str(root), "-q").exit_code == 0
    assert (root / layout.OWNER_MARK).is_file()
    (root / "gen-mine").mkdir()
    (root / "gen-mine" / "notes.txt").write_text("keep me")
    for _ in range(3):
        assert run("index", "--corpus", str(corpus), "--index-dir", str(root), "-q").exit_code == 0
    assert (root / "gen-mine" / "notes.txt").read_text() == "keep me"
    assert len([g for g in root.glob("gen-2*")]) == 2


def test_an_index_made_before_the_marker_still_updates(tmp_path, corpus_records):
    corpus = write_jsonl_corpus(tmp_path / "corpus", corpus_records[:5])
    root = tmp_path / "index"
    build_index(corpus, root, progress=False)
    build_index(corpus, root, progress=False)
    # as an older bayon left it: no BAYON_INDEX, no BAYON_GENERATION, a partial generation of a killed build
    (root / layout.OWNER_MARK).unlink()
    for gen in root.glob("gen-*"):
        (gen / layout.GEN_MARK).unlink()
    partial = root / "gen-20200101T000000-1"
    partial.mkdir()
    (partial / "MAIN_abc123.seg").write_bytes(b"partial")
    res = run("index", "--corpus", str(corpus), "--index-dir", str(root), "-q", "--incremental")
    assert res.exit_code == 0, res.output
    assert (root / layout.OWNER_MARK).is_file() and not partial.exists()


def test_if_missing_works_on_a_read_only_index_folder(tmp_path, corpus_records):
    corpus = write_jsonl_corpus(tmp_path / "corpus", corpus_records[:5])
    root = tmp_path / "index"
    build_index(corpus, root, progress=False)
    (root / ".lock").unlink()
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    if os.geteuid() == 0:  # root writes through file modes: a read-only bind mount instead
        mounted = subprocess.run(f"mount --bind {root} {read_only} && mount -o remount,bind,ro {read_only}",
                                 shell=True, capture_output=True, text=True)
        if mounted.returncode != 0:
            pytest.skip(f"cannot make a read-only bind mount here: {mounted.stderr.strip()}")
    else:
        read_only.rmdir()
        root.rename(read_only)
        read_only.chmod(0o555)
    try:
        with pytest.raises(OSError):
            (read_only / "probe").write_text("x")
        res = run("index", "--corpus", str(corpus), "--index-dir", str(read_only), "-q", "--if-missing")
        assert res.exit_code == 0, res.output
        assert "nothing to do" in res.output
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(read_only)], check=False)
        else:
            read_only.chmod(0o755)
