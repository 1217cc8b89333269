"""One benchmark phase in its own process, so that its peak memory is its own.

    python -m bench.phase NAME --work DIR [--procs N] [--multisegment]

Prints one JSON line: the phase's figures plus peak_rss_mb (this process's own peak, VmHWM) and
peak_children_rss_mb (largest worker process, e.g. Pool or procs>1 writers, pages shared with this one included). Serving phases also give `memory`: the process's RSS with only
the interpreter, the harness and its query set loaded (`harness_mb`), once the search libraries are imported,
after the index is opened and one query answered, and its peak after every query (`peak_mb`), so that what the
harness itself holds shows separately from what the search process needs.
Work-directory layout: bench.work_state.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PHASES = ("bayon-build", "bayon-update", "bayon-revert", "bayon-serve", "bayon-serve-api",
          "fts5-build", "fts5-update", "fts5-revert", "fts5-serve")


def _status_mb(field: str) -> float | None:
    """A memory line of /proc/self/status (Linux) in MB, or None where unavailable."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def current_rss_mb() -> float | None:
    """This process's resident set now."""
    return _status_mb("VmRSS")


def peak_rss_mb() -> float:
    """This process's own peak resident set. Linux's ru_maxrss is not it: execve carries over the peak of the
    process that spawned this one (the harness), so VmHWM (the peak of this program's own memory) is used."""
    own = _status_mb("VmHWM")
    return own if own is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _serve(name: str, work: Path, warmup: int) -> dict:
    from bench.corpus_files import load_queries

    queries = load_queries(work / "corpus")
    before = current_rss_mb()  # interpreter + harness + query set, no search code yet
    if name == "fts5-serve":
        from bench import fts5_baseline

        ready = {"harness_mb": before, "libraries_loaded_mb": current_rss_mb()}
        searcher = fts5_baseline.FTS5Search(work / "fts5.sqlite")
        searcher.search(queries[0]["q"])
        ready["after_first_query_mb"] = current_rss_mb()
        figures = {"service": fts5_baseline.measure_queries(searcher, queries, warmup)}
    else:
        from bench import bayon_side
        from indexer.search import SearchRequest, SearchService

        if name == "bayon-serve-api":
            import webui  # noqa: F401  (the web app's imports belong to the serving process, not the harness)
        ready = {"harness_mb": before, "libraries_loaded_mb": current_rss_mb()}
        service = SearchService(work / "index")
        service.search(SearchRequest(q=queries[0]["q"]))
        ready["after_first_query_mb"] = current_rss_mb()
        if name == "bayon-serve":
            figures = {"service": bayon_side.measure_service(service, queries, warmup)}
        else:
            figures = {"api": bayon_side.measure_api(service, queries, warmup)}
    figures["memory"] = {**ready, "peak_mb": peak_rss_mb()}
    return figures


def run(name: str, work: Path, procs: int, multisegment: bool, warmup: int) -> dict:
    corpus, index, db = work / "corpus", work / "index", work / "fts5.sqlite"
    if name.endswith(("-serve", "-serve-api")):  # separate processes: neither warms the other's caches
        return _serve(name, work, warmup)
    if name == "bayon-build":
        from bench import bayon_side
        return bayon_side.build(corpus, index, procs=procs, multisegment=multisegment)
    if name in ("bayon-update", "bayon-revert"):  # revert: the corpus is back as generated; index follows it
        from bench import bayon_side
        return bayon_side.build(corpus, index, incremental=True)
    from bench import fts5_baseline

    if name == "fts5-build":
        return fts5_baseline.build(corpus, db, workers=procs)
    if name == "fts5-update":
        lines = (work / "update.jsonl").read_text(encoding="utf-8").splitlines()
        return fts5_baseline.update(db, [json.loads(line) for line in lines])
    if name == "fts5-revert":
        from bench.work_state import UPDATE_RECORD

        record = json.loads((work / UPDATE_RECORD).read_text(encoding="utf-8"))
        restored = fts5_baseline.update(db, [json.loads(line) for line in record["originals"].values()])
        removed = fts5_baseline.remove(db, record["added"])
        return {"replaced": restored["replaced"], "removed": removed["removed"],
                "seconds": restored["seconds"] + removed["seconds"]}
    raise ValueError(f"unknown phase {name!r}; expected one of {', '.join(PHASES)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", choices=PHASES)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--procs", type=int, default=1, help="writer / segmenter processes for builds")
    parser.add_argument("--multisegment", action="store_true", help="bayon full build with multisegment=True")
    parser.add_argument("--warmup", type=int, default=20, help="queries run once before timing")
    args = parser.parse_args(argv)
    figures = run(args.name, args.work, args.procs, args.multisegment, args.warmup)
    figures["peak_rss_mb"] = peak_rss_mb()
    figures["peak_children_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
