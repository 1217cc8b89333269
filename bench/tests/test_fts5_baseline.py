"""The FTS5 baseline: facet counts equal a brute-force count over the documents; updates; hostile queries."""
from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from bench import fts5_baseline
from bench.corpus_files import iter_documents, load_queries
from bench.corpus_update import apply_update
from bench.khmer_presegment import presegment


@pytest.fixture(scope="module")
def fts5_db(small_corpus, tmp_path_factory):
    db = tmp_path_factory.mktemp("fts5") / "fts5.sqlite"
    built = fts5_baseline.build(small_corpus, db, workers=1)
    assert built["docs"] == 600 and built["bytes"] > 0
    return db


def brute_force_facets(corpus, words: list[str]) -> dict:
    """Facet counts over documents whose segmented title or body contains any of the words (lower case)."""
    counts = {f: Counter() for f in fts5_baseline.FACETS}
    for document in iter_documents(corpus):
        tokens = set(re.findall(r"[\w\u1780-\u17FF]+", presegment(document["title"] + " " + document["body"]).lower()))
        if any(word in tokens for word in words):
            for facet in ("organisation", "doc_type", "language"):
                counts[facet][document[facet]] += 1
            counts["year"][document["date"][:4]] += 1
    return {f: dict(c) for f, c in counts.items()}


@pytest.mark.parametrize("kind", ["en", "km"])
def test_facet_counts_equal_a_brute_force_count(small_corpus, fts5_db, kind):
    searcher = fts5_baseline.FTS5Search(fts5_db)
    queries = [q["q"] for q in load_queries(small_corpus) if q["kind"] == kind and '"' not in q["q"]][:8]
    checked = 0
    for query in queries:
        words = presegment(query).lower().split()
        answer = searcher.search(query)
        assert answer["facets"] == brute_force_facets(small_corpus, words), query
        assert answer["total"] == sum(answer["facets"]["organisation"].values())
        assert len(answer["results"]) == min(10, answer["total"])
        checked += answer["total"] > 0
    assert checked >= 4  # most queries match something


@pytest.mark.parametrize("query", ['"', 'AND OR NOT', '(', 'rights*', '-torture', 'col:value', '""', '   ', '។',
                                   'NEAR(a b)', '"unbalanced phrase', '^start'])
def test_hostile_query_syntax_never_raises(fts5_db, query):
    answer = fts5_baseline.FTS5Search(fts5_db).search(query)
    assert answer["total"] >= 0 and set(answer["facets"]) == set(fts5_baseline.FACETS)


def test_incremental_update_replaces_edited_and_adds_new_documents(small_corpus, tmp_path):
    import shutil
    import sqlite3

    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    db = tmp_path / "fts5.sqlite"
    fts5_baseline.build(corpus, db, workers=1)
    changed = apply_update(corpus, count=10, seed=11)
    assert len(changed) == 10 and len({d["id"] for d in changed}) == 10
    result = fts5_baseline.update(db, changed)
    assert (result["replaced"], result["added"]) == (5, 5)
    connection = sqlite3.connect(db)
    assert connection.execute("SELECT count(*) FROM docs").fetchone()[0] == 605
    assert connection.execute("SELECT count(*) FROM fts").fetchone()[0] == 605
    edited = changed[0]
    tail = edited["body"].split("\n\n")[-1]
    assert edited["id"] in {d["id"] for d in iter_documents(corpus)}
    assert any(d["id"] == edited["id"] and d["body"].endswith(tail) for d in iter_documents(corpus))
