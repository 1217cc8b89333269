"""Normal users' latency while hostile clients attack `bayon serve` (issue 15), and the server's memory.

    python -m bench.hostile_load --index-dir var/index
    python -m bench.hostile_load --index-dir var/bench/n10000/index

1. starts `bayon serve` (its default limits, --threads) on 127.0.0.1;
2. baseline: --normal clients search for --baseline seconds (keep-alive; real query words, English and
   Khmer, with and without facets, /api/search and /search, some document pages);
3. attack: the same normal clients for --seconds while --hostile clients run, in four kinds (a quarter
   each): long unknown words (1,000 characters of invented Latin words: the "Did you mean" path),
   deep nesting (400 levels of parentheses, NOT chains), long distinct Khmer queries (900 characters,
   a new one each time: the analysis caches), and slow clients (each keeps 15 connections open,
   sending one header line every 3 s, as the probe's 120 connections did);
4. samples the server's RSS from /proc/<pid>/status every second.

Prints the normal clients' p50/p95/p99 with and without the attack, their ratio, failures, the hostile
requests' statuses and the RSS curve; PASS when the p95 ratio is at most 3, no normal request failed
and RSS is flat (the last third's peak within 25 MB of the middle third's). Every loop is bounded by
the clock; the server is stopped at the end.
"""
from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.http_fuzz import PROJECT_ROOT, free_port, start_server

NORMAL_QUERIES = ["detention", "land rights", "torture", "human rights defenders", "prison", "freedom of expression",
                  "eviction", "court", "journalist", "election", "ការឃុំខ្លួន", "សិទ្ធិមនុស្ស", "ដីធ្លី", "តុលាការ",
                  "Sokha", "police", "\"pretrial detention\"", "rights -land", "torture OR prison", ""]
FACETS = [{}, {}, {"language": "en"}, {"sort": "date"}, {"year": "2015..2024"}, {"page": "2"}]
KINDS = ("unknown_words", "deep_nesting", "long_khmer", "slow_headers")
SLOW_CONNECTIONS = 15  # per slow client
SLOW_EVERY = 3.0  # seconds between two header lines of a slow client


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class Client:
    """One keep-alive HTTP connection; reconnects after an error."""

    def __init__(self, port: int, timeout: float = 60.0):
        self.port, self.timeout, self.conn = port, timeout, None

    def get(self, target: str) -> int:
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request("GET", target)
                response = self.conn.getresponse()
                response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt == 2:
                    raise
        return 0

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def doc_ids(port: int) -> list[str]:
    client = Client(port)
    client.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    client.conn.request("GET", "/api/search?per_page=100")
    data = json.loads(client.conn.getresponse().read())
    client.close()
    return [r["id"] for r in data["results"]]


def normal_client(port, stop, latencies, failures, seed, ids):
    rng = random.Random(seed)
    client = Client(port)
    while not stop.is_set():
        if rng.random() < 0.1 and ids:
            target = f"/documents/{quote(rng.choice(ids))}?q={quote(rng.choice(NORMAL_QUERIES))}"
        else:
            params = {"q": rng.choice(NORMAL_QUERIES), **rng.choice(FACETS)}
            target = rng.choice(("/api/search", "/search")) + "?" + urlencode(params)
        started = time.perf_counter()
        try:
            status = client.get(target)
        except Exception as error:  # noqa: BLE001 - a failure of the server under test, counted
            failures.append(f"{target[:60]}: {type(error).__name__}")
            continue
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            failures.append(f"{target[:60]}: {status}")
    client.close()


def _unknown_words(rng):
    letters = "bcdfghjklmnpqrstvwxz"
    words = ["".join(rng.choice(letters + "aeiou") for _ in range(rng.randrange(9, 20))) for _ in range(80)]
    return " ".join(words)[:1000]


def _deep(rng):
    word = rng.choice(["detention", "torture", "rights"])
    if rng.random() < 0.5:
        return "(" * 400 + word + ")" * 400
    return "NOT " * 240 + word


def hostile_client(kind, port, stop, statuses, seed, khmer_words):
    rng = random.Random(seed)
    if kind == "slow_headers":
        return slow_client(port, stop, statuses)
    client = Client(port, timeout=120)
    while not stop.is_set():
        if kind == "unknown_words":
            q = _unknown_words(rng)
        elif kind == "deep_nesting":
            q = _deep(rng)
        else:
            q = "".join(rng.choice(khmer_words) for _ in range(150))[:900]
        route = rng.choice(("/api/search", "/search"))
        try:
            statuses[kind][client.get(route + "?" + urlencode({"q": q}))] += 1
        except Exception as error:  # noqa: BLE001
            statuses[kind][type(error).__name__] += 1


def slow_client(port, stop, statuses):
    """Keep SLOW_CONNECTIONS connections sending one header line every SLOW_EVERY seconds; reopen
    each one the server closes."""
    socks: list = [None] * SLOW_CONNECTIONS
    line = 0
    while not stop.is_set():
        for i in range(SLOW_CONNECTIONS):
            try:
                if socks[i] is None:
                    socks[i] = socket.create_connection(("127.0.0.1", port), timeout=5)
                    socks[i].sendall(b"GET /search?q=rights HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                    statuses["slow_headers"]["opened"] += 1
                socks[i].sendall(b"X-Slow-%d: %s\r\n" % (line, b"x" * 20))
            except OSError:
                statuses["slow_headers"]["closed by the server"] += 1
                if socks[i] is not None:
                    socks[i].close()
                socks[i] = None
        line += 1
        stop.wait(SLOW_EVERY)
    for s in socks:
        if s is not None:
            s.close()


def run_phase(port, seconds, normal, hostile, ids, khmer_words, pid, rss_samples, kinds=KINDS):
    stop = threading.Event()
    latencies: list[float] = []
    failures: list[str] = []
    statuses = {kind: Counter() for kind in KINDS}
    threads = [threading.Thread(target=normal_client, args=(port, stop, latencies, failures, 100 + n, ids))
               for n in range(normal)]
    threads += [threading.Thread(target=hostile_client,
                                 args=(kinds[n % len(kinds)], port, stop, statuses, 500 + n, khmer_words))
                for n in range(hostile)]
    for t in threads:
        t.daemon = True
        t.start()
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        time.sleep(1.0)
        rss_samples.append((round(time.monotonic() - started), rss_mb(pid)))
    stop.set()
    deadline = time.monotonic() + 30  # a hostile request still running is left to its daemon thread
    for t in threads:
        t.join(max(0.1, deadline - time.monotonic()))
    return latencies, failures, statuses


def summary(name, latencies):
    return (f"{name:<16} {len(latencies):6d} requests  p50 {percentile(latencies, 50):8.1f} ms  "
            f"p95 {percentile(latencies, 95):8.1f} ms  p99 {percentile(latencies, 99):8.1f} ms")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, default=PROJECT_ROOT / "var" / "index")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the attack")
    parser.add_argument("--baseline", type=float, default=30.0, help="length of the run without the attack")
    parser.add_argument("--normal", type=int, default=4)
    parser.add_argument("--hostile", type=int, default=32)
    parser.add_argument("--threads", type=int, default=4, help="bayon serve --threads")
    parser.add_argument("--kinds", default=",".join(KINDS), help="the hostile kinds to run (comma-separated)")
    args = parser.parse_args(argv)

    from bench.khmer_text import source_sentences

    khmer_words = sorted({w for s in source_sentences(PROJECT_ROOT / "corpus" / "sources") for w in s.text.split()})
    port = free_port()
    proc = start_server(args.index_dir, port, threads=args.threads, stderr=subprocess_devnull())
    try:
        ids = doc_ids(port)
        for q in NORMAL_QUERIES:  # warm the caches the normal load uses, as a running site has them
            Client(port).get("/api/search?" + urlencode({"q": q}))
        rss_base: list = []
        base_lat, base_fail, _ = run_phase(port, args.baseline, args.normal, 0, ids, khmer_words, proc.pid, rss_base)
        rss_attack: list = []
        kinds = tuple(k for k in args.kinds.split(",") if k in KINDS)
        lat, fail, statuses = run_phase(port, args.seconds, args.normal, args.hostile, ids, khmer_words,
                                        proc.pid, rss_attack, kinds)
        alive = proc.poll() is None
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except Exception:  # noqa: BLE001
            proc.kill()

    ratio = percentile(lat, 95) / percentile(base_lat, 95)
    third = max(1, len(rss_attack) // 3)
    middle = max((r for _, r in rss_attack[third:2 * third]), default=float("nan"))
    last = max((r for _, r in rss_attack[2 * third:]), default=float("nan"))
    flat = last - middle <= 25
    print(f"== {args.normal} normal clients, {args.hostile} hostile ({', '.join(KINDS)}) for {args.seconds:.0f} s; "
          f"bayon serve --threads {args.threads} on {args.index_dir}")
    print(summary("without attack", base_lat), f" failed {len(base_fail)}")
    print(summary("under attack", lat), f" failed {len(fail)}")
    print(f"p95 ratio (under attack / without): {ratio:.2f}")
    for kind in KINDS:
        print(f"hostile {kind:<14} {dict(statuses[kind])}")
    print("RSS MB: before attack " + f"{rss_base[-1][1]:.0f}" if rss_base else "", "| during attack (s: MB) "
          + " ".join(f"{t}:{r:.0f}" for t, r in rss_attack[::max(1, len(rss_attack) // 12)]))
    print(f"RSS peak middle third {middle:.0f} MB, last third {last:.0f} MB: {'flat' if flat else 'GROWING'}")
    print(f"server still running: {alive}")
    if fail:
        print("normal failures (first 5):", fail[:5])
    ok = ratio <= 3 and not fail and flat and alive
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


def subprocess_devnull():
    import subprocess

    return subprocess.DEVNULL


if __name__ == "__main__":
    sys.exit(main())
