"""Serving under hostile load (issue 15): searches do not queue behind one another, each search has a
time budget, deep nesting is plain words, caches are bounded in bytes, long bodies are shown in parts,
slow clients are cut off, and the Host header is never echoed. The stall itself is measured by
bench/hostile_load.py (latency figures in docs/reliability.md), not by a timed test here."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import tracemalloc

import pytest
from click.testing import CliRunner

from bench.http_fuzz import PROJECT_ROOT, free_port
from indexer.search import SearchRequest, SearchService
from webui import create_app

DEEP = "(" * 400 + "detention" + ")" * 400  # 809 characters: past any recursion limit when parsed recursively
NOTS = "NOT " * 240 + "detention"


# --------------------------------------------------------------------------- concurrency
def _meeting_point(monkeypatch, module, name, parties=2):
    """Patch module.name so that each call waits until `parties` calls are inside it at once; a
    call that waits 20 s in vain breaks the barrier (the callers were serialised)."""
    barrier = threading.Barrier(parties, timeout=20)
    original = getattr(module, name)

    def meet(*args, **kwargs):
        barrier.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, meet)
    return barrier


def _run_together(*calls):
    errors, results = [], [None] * len(calls)

    def run(i, call):
        try:
            results[i] = call()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def test_two_searches_run_at_the_same_time(monkeypatch, real_index_dir):
    import indexer.search

    service = SearchService(real_index_dir)
    service.search(q="rights")  # the generation is open
    _meeting_point(monkeypatch, indexer.search, "multi_select_counts")
    a, b = _run_together(lambda: service.search(q="detention"), lambda: service.search(q="ការឃុំខ្លួន"))
    assert a["total"] > 0 and b["total"] > 0
    assert a["results"][0]["id"] != b["results"][0]["id"] or a["query"] != b["query"]


def test_a_document_page_and_a_search_run_at_the_same_time(monkeypatch, real_index_dir, corpus_records):
    import indexer.search

    service = SearchService(real_index_dir)
    service.search(q="rights")
    barrier = threading.Barrier(2, timeout=20)
    met = threading.local()
    for name in ("multi_select_counts", "match_spans"):
        original = getattr(indexer.search, name)

        def meet(*args, _original=original, **kwargs):
            if not getattr(met, "done", False):  # each thread's first call (the body, not the title)
                met.done = True
                barrier.wait()
            return _original(*args, **kwargs)

        monkeypatch.setattr(indexer.search, name, meet)
    doc_id = corpus_records[0].id
    found, record = _run_together(lambda: service.search(q="detention"), lambda: service.document(doc_id))
    assert found["total"] > 0 and record["id"] == doc_id


def test_concurrent_searches_on_many_threads_agree_with_one_thread(real_index_dir):
    queries = ["detention", "land rights", "ការឃុំខ្លួន", "torture OR prison", "title:report", "សិទ្ធិមនុស្ស"]
    alone = SearchService(real_index_dir)
    expected = {q: [r["id"] for r in alone.search(q=q, per_page=20)["results"]] for q in queries}
    shared = SearchService(real_index_dir)
    failures = []

    def worker(n):
        for i in range(12):
            q = queries[(n + i) % len(queries)]
            got = [r["id"] for r in shared.search(q=q, per_page=20)["results"]]
            if got != expected[q]:
                failures.append((q, got))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not failures, failures[:2]


# --------------------------------------------------------------------------- time budget
def test_past_the_budget_snippets_are_unmarked_and_no_suggestion_is_made(real_index_dir):
    full = SearchService(real_index_dir).search(q="detension prison")
    assert full["degraded"] == [] and full["suggestion"] == "detention prison"
    assert any("<mark>" in r["snippet"] for r in full["results"])
    cheap = SearchService(real_index_dir, budget_seconds=0).search(q="detension prison")
    assert cheap["degraded"] == ["snippets", "suggestion"] and cheap["suggestion"] is None
    assert [r["id"] for r in cheap["results"]] == [r["id"] for r in full["results"]]  # the same answer
    assert cheap["total"] == full["total"]
    assert all("<mark>" not in r["snippet"] and r["snippet"] for r in cheap["results"])


def test_the_degraded_field_is_in_the_schema(real_index_dir):
    import jsonschema

    schema = json.loads((PROJECT_ROOT / "indexer" / "search_schema.json").read_text())
    jsonschema.validate(SearchService(real_index_dir, budget_seconds=0).search(q="prison"), schema)
    assert "degraded" in schema["properties"]


# --------------------------------------------------------------------------- deep nesting
def test_deep_nesting_is_searched_as_plain_words(search_service):
    from indexer.queryparse import MAX_DEPTH, Group, Word, parse

    assert parse(DEEP) == Group([Word("detention")])
    plain = search_service.search(q="detention")
    deep = search_service.search(q=DEEP)
    assert deep["total"] == plain["total"] > 0
    assert [r["id"] for r in deep["results"]] == [r["id"] for r in plain["results"]]
    assert search_service.search(q=NOTS)["total"] >= 0  # NOT applied to NOT 240 times: words, no crash
    nested_ok = "(" * MAX_DEPTH + "detention OR torture" + ")" * MAX_DEPTH  # within the limit: syntax
    assert search_service.search(q=nested_ok)["total"] >= search_service.search(q="detention")["total"]


def test_deep_nesting_over_every_route_and_the_cli(search_service, real_index_dir, corpus_records):
    from bayon.cli import main

    client = create_app(service=search_service).test_client()
    doc_id = corpus_records[0].id
    for q in (DEEP, NOTS, "(" * 326 + ")" * 326):
        for url in ("/search", "/api/search", f"/documents/{doc_id}", f"/api/documents/{doc_id}"):
            response = client.get(url, query_string={"q": q})
            assert response.status_code == 200, (url, q[:20], response.status_code)
    result = CliRunner().invoke(main, ["search", DEEP, "--json", "--index-dir", str(real_index_dir)])
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert json.loads(result.output)["total"] > 0


# --------------------------------------------------------------------------- caches bounded in bytes
def _distinct_khmer_queries(n, seed=5):
    import random

    from bench.khmer_text import source_sentences

    words = sorted({w for s in source_sentences(PROJECT_ROOT / "corpus" / "sources") for w in s.text.split()})
    rng = random.Random(seed)
    return ["".join(rng.choice(words) for _ in range(120))[:900] for _ in range(n)]


def test_analysis_memory_is_flat_under_distinct_long_khmer_queries(monkeypatch):
    import analyzers.khmer_words as khmer_words
    import analyzers.segment as segment
    from indexer.schema import text_analyzers

    # the byte budgets made small, so the test reaches the plateau in a few hundred queries
    for cached in (khmer_words._words_of_run, segment._segment_cached):
        cached.cache_clear()
        monkeypatch.setattr(cached.cache, "max_bytes", 256 * 1024)
    mixed, subword = text_analyzers()
    queries = _distinct_khmer_queries(240)

    def analyse(batch):
        for q in batch:
            [t.text for t in mixed(q, mode="query")]
            [t.text for t in subword(q, mode="query")]

    analyse(queries[:80])  # past the budgets
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        analyse(queries[80:])
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # 160 distinct 900-character runs cost ~40 kB each when kept: 6 MB; kept within budget: ~0
    assert grown < 1024 * 1024, grown
    for cached in (khmer_words._words_of_run, segment._segment_cached):
        assert cached.cache.used <= 256 * 1024


def test_short_word_caches_do_not_keep_long_words():
    from analyzers.english import fold_english
    from analyzers.khmer import normalize_cluster
    from indexer.namekey import name_keys

    for fn, text in ((fold_english, "Cambodia" * 60), (name_keys, "Sokha" * 80), (normalize_cluster, "ក" + "\u17cb" * 500)):
        fn.cache_clear()
        fn(text)
        fn(text[:12])
        assert fn.cache_info().currsize == 1, fn.__name__  # the short one only


# --------------------------------------------------------------------------- long bodies in parts
@pytest.fixture(scope="module")
def big_document_index(tmp_path_factory, corpus_records):
    """An index of one real-text document of about 1.2 MB (the real English bodies, repeated), plus a
    short one. The long body ends with a marker word found nowhere else."""
    from indexer.build import build_index

    root = tmp_path_factory.mktemp("big-doc")
    docs = root / "corpus" / "documents"
    docs.mkdir(parents=True)
    english = "\n\n".join(r.body for r in corpus_records if r.language == "en")
    body = ""
    while len(body) < 1_200_000:
        body += english + "\n\n"
    body += "The last paragraph names zebrafinch once."
    lines = [{"id": "big-report", "title": "A long report", "organisation": "LICADHO", "doc_type": "Report",
              "date": "2024-01-01", "language": "en", "body": body},
             {"id": "short-note", "title": "A short note", "organisation": "LICADHO", "doc_type": "Statement",
              "date": "2024-02-01", "language": "en", "body": "Detention of land activists."}]
    (docs / "big.jsonl").write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n",
                                    encoding="utf-8")
    build_index(root / "corpus", root / "index", progress=False)
    return root / "index", body


def test_a_long_body_is_shown_in_parts_with_bounded_highlighting(big_document_index):
    from indexer.docparts import PART_CHARS

    index, body = big_document_index
    client = create_app(service=SearchService(index)).test_client()
    first = client.get("/api/documents/big-report?q=detention").get_json()
    assert first["body"] == body  # the field stays whole (the contract)
    assert first["body_part"] == 1 and first["body_parts"] == -(-len(body) // PART_CHARS) or first["body_parts"] > 1
    assert 1 < first["body_parts"] <= len(body) // (PART_CHARS - 5000) + 1
    assert "<mark>" in first["body_html"] and len(first["body_html"]) < 2 * PART_CHARS
    last = client.get(f"/api/documents/big-report?q=zebrafinch&part={first['body_parts']}").get_json()
    assert "<mark>zebrafinch</mark>" in last["body_html"] and "zebrafinch" not in first["body_html"]
    for bad in ("0", str(first["body_parts"] + 1), "abc"):
        response = client.get(f"/api/documents/big-report?part={bad}")
        assert response.status_code == 400 and response.get_json()["parameter"] == "part"
    page = client.get("/documents/big-report?q=detention&part=2").get_data(as_text=True)
    assert 'rel="next"' in page and 'rel="prev"' in page and "part=3" in page
    short = client.get("/api/documents/short-note").get_json()
    assert short["body_parts"] == 1 and short["body_part"] == 1


def test_parts_cover_the_body_and_never_cut_a_word_or_cluster(corpus_records):
    from analyzers.khmer import is_cluster_boundary
    from indexer.docparts import part_bounds

    khmer = "".join(r.body for r in corpus_records if r.language == "km")
    for text in (khmer * 3, khmer.replace(" ", "") * 3):
        bounds = part_bounds(text, size=1_000)
        assert bounds[0][0] == 0 and bounds[-1][1] == len(text) and len(bounds) > 2
        assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
        assert all(is_cluster_boundary(text, end) for _, end in bounds)


def test_a_snippet_of_a_long_body_looks_at_a_bounded_prefix(big_document_index):
    index, _ = big_document_index
    result = SearchService(index).search(q="zebrafinch")
    assert result["total"] == 1 and result["results"][0]["id"] == "big-report"
    assert "<mark>" not in result["results"][0]["snippet"]  # the match lies past MAX_SCAN_CHARS


# --------------------------------------------------------------------------- Host header, Vary
def test_the_host_header_is_never_echoed(search_service):
    client = create_app(service=search_service).test_client()
    body = client.get("/opensearch.xml", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in body and 'template="/search?q={searchTerms}' in body
    for path in ("/", "/search?q=rights", "/documents/nope", "/nope"):
        response = client.get(path, headers={"Host": "evil.example"})
        assert "evil.example" not in response.get_data(as_text=True)
        assert "evil.example" not in response.headers.get("Location", "")
    configured = create_app(service=search_service, base_url="https://search.example.org").test_client()
    body = configured.get("/opensearch.xml", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert 'template="https://search.example.org/search?q={searchTerms}' in body and "evil" not in body
    with pytest.raises(ValueError):
        create_app(service=search_service, base_url="javascript:alert(1)")


def test_pages_vary_on_accept_language(search_service):
    client = create_app(service=search_service).test_client()
    response = client.get("/search?q=rights", headers={"Accept-Language": "km"})
    assert "Accept-Language" in response.headers["Vary"] and 'lang="km"' in response.get_data(as_text=True)


# --------------------------------------------------------------------------- slow clients over HTTP
@pytest.fixture(scope="module")
def strict_server(real_index_dir):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bayon", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--index-dir", str(real_index_dir), "--threads", "2", "--request-timeout", "2",
                             "--channel-timeout", "4", "--connection-limit", "300"],
                            cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None and time.monotonic() < deadline, "bayon serve did not start"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    yield port
    proc.terminate()
    proc.wait(timeout=10)


def _get(port):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /api/search?q=rights HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1])


def test_a_trickling_client_is_disconnected_at_the_request_deadline(strict_server):
    with socket.create_connection(("127.0.0.1", strict_server), timeout=15) as sock:
        sock.sendall(b"GET /api/search?q=rights HTTP/1.1\r\n")
        started = time.monotonic()
        closed_after = None
        for i in range(30):  # one header line every 0.3 s: never silent for the channel timeout
            try:
                sock.sendall(b"X-Trickle-%d: x\r\n" % i)
                sock.settimeout(0.3)
                if sock.recv(1) == b"":
                    closed_after = time.monotonic() - started
                    break
            except socket.timeout:
                continue
            except OSError:
                closed_after = time.monotonic() - started
                break
    assert closed_after is not None and closed_after < 6  # 2 s deadline + 2 s cleanup interval


def test_more_trickling_connections_than_waitress_default_limit_leave_room(strict_server):
    socks = []
    try:
        for _ in range(120):  # waitress's default connection_limit is 100
            s = socket.create_connection(("127.0.0.1", strict_server), timeout=5)
            s.sendall(b"GET /search HTTP/1.1\r\nHost: x\r\n")
            socks.append(s)
        assert _get(strict_server) == 200
    finally:
        for s in socks:
            s.close()


def test_a_long_query_while_the_long_query_slot_is_busy_gets_429_at_once(search_service):
    from webui.limits import HEAVY_QUERY_CHARS, install_heavy_query_gate

    app = create_app(service=search_service)
    install_heavy_query_gate(app, 1)
    client = app.test_client()
    long_q = " ".join(["detention"] * (HEAVY_QUERY_CHARS // 9))
    first = client.get("/api/search", query_string={"q": long_q})
    assert first.status_code == 200  # the slot was free
    first.close()  # the WSGI server closes the body: the slot is given back
    gate = app.wsgi_app
    assert gate.slots.acquire(blocking=False)  # a long search is running
    try:
        for url in ("/api/search", "/search", "/documents/x"):
            response = client.get(url, query_string={"q": long_q})
            assert response.status_code == 429 and response.headers["Retry-After"] == "2", url
            assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert client.get("/api/search", query_string={"q": long_q}).get_json()["parameter"] == "q"
        assert client.get("/api/search?q=detention").status_code == 200  # short queries pass
    finally:
        gate.slots.release()
    assert client.get("/api/search", query_string={"q": long_q}).status_code == 200  # the slot was given back
