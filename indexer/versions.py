"""Language versions: records that are one publication in two languages (an English statement and
its Khmer translation, often posted by different signatories of a joint statement).

Rule (`are_versions`): the two records are in different languages (English and Khmer), their dates
agree (the same year; within MAX_DAYS_APART days when both give the day), and their titles agree
through the lexicon: at least MIN_AGREEMENTS of one title's lexicon translations appear in the other
title, one of them a name (a person, organisation or place: any lexicon kind but `term`). The
organisation need not be the same: each signatory of a joint statement posts it on its own site.
Candidates come from one search per record: the translated names of its title, in the other
language, the same year; only those the rule accepts are returned."""
from __future__ import annotations

from datetime import date

from lexicon.expand import expand_spans
from lexicon.khmer_text import normalize

MAX_DAYS_APART = 31
MIN_AGREEMENTS = 2
CANDIDATES = 20
OTHER_LANGUAGE = {"en": "km", "km": "en"}


def _fold(text: str) -> str:
    return " ".join(normalize(text or "").casefold().replace("\u200b", "").split())


def _translations(title: str) -> list[tuple[str, str]]:
    """(added term, lexicon kind) for every translation the lexicon gives for words of `title`."""
    out = []
    for span in expand_spans(title or ""):
        for e in span.expansions:
            if e.relation == "translation":
                out.extend((term, e.kind) for term in e.added_terms)
    return out


def _agreements(title: str, other_title: str) -> tuple[int, bool]:
    """How many distinct translations of `title`'s words `other_title` contains, and whether a name is one."""
    folded = _fold(other_title)
    found: dict[str, str] = {}
    for term, kind in _translations(title):
        key = _fold(term)
        if key and key in folded:
            found.setdefault(key, kind)
    return len(found), any(kind != "term" for kind in found.values())


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


def dates_agree(a: dict, b: dict) -> bool:
    if not a.get("year") or a.get("year") != b.get("year"):
        return False
    da, db = _day(a.get("date")), _day(b.get("date"))
    return da is None or db is None or abs((da - db).days) <= MAX_DAYS_APART


def are_versions(a: dict, b: dict) -> bool:
    """Whether records `a` and `b` (dicts with language, year, date, title) are one publication in
    two languages, by the rule in the module docstring (checked in both directions)."""
    if a.get("id") == b.get("id") or OTHER_LANGUAGE.get(a.get("language")) != b.get("language"):
        return False
    if not dates_agree(a, b):
        return False
    for x, y in ((a, b), (b, a)):
        count, named = _agreements(x.get("title", ""), y.get("title", ""))
        if count >= MIN_AGREEMENTS and named:
            return True
    return False


def language_versions(service, record: dict) -> list[dict]:
    """The other-language versions of `record` in the index: [{id, title, language, date}]."""
    from indexer.search import SearchRequest

    other = OTHER_LANGUAGE.get(record.get("language"))
    names = sorted({term for term, kind in _translations(record.get("title", "")) if kind != "term"})
    if not other or not record.get("year") or not names:
        return []
    q = " OR ".join('"' + name.replace('"', " ") + '"' for name in names)
    found = service.search(SearchRequest(q=q, language=[other], year=[str(record["year"])],
                                         per_page=CANDIDATES, expand=False))
    return [{"id": hit["id"], "title": hit["title"], "language": hit["language"], "date": hit["date"]}
            for hit in found["results"] if are_versions(record, hit)]
