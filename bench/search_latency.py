"""Server-side search latency (p50/p95) for typical queries on the real corpus.

Measured twice: straight through `SearchService.search` and through the whole Flask app
(`/search` HTML page and `/api/search`) with Flask's test client, so the cost of the web layer
(validation, templates, JSON) shows separately. No network: this is the server's own time.

    .venv/bin/python bench/search_latency.py [--index-dir DIR] [--rounds 30]

Without --index-dir an index is built from corpus/ into a temporary directory first.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

# (label, kind, parameters as in the URL); lists are repeated parameters.
QUERIES = [
    ("children", "English", {"q": "children"}),
    ("land rights", "English", {"q": "land rights"}),
    ("freedom of expression", "English", {"q": "freedom of expression"}),
    ('"human rights defenders"', "English", {"q": '"human rights defenders"'}),
    ("ភាពធន់", "Khmer", {"q": "ភាពធន់"}),
    ("សិទ្ធិមនុស្ស", "Khmer", {"q": "សិទ្ធិមនុស្ស"}),
    ("ដីធ្លី", "Khmer", {"q": "ដីធ្លី"}),
    ("CCHR ភាពធន់", "mixed", {"q": "CCHR ភាពធន់"}),
    ("prison មាតា", "mixed", {"q": "prison មាតា"}),
    ("rights +LICADHO +CCHR", "facets", {"q": "rights", "organisation": ["LICADHO", "CCHR"]}),
    ("prison 2019..2024 en", "facets", {"q": "prison", "year": "2019..2024", "language": "en"}),
    ("(browse) Statement, page 2", "facets", {"doc_type": "Statement", "page": "2"}),
    ("(browse everything)", "browse", {}),
    ("freedom, by date", "sort", {"q": "freedom", "sort": "date"}),
]


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[rank]


def measure(fn, rounds: int) -> list[float]:
    fn()  # warm-up: first use of each term, template compilation
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, help="an existing index (default: build one from corpus/)")
    parser.add_argument("--rounds", type=int, default=30, help="timed runs per query and path (default 30)")
    args = parser.parse_args()

    from indexer.search import SearchRequest, SearchService
    from webui import create_app

    with tempfile.TemporaryDirectory(prefix="bayon-latency-") as tmp:
        index_dir = args.index_dir
        if index_dir is None:
            from indexer.build import build_index

            index_dir = Path(tmp) / "index"
            started = time.perf_counter()
            report = build_index(PROJECT_ROOT / "corpus", index_dir, progress=False)
            print(f"index: built {report.documents} documents from corpus/ in {time.perf_counter() - started:.1f}s")
        service = SearchService(index_dir)
        client = create_app(service=service).test_client()

        def check(response):
            assert response.status_code == 200, (response.status_code, response.data[:300])

        rows, totals = [], {"service": [], "html": [], "api": []}
        for label, kind, params in QUERIES:
            request = SearchRequest.from_params(**params)
            url = urlencode(params, doseq=True)
            hits = service.search(request)["total"]
            timings = {
                "service": measure(lambda: service.search(request), args.rounds),
                "html": measure(lambda: check(client.get(f"/search?{url}&lang=en")), args.rounds),
                "api": measure(lambda: check(client.get(f"/api/search?{url}")), args.rounds),
            }
            for path, samples in timings.items():
                totals[path].extend(samples)
            rows.append((label, kind, hits, timings))

    print(f"\nserver-side latency in ms, {args.rounds} runs per query after one warm-up (p50 / p95)")
    header = f"{'query':32} {'kind':8} {'hits':>4}  {'service':>15}  {'/search HTML':>15}  {'/api/search':>15}"
    print(header)
    print("-" * len(header))
    for label, kind, hits, timings in rows:
        cells = "  ".join(f"{percentile(s, 50):6.1f} / {percentile(s, 95):6.1f}" for s in timings.values())
        print(f"{label[:32]:32} {kind:8} {hits:>4}  {cells}")
    print("-" * len(header))
    cells = "  ".join(f"{percentile(s, 50):6.1f} / {percentile(s, 95):6.1f}" for s in totals.values())
    print(f"{'all queries':32} {'':8} {'':>4}  {cells}")
    mean_cells = "  ".join(f"{statistics.fmean(s):15.1f}" for s in totals.values())
    print(f"{'mean':32} {'':8} {'':>4}  {mean_cells}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
