"""`python -m indexer.measure_build CORPUS --profile`: a one-process build of the real corpus timed
by phase; the phases account for the whole build and each phase really ran."""
from __future__ import annotations

from indexer.build_profile import PHASES, format_profile, profile_build


def test_build_phases_account_for_the_real_corpus_build(corpus_dir, corpus_records):
    figures = profile_build(corpus_dir)
    assert figures["documents"] == len({r.id for r in corpus_records})
    assert abs(sum(figures[p] for p in PHASES) - figures["total"]) < 0.05 * figures["total"]
    for phase in ("parse", "fields", "segment", "analyze", "write", "commit"):
        assert figures[phase] > 0, phase
    table = format_profile(figures)
    assert all(phase in table for phase in PHASES) and "docs/s" in table
