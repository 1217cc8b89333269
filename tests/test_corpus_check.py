"""`bayon corpus check` / `dump` on the real corpus and on damaged copies, through click's CliRunner."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from bayon.cli import main
from reading.loader import load_corpus
from corpus_helpers import CCHR, CORPUS_DIR, LICADHO_CHILDREN, LICADHO_STATEMENTS, REPORT, copy_corpus, source_text


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_check_on_the_real_corpus_passes():
    result = run("corpus", "check", "--corpus", str(CORPUS_DIR))
    assert result.exit_code == 0, result.output
    assert "73 records, 0 errors, 0 warnings" in result.stderr


def test_dump_prints_every_record_as_json_lines_with_all_fields():
    result = run("corpus", "dump", "--corpus", str(CORPUS_DIR))
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 73
    fields = {"id", "source", "organisation", "doc_type", "title", "date", "date_precision", "year",
              "date_source", "language", "body", "url"}
    assert all(set(row) == fields for row in rows)
    khmer = [row for row in rows if row["language"] == "km"]
    assert any("ជា ចាន់ថា" in row["title"] for row in khmer)  # Khmer printed as text, not escapes


@pytest.fixture
def damaged(tmp_path):
    """A copy of the real corpus with one of each kind of damage; returns (corpus dir, expected problems)."""
    corpus = copy_corpus(tmp_path / "corpus")
    # 1. Invalid UTF-8 in a source: a byte 0xff inside line 5 of the CCHR listing.
    cchr = corpus / "sources" / CCHR
    lines = cchr.read_bytes().split(b"\n")
    lines[4] = lines[4][:10] + b"\xff" + lines[4][10:]
    cchr.write_bytes(b"\n".join(lines))
    # 2. An unknown date format in a LICADHO listing (line 3 is the first item's date line).
    listing = corpus / "sources" / LICADHO_CHILDREN
    text = listing.read_text(encoding="utf-8").replace("8 March 2021\n", "8/3/2021\n", 1)
    listing.write_text(text, encoding="utf-8")
    # 3-5. documents/: a line that is not JSON, a missing title, a duplicate id.
    statement = source_text(LICADHO_STATEMENTS).splitlines()[3]
    good = {"id": "licadho-mech-dara", "title": "Drop Charges And Immediately Release Cambodian Journalist Mech Dara",
            "organisation": "LICADHO", "doc_type": "Statement", "date": "2024-10-01", "body": statement}
    rows = [
        json.dumps(good, ensure_ascii=False),
        '{"title": "broken", "organisation": "LICADHO", ',
        json.dumps({**good, "id": "no-title", "title": None}, ensure_ascii=False),
        json.dumps({**good, "title": "Same id again"}, ensure_ascii=False),
    ]
    (corpus / "documents" / "added.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    expected = [
        f"sources/{CCHR}:5: invalid UTF-8",
        f"sources/{LICADHO_CHILDREN}:3: unknown date format",
        "documents/added.jsonl:2: not JSON",
        "documents/added.jsonl:3: title must be non-empty text",
        "documents/added.jsonl:4: duplicate id 'licadho-mech-dara' (first at documents/added.jsonl:1)",
    ]
    return corpus, expected


def test_check_reports_each_damage_with_its_place_and_fails(damaged):
    corpus, expected = damaged
    result = run("corpus", "check", "--corpus", str(corpus))
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    for prefix in expected:
        assert any(line.startswith(prefix) for line in lines), (prefix, lines)
    assert lines[-1] == "74 records, 5 errors, 0 warnings"


def test_good_records_still_load_from_a_damaged_copy(damaged):
    corpus, _ = damaged
    result = load_corpus(corpus)
    assert len(result.records) == 74  # 73 from the sources + the first good document
    titles = {r.title for r in result.records}
    assert "Same id again" not in titles  # a duplicate id never overwrites silently
    [women] = [r for r in result.records if r.title == "Women Activists Behind Bars"]
    assert (women.date, women.date_source) == (None, "unknown")  # bad date: unknown, not invented
    [khmer] = [r for r in result.records if "ជា ចាន់ថា" in r.title]
    assert khmer.year == 2024  # the rest of the damaged CCHR file still parses


def test_dump_on_a_damaged_copy_prints_good_records_and_problems(damaged):
    corpus, expected = damaged
    result = run("corpus", "dump", "--corpus", str(corpus))
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 74
    assert all(any(line.startswith(p) for line in result.stderr.splitlines()) for p in expected)


def test_manifest_problems(tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    manifest = corpus / "sources.toml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace('parser = "cchr_listing"', 'parser = "no_such_parser"'), encoding="utf-8")
    (corpus / "sources" / "005_new.txt").write_text("Statements\n", encoding="utf-8")
    (corpus / "sources" / REPORT).unlink()
    problems = [str(p) for p in load_corpus(corpus).problems]
    assert any(p.startswith("sources.toml:") and "unknown parser 'no_such_parser'" in p for p in problems)
    assert "sources/005_new.txt:1: not listed in sources.toml; not loaded" in problems
    assert any(f"sources/{REPORT} is listed but does not exist" in p for p in problems)
    manifest.write_text("[[source]\nfile = 1\n", encoding="utf-8")
    result = run("corpus", "check", "--corpus", str(corpus))
    assert result.exit_code == 1 and "sources.toml:1: manifest is not valid TOML" in result.stderr
    manifest.unlink()
    result = run("corpus", "check", "--corpus", str(corpus))
    assert result.exit_code == 1 and "no sources.toml" in result.stderr


def test_check_on_a_missing_directory_does_not_crash(tmp_path):
    result = run("corpus", "check", "--corpus", str(tmp_path / "nowhere"))
    assert result.exit_code == 1 and "corpus directory does not exist" in result.stderr


def test_a_listing_item_without_its_date_line_keeps_its_summary(tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    listing = corpus / "sources" / LICADHO_STATEMENTS
    listing.write_text(listing.read_text(encoding="utf-8").replace("1 October 2024\n", "", 1), encoding="utf-8")
    result = load_corpus(corpus)
    assert [str(p) for p in result.errors] == [
        f"sources/{LICADHO_STATEMENTS}:3: no date line after the item "
        "'Drop Charges And Immediately Release Cambodian Journalist Mech Dara'"]
    [item] = [r for r in result.records if r.title.startswith("Drop Charges And Immediately Release")]
    assert item.body.startswith("We, the undersigned communities") and item.date_source == "inferred from text"
