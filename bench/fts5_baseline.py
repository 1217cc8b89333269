"""SQLite FTS5 baseline on the same documents and queries as bayon, with the same four facet counts.

    python -m bench.fts5_baseline --corpus var/bench/n10000/corpus --db var/bench/n10000/fts5.sqlite

Same operator as bayon (docs/search.md): every query word is required (AND); when no document has them all,
any word will do (OR) and the answer says `"matched": "any"`; both steps are inside one timed search. A quoted
phrase stays a phrase; a word that khmercut splits into several tokens (Khmer typed without spaces) is one
phrase of those tokens. English goes through FTS5's unicode61 tokenizer; Khmer is pre-segmented with khmercut
(documents at build time, timed separately as `segment_seconds`; queries at query time, inside the latency).
Facet counts (organisation, doc_type, year, language) are computed in SQL over the whole matching set.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import sys
import time
import unicodedata
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus_files import iter_documents, load_queries
from bench.khmer_presegment import presegment, presegment_documents
from bench.latency import summarize

TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"  # M*: keep Khmer vowel signs inside words
FACETS = ("organisation", "doc_type", "year", "language")
SCHEMA = f"""
CREATE TABLE docs (num INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, organisation TEXT, doc_type TEXT,
                   year TEXT, language TEXT, date TEXT, url TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize="{TOKENIZER}");
"""
FACET_SQL = "WITH m AS MATERIALIZED (SELECT rowid AS num FROM fts WHERE fts MATCH :q) " + " UNION ALL ".join(
    f"SELECT '{f}', d.{f}, count(*) FROM m JOIN docs d ON d.num = m.num GROUP BY d.{f}" for f in FACETS)
TOP_SQL = ("SELECT d.id, highlight(fts, 0, '<b>', '</b>'), snippet(fts, 1, '<b>', '</b>', '…', 24) "
           "FROM fts JOIN docs d ON d.num = fts.rowid WHERE fts MATCH :q ORDER BY rank LIMIT :limit OFFSET :offset")
PHRASE = re.compile(r'"([^"]*)"')


def _row(document: dict) -> tuple:
    date = document.get("date") or ""
    return (document["id"], document["organisation"], document["doc_type"], date[:4] or "unknown",
            document["language"], date, document.get("url"))


def build(corpus_dir: Path, db_path: Path, workers: int = 2) -> dict:
    """Full build into a new database file; returns docs, seconds (insert + optimize), segment_seconds, bytes."""
    db_path = Path(db_path)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    documents = list(iter_documents(corpus_dir))
    started = time.perf_counter()
    texts = presegment_documents(documents, workers=workers)
    segment_seconds = time.perf_counter() - started
    started = time.perf_counter()
    connection = sqlite3.connect(db_path)
    connection.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
    with connection:
        for number, (document, (title, body)) in enumerate(zip(documents, texts), start=1):
            connection.execute("INSERT INTO docs VALUES (?,?,?,?,?,?,?,?)", (number, *_row(document)))
            connection.execute("INSERT INTO fts(rowid, title, body) VALUES (?,?,?)", (number, title, body))
    connection.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    connection.commit()
    connection.execute("VACUUM")
    connection.close()
    seconds = time.perf_counter() - started
    return {"docs": len(documents), "seconds": seconds, "segment_seconds": segment_seconds,
            "bytes": db_path.stat().st_size}


def update(db_path: Path, documents: list[dict]) -> dict:
    """Insert or replace `documents` (matched by id), segmenting their Khmer inline; returns seconds."""
    started = time.perf_counter()
    connection = sqlite3.connect(db_path)
    added = replaced = 0
    with connection:
        for document in documents:
            title, body = presegment(document["title"]), presegment(document["body"])
            found = connection.execute("SELECT num FROM docs WHERE id = ?", (document["id"],)).fetchone()
            if found:
                connection.execute("DELETE FROM fts WHERE rowid = ?", found)
                connection.execute("DELETE FROM docs WHERE num = ?", found)
                replaced += 1
            else:
                added += 1
            cursor = connection.execute("INSERT INTO docs VALUES (NULL,?,?,?,?,?,?,?)", _row(document))
            connection.execute("INSERT INTO fts(rowid, title, body) VALUES (?,?,?)", (cursor.lastrowid, title, body))
    connection.close()
    return {"added": added, "replaced": replaced, "seconds": time.perf_counter() - started,
            "bytes": Path(db_path).stat().st_size}


def remove(db_path: Path, ids: list[str]) -> dict:
    """Delete the documents with these ids (those present); returns removed and seconds."""
    started = time.perf_counter()
    connection = sqlite3.connect(db_path)
    removed = 0
    with connection:
        for doc_id in ids:
            found = connection.execute("SELECT num FROM docs WHERE id = ?", (doc_id,)).fetchone()
            if found:
                connection.execute("DELETE FROM fts WHERE rowid = ?", found)
                connection.execute("DELETE FROM docs WHERE num = ?", found)
                removed += 1
    connection.close()
    return {"removed": removed, "seconds": time.perf_counter() - started}


def document_count(db_path: Path) -> int | None:
    """Documents in a built database; None when it is missing or unreadable (an interrupted build)."""
    if not Path(db_path).is_file():
        return None
    try:
        connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return connection.execute("SELECT count(*) FROM docs").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.Error:
        return None


def _searchable(token: str) -> bool:
    """True when unicode61 (categories L* N* Co M*) keeps at least one character of `token`."""
    return any(unicodedata.category(c)[0] in "LNM" or unicodedata.category(c) == "Co" for c in token)


def _phrase(tokens: list[str]) -> str:
    return '"' + " ".join(t.replace('"', '""') for t in tokens) + '"'


def match_groups(query: str) -> list[str]:
    """One FTS5 phrase per query item: each quoted phrase, and each space-separated word (a Khmer word
    segmented by khmercut into several tokens is one phrase of them). Syntax characters are only text."""
    groups = []
    for position, chunk in enumerate(PHRASE.split(query)):
        items = [chunk] if position % 2 else chunk.split()  # inside quotes: one phrase
        for item in items:
            tokens = [t for t in presegment(item).split() if _searchable(t)]
            if tokens:
                groups.append(_phrase(tokens))
    return groups


class FTS5Search:
    """Top hits (bm25, highlighted) plus the four facet counts over the full matching set."""

    def __init__(self, db_path: Path):
        self.connection = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)

    def _facets(self, expression: str) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {f: {} for f in FACETS}
        for facet, value, count in self.connection.execute(FACET_SQL, {"q": expression}):
            facets[facet][value] = count
        return facets

    def search(self, query: str, page: int = 1, per_page: int = 10) -> dict:
        """Every item required; when nothing has them all (and there are several), any item."""
        groups = match_groups(query)
        if not groups:
            return {"total": 0, "matched": "all", "results": [], "facets": {f: {} for f in FACETS}}
        expression, matched = " AND ".join(groups), "all"
        facets = self._facets(expression)
        if not facets["language"] and len(groups) > 1:
            expression, matched = " OR ".join(groups), "any"
            facets = self._facets(expression)
        rows = self.connection.execute(TOP_SQL, {"q": expression, "limit": per_page, "offset": (page - 1) * per_page})
        results = [{"id": i, "title": t, "snippet": s} for i, t, s in rows]
        return {"total": sum(facets["language"].values()), "matched": matched, "results": results, "facets": facets}


def measure_queries(searcher: FTS5Search | Path, queries: list[dict], warmup: int = 20) -> dict:
    """Latency summary per query kind (and all kinds) of an FTS5Search (or one opened on a database path)."""
    if not isinstance(searcher, FTS5Search):
        searcher = FTS5Search(searcher)
    for item in queries[:warmup]:
        searcher.search(item["q"])
    timings: dict[str, list[float]] = {}
    hits: dict[str, list[int]] = {}
    matched: dict[str, list[str]] = {}
    for item in queries:
        started = time.perf_counter()
        answer = searcher.search(item["q"])
        elapsed = time.perf_counter() - started
        timings.setdefault(item["kind"], []).append(elapsed)
        hits.setdefault(item["kind"], []).append(answer["total"])
        matched.setdefault(item["kind"], []).append(answer["matched"])
    return summarize(timings, hits, matched)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="SQLite FTS5 baseline: build, then query latency with facets.")
    parser.add_argument("--corpus", type=Path, required=True, help="generated corpus (bench.generate_corpus --out)")
    parser.add_argument("--db", type=Path, required=True, help="SQLite database file to (re)create")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    try:
        built = build(args.corpus, args.db, workers=args.workers)
        latency = measure_queries(args.db, load_queries(args.corpus))
    except (FileNotFoundError, sqlite3.Error, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps({"build": built, "latency": latency}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
