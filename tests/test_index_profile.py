"""`python -m indexer.measure_build CORPUS --profile`: a one-process build of the real corpus timed
by phase (the bulk writer's phases); the phases account for the whole build and each phase really ran."""
from __future__ import annotations

from indexer.build_profile import PHASES, format_profile, profile_build


def test_build_phases_account_for_the_real_corpus_build(corpus_dir, corpus_records):
    figures = profile_build(corpus_dir)
    assert figures["documents"] == len({r.id for r in corpus_records})
    assert abs(sum(figures[p] for p in PHASES) - figures["total"]) < 0.05 * figures["total"]
    for phase in PHASES[:-1]:  # every phase of the bulk writer ran (all but "other")
        assert figures[phase] > 0, phase
    runs = figures["khmer_runs"]  # every Khmer run is asked for by its field and by the name keys
    assert 0 < runs["segmented"] <= runs["requests"] // 2
    table = format_profile(figures)
    assert all(phase in table for phase in PHASES) and "docs/s" in table and "cache hit rate" in table


def test_bayon_index_profile_prints_the_phases_and_leaves_the_index_alone(corpus_dir, tmp_path):
    from click.testing import CliRunner

    from bayon.cli import main

    index_root = tmp_path / "index"
    result = CliRunner().invoke(main, ["index", "--profile", "--corpus", str(corpus_dir), "--index-dir", str(index_root)])
    assert result.exit_code == 0, result.output
    assert all(phase in result.output for phase in PHASES) and "73 documents" in result.output
    assert not index_root.exists()
