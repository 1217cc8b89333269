"""Facet counts and filters against a brute-force count over the corpus records."""
from __future__ import annotations

from collections import Counter

import pytest

from indexer.search import BadParameter, SearchRequest

FACETS = ("organisation", "doc_type", "year", "language")


def _matching_ids(service, q):
    ids, page = set(), 1
    while True:
        res = service.search(SearchRequest(q=q, page=page, per_page=100))
        ids |= {r["id"] for r in res["results"]}
        if len(ids) >= res["total"] or not res["results"]:
            return ids
        page += 1


def _passes(record, name, selection):
    if not selection:
        return True
    value = getattr(record, name)
    if name == "year":
        def within(sel):
            lo, dots, hi = sel.partition("..")
            hi = hi if dots else lo
            return int(lo or 0) <= value <= int(hi or 9999)
        return value is not None and any(within(s) for s in ([selection] if isinstance(selection, str) else selection))
    return value in selection


def _brute_force(records, ids, selections):
    matched = [r for r in records if r.id in ids]
    total = sum(all(_passes(r, n, s) for n, s in selections.items()) for r in matched)
    facets = {}
    for name in FACETS:
        others = {n: s for n, s in selections.items() if n != name}
        counts = Counter(str(getattr(r, name)) for r in matched
                         if all(_passes(r, n, s) for n, s in others.items())
                         and getattr(r, name) not in (None, ""))
        facets[name] = dict(counts)
    return total, facets


def _pick(records, name, k=2):
    """The k most frequent values of a facet in the real corpus (so the test follows the data)."""
    return [v for v, _ in Counter(getattr(r, name) for r in records if getattr(r, name)).most_common(k)]


@pytest.mark.parametrize("q", ["", "detention", "rights OR children", "ស៊ីវិល", "journalist -prison",
                               "prison mother", "ម្តាយ ពន្ធនាគារ", "detention zzyzxq"])
@pytest.mark.parametrize("mix", ["none", "org", "org+type", "year-range", "lang+org", "two-orgs", "two-years"])
def test_facet_counts_equal_brute_force(search_service, corpus_records, q, mix):
    orgs, types, langs = (_pick(corpus_records, n) for n in ("organisation", "doc_type", "language"))
    years = sorted({r.year for r in corpus_records if r.year})
    selections = {
        "none": {},
        "org": {"organisation": orgs[:1]},
        "org+type": {"organisation": orgs[:1], "doc_type": types[:1]},
        "year-range": {"year": f"{years[0]}..{years[len(years) // 2]}"},
        "lang+org": {"language": langs[:1], "organisation": orgs[1:2]},
        "two-orgs": {"organisation": orgs[:2], "doc_type": types[:2]},
        "two-years": {"year": [str(years[0]), f"{years[-2]}.."], "organisation": orgs[:1]},
    }[mix]
    ids = _matching_ids(search_service, q)
    res = search_service.search(SearchRequest.from_params(q=q, per_page=100, **selections))
    total, facets = _brute_force(corpus_records, ids, selections)
    assert res["total"] == total
    assert {r["id"] for r in res["results"]} <= ids
    for name in FACETS:
        got = {v: c for v, c in res["facets"][name].items() if c}
        assert got == facets[name], (name, selections)


def test_selected_value_with_no_match_is_listed_with_zero(search_service):
    res = search_service.search(SearchRequest.from_params(q="", organisation=["No Such Org"]))
    assert res["total"] == 0 and res["facets"]["organisation"]["No Such Org"] == 0


def test_filter_values_ignore_case(search_service, corpus_records):
    org = _pick(corpus_records, "organisation", 1)[0]
    a = search_service.search(SearchRequest.from_params(organisation=[org]))
    b = search_service.search(SearchRequest.from_params(organisation=[org.lower()]))
    assert a["total"] == b["total"] > 0


def test_query_field_filters(search_service, corpus_records):
    org = _pick(corpus_records, "organisation", 1)[0]
    expected = sum(r.organisation == org for r in corpus_records)
    assert search_service.search(SearchRequest(q=f"org:{org.lower()}", per_page=1))["total"] == expected
    years = [r.year for r in corpus_records if r.year]
    lo, hi = min(years), max(years)
    mid = (lo + hi) // 2
    res = search_service.search(SearchRequest(q=f"year:{lo}..{mid}"))
    assert res["total"] == sum(1 for y in years if lo <= y <= mid)


@pytest.mark.parametrize("params,name", [({"page": "0"}, "page"), ({"per_page": "1000"}, "per_page"),
                                         ({"page": "x"}, "page"), ({"sort": "random"}, "sort"),
                                         ({"year": "20x9"}, "year"), ({"q": "a" * 5000}, "q")])
def test_bad_parameters_are_named(params, name):
    with pytest.raises(BadParameter) as err:
        SearchRequest.from_params(**params)
    assert err.value.name == name


def test_pagination_is_stable_and_complete(search_service):
    full = search_service.search(SearchRequest(q="rights", per_page=100))
    pages = []
    for page in range(1, 100):
        res = search_service.search(SearchRequest(q="rights", page=page, per_page=7))
        if not res["results"]:
            break
        pages += [r["id"] for r in res["results"]]
    assert pages == [r["id"] for r in full["results"]]
    assert len(pages) == full["total"]


def test_sort_by_date(search_service):
    res = search_service.search(SearchRequest(q="rights", sort="date", per_page=100))
    dates = [r["date"] for r in res["results"] if r["date"]]
    assert dates == sorted(dates, reverse=True)
