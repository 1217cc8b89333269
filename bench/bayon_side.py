"""bayon measured through its public contracts: indexer.build.build_index, indexer.search.SearchService
and /api/search of webui.create_app (Flask test client)."""
from __future__ import annotations

import time
from pathlib import Path

from bench.latency import summarize


def directory_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def index_bytes(index_root: Path) -> int:
    """Size of the generation CURRENT points to (older generations kept for rollback are not counted)."""
    from indexer import layout

    return directory_bytes(layout.require_current(Path(index_root)))


def build(corpus_dir: Path, index_root: Path, *, incremental: bool = False, procs: int = 1,
          multisegment: bool = False, progress: bool = True) -> dict:
    from indexer.build import build_index

    started = time.perf_counter()
    if incremental:
        report = build_index(corpus_dir, index_root, incremental=True, progress=progress)
    else:
        report = build_index(corpus_dir, index_root, progress=progress, procs=procs, multisegment=multisegment)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "docs": report.documents, "added": report.added, "updated": report.updated,
            "deleted": report.deleted, "unchanged": report.unchanged, "incremental": report.incremental,
            "bytes": index_bytes(index_root)}


def _timed(queries: list[dict], run, warmup: int) -> dict:
    for item in queries[:warmup]:
        run(item["q"])
    timings: dict[str, list[float]] = {}
    hits: dict[str, list[int]] = {}
    matched: dict[str, list[str]] = {}
    for item in queries:
        started = time.perf_counter()
        answer = run(item["q"])
        timings.setdefault(item["kind"], []).append(time.perf_counter() - started)
        hits.setdefault(item["kind"], []).append(answer["total"])
        matched.setdefault(item["kind"], []).append(answer.get("matched", "all"))
    return summarize(timings, hits, matched)


def measure_service(service, queries: list[dict], warmup: int = 20) -> dict:
    """Latency of SearchService.search (top 10, all four facet counts) per query kind."""
    from indexer.search import SearchRequest

    return _timed(queries, lambda q: service.search(SearchRequest(q=q)), warmup)


def measure_api(service, queries: list[dict], warmup: int = 20) -> dict:
    """Latency of GET /api/search?q=... through the Flask app (test client: no sockets) per query kind."""
    from webui import create_app

    client = create_app(service=service).test_client()

    def run(q: str) -> dict:
        response = client.get("/api/search", query_string={"q": q})
        if response.status_code != 200:
            raise RuntimeError(f"/api/search?q={q!r} answered {response.status_code}: {response.get_data(as_text=True)[:200]}")
        return response.get_json()

    return _timed(queries, run, warmup)
