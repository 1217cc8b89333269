"""Building the index: JSON Lines corpora, incremental updates, corpus errors, the lock, and a
build killed with SIGKILL midway (the old index keeps serving, the next build succeeds)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from bayon.cli import main
from corpus_helpers import write_jsonl_corpus
from indexer import layout
from indexer.build import DELAY_ENV, CorpusErrors, build_index
from indexer.search import SearchRequest, SearchService

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _ids(service, q, **kw):
    res = service.search(SearchRequest.from_params(q=q, per_page=100, **kw))
    return [r["id"] for r in res["results"]]


def test_jsonl_only_corpus_indexes_and_searches(tmp_path, corpus_records):
    corpus = write_jsonl_corpus(tmp_path / "corpus", corpus_records)
    report = build_index(corpus, tmp_path / "index", progress=False)
    assert report.built and report.added == len(corpus_records) and not report.skipped
    service = SearchService(tmp_path / "index")
    assert service.search(SearchRequest())["total"] == len(corpus_records)
    khmer = {r.id for r in corpus_records if r.language == "km" and "សង្គមស៊ីវិល" in r.body}
    assert khmer and khmer <= set(_ids(service, "ស៊ីវិល"))
    detention = {r.id for r in corpus_records if "detention" in (r.title + r.body).lower()}
    assert detention <= set(_ids(service, "detention"))
    doc = service.document(corpus_records[0].id, q="rights")
    assert doc["id"] == corpus_records[0].id and doc["title"] == corpus_records[0].title
    assert doc["body"] == corpus_records[0].body and doc["body_html"].startswith("<p>")
    assert service.document("no-such-id") is None
    service.close()


def test_incremental_update_by_content_hash(tmp_path, corpus_records):
    records = list(corpus_records)
    corpus = write_jsonl_corpus(tmp_path / "corpus", records)
    root = tmp_path / "index"
    build_index(corpus, root, progress=False)
    service = SearchService(root)
    first_gen = layout.current_generation(root)
    assert service.search(SearchRequest())["total"] == len(records)

    from dataclasses import replace
    changed = replace(records[1], body=records[1].body + "\n\nAddendum about zzyzxquokka.")
    removed = records[2]
    added = replace(records[3], id="added-copy-of-" + records[3].id, title="Copy: " + records[3].title)
    write_jsonl_corpus(corpus, [records[0], changed, *records[3:], added])
    report = build_index(corpus, root, incremental=True, progress=False)
    assert report.incremental
    assert (report.added, report.updated, report.deleted) == (1, 1, 1)
    assert report.unchanged == len(records) - 2
    # the running service picks up the new generation; the previous one is kept for rollback
    assert layout.current_generation(root) != first_gen and first_gen.is_dir()
    assert _ids(service, "zzyzxquokka") == [changed.id]
    assert service.document(removed.id) is None
    assert service.document(added.id)["title"] == added.title
    assert service.search(SearchRequest())["total"] == len(records)  # -1 deleted +1 added
    # facets count live documents only (the deleted one is gone)
    orgs = service.search(SearchRequest())["facets"]["organisation"]
    assert sum(orgs.values()) == len(records)
    service.close()


def test_corpus_errors_stop_the_build_and_keep_the_old_index(tmp_path, corpus_records):
    corpus = write_jsonl_corpus(tmp_path / "corpus", corpus_records[:5])
    root = tmp_path / "index"
    build_index(corpus, root, progress=False)
    before = layout.current_generation(root)
    with open(corpus / "documents" / "real.jsonl", "a", encoding="utf-8") as f:
        f.write('{"title": "broken line", "body": \n')
    with pytest.raises(CorpusErrors) as err:
        build_index(corpus, root, progress=False)
    assert any(str(p).startswith("documents/real.jsonl:6:") for p in err.value.problems), err.value.problems
    assert layout.current_generation(root) == before
    runner = CliRunner()
    res = runner.invoke(main, ["index", "--corpus", str(corpus), "--index-dir", str(root), "-q"])
    assert res.exit_code == 1 and "documents/real.jsonl:6:" in res.output and "--skip-bad" in res.output
    assert layout.current_generation(root) == before
    res = runner.invoke(main, ["index", "--corpus", str(corpus), "--index-dir", str(root), "-q", "--skip-bad"])
    assert res.exit_code == 0, res.output
    assert "skipped: documents/real.jsonl:6:" in res.output
    assert layout.current_generation(root) != before


def test_if_missing_builds_only_without_an_index(tmp_path, corpus_records):
    corpus = write_jsonl_corpus(tmp_path / "corpus", corpus_records[:3])
    root = tmp_path / "index"
    args = ["index", "--corpus", str(corpus), "--index-dir", str(root), "-q", "--if-missing"]
    assert CliRunner().invoke(main, args).exit_code == 0
    gen = layout.current_generation(root)
    assert gen is not None
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0 and "nothing to do" in res.output
    assert layout.current_generation(root) == gen


def _wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_sigkill_midway_keeps_the_old_index_and_the_next_build_succeeds(tmp_path, corpus_records):
    corpus = write_jsonl_corpus(tmp_path / "corpus", corpus_records)
    root = tmp_path / "index"
    build_index(corpus, root, progress=False)
    old = layout.current_generation(root)
    service = SearchService(root)
    expected = _ids(service, "detention")
    assert expected

    env = dict(os.environ, **{DELAY_ENV: "0.2"})  # documented test hook: slows each document down
    proc = subprocess.Popen([sys.executable, "-m", "bayon", "index", "--corpus", str(corpus),
                             "--index-dir", str(root), "-q"], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert _wait_for(lambda: len(list(root.glob("gen-*"))) == 2), "the build never started"
        partial = next(g for g in root.glob("gen-*") if g != old)
        time.sleep(1.5)  # a few documents into the build
        # a second build meanwhile stops with a clear message naming the holder
        res = CliRunner().invoke(main, ["index", "--corpus", str(corpus), "--index-dir", str(root), "-q"])
        assert res.exit_code == 1 and f"process {proc.pid}" in res.output and "--wait" in res.output
        assert proc.poll() is None, proc.stderr.read().decode()
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert partial.is_dir() and not (partial / layout.COMPLETE_MARK).exists()
    assert layout.current_generation(root) == old
    assert _ids(service, "detention") == expected  # the running service still answers
    assert _ids(SearchService(root), "detention") == expected  # and so does a fresh one

    report = build_index(corpus, root, progress=False)
    assert report.built and report.added == len(corpus_records)
    assert not partial.exists()  # the killed build's leftovers are removed
    assert layout.current_generation(root) == report.generation != old
    assert _ids(service, "detention") == expected
    service.close()


def test_missing_corpus_is_a_clear_error(tmp_path):
    res = CliRunner().invoke(main, ["index", "--corpus", str(tmp_path / "nope"), "--index-dir", str(tmp_path / "ix")])
    assert res.exit_code == 1 and "corpus directory not found" in res.output
    assert layout.current_generation(tmp_path / "ix") is None
