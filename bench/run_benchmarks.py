"""bayon vs SQLite FTS5 at several corpus sizes; writes docs/benchmarks.md and docs/benchmarks.png.

    python -m bench.run_benchmarks --sizes 10000 100000
    python -m bench.run_benchmarks --sizes 100000 --reuse --phases build,incremental,query

Phases, per size: `corpus` (bench.generate_corpus), `build` (full build, each system), `incremental` (change
100 documents with bench.corpus_update, then each system's incremental update) and `query` (latency with the four
facet counts: bayon through SearchService and /api/search, FTS5 through SQL). Each measurement runs in its own
process (bench.phase) so its peak memory is its own. Figures are merged into WORK/results.json (bench.results_store),
each phase stamped with its run, commit and time; --report-only re-renders the report from it.

--reuse keeps a complete corpus generated with the same settings and a complete index whose build figures are
recorded, instead of generating or building again. A build needs the corpus as generated and an incremental
update needs indexes built from it: the harness undoes an applied change (corpus, then indexes) when needed.
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

from bench import work_state
from bench.corpus_update import applied_update, apply_update, revert_update
from bench.generate_corpus import MANIFEST_FILE, generate
from bench.machine import describe, git_commit, load_average, utc_now
from bench.results_store import load_results, save_results, size_entry

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SYSTEMS = ("bayon", "fts5")
PHASES = ("corpus", "build", "incremental", "query")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def provenance(run_number: int) -> dict:
    return {"run": run_number, "commit": git_commit(PROJECT_ROOT), "started": utc_now(), "load_average": load_average()}


def run_phase(name: str, work: Path, extra: list[str], run_number: int) -> dict:
    """Run bench.phase NAME in a child process (its stderr, the progress, passes through); its figures, stamped."""
    stamp = provenance(run_number)
    command = [sys.executable, "-m", "bench.phase", name, "--work", str(work), *extra]
    log(f"{name}: start")
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise RuntimeError(f"phase {name} failed (exit {completed.returncode}): {shlex.join(command)}")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    log(f"{name}: done in {time.perf_counter() - started:.1f} s, peak RSS {figures['peak_rss_mb']:.0f} MB")
    return {**figures, **stamp}


class SizeRun:
    """The selected phases of one corpus size in WORK/nSIZE, merged into that size's results entry."""

    def __init__(self, size: int, work: Path, args, entry: dict, run_number: int, save):
        self.size, self.work, self.args, self.entry, self.run_number, self.save = size, work, args, entry, run_number, save
        self.corpus = work / "corpus"

    def corpus_state(self) -> tuple[str | None, str]:
        a = self.args
        return work_state.corpus_state(self.corpus, self.size, a.seed, a.khmer_share, a.queries_per_kind)

    def run(self) -> None:
        self.work.mkdir(parents=True, exist_ok=True)
        log(f"=== {self.size:,} documents in {self.work}: {', '.join(self.args.phases)}")
        self.ensure_corpus()
        if "build" in self.args.phases:
            for system in self.args.systems:
                self.build(system)
        if "incremental" in self.args.phases:
            self.incremental()
        if "query" in self.args.phases:
            for system in self.args.systems:
                self.query(system)

    def ensure_corpus(self) -> None:
        state, why = self.corpus_state()
        if "corpus" in self.args.phases and not (self.args.reuse and state):
            a = self.args
            work_state.forget_indexes(self.work)
            manifest = generate(self.corpus, self.size, seed=a.seed, khmer_share=a.khmer_share,
                                queries_per_kind=a.queries_per_kind)
            log(f"corpus generated: {manifest['languages']} in {manifest['seconds']} s")
            self.entry["corpus"] = {**manifest, **provenance(self.run_number)}
            self.save()
            return
        if state is None:
            raise RuntimeError(f"no usable corpus in {self.corpus}: {why}; run with the corpus phase")
        log(f"corpus reused ({state})")
        if "corpus" not in self.entry:
            self.entry["corpus"] = json.loads((self.corpus / MANIFEST_FILE).read_text(encoding="utf-8"))

    def as_generated(self) -> None:
        """Undo an applied change of the corpus, keeping its record for indexes that still hold it."""
        record = revert_update(self.corpus)
        if record is not None:
            log(f"corpus change undone ({len(record['originals'])} edited, {len(record['added'])} added)")

    def build(self, system: str) -> None:
        state, why = work_state.index_state(self.work, system)
        recorded = self.entry.get(system, {}).get("build")
        if self.args.reuse and state and recorded:
            log(f"{system}-build: reused ({state['state']}; built at {recorded['commit']}, {recorded['started']})")
            return
        self.as_generated()
        work_state.set_index_state(self.work, system, None)  # until the build completes
        a = self.args
        flags = ["--procs", str(a.procs)] + (["--multisegment"] if a.multisegment and system == "bayon" else [])
        figures = run_phase(f"{system}-build", self.work, flags, self.run_number)
        figures["settings"] = {"procs": a.procs, **({"multisegment": a.multisegment} if system == "bayon" else {})}
        self.entry.setdefault(system, {})["build"] = figures
        work_state.set_index_state(self.work, system, {"state": work_state.AS_GENERATED, "docs": self.size,
                                                       "update": None})
        self.save()

    def require_index(self, system: str) -> dict:
        state, why = work_state.index_state(self.work, system)
        if state is None:
            raise RuntimeError(f"{system} index in {self.work} is not usable ({why}); run the build phase")
        return state

    def incremental(self) -> None:
        a = self.args
        states = {system: self.require_index(system) for system in a.systems}
        self.as_generated()
        for system, state in states.items():
            if state["state"] == work_state.AFTER_UPDATE:
                self.undo_index_update(system, state)
        changed = apply_update(self.corpus, count=a.update_count, seed=a.seed)
        record = json.dumps(applied_update(self.corpus), ensure_ascii=False)
        (self.work / work_state.UPDATE_RECORD).write_text(record + "\n", encoding="utf-8")
        (self.work / "update.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in changed),
                                                encoding="utf-8")
        log(f"corpus changed: {len(changed)} documents")
        added = a.update_count - a.update_count // 2
        for system in a.systems:
            figures = run_phase(f"{system}-update", self.work, [], self.run_number)
            figures["settings"] = {"update_count": a.update_count, "seed": a.seed}
            self.entry.setdefault(system, {})["update"] = figures
            work_state.set_index_state(self.work, system, {
                "state": work_state.AFTER_UPDATE, "docs": self.size + added,
                "update": {"count": a.update_count, "seed": a.seed}})
            self.save()

    def undo_index_update(self, system: str, state: dict) -> None:
        """Bring an index back to the corpus as generated (untimed): FTS5 from the change's record, bayon by an
        incremental build of the reverted corpus."""
        record_path = self.work / work_state.UPDATE_RECORD
        record = json.loads(record_path.read_text(encoding="utf-8")) if record_path.exists() else None
        if system == "fts5" and (record is None or state.get("update") != {"count": record["count"],
                                                                           "seed": record["seed"]}):
            raise RuntimeError(f"cannot undo the update held by {system}'s index (no matching {record_path}); "
                               "run the build phase without --reuse")
        run_phase(f"{system}-revert", self.work, [], self.run_number)
        work_state.set_index_state(self.work, system, {"state": work_state.AS_GENERATED, "docs": self.size,
                                                       "update": None})

    def query(self, system: str) -> None:
        state = self.require_index(system)
        a = self.args
        flags = ["--warmup", str(a.warmup)]
        serve = run_phase(f"{system}-serve", self.work, flags, self.run_number)
        serve["index_state"] = state["state"]
        serve["settings"] = {"warmup": a.warmup, "queries": self.entry["corpus"]["queries"]}
        if system == "bayon":
            api = run_phase("bayon-serve-api", self.work, flags, self.run_number)
            serve["api"], serve["api_peak_rss_mb"], serve["api_memory"] = api["api"], api["peak_rss_mb"], api["memory"]
        self.entry.setdefault(system, {})["serve"] = serve
        self.save()


def parse_phases(text: str) -> list[str]:
    phases = [p.strip() for p in text.split(",") if p.strip()]
    unknown = [p for p in phases if p not in PHASES]
    if unknown or not phases:
        raise argparse.ArgumentTypeError(f"unknown phase(s) {', '.join(unknown) or '(none)'}; "
                                         f"choose among {','.join(PHASES)}")
    return phases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--work", type=Path, default=PROJECT_ROOT / "var" / "bench",
                        help="where corpora, indexes and results.json go (never committed)")
    parser.add_argument("--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS))
    parser.add_argument("--phases", type=parse_phases, default=list(PHASES),
                        help=f"comma-separated phases to run (default {','.join(PHASES)}); figures of the others "
                             "are kept from results.json")
    parser.add_argument("--reuse", action="store_true",
                        help="keep a complete corpus and complete indexes (with recorded build figures) under --work")
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
    try:
        results = load_results(results_path)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.report_only:
        if not results["sizes"]:
            print(f"error: no figures in {results_path}; run without --report-only first", file=sys.stderr)
            return 2
    else:
        command = "python -m bench.run_benchmarks " + shlex.join(argv if argv is not None else sys.argv[1:])
        run = {"started": utc_now(), "command": command.strip(), "machine": describe(PROJECT_ROOT), "settings": {
            "procs": args.procs, "multisegment": args.multisegment, "khmer_share": args.khmer_share,
            "queries_per_kind": args.queries_per_kind, "update_count": args.update_count, "warmup": args.warmup,
            "seed": args.seed, "systems": args.systems, "phases": args.phases, "reuse": args.reuse}, "errors": []}
        results["runs"].append(run)
        run_number = len(results["runs"]) - 1

        def save() -> None:
            run["commit_at_end"] = git_commit(PROJECT_ROOT)
            save_results(results, results_path)

        for size in sorted(args.sizes):
            try:
                SizeRun(size, args.work / f"n{size}", args, size_entry(results, size), run_number, save).run()
            except (RuntimeError, ValueError, OSError) as error:
                log(f"error at {size:,} documents: {error}")
                run["errors"].append(f"{size}: {error}")
            save()
    from bench.report import write_report
    write_report(results, args.markdown, args.plot)
    log(f"wrote {args.markdown} and {args.plot}")
    return 1 if not args.report_only and results["runs"][-1]["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
