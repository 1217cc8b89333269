"""HTTP fuzz of the web UI: hostile URLs against /search, /api/search and the document routes.

Every answer must be results (200), a 400 whose JSON names the parameter (or whose HTML page shows
it), a 404 for an unknown document or path, or a 414 for an over-long query string: never a 5xx.

    .venv/bin/python bench/http_fuzz.py [--index-dir DIR] [--requests 50000] [--http-requests 5000]

In-process through Flask's test client (the volume), then over real HTTP against `bayon serve`
(waitress) on 127.0.0.1 with raw request lines (bytes a browser would never send). Without
--index-dir an index is built from corpus/ into a temporary directory first. Prints figures;
exits 1 on any 5xx or contract violation.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

ROUTES = ("/search", "/", "/api/search", "/api/documents/{id}", "/documents/{id}")
PARAMS = ("q", "organisation", "doc_type", "year", "language", "sort", "page", "per_page", "lang")
KHMER_BASES = [chr(c) for c in range(0x1780, 0x17B4)]
KHMER_MARKS = [chr(c) for c in range(0x17B6, 0x17D4)] + ["\u17D2", "\u17DD", "\u200B", "\u200C", "\u200D"]
SYNTAX = ['"', "(", ")", "AND", "OR", "NOT", "-", "title:", "org:", "type:", "year:", "lang:", "..",
          "*", "?", "~", "^", "\\", ":", "'", "+", "&&", "||", "year:..", "year:2019..", "title:\""]
LIMIT_VALUES = {  # the named hostile values and the edges of the documented limits
    "year": ["abc", "20199", "2019..2018", "..", "2019...2020", "-1", "2019 ..2021", "\u17e2\u17e0\u17e1\u17e9"],
    "page": ["-1", "0", str(10**9), str(10**6), str(10**6 + 1), "1e3", "0x10", " 2", "٣", "9" * 400],
    "per_page": [str(10**6), "0", "101", "100", "-5", "abc", "1.5", "\u0000"],
    "sort": ["oldest", "", "DATE", "relevance\u0000"],
    "lang": ["fr", "", "km\u0000", "../en"],
}
TRAVERSAL = ["../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..\\..\\app.py",
             "%2e%2e", "..", ".", "%00", "x%00.py", "%252e%252e%252f", "....//....//", "%c0%ae%c0%ae/",
             "/etc/passwd", "C:\\Windows\\win.ini", "%5c..%5c..%5cpyproject.toml", "static/../webui/app.py"]
STATIC_PATHS = ["/static/../webui/app.py", "/static/%2e%2e/app.py", "/static/..%5capp.py", "/static/%00",
                "/static/style.css%00.py", "/static/fonts/..%2f..%2fapp.py", "/static/\\..\\app.py"]


class Fuzzer:
    """Random hostile requests as (path, raw query string bytes); real words and ids mixed in."""

    def __init__(self, seed: int, words: list[str], doc_ids: list[str]):
        self.rng = random.Random(seed)
        self.words, self.doc_ids = words, doc_ids

    def text(self) -> str:
        rng = self.rng
        kind = rng.randrange(9)
        if kind == 0:  # random Unicode from every plane (lone surrogates encode as invalid UTF-8 below)
            return "".join(chr(rng.randrange(0x110000)) for _ in range(rng.randrange(1, 40)))
        if kind == 1:  # Khmer-heavy: bases, subscripts (coeng), vowels and marks in any order, zero-widths
            return "".join(rng.choice(KHMER_BASES if rng.random() < 0.5 else KHMER_MARKS)
                           for _ in range(rng.randrange(1, 60)))
        if kind == 2:  # long: up to 10,000 characters
            unit = rng.choice(["x", "ស៊ីវិល ", "rights ", "\u17D2", "\u0000", "(\"", "a" * 7 + " "])
            return (unit * 10_000)[: rng.choice([1000, 1001, 4000, 10_000])]
        if kind == 3:  # NUL and control characters
            return "".join(chr(rng.choice([*range(0, 32), 127, *range(0x80, 0xA0), 0x2028, 0xFEFF]))
                           for _ in range(rng.randrange(1, 12))) + rng.choice(self.words)
        if kind == 4:  # unbalanced / nested syntax around real words
            return " ".join(rng.choice(SYNTAX + self.words) for _ in range(rng.randrange(1, 12)))
        if kind == 5:
            return rng.choice(self.words)
        if kind == 6:
            return " ".join(rng.sample(self.words, k=min(len(self.words), rng.randrange(1, 5))))
        if kind == 7:
            return ""
        return rng.choice(["<script>alert(1)</script>", "'; DROP TABLE x;--", "${jndi:ldap://x}", "{{7*7}}",
                           "%s%s%n", "\ud800", "\U0001F600" * 30, "ﷺ" * 50, "\u202Eevil"])

    def value(self, name: str) -> str:
        if name in LIMIT_VALUES and self.rng.random() < 0.6:
            return self.rng.choice(LIMIT_VALUES[name])
        if name == "year" and self.rng.random() < 0.5:
            return self.rng.choice(["2019", "2015..2020", "2021..", "..2018"])
        if name == "organisation" and self.rng.random() < 0.5:
            return self.rng.choice(["LICADHO", "CCHR", "CIVICUS", "licadho"])
        return self.text()

    def query_string(self) -> bytes:
        rng = self.rng
        pairs = []
        for _ in range(rng.randrange(0, 6)):
            name = rng.choice(PARAMS) if rng.random() < 0.9 else self.text()[:20]
            for _ in range(2 if rng.random() < 0.15 else 1):  # repeated parameters
                pairs.append((name, self.value(name)))
        encoded = [_encode(n, rng) + b"=" + _encode(v, rng) for n, v in pairs]
        if rng.random() < 0.05:
            encoded.append(rng.choice([b"%zz", b"%", b"q=%e1%9e", b"q=%ff%fe", b"=x", b"&&", b"q", b"q=%00"]))
        return b"&".join(encoded)

    def path(self) -> str:
        rng = self.rng
        route = rng.choice(ROUTES) if rng.random() < 0.97 else rng.choice(STATIC_PATHS)
        if "{id}" in route:
            doc_id = rng.choice(self.doc_ids)
            r = rng.random()
            if r < 0.3:
                doc_id = rng.choice(TRAVERSAL)
            elif r < 0.5:
                doc_id = quote(self.text()[:200].encode("utf-8", "surrogatepass"), safe="")
            elif r < 0.6:
                doc_id = doc_id + rng.choice(["%00", "%2f..", "\\..", "%2e%2e", "'", "%20"])
            route = route.replace("{id}", doc_id)
        return route

    def request(self) -> tuple[str, bytes]:
        return self.path(), self.query_string()


def _encode(text: str, rng: random.Random) -> bytes:
    """Percent-encode as UTF-8 (lone surrogates become invalid bytes), sometimes with raw '+' spaces."""
    raw = text.encode("utf-8", "surrogatepass")
    out = quote(raw, safe="")
    return (out.replace("%20", "+") if rng.random() < 0.5 else out).encode("ascii")


def corpus_vocabulary(service) -> tuple[list[str], list[str]]:
    """Real words (English and Khmer) from titles, and every document id, from the index."""
    from indexer.search import SearchRequest

    words, ids = set(), []
    page = 1
    while True:
        res = service.search(SearchRequest(per_page=100, page=page))
        for item in res["results"]:
            ids.append(item["id"])
            words.update(w.strip('.,:;()"\'') for w in item["title"].split())
        if page * 100 >= res["total"]:
            break
        page += 1
    return sorted(w for w in words if w), ids


# --------------------------------------------------------------------------- checking one answer
def verdict(path: str, query: bytes, status: int, content_type: str, body: bytes) -> str | None:
    """None when the answer keeps the contract, else what is wrong."""
    if status >= 500:
        return f"{status} server error"
    if status == 431:  # waitress refuses a request line + headers over 16 kB before the app runs
        return None if b"Request Header Fields Too Large" in body else "431 without its reason"
    if status not in (200, 400, 404, 414):
        return f"unexpected status {status}"
    is_api = path.startswith("/api/")
    if is_api and "json" not in content_type:
        return f"API answered {content_type!r}"
    if status in (400, 404, 414) and is_api:
        try:
            payload = json.loads(body)
        except ValueError:
            return "API error is not JSON"
        if not payload.get("error"):
            return "API error without a message"
        if status == 400 and payload.get("parameter") is None:  # "" is a real (blank) parameter name
            return "API 400 does not name the parameter"
    if status == 400 and not is_api and b"class=\"error\"" not in body and b"role=\"alert\"" not in body:
        if b"\xe2\x80\x9c" not in body:  # the page quotes the parameter name: “name”
            return "HTML 400 without the message"
    if b"Traceback" in body or b"root:x:0" in body or b"def create_app" in body:
        return "leaked internals or a file"
    return None


class Tally:
    def __init__(self):
        self.status = Counter()
        self.by_route = Counter()
        self.failures: list[str] = []
        self.lock = threading.Lock()
        self.latencies: list[float] = []

    def add(self, path, query, status, content_type, body, seconds):
        problem = verdict(path, query, status, content_type, body)
        route = "/api/documents/<id>" if path.startswith("/api/documents/") else (
            "/documents/<id>" if path.startswith("/documents/") else
            ("/static/..." if path.startswith("/static/") else path))
        with self.lock:
            self.status[status] += 1
            self.by_route[(route, status)] += 1
            self.latencies.append(seconds)
            if problem:
                self.failures.append(f"{problem}: {path}?{query[:200]!r}")

    @property
    def total(self) -> int:
        return sum(self.status.values())

    def report(self, label: str, seconds: float) -> None:
        lat = sorted(self.latencies)
        pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else 0.0  # noqa: E731
        print(f"\n== {label}: {self.total} requests in {seconds:.1f} s ({self.total / seconds:.0f}/s)")
        print("   status: " + ", ".join(f"{code}: {n}" for code, n in sorted(self.status.items())))
        print(f"   5xx: {sum(n for c, n in self.status.items() if c >= 500)}   contract violations: "
              f"{len(self.failures)}   latency p50 {pct(.5):.1f} ms, p95 {pct(.95):.1f} ms, p99 {pct(.99):.1f} ms")
        routes = sorted({r for r, _ in self.by_route})
        for route in routes:
            counts = ", ".join(f"{c}: {n}" for (r, c), n in sorted(self.by_route.items()) if r == route)
            print(f"   {route:22} {counts}")
        for failure in self.failures[:15]:
            print("   FAIL", failure)


# --------------------------------------------------------------------------- in-process
def run_in_process(app, fuzzer: Fuzzer, n: int, tally: Tally, progress: bool = True) -> None:
    client = app.test_client()
    for i in range(n):
        path, query = fuzzer.request()
        started = time.perf_counter()
        try:
            response = client.get(path, query_string=query.decode("ascii"))
            status, ctype, body = response.status_code, response.content_type or "", response.get_data()
        except Exception as error:  # the client itself failing on an input is a finding too
            status, ctype, body = 599, "", repr(error).encode()
        tally.add(path, query, status, ctype, body, time.perf_counter() - started)
        if progress and (i + 1) % 5000 == 0:
            print(f"   ... {i + 1} requests, {tally.total - tally.status[200]} non-200, "
                  f"{len(tally.failures)} violations", flush=True)


# --------------------------------------------------------------------------- over HTTP
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# `bayon serve` with SIGUSR1 dumping every thread's stack to stderr (diagnosis of a stuck server).
SERVE_WITH_STACK_DUMPS = ("import faulthandler, signal, sys; faulthandler.register(signal.SIGUSR1, all_threads=True); "
                          "from bayon.cli import main; sys.argv[0] = 'bayon'; main()")


def start_server(index_dir: Path, port: int, threads: int = 4, stderr=subprocess.PIPE,
                 timeout: float = 60) -> subprocess.Popen:
    """`bayon serve` on 127.0.0.1:port; returns once it accepts connections (it listens only after
    opening the index and warming up). `kill -USR1` dumps its threads' stacks."""
    proc = subprocess.Popen([sys.executable, "-c", SERVE_WITH_STACK_DUMPS, "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--index-dir", str(index_dir), "--threads", str(threads)],
                            cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"bayon serve exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"bayon serve did not start within {timeout:.0f} s")


def raw_get(port: int, target: bytes, timeout: float = 30.0) -> tuple[int, str, bytes]:
    """Send one GET with a raw request target (bytes as given, no client-side quoting); read the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, response.getheader("Content-Type") or "", response.read()


def run_over_http(port: int, fuzzer: Fuzzer, n: int, tally: Tally, clients: int = 4) -> None:
    lock = threading.Lock()
    todo = [fuzzer.request() for _ in range(n)]

    def worker():
        while True:
            with lock:
                if not todo:
                    return
                path, query = todo.pop()
            target = path.encode("utf-8", "surrogatepass") + (b"?" + query if query else b"")
            target = target.replace(b" ", b"%20")
            started = time.perf_counter()
            try:
                status, ctype, body = raw_get(port, target)
            except Exception as error:  # a dropped connection counts as a failed request
                status, ctype, body = 598, "", repr(error).encode()
            tally.add(path, query, status, ctype, body, time.perf_counter() - started)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, help="an index root (default: build one from corpus/)")
    parser.add_argument("--requests", type=int, default=50_000, help="in-process requests (default 50,000)")
    parser.add_argument("--http-requests", type=int, default=5_000, help="requests over real HTTP (default 5,000)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    os.nice(5)  # the machine is shared

    with tempfile.TemporaryDirectory(prefix="bayon-fuzz-") as tmp:
        index_dir = args.index_dir
        if index_dir is None:
            from indexer.build import build_index

            index_dir = Path(tmp) / "index"
            build_index(PROJECT_ROOT / "corpus", index_dir, progress=False)
        from indexer.search import SearchService
        from webui import create_app

        service = SearchService(index_dir)
        words, ids = corpus_vocabulary(service)
        print(f"index {index_dir}: {len(ids)} documents, {len(words)} title words as seeds")
        import logging

        app = create_app(service=service)
        app.logger.setLevel(logging.CRITICAL)  # expected 503/500 logs would flood the output
        failed = False
        if args.requests:
            tally, started = Tally(), time.perf_counter()
            run_in_process(app, Fuzzer(args.seed, words, ids), args.requests, tally)
            tally.report("in-process (Flask test client)", time.perf_counter() - started)
            failed |= bool(tally.failures)
        if args.http_requests:
            port = free_port()
            server = start_server(index_dir, port)
            try:
                tally, started = Tally(), time.perf_counter()
                run_over_http(port, Fuzzer(args.seed + 1, words, ids), args.http_requests, tally)
                tally.report(f"over HTTP (bayon serve, waitress, 127.0.0.1:{port}, 4 clients)",
                             time.perf_counter() - started)
                failed |= bool(tally.failures)
            finally:
                server.terminate()
                server.wait(timeout=10)
        service.close()
    print("\nRESULT:", "FAIL" if failed else "PASS (zero 5xx, every answer within the contract)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
