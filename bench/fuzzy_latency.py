"""Typo tolerance: hostile queries before/after the fuzzy vocabulary, and typo'd query latency.

    .venv/bin/python -m bench.fuzzy_latency --index-dir /tmp/idx73 --index-dir var/idx10k \
        [--corpus var/bench10k] [--fts5-db var/fts10k.sqlite] [--before ce37b54]

Per index: the answer time of `SearchService.search` for 140 made-up words and for one 1,000-letter
word (median of 3 after a warm-up), with the current code and, with --before COMMIT, with that
commit's code (`git archive` into a temporary directory, run in a subprocess: one timed run, since
it took seconds); the fuzzy vocabulary's size, build time (`indexer.fuzzy.build_arrays`) and, for
the choice of structure, what a symmetric-deletion (SymSpell) index of the same Latin vocabulary
would hold (distance 2, prefix 7). With --corpus (a generated bench corpus and its queries.json): the
p50/p95 of its English and Khmer queries as typed and with one typo each (`bench.query_set.typo_query`;
also the fuzzy work alone), and of the partial queries (`bench.query_set.partial_query`), beside FTS5's (--fts5-db, built by
`bench.fts5_baseline`) on the same queries.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def hostile_queries() -> dict[str, str]:
    rng = random.Random(140)
    words = " ".join("".join(rng.choice(LETTERS) for _ in range(rng.randint(5, 10))) for _ in range(140))
    return {"140 made-up words": words, "one 1,000-letter word": "".join(rng.choice(LETTERS) for _ in range(1000))}


def time_hostile(index_dir: Path, rounds: int) -> dict:
    from indexer.search import SearchRequest, SearchService

    service = SearchService(index_dir)
    out = {}
    try:
        service.search(SearchRequest(q="rights"))  # opens the generation
        for label, q in hostile_queries().items():
            samples = []
            for _ in range(rounds):
                started = time.perf_counter()
                service.search(SearchRequest(q=q))
                samples.append((time.perf_counter() - started) * 1000)
            out[label] = round(statistics.median(samples), 1)
    finally:
        service.close()
    return out


def time_before(commit: str, index_dir: Path) -> dict:
    """The hostile figures with `commit`'s code: exported, then this script run against it."""
    with tempfile.TemporaryDirectory(prefix="bayon-before-") as tmp:
        archive = subprocess.run(["git", "-C", str(PROJECT_ROOT), "archive", commit], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        run = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--code-root", tmp,
                              "--hostile-only", "--rounds", "1", "--index-dir", str(index_dir)],
                             check=True, capture_output=True, text=True)
        return json.loads(run.stdout)


def structure_figures(index_dir: Path) -> dict:
    from whoosh.filedb.filestore import FileStorage

    from indexer.fuzzy import FILE_NAME, build_arrays
    from indexer.layout import require_current

    gen = require_current(index_dir)
    ix = FileStorage(str(gen), supports_mmap=False).open_index()
    try:
        with ix.reader() as reader:
            started = time.perf_counter()
            arrays = build_arrays(reader)
            seconds = time.perf_counter() - started
    finally:
        ix.close()
    from indexer.fuzzy import _unpack

    latin = _unpack(arrays["latin_blob"], arrays["latin_starts"])
    started = time.perf_counter()
    deletes = set()
    for term in latin:  # SymSpell: every deletion of up to 2 letters of the 7-letter prefix
        prefix = term[:7]
        for k in (1, 2):
            for cut in combinations(range(len(prefix)), k):
                deletes.add("".join(c for i, c in enumerate(prefix) if i not in cut))
        deletes.add(prefix)
    symspell_seconds = time.perf_counter() - started
    path = gen / FILE_NAME
    return {"latin_terms": len(latin), "khmer_words": int(arrays["khmer_df"].size),
            "trigram_postings": int(arrays["gram_post"].size), "khmer_keys": int(arrays["kdel_post"].size),
            "build_s": round(seconds, 3), "file_kb": round(path.stat().st_size / 1024) if path.exists() else None,
            "symspell_keys": len(deletes), "symspell_generate_s": round(symspell_seconds, 3)}


def percentiles(samples: list[float]) -> dict:
    from bench.latency import percentile

    return {"n": len(samples), "p50_ms": round(percentile(samples, 0.5) * 1000, 1),
            "p95_ms": round(percentile(samples, 0.95) * 1000, 1)}


def query_latency(index_dir: Path, corpus: Path, fts5_db: Path | None) -> dict:
    from bench.corpus_files import load_queries
    from bench.query_set import partial_query, typo_query
    from indexer.search import SearchRequest, SearchService

    rng = random.Random("fuzzy-bench")
    base = [item["q"] for item in load_queries(corpus) if item["kind"] in ("en", "km")]
    typo = [t for t in (typo_query(rng, q) for q in base) if t]
    partial = [partial_query(rng, q) for q in base[:100]]
    sets = {"as typed": base, "one typo": typo, "partial": partial}
    out: dict = {}
    service = SearchService(index_dir)
    try:
        for q in base[:20]:
            service.search(SearchRequest(q=q))
        for label, queries in sets.items():
            samples, corrected = [], 0
            for q in queries:
                started = time.perf_counter()
                res = service.search(SearchRequest(q=q))
                samples.append(time.perf_counter() - started)
                corrected += res["corrected"] is not None
            out[f"bayon {label}"] = {**percentiles(samples), "corrected": corrected}
        # the fuzzy work alone (indexer.typos: look-ups and the per-word `held` checks) of the typo'd set
        from indexer.querybuild import QueryBuilder
        from indexer.queryparse import parse
        from indexer.search import _corrections

        gen = service._current()
        samples = []
        for q in typo:
            builder = QueryBuilder(gen.mixed, gen.subword, resolve_values=gen.columns.resolve, expand=True)
            started = time.perf_counter()
            _corrections(gen, builder, parse(q))
            samples.append(time.perf_counter() - started)
        out["bayon one typo, fuzzy work only"] = percentiles(samples)
    finally:
        service.close()
    if fts5_db is not None:
        from bench.fts5_baseline import FTS5Search

        fts = FTS5Search(fts5_db)
        for q in base[:20]:
            fts.search(q)
        for label, queries in sets.items():
            samples = []
            for q in queries:
                started = time.perf_counter()
                fts.search(q)
                samples.append(time.perf_counter() - started)
            out[f"FTS5 {label}"] = percentiles(samples)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, action="append", required=True)
    parser.add_argument("--corpus", type=Path, help="generated corpus with queries.json (for the last --index-dir)")
    parser.add_argument("--fts5-db", type=Path)
    parser.add_argument("--before", help="a commit to measure the hostile queries with (e.g. ce37b54)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--code-root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--hostile-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(args.code_root or PROJECT_ROOT))
    if args.hostile_only:
        print(json.dumps(time_hostile(args.index_dir[-1], args.rounds)))
        return 0
    for index_dir in args.index_dir:
        print(f"== {index_dir}")
        print("fuzzy vocabulary:", json.dumps(structure_figures(index_dir)))
        after = time_hostile(index_dir, args.rounds)
        before = time_before(args.before, index_dir) if args.before else {}
        for label, ms in after.items():
            was = f"{before[label]:,.1f} ms before ({args.before}), " if label in before else ""
            print(f"  {label}: {was}{ms:,.1f} ms now")
    if args.corpus:
        print(f"== queries of {args.corpus} on {args.index_dir[-1]}")
        for label, figures in query_latency(args.index_dir[-1], args.corpus, args.fts5_db).items():
            print(f"  {label}: {json.dumps(figures)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
