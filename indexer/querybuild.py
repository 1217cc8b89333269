"""Turn a parsed query tree into a Whoosh query, and collect what to highlight.

Per word: the exact (word-field) match on title and body at full weight, the Khmer sub-word
(cluster) phrase at SUBWORD_BOOST, and the romanized-name phonetic key at NAMEKEY_BOOST (Latin
words, and Khmer words romanized); so an exact match always outweighs a sub-word or name-key one
for the same word. With `expand`, a lexicon form's expansions (lexicon.expand) are alternatives for
the word(s) it covers, at the expansion's weight. Top-level items become `Clause`s, joined by AND
(mode "all", the default) or OR (mode "any").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as Q

from indexer import queryparse as P
from indexer.namekey import NAME_MARK, plain_key, query_keys
from indexer.questions import KHMER_JOINING_WORDS
from lexicon.khmer_text import normalize

SUBWORD_BOOST = 0.35
NAMEKEY_BOOST = 0.25
TYPO_WEIGHT = 0.5  # a typo alternative's weight (indexer.typos): below the word as typed
# Two adjacent Khmer query words standing together in a document (a phrase of both) add to its
# score: Khmer is typed without spaces, so words typed together (the pieces indexer.questions cuts
# an unspaced word into) or next to each other mostly mean a compound or a phrase, and a document
# holding them apart is a weaker match. Scoring only, never required. Measured (docs/search.md):
# the known-word benchmark's two-word queries MAP 0.809 -> 0.96; for English pairs the same bonus
# moved the judged set down (0.927 -> 0.926 at 0.5), so Latin pairs get none.
ADJACENT_KHMER_BOOST = 2.0
_KHMER = re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]")
_LATIN = re.compile(r"[A-Za-z]")
_YEAR = re.compile(r"^(\d{4})?\.\.(\d{4})?$|^(\d{4})$")


class SubwordPhrase(Q.Phrase):
    """A phrase of Khmer clusters in a sub-word field, with `implied_by`: the same text as words in
    the parallel word field. A document that query matches holds these clusters in sequence too
    (a word's text is its clusters), so an evaluator need check positions only in the others.
    Whoosh itself ignores the hint and checks every document."""

    def __init__(self, fieldname, words, implied_by=None, boost: float = 1.0):
        super().__init__(fieldname, words, boost=boost)
        self.implied_by = implied_by


@dataclass
class Highlight:
    """What the snippet code marks: word-field terms, sub-word cluster sequences, name keys, and
    word-field phrases (tuples of terms marked only where they stand in that order)."""
    terms: set = field(default_factory=set)
    cluster_seqs: set = field(default_factory=set)
    name_keys: set = field(default_factory=set)
    phrases: set = field(default_factory=set)


@dataclass
class Clause:
    """One top-level query item: `own` matches it as typed (exact word, Khmer sub-word phrase,
    name key); `full` also accepts its lexicon expansions; `scored` is its part of the score."""
    own: Q.Query
    full: Q.Query
    scored: Q.Query
    word: str | None = None  # the plain top-level word as typed (indexer.ranking may drop it), else None
    # `full` without the word's typo alternatives (indexer.typos), None when it has none: ranking
    # counts a word matched only through a typo below one matched as typed or through the lexicon
    firm: Q.Query | None = None
    # `own` or the word's same-language variants (another spelling, a synonym: "behind bars" for
    # imprisoned), None when it has none: ranking counts these with the words as typed, so that
    # only a translation never lifts a document above one matching in the query's own words
    near: Q.Query | None = None


@dataclass
class Built:
    query: Q.Query  # the whole query in the built mode (clauses joined, negatives removed)
    rank_clauses: list  # each clause's `full` query (kept for callers of the first contract)
    highlight: Highlight
    is_empty: bool  # no positive condition: browse everything
    clauses: list = field(default_factory=list)  # Clause per top-level positive item
    negative: Q.Query | None = None  # documents to remove (NOT / -word), or None
    scoring: Q.Query | None = None  # what scores a matched document (expansions counted once)
    expansions: list = field(default_factory=list)  # lexicon.expand.Expansion actually searched
    mode: str = "all"
    # (text, clauses, query, loose) per lexicon form covering several query words: the parts of
    # an unspaced Khmer word (indexer.questions; loose False) or words typed with spaces
    # ("forced eviction", "social security"; loose True). `query` matches the form whole, as
    # typed or translated; a document holding only its words apart is not an all-words match
    # (indexer.ranking.tiers; for a loose form, only while some listed document holds it whole)
    together: list = field(default_factory=list)


MODES = ("all", "any")


class QueryBuilder:
    def __init__(self, mixed, subword, resolve_values=None, expand: bool = False, lexicon=None,
                 typos: dict | None = None):
        """`resolve_values(field, value) -> list[str]` maps a typed facet value to indexed values;
        `expand` adds lexicon expansions (from `lexicon`, a tuple of entries; None: the shipped one);
        `typos` maps a plain query word as typed to its typo alternatives (indexer.typos), searched
        like an expansion at TYPO_WEIGHT."""
        self.mixed, self.subword = mixed, subword
        self.resolve_values = resolve_values or (lambda f, v: [v])
        self.expand, self.lexicon = expand, lexicon
        self.typos = typos or {}

    def build(self, tree: P.Group, mode: str = "all") -> Built:
        """Top-level items joined by AND (`mode="all"`) or OR (`"any"`); nested plain-word groups
        follow the same mode; explicit AND / OR keep their meaning."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.mode = mode
        self._expansions: list = []
        self._together: list = []
        hl = Highlight()
        negatives = []
        positives = []
        for child in tree.children:
            if isinstance(child, P.Not):
                q = self._node(child.child, Highlight(), ())
                if q is not None:
                    negatives.append(q[1])
            else:
                positives.append(child)
        clauses, extra = self._sequence(positives, hl, top=True)
        if clauses:
            fulls = [c.full for c in clauses]
            base = fulls[0] if len(fulls) == 1 else (Q.And(fulls) if mode == "all" else Q.Or(fulls))
        else:
            base = Q.Every()
        negative = None if not negatives else negatives[0] if len(negatives) == 1 else Q.Or(negatives)
        query = Q.AndNot(base, negative) if negative is not None else base
        scored = [c.scored for c in clauses] + extra
        scoring = None if not scored else scored[0] if len(scored) == 1 else Q.Or(scored)
        return Built(query=query, rank_clauses=[c.full for c in clauses], highlight=hl,
                     is_empty=not clauses, clauses=clauses, negative=negative, scoring=scoring,
                     expansions=self._expansions, mode=mode, together=self._together)

    # ------------------------------------------------------------------ sequences of items
    def _sequence(self, items, hl: Highlight, top: bool = False) -> tuple[list[Clause], list]:
        """Clauses for adjacent items, and extra scoring queries (a span's expansion, once)."""
        clauses: list[Clause] = []
        extra: list = []
        i = 0
        while i < len(items):
            if isinstance(items[i], P.Word):
                j = i
                while j < len(items) and isinstance(items[j], P.Word):
                    j += 1
                run_clauses, run_extra = self._word_run(items, i, j, hl, top)
                clauses += run_clauses
                extra += run_extra
                i = j
                continue
            rep = self._node(items[i], hl, ())
            if rep is not None:
                clauses.append(Clause(rep[0], rep[1], rep[1]))
            i += 1
        return clauses, extra

    def _word_run(self, items, i, j, hl, top) -> tuple[list[Clause], list]:
        """Clauses of the plain words items[i:j], with the lexicon forms they hold: a form covering
        whole words is an alternative for each of them; one inside a word (unspaced Khmer) makes an
        alternative where each form is replaced by its expansions."""
        words = [normalize(items[k].text) for k in range(i, j)]
        owns = []
        for k in range(i, j):
            neighbours = _neighbours(items, k) if top else ()
            owns.append(self.word(items[k].text, hl, neighbours=neighbours))
        whole: list[list] = [[] for _ in words]
        variants: list[list] = [[] for _ in words]  # of whole[n], the same-language variants
        shared: list[int] = [0 for _ in words]  # of whole[n], how many cover other words too
        inside: list[list] = [[] for _ in words]
        extra = []
        wholes = []  # (covered word positions, query) of forms across joined parts
        seps = ["" if getattr(items[k], "joined", False) else " " for k in range(i, j - 1)]
        offs = _offsets(words, seps)
        spans = self._spans(words, seps)
        for start, end, expansions in spans:
            covered = [n for n, (a, b) in enumerate(offs) if a < end and start < b]
            if not covered:
                continue
            if any(a <= start and end <= b and (a, b) != (start, end) for a, b, _ in spans):
                # a form inside a longer one (lexicon.expand's nested terms): it counts where it
                # is a whole word (a part of a cut Khmer word, "mental" in "mental health"), never
                # as a replacement inside the longer form's word
                if not (offs[covered[0]][0] == start and offs[covered[-1]][1] == end):
                    continue
            if offs[covered[0]][0] == start and offs[covered[-1]][1] == end:
                found = self._expansion_parts(expansions, hl)
                if not found:
                    continue
                q = _any_of([rep for _, rep in found])
                same = [rep for e, rep in found if e.relation == "variant"]  # the same query objects
                qv = None if not same else q if len(same) == len(found) else _any_of(same)
                for n in covered:
                    whole[n].append(q)
                    shared[n] += len(covered) > 1
                    if qv is not None:
                        variants[n].append(qv)
                extra.append(q)
                if len(covered) > 1:
                    wholes.append((covered, q))
            elif len(covered) == 1:
                a = offs[covered[0]][0]
                inside[covered[0]].append((start - a, end - a, expansions))
        typo_parts: list[list] = [[] for _ in words]
        for n, k in enumerate(range(i, j)):  # typo alternatives (indexer.typos): like an expansion
            for better in self.typos.get(items[k].text, ()):
                q = self.phrase(better, hl, weight=TYPO_WEIGHT)
                if q is not None:
                    typo_parts[n].append(q)
                    extra.append(q)
                # the corrected word reaches what the word itself would: its lexicon forms too
                better_norm = normalize(better)
                for start, end, expansions in self._spans([better_norm]):
                    if start == 0 and end == len(better_norm):
                        q = self._expansion_query(expansions, hl)
                        if q is not None:
                            typo_parts[n].append(q)
                            extra.append(q)
        clauses = []
        at = {}  # word position -> its clause
        for n, own in enumerate(owns):
            alternatives = list(whole[n])
            if inside[n]:
                alt = self._inside_alternative(words[n], inside[n], hl)
                if alt is not None:
                    alternatives.append(alt)
                    extra.append(alt)
            if own is None and not alternatives and not typo_parts[n]:
                continue
            stop = own is None or (not _KHMER.search(words[n]) and not self._tokens(self.mixed, words[n]))
            # a Khmer joining word between the parts of a cut compound (ក្នុង in អំពើហិង្សាក្នុងគ្រួសារ)
            stop = stop or (normalize(words[n]) in KHMER_JOINING_WORDS and not _LATIN.search(words[n]))
            if stop and shared[n] and len(alternatives) == shared[n]:
                # a stop word inside a lexicon phrase ("for" in "Cambodian Center for Human
                # Rights"): the phrase's expansion already stands for the words around it
                continue
            parts = ([own] if own is not None else []) + alternatives
            firm = None
            if typo_parts[n]:
                firm = _any_of(parts) if parts else Q.NullQuery
                parts = parts + typo_parts[n]
            full = _any_of(parts)
            near = None
            if variants[n]:
                near_parts = ([own] if own is not None else []) + variants[n]
                near = _any_of(near_parts)
            clauses.append(Clause(own if own is not None else Q.NullQuery, full,
                                  own if own is not None else Q.NullQuery,
                                  word=items[i + n].text if top else None, firm=firm, near=near))
            at[n] = clauses[-1]
        for covered, q in wholes if top else ():
            parts = [at[n] for n in covered if n in at]
            if len(parts) < 2:
                continue
            loose = not all(seps[n] == "" for n in covered[:-1])
            text = (" " if loose else "").join(words[n] for n in covered)
            own = self.phrase(text, Highlight()) if loose else self.word(text, Highlight())
            self._together.append((text, parts, q if own is None else Q.Or([own, q]), loose))
        if top:
            extra += self._adjacent_pairs([items[k].text for k in range(i, j)])
        return clauses, extra

    def _adjacent_pairs(self, texts: list[str]) -> list:
        """Scoring-only phrases of each two adjacent Khmer words, in title and body."""
        toks = [self._tokens(self.mixed, t) if _KHMER.search(t) and not _LATIN.search(t) else []
                for t in texts]
        out = []
        for a, b in zip(toks, toks[1:]):
            if a and b and ADJACENT_KHMER_BOOST > 0:
                out.append(Q.Or([_boosted(Q.Phrase(f, a + b), ADJACENT_KHMER_BOOST) for f in ("title", "body")]))
        return out

    def _spans(self, words: list[str], seps: list[str] | None = None):
        """(start, end, expansions) of the lexicon forms in the words joined by `seps` (a space
        between each two by default; "" after a word `joined` to the next)."""
        if not self.expand or not words:
            return []
        from lexicon.expand import expand_spans

        text = _joined(words, seps)
        if normalize(text) != text:  # offsets would not line up; never expected
            return []
        return [(s.start, s.end, s.expansions) for s in expand_spans(text, self.lexicon)]

    def _inside_alternative(self, word: str, found, hl):
        """The word with each form inside it replaced by (form or its expansions): AND of parts."""
        parts, pos = [], 0
        for start, end, expansions in sorted(found, key=lambda f: f[0]):
            if start < pos:
                continue
            gap = word[pos:start].strip()
            if gap:
                q = self.word(gap, hl)
                if q is not None:
                    parts.append(q)
            own = self.word(word[start:end], hl)
            q = self._expansion_query(expansions, hl)
            alts = [x for x in (own, q) if x is not None]
            if alts:
                parts.append(alts[0] if len(alts) == 1 else Q.Or(alts))
            pos = end
        gap = word[pos:].strip()
        if gap:
            q = self.word(gap, hl)
            if q is not None:
                parts.append(q)
        if len(parts) < 2:
            return None
        return Q.And(parts)

    def _expansion_query(self, expansions, hl):
        """The added terms of `expansions`, each as a phrase in title and body, weighted."""
        parts = self._expansion_parts(expansions, hl)
        return _any_of([rep for _, rep in parts]) if parts else None

    def _expansion_parts(self, expansions, hl) -> list:
        """(expansion, phrase query) of each added term of `expansions` (a form whose stems another
        form already gave is left out)."""
        parts: list = []
        for e in expansions:
            reps = [self.phrase(t, hl, weight=e.weight) for t in e.added_terms]
            reps = [r for r in reps if r is not None and all(r != p for _, p in parts)]  # forms with one stem
            if reps:
                parts += [(e, r) for r in reps]
                if e not in self._expansions:
                    self._expansions.append(e)
        return parts

    # ------------------------------------------------------------------ nodes
    def _node(self, node, hl: Highlight, neighbours):
        """(own, full) queries of one node, or None when it has no searchable content."""
        if isinstance(node, P.Word):
            q = self.word(node.text, hl, neighbours=neighbours)
            return None if q is None else (q, q)
        if isinstance(node, P.Phrase):
            return self._phrase_node(node.text, hl)
        if isinstance(node, P.FieldTerm):
            q = self.field_term(node, hl)
            return None if q is None else (q, q)
        if isinstance(node, P.Not):
            inner = self._node(node.child, Highlight(), ())
            if inner is None:
                return None
            q = Q.AndNot(Q.Every(), inner[1])
            return q, q
        if isinstance(node, (P.And, P.Or, P.Group)):
            return self._compound(node, hl)
        return None

    def _compound(self, node, hl):
        if isinstance(node, P.Or):
            reps = [r for r in (self._node(c, hl, ()) for c in node.children) if r is not None]
            return _join(reps, Q.Or)
        negs = [c for c in node.children if isinstance(c, P.Not)]
        clauses, _ = self._sequence([c for c in node.children if not isinstance(c, P.Not)], hl)
        reps = [(c.own, c.full) for c in clauses]
        for n in negs:
            r = self._node(n, hl, ())
            if r is not None:
                reps.append(r)
        joiner = Q.And if isinstance(node, P.And) or self.mode == "all" else Q.Or
        return _join(reps, joiner)

    def _phrase_node(self, text: str, hl: Highlight):
        own = self.phrase(text, hl)
        if own is None:
            return None
        spans = self._spans([normalize(text)])
        whole = [exps for s, e, exps in spans if s == 0 and e == len(normalize(text))]
        alts = [q for q in (self._expansion_query(exps, hl) for exps in whole) if q is not None]
        return own, (Q.Or([own] + alts) if alts else own)

    def _as_typed(self, text: str, hl: Highlight, fields, weight: float = 1.0) -> list:
        """Clauses for `text` as typed: its words (a term, or a phrase) in each field, and, for Khmer,
        its syllables as a phrase in the sub-word fields (weight SUBWORD_BOOST); boosts times `weight`."""
        tokens = self._tokens(self.mixed, text)
        clauses = []
        if tokens:
            # one word is marked wherever it stands; a phrase only where its words stand together
            # (a phrase of the lexicon such as "ជា ចាន់ថា" must not mark every common "ជា")
            if len(tokens) == 1:
                hl.terms.update(tokens)
            else:
                hl.phrases.add(tuple(tokens))
            joined = self._joined_forms(text, tokens)
            hl.terms.update(joined)
            for f in fields:
                q = Q.Term(f, tokens[0]) if len(tokens) == 1 else Q.Phrase(f, tokens)
                clauses.append(_boosted(q, weight))
                clauses += [_boosted(Q.Term(f, j), weight) for j in joined]
        if _KHMER.search(text):
            clusters = self._tokens(self.subword, text)
            if clusters:
                hl.cluster_seqs.add(tuple(clusters))
                for f in fields:
                    sub = f + "_sub"
                    if len(clusters) == 1:
                        q = Q.Term(sub, clusters[0])
                    else:
                        # one word whose clusters are the text's: a document holding the word holds them
                        sure = len(tokens) == 1 and self._tokens(self.subword, tokens[0]) == clusters
                        q = SubwordPhrase(sub, clusters, implied_by=Q.Term(f, tokens[0]) if sure else None)
                    clauses.append(_boosted(q, SUBWORD_BOOST * weight))
        return clauses

    def word(self, text: str, hl: Highlight, *, fields=("title", "body"), neighbours=()):
        clauses = self._as_typed(text, hl, fields)
        if fields == ("title", "body"):
            keys = query_keys(text).union(*(query_keys(pair) for pair in neighbours))
            if _KHMER.search(text) and _is_lexicon_term(text, self.lexicon):
                keys = {k for k in keys if not k.startswith(NAME_MARK)}  # a known term is no name
            hl.name_keys.update(k for k in keys if k == plain_key(k))  # snippets mark Latin words
            for k in sorted(keys):
                clauses.append(Q.Term("name_keys", k, boost=NAMEKEY_BOOST))
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else Q.Or(clauses)

    def phrase(self, text: str, hl: Highlight, *, fields=("title", "body"), weight: float = 1.0):
        """`text` as a phrase (exact words in order; Khmer also as a sub-word phrase), leaf boosts
        multiplied by `weight`."""
        clauses = self._as_typed(text, hl, fields, weight)
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

    def _joined_forms(self, text: str, tokens: list[str]) -> list[str]:
        """For one Latin word written with a hyphen ("pre-trial"), the joined form the index also
        holds ("pretrial"), so that documents writing it either way match; [] otherwise."""
        if len(tokens) < 2 or not _LATIN.search(text) or any(c.isspace() for c in text.strip()):
            return []
        return [t.text for t in self.mixed(text, mode="index") if t.text not in tokens]

    @staticmethod
    def _tokens(analyzer, text: str) -> list[str]:
        return [t.text for t in analyzer(text, mode="query")]


def _join(reps, joiner):
    """Join (own, full) pairs with And or Or; None when there are none."""
    if not reps:
        return None
    if len(reps) == 1:
        return reps[0]
    return joiner([r[0] for r in reps]), joiner([r[1] for r in reps])


def _joined(words: list[str], seps: list[str] | None = None) -> str:
    """The words joined by `seps` (None: single spaces)."""
    if seps is None:
        return " ".join(words)
    return "".join(w + sep for w, sep in zip(words, seps + [""]))


def _offsets(words: list[str], seps: list[str] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each word in the words joined by `seps` (None: single spaces)."""
    seps = [" "] * (len(words) - 1) if seps is None else seps
    out, pos = [], 0
    for w, sep in zip(words, seps + [""]):
        out.append((pos, pos + len(w)))
        pos += len(w) + len(sep)
    return out


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


def _any_of(queries: list):
    """One query matching any of `queries` (the query itself when there is one)."""
    return queries[0] if len(queries) == 1 else Q.Or(queries)


def _boosted(q, boost):
    q.boost = boost
    return q


def _is_lexicon_term(text: str, lexicon=None) -> bool:
    """True when the whole of Khmer `text` is one lexicon form of kind "term" or "organisation"
    (not a person or place): its romanized sound is then no name to look up ("ការបណ្តេញចេញដោយបង្ខំ",
    forced eviction, would otherwise meet "Chhin" through its word ចេញ)."""
    from lexicon.expand import expand_spans

    word = normalize(text).strip(" ?!.,;:។៕៖")
    spans = expand_spans(word, lexicon) if word else []
    return any(s.start == 0 and s.end == len(word) and s.expansions
               and all(e.kind in ("term", "organisation") for e in s.expansions) for s in spans)


def _neighbours(items, i) -> tuple[str, ...]:
    """Joined spellings of plain word i with its plain-word neighbours of the same script (Latin
    or Khmer), for names written as one word or two."""
    here = items[i]
    if not isinstance(here, P.Word):
        return ()
    script = _script(here.text)
    if script is None:
        return ()
    out = []
    for j in (i - 1, i + 1):
        if 0 <= j < len(items) and isinstance(items[j], P.Word) and _script(items[j].text) == script:
            a, b = (items[j].text, here.text) if j < i else (here.text, items[j].text)
            out.append(a + b)
    return tuple(out)


def _script(text: str) -> str | None:
    if _LATIN.search(text):
        return "latin"
    if _KHMER.search(text):
        return "khmer"
    return None
