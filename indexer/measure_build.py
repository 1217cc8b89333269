"""Print build times for writer settings (procs, multisegment) on a corpus: a script, not a test.

    python -m indexer.measure_build CORPUS_DIR [--repeat N] [--settings 1,2,w1,w2m]
    python -m indexer.measure_build CORPUS_DIR --profile [--writer whoosh]   # where one build's time goes

`1`, `2` = the bulk writer (indexer.bulk_writer) in one or two processes (one segment per process);
`w1` = Whoosh's own add_document path in one process, `w2` = two processes, segments merged at commit,
`w2m` = two processes, multisegment=True. Also prints one query's latency on each index (several
segments cost each query a little).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--settings", default="1,2,w1,w2m")
    parser.add_argument("--writer", choices=("bulk", "whoosh"), default="bulk", help="the writer --profile times")
    parser.add_argument("--query", default="detention rights")
    parser.add_argument("--profile", action="store_true",
                        help="time one one-process build by phase (indexer.build_profile)")
    args = parser.parse_args(argv)
    if args.profile:
        from indexer.build_profile import format_profile, profile_build

        print(format_profile(profile_build(args.corpus, writer=args.writer)))
        return

    from indexer.build import build_index
    from indexer.search import SearchRequest, SearchService

    for setting in args.settings.split(","):
        writer = "whoosh" if setting.startswith("w") else "bulk"
        procs = int(setting.lstrip("w").rstrip("m"))
        multi = setting.endswith("m") or (writer == "bulk" and procs > 1)
        times, docs, latency = [], 0, []
        for _ in range(args.repeat):
            root = Path(tempfile.mkdtemp(prefix="bayon-measure-"))
            try:
                started = time.perf_counter()
                report = build_index(args.corpus, root, progress=False, procs=procs,
                                     multisegment=multi if procs > 1 else None, writer=writer)
                times.append(time.perf_counter() - started)
                docs = report.documents
                service = SearchService(root)
                service.search(SearchRequest(q=args.query))
                for _ in range(20):
                    t = time.perf_counter()
                    service.search(SearchRequest(q=args.query))
                    latency.append((time.perf_counter() - t) * 1000)
                service.close()
            finally:
                shutil.rmtree(root, ignore_errors=True)
        best = min(times)
        print(f"{writer} writer, procs={procs} multisegment={multi}: {docs} docs, build best {best:.2f}s "
              f"(median {statistics.median(times):.2f}s, {docs / best:.0f} docs/s), "
              f"query median {statistics.median(latency):.1f} ms", flush=True)


if __name__ == "__main__":
    main()
