"""Search with lexicon expansions on top of `indexer.search.SearchService`, without changing it:
one search for the query as typed, one for each expansion's added terms, merged by
`rank_with_expansions` (a document the query itself matches always ranks above one found only
through an expansion). Used by bench/relevance.py and the tests; the service can adopt the same
steps internally (docs/lexicon.md)."""
from __future__ import annotations

from lexicon.expand import Expansion, also_searched, expand, rank_with_expansions

MAX_HITS = 1000  # per sub-search


def expansion_query(expansion: Expansion) -> str:
    """The added terms as one query in the service's syntax: quoted phrases joined by OR."""
    return " OR ".join(f'"{t}"' if " " in t else t for t in
                       (term.replace('"', " ").strip() for term in expansion.added_terms) if t)


def _all_hits(service, q: str, filters: dict) -> dict[str, dict]:
    hits: dict[str, dict] = {}
    page = 1
    while len(hits) < MAX_HITS:
        result = service.search(q=q, page=page, per_page=100, **filters)
        for row in result["results"]:
            hits.setdefault(row["id"], row)
        if page * 100 >= result["total"] or not result["results"]:
            break
        page += 1
    return hits


def search_with_expansions(service, q: str, *, use_expansions: bool = True, page: int = 1,
                           per_page: int = 10, **filters) -> dict:
    """The service's result shape for `q` (relevance order), plus `expansions` (each as a dict)
    and `also_searched` (the terms to show). `use_expansions=False` searches the query alone."""
    exact_rows = _all_hits(service, q, filters)
    expansions = expand(q) if use_expansions else []
    expanded_scores: dict[str, float] = {}
    rows = dict(exact_rows)
    for expansion in expansions:
        query = expansion_query(expansion)
        if not query:
            continue
        for doc_id, row in _all_hits(service, query, filters).items():
            rows.setdefault(doc_id, row)
            expanded_scores[doc_id] = expanded_scores.get(doc_id, 0.0) + expansion.weight * row["score"]
    ranked = rank_with_expansions({d: r["score"] for d, r in exact_rows.items()}, expanded_scores)
    first = (page - 1) * per_page
    results = []
    for doc_id, score, via in ranked[first:first + per_page]:
        results.append({**rows[doc_id], "score": round(score, 4), "matched_via": via})
    return {"query": q, "total": len(ranked), "page": page, "per_page": per_page, "results": results,
            "expansions": [e.to_dict() for e in expansions], "also_searched": also_searched(expansions)}
