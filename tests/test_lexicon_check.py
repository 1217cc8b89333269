"""The shipped lexicon is valid, its corpus-attested Khmer forms really occur in the sources, and
`bayon lexicon check` reports each kind of problem as file:line: message with a non-zero exit."""
from __future__ import annotations

from click.testing import CliRunner

from analyzers.khmer import normalize
from lexicon.commands import lexicon_group
from lexicon.loader import load_lexicon, shipped_entries
from lexicon.validate import check_lexicon

HEADER = "# test lexicon\nkind\tenglish\tkhmer\tconfidence\tnote\n"


def _write(tmp_path, body: str, name="lex.tsv"):
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_shipped_lexicon_has_no_problem():
    entries, problems = check_lexicon()
    assert problems == []
    kinds = {e.kind for e in entries}
    assert kinds == {"term", "place", "organisation", "person"}
    assert len(entries) >= 100


def test_forms_marked_as_from_the_corpus_occur_in_the_khmer_sources(corpus_dir):
    text = normalize((corpus_dir / "sources" / "002_1757a1ed9e3dcfdc.txt").read_text(encoding="utf-8"))
    marked = [e for e in shipped_entries() if "corpus 002" in e.note]
    assert len(marked) >= 15
    for entry in marked:
        assert any(form in text for form in entry.khmer), entry.label


def test_english_forms_of_the_chea_chantha_entry_occur_in_the_english_statement(corpus_dir):
    english = (corpus_dir / "sources" / "001_c0b3175ae2cf30d9.txt").read_text(encoding="utf-8")
    entry = next(e for e in shipped_entries() if e.english[0] == "Chea Chantha")
    assert entry.kind == "person" and entry.khmer == ("ជា ចាន់ថា",)
    assert "Chea Chantha" in english


def test_each_problem_is_reported_with_its_line(tmp_path):
    path = _write(tmp_path, "\n".join([
        "term\tprison\tពន្ធនាគារ\thigh\t",              # 3: fine
        "term\tprison\tគុក\thigh\t",                     # 4: duplicate English form
        "term\tគុក\tjail\thigh\t",                       # 5: scripts swapped
        "term\thuman rights\tសិទិ្ធមនុស្ស\thigh\t",      # 6: corpus typing order, not normalised
        "gadget\tx\tក\thigh\t",                          # 7: unknown kind
        "term\tland\tដីធ្លី\tsure\t",                    # 8: unknown confidence
        "term\tonly three\tcolumns",                     # 9: wrong column count
        "term\tprisons\tផ្ទះឃុំ\thigh\t",                # 10: same stem as line 3
    ]) + "\n")
    _, problems = check_lexicon(path)
    by_line = {}
    for p in problems:
        assert str(p).startswith(f"{path}:{p.line}: ")
        by_line.setdefault(p.line, []).append(p.message)
    assert 3 not in by_line
    assert any("duplicate English form 'prison'" in m for m in by_line[4])
    assert any("English form 'គុក' contains Khmer" in m for m in by_line[5])
    assert any("Khmer form 'jail' contains Latin" in m for m in by_line[5])
    assert any("not normalised" in m and "សិទ្ធិមនុស្ស" in m for m in by_line[6])
    assert any("unknown kind 'gadget'" in m for m in by_line[7])
    assert any("unknown confidence 'sure'" in m for m in by_line[8])
    assert any("3 tab-separated columns" in m for m in by_line[9])
    assert any("same words as a form on line 3" in m for m in by_line[10])


def test_unreadable_files_are_problems_not_crashes(tmp_path):
    missing = load_lexicon(tmp_path / "absent.tsv")
    assert not missing.entries and "cannot read" in missing.problems[0].message
    latin1 = tmp_path / "latin1.tsv"
    latin1.write_bytes(HEADER.encode() + "term\tcafé\tកាហ្វេ\thigh\t\n".encode("utf-8")[:-12] + b"\xe9\n")
    bad = load_lexicon(latin1)
    assert bad.problems and "not UTF-8" in bad.problems[0].message and bad.problems[0].line == 3
    headerless = tmp_path / "headerless.tsv"
    headerless.write_text("term\tprison\tពន្ធនាគារ\thigh\t\n", encoding="utf-8")
    assert "header" in load_lexicon(headerless).problems[0].message


def test_check_command_exit_status(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(lexicon_group, ["check"])
    assert ok.exit_code == 0, ok.output
    assert "0 errors" in ok.output
    bad = _write(tmp_path, "term\tprison\tpontheanakear\thigh\t\n")
    result = runner.invoke(lexicon_group, ["check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:3: Khmer form 'pontheanakear' contains Latin letters" in result.output


def test_suggest_lists_uncovered_corpus_names_not_covered_ones(corpus_dir):
    result = CliRunner().invoke(lexicon_group, ["suggest", "--corpus", str(corpus_dir), "--limit", "200"])
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.output.splitlines()[1:]]
    names = {r[1] for r in rows if r[0] == "name"}
    assert "Chhoeun Daravy" in names          # in three CIVICUS items, no entry yet
    assert "Chea Chantha" not in names         # has an entry
    assert all(int(r[2]) >= 2 for r in rows)


def test_suggest_on_a_missing_corpus_fails_clearly(tmp_path):
    result = CliRunner().invoke(lexicon_group, ["suggest", "--corpus", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "no records" in result.output
