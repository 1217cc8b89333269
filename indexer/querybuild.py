"""Turn a parsed query tree into a Whoosh query, and collect what to highlight.

Per word: the exact (word-field) match on title and body at full weight, the Khmer sub-word
(cluster) phrase at SUBWORD_BOOST, and the romanized-name phonetic key at NAMEKEY_BOOST; so an
exact match always outweighs a sub-word or name-key one for the same word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as Q

from indexer import queryparse as P
from indexer.namekey import MIN_KEY_LEN, name_keys

SUBWORD_BOOST = 0.35
NAMEKEY_BOOST = 0.25
_KHMER = re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]")
_LATIN = re.compile(r"[A-Za-z]")
_YEAR = re.compile(r"^(\d{4})?\.\.(\d{4})?$|^(\d{4})$")


@dataclass
class Highlight:
    """What the snippet code marks: word-field terms, sub-word cluster sequences, name keys."""
    terms: set = field(default_factory=set)
    cluster_seqs: set = field(default_factory=set)
    name_keys: set = field(default_factory=set)


@dataclass
class Built:
    query: Q.Query
    rank_clauses: list  # positive top-level clauses; documents matching more of them rank first
    highlight: Highlight
    is_empty: bool  # no positive condition: browse everything


class QueryBuilder:
    def __init__(self, mixed, subword, resolve_values=None):
        """`resolve_values(field, value) -> list[str]` maps a typed facet value to indexed values."""
        self.mixed, self.subword = mixed, subword
        self.resolve_values = resolve_values or (lambda f, v: [v])

    def build(self, tree: P.Group) -> Built:
        hl = Highlight()
        positives, negatives = [], []
        words = tree.children
        for i, child in enumerate(words):
            if isinstance(child, P.Not):
                q = self._node(child.child, Highlight(), ())
                if q is not None:
                    negatives.append(q)
                continue
            neighbours = _latin_neighbours(words, i)
            q = self._node(child, hl, neighbours)
            if q is not None:
                positives.append(q)
        if positives:
            base = positives[0] if len(positives) == 1 else Q.Or(positives)
        else:
            base = Q.Every()
        query = Q.AndNot(base, Q.Or(negatives)) if negatives else base
        return Built(query=query, rank_clauses=positives, highlight=hl, is_empty=not positives)

    # ------------------------------------------------------------------ nodes
    def _node(self, node, hl: Highlight, neighbours):
        if isinstance(node, P.Word):
            return self.word(node.text, hl, neighbours=neighbours)
        if isinstance(node, P.Phrase):
            return self.phrase(node.text, hl)
        if isinstance(node, P.FieldTerm):
            return self.field_term(node, hl)
        if isinstance(node, P.Not):
            inner = self._node(node.child, Highlight(), ())
            return Q.AndNot(Q.Every(), inner) if inner is not None else None
        if isinstance(node, (P.And, P.Or, P.Group)):
            kids = [k for k in (self._child(c, hl, node) for c in node.children) if k is not None]
            if not kids:
                return None
            if len(kids) == 1:
                return kids[0]
            return Q.And(kids) if isinstance(node, P.And) else Q.Or(kids)
        return None

    def _child(self, child, hl, parent):
        if isinstance(child, P.Not) and isinstance(parent, (P.And, P.Group)):
            inner = self._node(child.child, Highlight(), ())
            return Q.AndNot(Q.Every(), inner) if inner is not None else None
        return self._node(child, hl, ())

    def word(self, text: str, hl: Highlight, *, fields=("title", "body"), neighbours=()):
        tokens = self._tokens(self.mixed, text)
        clauses = []
        if tokens:
            hl.terms.update(tokens)
            for f in fields:
                clauses.append(Q.Term(f, tokens[0]) if len(tokens) == 1 else Q.Phrase(f, tokens))
        if _KHMER.search(text):
            clusters = self._tokens(self.subword, text)
            if clusters:
                hl.cluster_seqs.add(tuple(clusters))
                for f in fields:
                    sub = f + "_sub"
                    q = Q.Term(sub, clusters[0]) if len(clusters) == 1 else Q.Phrase(sub, clusters)
                    clauses.append(_boosted(q, SUBWORD_BOOST))
        if fields == ("title", "body") and _LATIN.search(text):
            keys = set(name_keys(text)).union(*(name_keys(pair) for pair in neighbours))
            keys = {k for k in keys if len(k) >= MIN_KEY_LEN}
            hl.name_keys.update(keys)
            for k in sorted(keys):
                clauses.append(Q.Term("name_keys", k, boost=NAMEKEY_BOOST))
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else Q.Or(clauses)

    def phrase(self, text: str, hl: Highlight, *, fields=("title", "body")):
        tokens = self._tokens(self.mixed, text)
        clauses = []
        if tokens:
            hl.terms.update(tokens)
            for f in fields:
                clauses.append(Q.Term(f, tokens[0]) if len(tokens) == 1 else Q.Phrase(f, tokens))
        if _KHMER.search(text):
            clusters = self._tokens(self.subword, text)
            if clusters:
                hl.cluster_seqs.add(tuple(clusters))
                for f in fields:
                    sub = f + "_sub"
                    q = Q.Term(sub, clusters[0]) if len(clusters) == 1 else Q.Phrase(sub, clusters)
                    clauses.append(_boosted(q, SUBWORD_BOOST))
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else Q.Or(clauses)

    def field_term(self, node: P.FieldTerm, hl: Highlight):
        if node.field == "title":
            if node.quoted:
                return self.phrase(node.value, hl, fields=("title",))
            return self.word(node.value, hl, fields=("title",))
        if node.field == "year":
            return year_query(node.value) or self.word(node.value, hl)
        values = self.resolve_values(node.field, node.value)
        terms = [Q.Term(node.field, v) for v in values]
        return terms[0] if len(terms) == 1 else Q.Or(terms)

    @staticmethod
    def _tokens(analyzer, text: str) -> list[str]:
        return [t.text for t in analyzer(text, mode="query")]


def year_query(value: str):
    """Query for year:Y or year:Y1..Y2 (either end may be open); None if not a year form."""
    bounds = parse_year(value)
    if bounds is None:
        return None
    lo, hi = bounds
    if lo == hi:
        return Q.Term("year", lo)
    return Q.TermRange("year", lo, hi, startexcl=False, endexcl=False)


def parse_year(value: str):
    """('2019', '2021') from '2019..2021', ('2019', '2019') from '2019', open ends as '0000'/'9999'."""
    m = _YEAR.match((value or "").strip())
    if not m:
        return None
    if m.group(3):
        return m.group(3), m.group(3)
    lo, hi = m.group(1) or "0000", m.group(2) or "9999"
    if lo > hi:
        lo, hi = hi, lo
    return lo, hi


def _boosted(q, boost):
    q.boost = boost
    return q


def _latin_neighbours(items, i) -> tuple[str, ...]:
    """Joined spellings of word i with its plain-word neighbours (for names written as one word)."""
    out = []
    here = items[i]
    if not isinstance(here, P.Word) or not _LATIN.search(here.text):
        return ()
    for j in (i - 1, i + 1):
        if 0 <= j < len(items) and isinstance(items[j], P.Word) and _LATIN.search(items[j].text):
            a, b = (items[j].text, here.text) if j < i else (here.text, items[j].text)
            out.append(a + b)
    return tuple(out)
