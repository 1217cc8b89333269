"""Where bayon's time goes: cProfile of a full build and of the benchmark queries, summed by area.

    python -m bench.profile_bayon --corpus var/bench/n2000/corpus [--queries 150] [--out var/bench/profile]

The build is profiled with procs=1 (cProfile cannot see worker processes).
Areas are assigned by the file a function lives in (self time, not cumulative): corpus loading and JSON
parsing, analysis (analyzers/), Khmer segmentation (khmercut and its CRF), Whoosh indexing/writing,
Whoosh matching, indexer/ code, numpy. Full pstats listings go to --out.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

AREAS = (  # (area, substrings of the file path), first match wins
    ("Khmer segmentation (khmercut CRF)", ("khmercut", "crfsuite", "analyzers/segment")),
    ("analysis (analyzers/)", ("/analyzers/",)),
    ("corpus loading + JSON (corpus/)", ("/corpus/", "/json/", "_json")),
    ("Whoosh: codec (postings write/read), segments, merge", ("whoosh/writing", "whoosh/codec", "whoosh/filedb", "whoosh/util/filelock",
                                         "whoosh/multiproc", "whoosh/automata", "whoosh/support")),
    ("Whoosh: matching and scoring", ("whoosh/matching", "whoosh/scoring", "whoosh/query", "whoosh/searching",
                                       "whoosh/collectors", "whoosh/reading", "whoosh/columns", "whoosh/idsets")),
    ("Whoosh: analysis and fields", ("whoosh/analysis", "whoosh/fields", "whoosh/formats")),
    ("Whoosh: other", ("whoosh/",)),
    ("indexer/ and webui/", ("/indexer/", "/webui/")),
    ("numpy", ("numpy",)),
    ("pickle / marshal / zlib / I/O (built-ins)", ("~",)),
)


def area_of(filename: str) -> str:
    for area, needles in AREAS:
        if any(needle in filename for needle in needles):
            return area
    return "other Python"


def by_area(stats: pstats.Stats) -> list[tuple[str, float]]:
    totals: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        totals[area_of(filename)] = totals.get(area_of(filename), 0.0) + tottime
    return sorted(totals.items(), key=lambda item: -item[1])


def report(title: str, profile: cProfile.Profile, wall: float, out: Path, top: int) -> str:
    stats = pstats.Stats(profile)
    listing = io.StringIO()
    pstats.Stats(profile, stream=listing).sort_stats("tottime").print_stats(60)
    pstats.Stats(profile, stream=listing).sort_stats("cumulative").print_stats(60)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{title}.txt").write_text(listing.getvalue(), encoding="utf-8")
    total = sum(seconds for _, seconds in by_area(stats)) or 1.0
    lines = [f"## {title}: {wall:.1f} s wall (profiled; cProfile adds overhead)", "", "| area | self s | share |",
             "| --- | ---: | ---: |"]
    lines += [f"| {area} | {seconds:.2f} | {seconds / total:.0%} |" for area, seconds in by_area(stats)]
    lines += ["", f"Top {top} functions by self time:", "", "| function | calls | self s | cumulative s |",
              "| --- | ---: | ---: | ---: |"]
    ranked = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:top]
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in ranked:
        where = filename.split("site-packages/")[-1].removeprefix(str(Path(__file__).resolve().parents[1]) + "/")
        lines.append(f"| `{where}:{line}({name})` | {calls:,} | {tottime:.2f} | {cumtime:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True, help="a generated corpus (bench.generate_corpus)")
    parser.add_argument("--queries", type=int, default=150, help="queries to profile (taken across the kinds)")
    parser.add_argument("--out", type=Path, default=Path("var/bench/profile"), help="full pstats listings")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    from bench.corpus_files import load_queries
    from indexer.build import build_index
    from indexer.search import SearchRequest, SearchService

    queries = load_queries(args.corpus)
    step = max(1, len(queries) // args.queries)
    chosen = queries[::step][:args.queries]
    with tempfile.TemporaryDirectory(prefix="bayon-profile-") as index_root:
        profile = cProfile.Profile()
        started = time.perf_counter()
        profile.runcall(build_index, args.corpus, index_root, progress=False, procs=1)  # one process: workers are invisible to cProfile
        print(report("build", profile, time.perf_counter() - started, args.out, args.top))
        service = SearchService(index_root)
        service.search(SearchRequest(q=chosen[0]["q"]))  # opens the searcher and loads columns once
        profile = cProfile.Profile()
        started = time.perf_counter()
        for item in chosen:
            profile.runcall(service.search, SearchRequest(q=item["q"]))
        print(report(f"search ({len(chosen)} queries)", profile, time.perf_counter() - started, args.out, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
