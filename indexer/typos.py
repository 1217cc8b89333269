"""Typo tolerance and "Did you mean" for one query, from the generation's fuzzy vocabulary.

`find_corrections` looks at the query's plain words (top level, groups, AND; not phrases, fields,
OR alternatives or negated words). A word the vocabulary holds is left alone at the cost of a
dictionary look-up. Any other word is looked up, within bounds: at most MAX_WORDS words per query,
none longer than MAX_WORD_CHARS characters, and no new look-up once BUDGET_SECONDS have passed
(the rest of the query is then answered as typed). A looked-up word that the index matches in no
way (`held`: its stem, name keys, Khmer sub-words, lexicon expansions) gets typo alternatives: its
nearest vocabulary words (`indexer.fuzzy.allowed_typos` edits, the nearest distance only, the
MAX_ALTERNATIVES most frequent; for a Khmer word, the lexicon's Khmer forms one cluster away
after the indexed words: `indexer.fuzzy.lexicon_khmer_forms`), which the query builder searches at `indexer.querybuild.TYPO_WEIGHT`, ranked below
words matched as typed. "Did you mean" offers the best alternative, or, for a word matched only
through its stem-less forms (a romanized name variant), the vocabulary's own spelling of that name.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from indexer import queryparse as P
from indexer.fuzzy import LEXICON_MIN_CLUSTERS, allowed_typos, khmer_clusters, lexicon_khmer_forms, osa_distance

MAX_WORDS = 8
MAX_WORD_CHARS = 32
BUDGET_SECONDS = 0.05
MAX_ALTERNATIVES = 3
_LATIN = re.compile(r"[A-Za-z][A-Za-z']*")
_KHMER = re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]+")
_EDGE_PUNCT = ".,;:!?\"“”‘’()[]"
_SKIP = {"AND", "OR", "NOT"}


@dataclass
class WordFix:
    word: str  # as typed (the query word's text)
    to: list[str] = field(default_factory=list)  # typo alternatives searched, best first ([] when held)
    suggest: str | None = None  # the spelling "Did you mean" offers


@dataclass
class Corrections:
    fixes: list[WordFix] = field(default_factory=list)
    truncated: bool = False  # a bound (words, time) left some words without a look-up

    def alternatives(self) -> dict[str, list[str]]:
        """{query word as typed: its typo alternatives} for the query builder."""
        return {f.word: f.to for f in self.fixes if f.to}

    def corrected(self, q: str) -> dict | None:
        """The `corrected` JSON field: the query with typo'd words replaced, or None."""
        fixes = [f for f in self.fixes if f.to]
        if not fixes:
            return None
        return {"query": _replace(q, {f.word: f.to[0] for f in fixes}), "original": q,
                "words": [{"from": f.word, "to": list(f.to)} for f in fixes]}

    def suggestion(self, q: str) -> str | None:
        fixes = {f.word: f.suggest for f in self.fixes if f.suggest}
        return _replace(q, fixes) if fixes else None


def query_words(tree) -> list[str]:
    """The positive plain words of a parsed query, in order, each once."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, P.Word):
            if node.text not in out and node.text not in _SKIP:
                out.append(node.text)
        elif isinstance(node, (P.Group, P.And)):
            for child in node.children:
                walk(child)

    walk(tree)
    return out


def find_corrections(fuzzy, tree, *, held, stem_known, budget: float = BUDGET_SECONDS) -> Corrections:
    """Typo alternatives and suggestions for the words of `tree` (see the module docstring).
    `held(word) -> bool`: the index matches the word as the query builder searches it;
    `stem_known(word) -> bool`: its analysed (stemmed) form is an indexed term."""
    deadline = time.perf_counter() + budget
    result = Corrections()
    looked = 0
    for typed in query_words(tree):
        word = typed.strip(_EDGE_PUNCT)
        if len(word) > MAX_WORD_CHARS:
            continue
        latin = bool(_LATIN.fullmatch(word))
        khmer = not latin and bool(_KHMER.fullmatch(word))
        if not (latin or khmer):
            continue
        key = word.lower() if latin else "".join(khmer_clusters(word))
        if not key or (fuzzy.has_latin(key) if latin else fuzzy.has_khmer(key) or key in lexicon_khmer_forms()):
            continue
        if time.perf_counter() > deadline:
            result.truncated = True
            break
        if latin and (len(key) < 3 or stem_known(key)):
            continue
        if looked >= MAX_WORDS:
            result.truncated = True
            break
        looked += 1
        fix = _latin_fix(fuzzy, typed, key, held) if latin else _khmer_fix(fuzzy, typed, key, held)
        if fix is not None:
            result.fixes.append(fix)
    return result


def _latin_fix(fuzzy, typed: str, low: str, held) -> WordFix | None:
    near = fuzzy.latin_near(low, allowed_typos(low))
    to = []
    if near and not held(typed):  # no neighbour: nothing to search instead, no need to ask
        best = near[0][1]
        to = [t for t, d, _ in near if d == best][:MAX_ALTERNATIVES]
    if to:
        return WordFix(typed, [_same_case(typed, t) for t in to], _same_case(typed, to[0]))
    # "Did you mean": the nearest word, a spelling variant of the same name preferred at equal distance
    scored = {t: float(d) for t, d, _ in near}
    for term, _df in fuzzy.name_variants(low):
        d = osa_distance(low, term, max(len(low), len(term)))
        scored[term] = min(scored.get(term, 99.0), d - 0.5)
    if not scored:
        return None
    best = min(scored, key=lambda t: (scored[t], -fuzzy.latin_df_of(t), t))
    return WordFix(typed, [], _same_case(typed, best))


def _khmer_fix(fuzzy, typed: str, key: str, held) -> WordFix | None:
    """The indexed Khmer words one cluster away, most frequent first, then the lexicon's forms
    one cluster away from a word of LEXICON_MIN_CLUSTERS clusters or more (words of no indexed
    record, found through their translations)."""
    near = [t for t, _ in fuzzy.khmer_near(key)]
    near += [t for t in lexicon_khmer_forms().near(key, LEXICON_MIN_CLUSTERS) if t not in near]
    if not near or held(typed):
        return None
    to = near[:MAX_ALTERNATIVES]
    return WordFix(typed, to, to[0])


def _replace(q: str, words: dict[str, str]) -> str:
    """`q` with each whole word in `words` replaced (Latin words case-sensitively, as typed)."""
    out = q
    for typed, better in words.items():
        core = typed.strip(_EDGE_PUNCT)
        replacement = typed.replace(core, better, 1)
        if _LATIN.fullmatch(core):
            out = re.sub(rf"(?<![\w:\-]){re.escape(typed)}(?![\w:])", lambda _m: replacement, out)
        else:
            out = out.replace(typed, replacement)
    return out


def _same_case(original: str, word: str) -> str:
    core = original.strip(_EDGE_PUNCT)
    if core.isupper() and len(core) > 1:
        return word.upper()
    if core[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def stem_known(reader, mixed, low: str) -> bool:
    """True when the analysed form(s) of a Latin word are indexed terms (or it is a stop word)."""
    tokens = [t.text for t in mixed(low, mode="query")]
    if not tokens:
        return True
    return all(reader.doc_frequency("body", t) or reader.doc_frequency("title", t) for t in tokens)
