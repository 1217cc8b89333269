"""Fast variant of bench/load_reindex.py: concurrent requests through one app while full builds switch the
index under it (twice, so the generation first served is pruned while the service may still hold it).
Zero failed requests, and the new documents are served without re-creating the app."""
from __future__ import annotations

import json
import threading
from pathlib import Path

from indexer.build import build_index
from indexer.search import SearchService
from webui import create_app

FIELDS = ("id", "title", "organisation", "doc_type", "date", "language", "url", "body")
URLS = ["/api/search?q=rights", "/search?q=%E1%9E%9F%E1%9E%B7%E1%9E%91%E1%9F%92%E1%9E%92%E1%9E%B7",  # សិទ្ធិ
        "/api/search?organisation=LICADHO&language=en&sort=date", "/search?q=detention&page=2&per_page=5",
        "/api/search?q=human+rights+%E1%9E%9F%E1%9E%B7%E1%9E%91%E1%9F%92%E1%9E%92%E1%9E%B7&year=2015.."]


def write_corpus(path: Path, records) -> Path:
    (path / "documents").mkdir(parents=True, exist_ok=True)
    with open(path / "documents" / "real.jsonl", "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps({k: v for k, v in r.to_dict().items() if k in FIELDS and v is not None},
                               ensure_ascii=False) + "\n")
    return path


def test_requests_during_two_switches_all_succeed_and_see_the_new_index(tmp_path, corpus_records):
    root = tmp_path / "index"
    first = len(corpus_records) // 3
    build_index(write_corpus(tmp_path / "c1", corpus_records[:first]), root, progress=False)
    service = SearchService(root)
    app = create_app(service=service)
    assert app.test_client().get("/api/search").get_json()["total"] == first

    stop, failures, counts = threading.Event(), [], []

    def client(offset: int) -> None:
        http, done = app.test_client(), 0
        while not stop.is_set():
            url = URLS[(offset + done) % len(URLS)]
            response = http.get(url)
            if response.status_code != 200:
                failures.append((url, response.status_code, response.get_data()[:200]))
            done += 1
        counts.append(done)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    try:
        middle = len(corpus_records) * 2 // 3
        build_index(write_corpus(tmp_path / "c2", corpus_records[:middle]), root, progress=False)
        build_index(write_corpus(tmp_path / "c3", corpus_records), root, progress=False)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert not failures, failures[:3]
    assert sum(counts) >= 20, counts  # the requests really overlapped the builds
    assert len(list(root.glob("gen-*"))) == 2  # the first generation was pruned meanwhile
    latest = corpus_records[-1]
    assert app.test_client().get("/api/search").get_json()["total"] == len(corpus_records)
    assert app.test_client().get(f"/api/documents/{latest.id}").get_json()["title"] == latest.title
    service.close()
