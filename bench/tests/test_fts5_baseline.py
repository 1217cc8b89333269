"""The FTS5 baseline: facet counts equal a brute-force count over the documents; updates; hostile queries."""
from __future__ import annotations

import unicodedata
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


def fts5_tokens(text: str) -> str:
    """The text as unicode61 sees it (kept categories L* N* Co M*, lower case), tokens joined by single spaces."""
    kept = "".join(c.lower() if unicodedata.category(c)[0] in "LNM" or unicodedata.category(c) == "Co" else " "
                   for c in presegment(text))
    return " " + " ".join(kept.split()) + " "


def brute_force_facets(corpus, query: str) -> tuple[dict, str]:
    """Facet counts over the documents whose segmented title or body holds every query item (a word, or
    the khmercut tokens of an unspaced Khmer word, as adjacent tokens); any item when none has them all."""
    items = [fts5_tokens(word) for word in query.split() if fts5_tokens(word).strip()]
    documents = [(d, fts5_tokens(d["title"]), fts5_tokens(d["body"])) for d in iter_documents(corpus)]
    for matched, combine in (("all", all), ("any", any)):
        counts = {f: Counter() for f in fts5_baseline.FACETS}
        for document, title, body in documents:
            if items and combine(item in title or item in body for item in items):
                for facet in ("organisation", "doc_type", "language"):
                    counts[facet][document[facet]] += 1
                counts["year"][document["date"][:4]] += 1
        if counts["language"] or len(items) < 2:
            break
    return {f: dict(c) for f, c in counts.items()}, matched


@pytest.mark.parametrize("kind", ["en", "km", "mixed"])
def test_facet_counts_equal_a_brute_force_count(small_corpus, fts5_db, kind):
    searcher = fts5_baseline.FTS5Search(fts5_db)
    queries = [q["q"] for q in load_queries(small_corpus) if q["kind"] == kind and '"' not in q["q"]][:10]
    checked, fallbacks = 0, 0
    for query in queries:
        answer = searcher.search(query)
        assert (answer["facets"], answer["matched"]) == brute_force_facets(small_corpus, query), query
        assert answer["total"] == sum(answer["facets"]["organisation"].values())
        assert len(answer["results"]) == min(10, answer["total"])
        checked += answer["total"] > 0
        fallbacks += answer["matched"] == "any"
    assert checked >= 4  # most queries match something
    if kind == "mixed":
        assert fallbacks >= 1  # an English and a Khmer word: some are in no document together


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
