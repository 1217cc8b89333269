"""nDCG@10 per query group and overall of the bilingual relevance set (tests/relevance/queries.json;
a query's "params" are further search parameters, e.g. facet filters), with and
without lexicon expansion (the search service's `expand`), on an index of the project's corpus built into a temporary directory
(or --index-dir). Run: .venv/bin/python -m bench.relevance [--index-dir DIR] [-v]
"""
from __future__ import annotations

import argparse
import json
import math
import tempfile
from collections import defaultdict
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
QUERIES = PROJECT_ROOT / "tests" / "relevance" / "queries.json"


def ndcg_at(ranked_ids: list[str], judgments: dict[str, int], k: int = 10) -> float:
    """nDCG@k with gains 2^grade - 1 (0 when nothing is judged relevant)."""
    def dcg(grades):
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))
    ideal = dcg(sorted(judgments.values(), reverse=True))
    return dcg([judgments.get(d, 0) for d in ranked_ids]) / ideal if ideal else 0.0


def load_queries(path: Path = QUERIES) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["queries"]


def evaluate(service, queries: list[dict], use_expansions: bool) -> dict[str, list[float]]:
    """nDCG@10 per group through `service.search(..., expand=use_expansions)`."""
    by_group: dict[str, list[float]] = defaultdict(list)
    for item in queries:
        result = service.search(q=item["query"], expand=use_expansions, per_page=10, **item.get("params", {}))
        ranked = [r["id"] for r in result["results"]]
        item.setdefault("scores", {})[use_expansions] = ndcg_at(ranked, item["judgments"])
        by_group[item["group"]].append(item["scores"][use_expansions])
    return by_group


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, default=None)
    parser.add_argument("-v", "--verbose", action="store_true", help="also print each query's nDCG@10")
    parser.add_argument("--rule", default=None,
                        help="partial-match minimum of indexer.ranking to measure (share, third, half, two, any)")
    parser.add_argument("--order", default=None,
                        help="partial-match order of indexer.ranking to measure (share, count, quarters, count-only)")
    args = parser.parse_args()
    import indexer.ranking
    if args.rule:
        indexer.ranking.RULE = args.rule
    if args.order:
        indexer.ranking.ORDER = args.order

    from indexer.build import build_index
    from indexer.search import SearchService

    with tempfile.TemporaryDirectory() as tmp:
        index_dir = args.index_dir
        if index_dir is None:
            index_dir = Path(tmp) / "index"
            build_index(PROJECT_ROOT / "corpus", index_dir, progress=False)
        service = SearchService(index_dir)
        queries = load_queries()
        plain = evaluate(service, queries, use_expansions=False)
        expanded = evaluate(service, queries, use_expansions=True)
        service.close()

    print(f"{'group':<10} {'queries':>7} {'nDCG@10 plain':>14} {'nDCG@10 expanded':>17}")
    for group in plain:
        p, e = plain[group], expanded[group]
        print(f"{group:<10} {len(p):>7} {sum(p) / len(p):>14.3f} {sum(e) / len(e):>17.3f}")
    allp = [s for v in plain.values() for s in v]
    alle = [s for v in expanded.values() for s in v]
    print(f"{'all':<10} {len(allp):>7} {sum(allp) / len(allp):>14.3f} {sum(alle) / len(alle):>17.3f}")
    if args.verbose:
        for item in queries:
            print(f"  {item['group']:<9} {item['scores'][False]:.3f} -> {item['scores'][True]:.3f}  {item['query']}")


if __name__ == "__main__":
    main()
