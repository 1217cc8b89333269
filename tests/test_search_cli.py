"""`bayon search` and `bayon index` from the command line, on the real index."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from bayon.cli import main

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "indexer" / "search_schema.json").read_text())


def _search(index_dir, *args):
    return CliRunner().invoke(main, ["search", *args, "--index-dir", str(index_dir)])


def test_json_output_validates_against_the_schema(real_index_dir):
    for args in (["detention", "--json"], ["ស៊ីវិល", "--json"], ["--json"],
                 ["IDEA សមាគម", "--json", "--sort", "date", "--per-page", "3", "--page", "2"],
                 ['"unbalanced', "--json", "--year", "2020..2024"], ["detension", "--json"]):
        res = _search(real_index_dir, *args)
        assert res.exit_code == 0, res.output
        data = json.loads(res.output)
        jsonschema.validate(data, SCHEMA)
        assert list(data)[:7] == ["query", "total", "page", "per_page", "results", "facets", "suggestion"]


def test_filters_from_the_command_line(real_index_dir, corpus_records):
    org = corpus_records[0].organisation
    data = json.loads(_search(real_index_dir, "--json", "--org", org, "--per-page", "100").output)
    assert data["total"] == sum(r.organisation == org for r in corpus_records)
    assert {r["organisation"] for r in data["results"]} == {org}


def test_text_output_for_people(real_index_dir):
    res = _search(real_index_dir, "pretrial", "detention", "--per-page", "3")
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert lines[0].startswith(tuple("0123456789"))
    assert any(line.startswith("1. ") for line in lines)
    # the lexicon's phrase is marked as one run where its words stand together
    assert any(m in res.output.lower() for m in ("[detention]", "[pre-trial]", "[pre-trial detention]"))
    assert any(line.startswith("organisation: ") for line in lines)


def test_bad_option_is_a_clear_error(real_index_dir):
    res = _search(real_index_dir, "x", "--year", "last")
    assert res.exit_code == 2 and "year" in res.output and "Traceback" not in res.output
    res = _search(real_index_dir, "x", "--per-page", "0")
    assert res.exit_code == 2 and "per-page" in res.output


def test_missing_index_is_a_clear_error(tmp_path):
    res = _search(tmp_path / "none", "x")
    assert res.exit_code == 1 and "bayon index" in res.output


def test_repeatable_year_and_no_expand(real_index_dir, corpus_records):
    years = sorted({r.year for r in corpus_records if r.year})
    lo, hi = years[0], years[-1]
    data = json.loads(_search(real_index_dir, "--json", "--year", str(lo), "--year", f"{hi}..",
                              "--per-page", "100").output)
    assert data["total"] == sum(r.year in (lo, hi) for r in corpus_records)
    on = _search(real_index_dir, "prison", "--per-page", "1")
    off = _search(real_index_dir, "prison", "--per-page", "1", "--no-expand")
    assert "Also searched: " in on.output and "jail" in on.output
    assert "Also searched" not in off.output
    data = json.loads(_search(real_index_dir, "--json", "--no-expand", "prison").output)
    assert data["expand"] is False and data["expansions"] == [] and data["matched"] == "all"


def test_text_output_says_when_any_word_was_enough(real_index_dir):
    res = _search(real_index_dir, "detention", "zzyzxq", "--per-page", "1")
    assert res.exit_code == 0 and "No document has all the words" in res.output


def test_a_fresh_process_answers_its_first_search_in_full(real_index_dir):
    """A new `bayon search` process loads the segmenter, lexicon and places before its search's time
    budget starts: its one answer is not degraded, and the Khmer record's snippet marks the name
    (it came back unmarked, `degraded: ["snippets", "suggestion"]`, on every cold start)."""
    import re
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "bayon", "search", "Chea Chantha", "--json",
                          "--index-dir", str(real_index_dir)], capture_output=True, text=True, check=True)
    data = json.loads(out.stdout)
    assert data["degraded"] == []
    khmer = [r for r in data["results"] if r["language"] == "km"]
    assert khmer and all(re.findall(r"<mark>ជា ចាន់ថា</mark>", r["snippet"]) for r in khmer)
