"""Load while re-indexing: 16 HTTP clients for 60 s against `bayon serve` on 127.0.0.1 while a full
`bayon index` of a larger generated corpus runs and switches.

    .venv/bin/python bench/load_reindex.py [--docs 1500] [--clients 16] [--duration 60]

1. builds the old index from the real corpus (corpus/);
2. generates a JSON Lines corpus (bench/generate_corpus.py: the real sources plus --docs generated
   documents plus one marker document found only in the new corpus);
3. starts `bayon serve`, then the clients (mixed English, Khmer and facet queries on /search,
   /api/search and document pages, keep-alive connections), and after --reindex-after seconds a full
   `bayon index` of the new corpus into the same index directory;
4. a watcher asks for the marker word every 0.25 s: the switch is picked up without a restart when the
   same server process finds it.

Prints requests, failures (any non-200 or connection error), p50/p95/p99 latency before, during and
after the re-index, the build time and when the server first answered from the new index.
Exits 1 on any failed request or if the new index was not picked up.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from bench.http_fuzz import free_port, start_server  # noqa: E402

MARKER_WORD = "zyqvarnolith"  # in no corpus: only the marker document of the new corpus has it
MARKER_ID = "load-reindex-marker"
ENGLISH = ["rights", "detention", "land rights", "freedom of expression", "human rights defenders",
           '"civil society"', "journalist OR activist", "prison -covid", "title:statement", "children",
           "Kem Ley", "election 2018", "arrests", "torture", "union workers"]
KHMER = ["សិទ្ធិ", "ស៊ីវិល", "សង្គមស៊ីវិល", "ភាពធន់", "សិទ្ធិមនុស្ស", "អ្នកសារព័ត៌មាន", "ការឃុំខ្លួន", "ដីធ្លី"]
FACETS = [{"organisation": "LICADHO"}, {"organisation": ["CCHR", "CIVICUS"]}, {"language": "km"},
          {"year": "2019..2021"}, {"doc_type": "report"}, {"sort": "date"}, {"page": "2"},
          {"organisation": "LICADHO", "language": "en", "year": "2015.."}, {"per_page": "50"}]


def make_new_corpus(out: Path, docs: int) -> Path:
    """The real corpus (sources/) plus `docs` generated JSON Lines documents plus the marker document."""
    from bench.generate_corpus import generate

    corpus = out / "corpus"
    generate(corpus, docs, progress=False)
    shutil.copytree(PROJECT_ROOT / "corpus" / "sources", corpus / "sources")
    shutil.copy(PROJECT_ROOT / "corpus" / "sources.toml", corpus / "sources.toml")
    marker = {"id": MARKER_ID, "title": f"Marker {MARKER_WORD} for the load test", "organisation": "LICADHO",
              "doc_type": "report", "date": "2024-01-01", "language": "en",
              "body": f"This document exists only in the new corpus: {MARKER_WORD}. Human rights."}
    (corpus / "documents" / "zz-marker.jsonl").write_text(json.dumps(marker) + "\n", encoding="utf-8")
    return corpus


def random_target(rng: random.Random, doc_ids: list[str]) -> str:
    kind = rng.random()
    params: dict = {}
    if kind < 0.4:
        params["q"] = rng.choice(ENGLISH)
    elif kind < 0.7:
        params["q"] = rng.choice(KHMER)
    elif kind < 0.8:
        params["q"] = f"{rng.choice(ENGLISH)} {rng.choice(KHMER)}"
    if rng.random() < 0.5:
        params.update(rng.choice(FACETS))
    if rng.random() < 0.1 and doc_ids:
        route = rng.choice(["/api/documents/", "/documents/"]) + rng.choice(doc_ids)
        return route + ("?" + urlencode({"q": params["q"]}) if "q" in params else "")
    route = "/api/search" if rng.random() < 0.5 else "/search"
    return f"{route}?{urlencode(params, doseq=True)}"


class Client(threading.Thread):
    """One keep-alive HTTP client issuing random requests until `stop` is set."""

    def __init__(self, port: int, seed: int, doc_ids: list[str], stop: threading.Event, t0: float):
        super().__init__(daemon=True)
        self.port, self.rng, self.doc_ids, self.stop, self.t0 = port, random.Random(seed), doc_ids, stop, t0
        self.samples: list[tuple[float, float, int]] = []  # (start offset s, latency s, status; 0 = error)
        self.errors: list[str] = []

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while not self.stop.is_set():
            target = random_target(self.rng, self.doc_ids)
            started = time.perf_counter()
            try:
                conn.request("GET", target, headers={"Accept-Encoding": "gzip"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = 0
                self.errors.append(f"{target}: {error!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            self.samples.append((started - self.t0, time.perf_counter() - started, status))
            if status != 200 and status:
                self.errors.append(f"{target}: HTTP {status}")
        conn.close()


def percentiles(latencies: list[float]) -> str:
    if not latencies:
        return "no requests"
    lat = sorted(latencies)
    pick = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000  # noqa: E731
    return f"{len(lat):6d} requests  p50 {pick(.5):7.1f} ms  p95 {pick(.95):7.1f} ms  p99 {pick(.99):7.1f} ms"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1500, help="generated documents in the new corpus")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--reindex-after", type=float, default=5.0, help="seconds into the load")
    parser.add_argument("--threads", type=int, default=4, help="waitress threads of `bayon serve`")
    args = parser.parse_args(argv)

    from indexer.build import build_index
    from indexer.search import SearchService

    with tempfile.TemporaryDirectory(prefix="bayon-load-") as tmp:
        tmp = Path(tmp)
        index_dir = tmp / "index"
        started = time.perf_counter()
        build_index(PROJECT_ROOT / "corpus", index_dir, progress=False)
        old = SearchService(index_dir)
        doc_ids = [r["id"] for r in old.search(per_page=100)["results"]]
        old.close()
        corpus = make_new_corpus(tmp, args.docs)
        print(f"old index: real corpus, {len(doc_ids)} documents; new corpus: {len(doc_ids)} real + "
              f"{args.docs} generated + 1 marker (prepared in {time.perf_counter() - started:.0f} s)", flush=True)

        port = free_port()
        server_log = open(tmp / "server.log", "w+", encoding="utf-8")
        server = start_server(index_dir, port, threads=args.threads, stderr=server_log)
        stop, t0 = threading.Event(), time.perf_counter()
        clients = [Client(port, seed, doc_ids, stop, t0) for seed in range(args.clients)]
        for c in clients:
            c.start()

        found_at: list[float] = []

        def watch_marker():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            while not stop.is_set() and not found_at:
                conn.request("GET", f"/api/search?q={MARKER_WORD}")
                body = json.loads(conn.getresponse().read())
                if body["total"] == 1 and body["results"][0]["id"] == MARKER_ID:
                    found_at.append(time.perf_counter() - t0)
                time.sleep(0.25)
            conn.close()

        watcher = threading.Thread(target=watch_marker, daemon=True)
        watcher.start()
        time.sleep(args.reindex_after)
        index_start = time.perf_counter() - t0
        indexer = subprocess.Popen([sys.executable, "-m", "bayon", "index", "--corpus", str(corpus),
                                    "--index-dir", str(index_dir), "-q"], cwd=PROJECT_ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        index_end = None
        while time.perf_counter() - t0 < args.duration:
            if index_end is None and indexer.poll() is not None:
                index_end = time.perf_counter() - t0
            time.sleep(0.1)
        stop.set()
        for c in clients:
            c.join()
        watcher.join(timeout=60)
        index_output = indexer.communicate()[0] if index_end is not None else ""
        if index_end is None:
            indexer.kill()
            indexer.wait()
        server_alive = server.poll() is None
        stuck = any(c.is_alive() for c in clients) or any(c.errors for c in clients)
        if stuck and server_alive:  # show where the server's threads are
            os.kill(server.pid, signal.SIGUSR1)
            time.sleep(1)
        server.terminate()
        server.wait(timeout=10)
        server_log.seek(0)
        server_output = server_log.read()
        server_log.close()

    samples = [s for c in clients for s in c.samples]
    errors = [e for c in clients for e in c.errors]
    statuses = Counter(s[2] for s in samples)
    wall = max(s[0] + s[1] for s in samples) if samples else 0.0
    print(f"\n== {args.clients} clients for {args.duration:.0f} s against bayon serve ({args.threads} waitress threads)")
    print(f"   requests: {len(samples)} ({len(samples) / wall:.0f}/s)   statuses: "
          + ", ".join(f"{'conn error' if k == 0 else k}: {n}" for k, n in sorted(statuses.items())))
    print(f"   failed requests: {len(errors)}")
    print(f"   bayon index: started at {index_start:.1f} s, "
          + (f"finished at {index_end:.1f} s ({index_end - index_start:.1f} s): {index_output.strip()}"
             if index_end is not None else "NOT finished within the load window"))
    print(f"   marker document (new corpus only) first found at: "
          + (f"{found_at[0]:.1f} s, same server process (pid {server.pid})" if found_at else "NEVER"))
    print(f"   server still running at the end: {server_alive}")
    end = index_end if index_end is not None else args.duration
    print(f"   all          {percentiles([s[1] for s in samples])}")
    print(f"   before index {percentiles([s[1] for s in samples if s[0] < index_start])}")
    print(f"   during index {percentiles([s[1] for s in samples if index_start <= s[0] < end])}")
    print(f"   after switch {percentiles([s[1] for s in samples if s[0] >= end])}")
    for error in errors[:10]:
        print("   FAIL", error)
    if errors:
        print("--- server stderr (last 8000 characters) ---\n" + server_output[-8000:])
    ok = not errors and found_at and index_end is not None and server_alive
    print("\nRESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
