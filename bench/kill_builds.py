"""Kill `bayon index` at random moments and check that nothing is ever lost or left behind.

    python -m bench.kill_builds --kills 200 --power-cuts 30 --work /tmp/kill-builds

Two corpora of PARALLEL_MIN_DOCS generated documents (the smallest size at which a full build uses two
writer processes): A, and B = A with 30 documents removed, 50 edited and 30 added. Each round builds
the other corpus, as a full build or an incremental update (chosen at random), and SIGKILLs at a
random moment either the build process or one of its writer processes. After each round:
  - the build's processes are all gone within 5 s (no orphaned writer);
  - the lock is free at once (BuildLock without waiting);
  - the served generation (layout.current_generation) holds exactly the ids of A or of B, never fewer;
  - the round's build, when it was not killed before it could finish, exited 0 or with a clear error
    (never a traceback), and the next round's build never finds the lock taken.
Power cuts: a build runs under a wrapper that logs every fsync (path) and every rename; it is killed at
a random moment; then every file of the index folder that was not fsynced after its last write is
deleted or truncated (as a power cut may leave it), a CURRENT replaced without its folder fsynced is
put back, and CURRENT must name a complete generation that opens and holds A's or B's ids.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DELAY = "0"

# the wrapper for power cuts: logs "fsync <path>" after each fsync and "replace <src> <dst>" after each
# os.replace, one line each, appended with O_APPEND before the call returns
WRAPPER = r"""
import os, sys
log = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
real_fsync, real_replace = os.fsync, os.replace
def fsync(fd):
    real_fsync(fd)
    os.write(log, ("fsync " + os.readlink(f"/proc/self/fd/{fd}") + "\n").encode())
def replace(src, dst, *a, **k):
    real_replace(src, dst, *a, **k)
    os.write(log, ("replace " + os.fspath(src) + " " + os.fspath(dst) + "\n").encode())
os.fsync, os.replace = fsync, replace
sys.argv = ["bayon"] + sys.argv[2:]
from bayon.cli import main
main()
"""


def make_corpora(work: Path, docs: int) -> tuple[Path, Path]:
    from bench.generate_corpus import generate

    a, b = work / "corpus-a", work / "corpus-b"
    if not (a / "manifest.json").is_file() or json.loads((a / "manifest.json").read_text()).get("docs") != docs:
        generate(a, docs, seed=21, queries_per_kind=5, progress=False)
    if b.exists():
        shutil.rmtree(b)
    (b / "documents").mkdir(parents=True)
    rng = random.Random(5)
    lines = [line for path in sorted((a / "documents").glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    removed = set(rng.sample(range(len(lines)), 30))
    edited = set(rng.sample(sorted(set(range(len(lines))) - removed), 50))
    out = []
    for i, line in enumerate(lines):
        if i in removed:
            continue
        doc = json.loads(line)
        if i in edited:
            doc["body"] += "\n\nEdited for the kill bench."
        out.append(json.dumps(doc, ensure_ascii=False))
    for i in rng.sample(range(len(lines)), 30):
        doc = json.loads(lines[i])
        doc["id"], doc["title"] = doc["id"] + "-added", "Added: " + doc["title"]
        out.append(json.dumps(doc, ensure_ascii=False))
    (b / "documents" / "bench-b.jsonl").write_text("\n".join(out) + "\n", encoding="utf-8")
    return a, b


def corpus_ids(corpus: Path) -> frozenset:
    from reading.loader import load_corpus

    return frozenset(r.id for r in load_corpus(corpus).records)


def served_ids(root: Path):
    """Ids held by the generation served now (with the fallback readers use), or None without one."""
    from indexer import layout
    from indexer.build import _indexed_hashes_of

    gen = layout.current_generation(root)
    return None if gen is None else frozenset(_indexed_hashes_of(gen))


def descendants_alive(marker: str) -> list[int]:
    """Live processes whose command line holds `marker` (the index folder's path)."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmd = Path(f"/proc/{entry.name}/cmdline").read_bytes()
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        if marker.encode() in cmd and stat[stat.rindex(")") + 2] != "Z":
            found.append(int(entry.name))
    return found


def children(pid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def start(cmd: list[str]) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def index_cmd(corpus: Path, root: Path, incremental: bool) -> list[str]:
    return [sys.executable, "-m", "bayon", "index", "--corpus", str(corpus), "--index-dir", str(root), "-q"] + \
        (["--incremental"] if incremental else [])


def timed_build(corpus: Path, root: Path, incremental: bool) -> float:
    started = time.monotonic()
    done = subprocess.run(index_cmd(corpus, root, incremental), cwd=PROJECT_ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"a plain build failed: {done.stderr}")
    return time.monotonic() - started


def kill_round(rng, corpus, root, incremental, target, duration, stats, expected_sets) -> list[str]:
    """One killed build; the failures found (empty when every check holds)."""
    from indexer.lock import BuildLock, LockBusy

    failures = []
    build = start(index_cmd(corpus, root, incremental))
    when = rng.uniform(0.05, 1.0) * duration
    killed = None
    if target == "worker":
        deadline = time.monotonic() + when
        while time.monotonic() < deadline and build.poll() is None:
            time.sleep(0.02)
        workers = [c for c in children(build.pid)
                   if Path(f"/proc/{c}/cmdline").exists()
                   and Path(f"/proc/{c}/cmdline").read_bytes() == Path(f"/proc/{build.pid}/cmdline").read_bytes()] \
            if build.poll() is None else []
        if workers:
            killed = rng.choice(workers)
            try:
                os.kill(killed, signal.SIGKILL)
            except ProcessLookupError:
                killed = None
    else:
        try:
            build.wait(timeout=when)
        except subprocess.TimeoutExpired:
            build.kill()
            killed = build.pid
    try:
        output, _ = build.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        build.kill()
        output, _ = build.communicate()
        failures.append("the build hung after a writer was killed")
    rc = build.returncode
    outcome = ("worker killed" if target == "worker" else "build killed") if killed else "finished before the kill"
    if target == "worker" and killed:
        outcome += ", build failed" if rc != 0 else ", build succeeded (worker had finished)"
    stats[outcome] = stats.get(outcome, 0) + 1
    if "Traceback" in output:
        failures.append(f"traceback: {output[-800:]}")
    if "another `bayon index`" in output:
        failures.append(f"the lock was left taken: {output.strip()[-300:]}")
    if rc not in (0, 1, -signal.SIGKILL):
        failures.append(f"exit status {rc}: {output[-300:]}")
    if not killed and rc != 0:
        failures.append(f"an unkilled build failed: {output[-300:]}")
    deadline = time.monotonic() + 5
    while descendants_alive(str(root)) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = descendants_alive(str(root))
    if left:
        failures.append(f"processes outlived the build: {left}")
        for pid in left:
            os.kill(pid, signal.SIGKILL)
    try:
        with BuildLock(root):
            pass
    except LockBusy as exc:
        failures.append(f"lock left behind: {exc}")
    ids = served_ids(root)
    if ids is not None and ids not in expected_sets:
        sizes = [len(s) for s in expected_sets]
        failures.append(f"served generation holds {len(ids)} documents, not the {sizes} of a corpus")
    return failures


def unsynced_damage(root: Path, log: Path, rng, existing: set) -> dict:
    """Apply what a power cut right now could lose: files not fsynced since written are deleted or
    emptied; a CURRENT replaced without the folder being fsynced after is put back."""
    synced, replaced_current = set(), None
    lines = log.read_text().splitlines() if log.exists() else []
    root_synced_after = False
    for line in lines:
        kind, _, rest = line.partition(" ")
        if kind == "fsync":
            synced.add(rest)
            if rest == str(root) and replaced_current:
                root_synced_after = True
        elif kind == "replace" and rest.endswith("/CURRENT"):
            replaced_current, root_synced_after = rest.split(" ")[0], False
    damaged = {"deleted": 0, "emptied": 0, "current put back": 0}
    before = root / ".CURRENT.before"
    if replaced_current and not root_synced_after and before.exists():
        shutil.copy(before, root / "CURRENT")
        damaged["current put back"] += 1
    for path in root.rglob("*"):
        if path.is_file() and path.name not in (".lock", ".CURRENT.before", "CURRENT") and str(path) not in synced:
            if path.stat().st_ino in existing:
                continue  # data there before this build began (also through a hard link)
            if rng.random() < 0.5:
                path.unlink()
                damaged["deleted"] += 1
            else:
                path.write_bytes(b"")
                damaged["emptied"] += 1
    return damaged


def power_cut_round(rng, corpus, root, work, duration, expected_sets, stats) -> list[str]:
    from indexer import layout

    log = work / "fsync.log"
    log.unlink(missing_ok=True)
    if (root / "CURRENT").exists():
        shutil.copy(root / "CURRENT", root / ".CURRENT.before")
    existing = {p.stat().st_ino for p in root.rglob("*") if p.is_file()}
    log.write_text("")
    wrapper = work / "fsync_wrapper.py"
    wrapper.write_text(WRAPPER)
    incremental = rng.random() < 0.5
    cmd = [sys.executable, str(wrapper), str(log), "index", "--corpus", str(corpus), "--index-dir", str(root), "-q"] + \
        (["--incremental"] if incremental else [])
    build = start(cmd)
    try:
        build.wait(timeout=rng.uniform(0.3, 1.05) * duration)
    except subprocess.TimeoutExpired:
        for pid in children(build.pid):
            os.kill(pid, signal.SIGKILL)
        build.kill()
    build.communicate()
    damage = unsynced_damage(root, log, rng, existing)
    (root / ".CURRENT.before").unlink(missing_ok=True)
    for key, value in damage.items():
        stats[key] = stats.get(key, 0) + value
    failures = []
    named = layout.current_generation(root, fallback=False)
    if (root / "CURRENT").exists() and named is None:
        stats["CURRENT named an incomplete generation"] = stats.get("CURRENT named an incomplete generation", 0) + 1
        failures.append("CURRENT names an incomplete generation")
    problem = layout.index_problem(root) if (root / "CURRENT").exists() else None
    if problem:
        failures.append(problem)
    ids = served_ids(root)
    if ids is not None and ids not in expected_sets:
        failures.append(f"after the power cut the served generation holds {len(ids)} documents")
    return failures


def main(argv=None) -> int:
    from indexer.build import PARALLEL_MIN_DOCS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--power-cuts", type=int, default=30)
    parser.add_argument("--docs", type=int, default=PARALLEL_MIN_DOCS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, required=True)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    args.work.mkdir(parents=True, exist_ok=True)
    a, b = make_corpora(args.work, args.docs)
    expected = {corpus_ids(a), corpus_ids(b)}
    root = args.work / "index"
    if root.exists():
        shutil.rmtree(root)
    full = timed_build(a, root, False)
    incremental = timed_build(b, root, True)
    print(f"corpora: A {len(corpus_ids(a))}, B {len(corpus_ids(b))} documents; plain full build {full:.1f} s, "
          f"incremental {incremental:.1f} s", flush=True)
    stats: dict = {}
    failures: list = []
    started = time.monotonic()
    for n in range(args.kills):
        corpus = a if n % 2 == 0 else b
        inc = rng.random() < 0.4
        target = "worker" if not inc and rng.random() < 0.5 else "build"
        found = kill_round(rng, corpus, root, inc, target, incremental if inc else full, stats, expected)
        kind = f"{'incremental' if inc else 'full'}/{target}"
        stats[kind] = stats.get(kind, 0) + 1
        failures += [f"round {n + 1} ({kind}): {f}" for f in found]
        for f in found:
            print(f"FAIL round {n + 1} ({kind}): {f}", flush=True)
        if (n + 1) % 20 == 0:
            print(f"  {n + 1} kills, {len(failures)} failures, {time.monotonic() - started:.0f} s", flush=True)
    final = subprocess.run(index_cmd(a, root, False), cwd=PROJECT_ROOT, capture_output=True, text=True)
    if final.returncode != 0 or served_ids(root) != corpus_ids(a):
        failures.append(f"the final build failed: {final.stderr[-300:]}")
    cut_stats: dict = {}
    for n in range(args.power_cuts):
        found = power_cut_round(rng, a if n % 2 else b, root, args.work, full, expected, cut_stats)
        failures += [f"power cut {n + 1}: {f}" for f in found]
        for f in found:
            print(f"FAIL power cut {n + 1}: {f}", flush=True)
    print(f"== {args.kills} SIGKILLs in {time.monotonic() - started:.0f} s (corpus {args.docs} documents, "
          f"two writer processes in full builds)")
    for key in sorted(stats):
        print(f"   {key}: {stats[key]}")
    print(f"== {args.power_cuts} power cuts: " + ", ".join(f"{k} {v}" for k, v in sorted(cut_stats.items())))
    print(f"failures: {len(failures)}")
    for f in failures[:50]:
        print(f"   {f}")
    print("RESULT: " + ("PASS" if not failures else "FAIL"))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
