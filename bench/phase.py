"""One benchmark phase in its own process, so that its peak memory is its own.

    python -m bench.phase NAME --work DIR [--procs N] [--multisegment]

Prints one JSON line: the phase's figures plus peak_rss_mb (this process) and peak_children_rss_mb (largest
worker process, e.g. Pool or procs>1 writers). Work-directory layout: DIR/corpus (generated corpus),
DIR/index (bayon), DIR/fts5.sqlite, DIR/update.jsonl (the documents changed by bench.corpus_update).
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PHASES = ("bayon-build", "bayon-update", "bayon-serve", "bayon-serve-api", "fts5-build", "fts5-update", "fts5-serve")


def run(name: str, work: Path, procs: int, multisegment: bool, warmup: int) -> dict:
    from bench.corpus_files import load_queries

    corpus, index, db = work / "corpus", work / "index", work / "fts5.sqlite"
    if name == "bayon-build":
        from bench import bayon_side
        return bayon_side.build(corpus, index, procs=procs, multisegment=multisegment)
    if name == "bayon-update":
        from bench import bayon_side
        return bayon_side.build(corpus, index, incremental=True)
    if name in ("bayon-serve", "bayon-serve-api"):  # separate processes: neither warms the other's caches
        from bench import bayon_side
        from indexer.search import SearchService
        measure = bayon_side.measure_service if name == "bayon-serve" else bayon_side.measure_api
        return {"service" if name == "bayon-serve" else "api": measure(SearchService(index), load_queries(corpus), warmup)}
    if name == "fts5-build":
        from bench import fts5_baseline
        return fts5_baseline.build(corpus, db, workers=procs)
    if name == "fts5-update":
        from bench import fts5_baseline
        lines = (work / "update.jsonl").read_text(encoding="utf-8").splitlines()
        return fts5_baseline.update(db, [json.loads(line) for line in lines])
    if name == "fts5-serve":
        from bench import fts5_baseline
        return {"service": fts5_baseline.measure_queries(db, load_queries(corpus), warmup)}
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
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["peak_children_rss_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
