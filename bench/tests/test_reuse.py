"""Re-measuring without redoing: a corpus change that can be undone, --reuse, --phases, merged results."""
from __future__ import annotations

import json
import shutil

import pytest

from bench import work_state
from bench.corpus_update import apply_update, applied_update, revert_update
from bench.fts5_baseline import document_count
from bench.run_benchmarks import main
from bench.tests.conftest import needs_gold


def shard_bytes(corpus) -> dict:
    return {p.name: p.read_bytes() for p in sorted((corpus / "documents").glob("*.jsonl"))}


def test_a_corpus_change_is_undone_byte_for_byte(small_corpus, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    generated = shard_bytes(corpus)
    assert work_state.corpus_state(corpus, 600, 11, 0.3, 30) == (work_state.AS_GENERATED, "")
    changed = apply_update(corpus, count=10, seed=11)
    assert shard_bytes(corpus) != generated
    assert work_state.corpus_state(corpus, 600, 11, 0.3, 30) == (work_state.AFTER_UPDATE, "")
    record = applied_update(corpus)
    assert set(record["originals"]) | set(record["added"]) == {d["id"] for d in changed}
    with pytest.raises(FileExistsError):
        apply_update(corpus, count=10, seed=11)  # a second change on top would not be undoable
    assert revert_update(corpus)["added"] == record["added"]
    assert shard_bytes(corpus) == generated and applied_update(corpus) is None
    assert revert_update(corpus) is None
    assert apply_update(corpus, count=10, seed=11) == changed  # the change is the same every time


def test_an_unfinished_or_different_corpus_is_not_reused(small_corpus, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    assert work_state.corpus_state(corpus, 600, 12, 0.3, 30)[0] is None  # other seed
    assert work_state.corpus_state(corpus, 900, 11, 0.3, 30)[0] is None  # other size
    manifest = json.loads((corpus / "manifest.json").read_text())
    (corpus / "manifest.json").write_text(json.dumps({**manifest, "complete": False}))
    assert work_state.corpus_state(corpus, 600, 11, 0.3, 30) == (None, "its generation did not finish")
    (corpus / "manifest.json").write_text(json.dumps(manifest))
    (corpus / "documents" / "bench-000.jsonl").unlink()
    assert "missing" in work_state.corpus_state(corpus, 600, 11, 0.3, 30)[1]


@needs_gold
def test_reuse_and_phases_merge_into_the_results_without_redoing_work(tmp_path, capsys):
    work, markdown, plot = tmp_path / "work", tmp_path / "b.md", tmp_path / "b.png"
    common = ["--sizes", "300", "--systems", "fts5", "--queries-per-kind", "10", "--warmup", "2",
              "--update-count", "10", "--procs", "1", "--work", str(work), "--markdown", str(markdown),
              "--plot", str(plot)]
    assert main(common) == 0
    first = json.loads((work / "results.json").read_text())["sizes"][0]
    db = work / "n300" / "fts5.sqlite"
    corpus_manifest = (work / "n300" / "corpus" / "manifest.json").read_bytes()
    assert document_count(db) == 305  # after the incremental update: 5 added

    assert main([*common, "--reuse"]) == 0
    results = json.loads((work / "results.json").read_text())
    second = results["sizes"][0]
    assert len(results["runs"]) == 2 and results["runs"][1]["settings"]["reuse"]
    assert (work / "n300" / "corpus" / "manifest.json").read_bytes() == corpus_manifest  # not regenerated
    assert second["corpus"] == first["corpus"]
    assert second["fts5"]["build"] == first["fts5"]["build"]  # not rebuilt: the recorded figures stay
    assert second["fts5"]["build"]["run"] == 0
    # the incremental update was measured again, on the index put back as generated first
    assert second["fts5"]["update"]["run"] == 1 and (second["fts5"]["update"]["replaced"],
                                                     second["fts5"]["update"]["added"]) == (5, 5)
    assert second["fts5"]["serve"]["run"] == 1 and second["fts5"]["serve"]["index_state"] == work_state.AFTER_UPDATE
    assert document_count(db) == 305
    text = markdown.read_text()
    assert "| 300 | fts5 | build | 0 |" in text and "| 300 | fts5 | query | 1 |" in text

    before = db.stat().st_mtime_ns
    assert main([*common, "--phases", "build", "--reuse"]) == 0  # nothing to do: all reused
    assert db.stat().st_mtime_ns == before
    assert json.loads((work / "results.json").read_text())["sizes"][0]["fts5"]["build"]["run"] == 0
    assert main([*common, "--phases", "build"]) == 0  # without --reuse: rebuilt on the corpus as generated
    third = json.loads((work / "results.json").read_text())["sizes"][0]
    assert third["fts5"]["build"]["run"] == 3 and third["fts5"]["build"]["docs"] == 300
    assert third["fts5"]["update"] == second["fts5"]["update"]  # other phases' figures kept
    assert document_count(db) == 300 and applied_update(work / "n300" / "corpus") is None

    assert main([*common, "--phases", "query", "--systems", "bayon"]) == 1  # never built here: a clear error
    assert "bayon index" in json.loads((work / "results.json").read_text())["runs"][-1]["errors"][0]
    assert "run the build phase" in capsys.readouterr().err


def test_an_unknown_phase_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--phases", "build,serve", "--work", str(tmp_path)])
    assert exit_info.value.code == 2 and "unknown phase(s) serve" in capsys.readouterr().err


@needs_gold
def test_bayon_index_is_put_back_before_its_incremental_update_is_measured_again(tmp_path):
    work = tmp_path / "work"
    common = ["--sizes", "200", "--systems", "bayon", "--queries-per-kind", "5", "--warmup", "1",
              "--update-count", "10", "--procs", "1", "--work", str(work), "--markdown", str(tmp_path / "b.md"),
              "--plot", str(tmp_path / "b.png")]
    assert main(common) == 0
    assert main([*common, "--reuse", "--phases", "incremental,query"]) == 0
    results = json.loads((work / "results.json").read_text())
    bayon = results["sizes"][0]["bayon"]
    assert bayon["build"]["run"] == 0 and bayon["update"]["run"] == 1
    # the same 5 edits and 5 additions, not 0 + 0 (already in) nor 5 + 0 (the additions seen as present)
    assert (bayon["update"]["updated"], bayon["update"]["added"], bayon["update"]["docs"]) == (5, 5, 205)
    assert work_state.index_states(work / "n200")["bayon"]["state"] == work_state.AFTER_UPDATE
    for memory in (bayon["serve"]["memory"], bayon["serve"]["api_memory"]):
        assert 0 < memory["harness_mb"] < memory["libraries_loaded_mb"] <= memory["after_first_query_mb"] <= memory["peak_mb"]
    assert bayon["serve"]["memory"]["peak_mb"] == pytest.approx(bayon["serve"]["peak_rss_mb"], abs=1)
    assert 0 <= bayon["serve"]["service"]["all"]["any_share"] <= 1


@needs_gold
def test_a_phase_reports_its_own_peak_memory_not_the_harness_that_started_it(small_corpus, tmp_path):
    import subprocess
    import sys

    from bench import fts5_baseline
    from bench.run_benchmarks import PROJECT_ROOT

    shutil.copytree(small_corpus, tmp_path / "corpus")
    fts5_baseline.build(tmp_path / "corpus", tmp_path / "fts5.sqlite", workers=1)
    ballast = b"\1" * (400 * 1024 * 1024)  # the harness holding 400 MB when it starts the phase
    completed = subprocess.run([sys.executable, "-m", "bench.phase", "fts5-serve", "--work", str(tmp_path),
                                "--warmup", "1"], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True, check=True)
    del ballast
    figures = json.loads(completed.stdout.splitlines()[-1])
    memory = figures["memory"]
    assert figures["peak_rss_mb"] == pytest.approx(memory["peak_mb"], abs=1) and memory["peak_mb"] < 200
    assert 0 < memory["harness_mb"] <= memory["after_first_query_mb"] <= memory["peak_mb"]
