"""Server-side time of /api/suggest (suggestions while typing): the prefix table's build once per
index generation, then p50/p95/max of lookups for prefixes typed letter by letter (English and
Khmer), measured through the Flask app (its Server-Timing figure) on the real corpus.

    .venv/bin/python bench/suggest_latency.py [--index-dir DIR] [--rounds 20]

Without --index-dir an index is built from corpus/ into a temporary directory first.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

WORDS = ["prison", "Chea Chantha", "land rights", "freedom", "ភាពធន់", "សិទ្ធិមនុស្ស", "ជា ចាន់ថា", "Prey Sar"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    from webui import create_app
    from webui.suggest import table_for

    with tempfile.TemporaryDirectory() as tmp:
        index_dir = args.index_dir
        if index_dir is None:
            from indexer.build import build_index

            index_dir = Path(tmp) / "index"
            build_index(PROJECT_ROOT / "corpus", index_dir, progress=False)
        app = create_app(index_dir=index_dir)
        client = app.test_client()
        started = time.perf_counter()
        table = table_for(app.extensions["bayon_search"])
        build_ms = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(args.rounds):
            for word in WORDS:
                for n in range(2, len(word) + 1):
                    response = client.get("/api/suggest", query_string={"q": word[:n]})
                    times.append(float(response.headers["Server-Timing"].split("dur=")[1]))
        times.sort()
        print(f"prefix table: {len(table.items)} candidates, {len(table.keys)} keys, built in {build_ms:.0f} ms")
        print(f"lookups: {len(times)}  p50 {statistics.median(times):.2f} ms  "
              f"p95 {times[int(len(times) * 0.95) - 1]:.2f} ms  max {times[-1]:.2f} ms")


if __name__ == "__main__":
    main()
