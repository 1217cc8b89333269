"""bayon vs SQLite FTS5 at several corpus sizes, in one run; writes docs/benchmarks.md and docs/benchmarks.png.

    python -m bench.run_benchmarks --sizes 10000 100000

For each size: generate the corpus (bench.generate_corpus), full build (bayon, FTS5), change 100 documents
(bench.corpus_update), incremental update (bayon, FTS5), then query latency with the four facet counts
(bayon: SearchService and /api/search; FTS5: SQL). Each phase runs in its own process (bench.phase) so its
peak memory is measured alone. Raw figures go to WORK/results.json; --report-only re-renders from it.
"""
from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus_update import apply_update
from bench.generate_corpus import generate
from bench.machine import describe

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SYSTEMS = ("bayon", "fts5")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_phase(name: str, work: Path, extra: list[str]) -> dict:
    """Run bench.phase NAME in a child process; its stderr (progress) passes through."""
    command = [sys.executable, "-m", "bench.phase", name, "--work", str(work), *extra]
    log(f"{name}: start")
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"phase {name} failed (exit {completed.returncode}): {shlex.join(command)}")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    log(f"{name}: done in {time.perf_counter() - started:.1f} s, peak RSS {figures['peak_rss_mb']:.0f} MB")
    return figures


def run_size(size: int, work: Path, args) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    log(f"=== {size:,} documents in {work}")
    manifest = generate(work / "corpus", size, seed=args.seed, khmer_share=args.khmer_share,
                        queries_per_kind=args.queries_per_kind)
    log(f"corpus generated: {manifest['languages']} in {manifest['seconds']} s")
    result: dict = {"size": size, "corpus": manifest}
    build_flags = ["--procs", str(args.procs)] + (["--multisegment"] if args.multisegment else [])
    for system in args.systems:
        result[system] = {"build": run_phase(f"{system}-build", work, build_flags)}
    changed = apply_update(work / "corpus", count=args.update_count, seed=args.seed)
    (work / "update.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in changed),
                                      encoding="utf-8")
    log(f"corpus changed: {len(changed)} documents")
    for system in args.systems:
        result[system]["update"] = run_phase(f"{system}-update", work, [])
    for system in args.systems:
        result[system]["serve"] = run_phase(f"{system}-serve", work, ["--warmup", str(args.warmup)])
    if "bayon" in args.systems:
        api = run_phase("bayon-serve-api", work, ["--warmup", str(args.warmup)])
        result["bayon"]["serve"]["api"] = api["api"]
        result["bayon"]["serve"]["api_peak_rss_mb"] = api["peak_rss_mb"]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--work", type=Path, default=PROJECT_ROOT / "var" / "bench",
                        help="where corpora, indexes and results.json go (never committed)")
    parser.add_argument("--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS))
    parser.add_argument("--procs", type=int, default=2, help="build processes (bayon procs=, FTS5 segmenters)")
    parser.add_argument("--multisegment", action=argparse.BooleanOptionalAction, default=True,
                        help="bayon full build with multisegment=True (default on)")
    parser.add_argument("--khmer-share", type=float, default=0.3)
    parser.add_argument("--queries-per-kind", type=int, default=200)
    parser.add_argument("--update-count", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--markdown", type=Path, default=PROJECT_ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--plot", type=Path, default=PROJECT_ROOT / "docs" / "benchmarks.png")
    parser.add_argument("--report-only", action="store_true", help="re-render the report from WORK/results.json")
    args = parser.parse_args(argv)
    results_path = args.work / "results.json"
    if args.report_only:
        if not results_path.exists():
            print(f"error: no {results_path}; run without --report-only first", file=sys.stderr)
            return 2
        run = json.loads(results_path.read_text(encoding="utf-8"))
    else:
        command = "python -m bench.run_benchmarks " + shlex.join(argv if argv is not None else sys.argv[1:])
        run = {"machine": describe(PROJECT_ROOT), "command": command.strip(), "settings": {
            "procs": args.procs, "multisegment": args.multisegment, "khmer_share": args.khmer_share,
            "queries_per_kind": args.queries_per_kind, "update_count": args.update_count, "warmup": args.warmup,
            "seed": args.seed, "systems": args.systems}, "sizes": []}
        for size in sorted(args.sizes):
            try:
                run["sizes"].append(run_size(size, args.work / f"n{size}", args))
            except (RuntimeError, ValueError, FileNotFoundError, FileExistsError) as error:
                log(f"error at {size:,} documents: {error}")
                run.setdefault("errors", []).append(f"{size}: {error}")
            run["commit_at_end"] = describe(PROJECT_ROOT)["commit"]
            args.work.mkdir(parents=True, exist_ok=True)
            results_path.write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    from bench.report import write_report
    write_report(run, args.markdown, args.plot)
    log(f"wrote {args.markdown} and {args.plot}")
    return 1 if run.get("errors") else 0


if __name__ == "__main__":
    sys.exit(main())
