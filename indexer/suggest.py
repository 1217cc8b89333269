"""'Did you mean': correct Latin query words from the index's own unstemmed vocabulary."""
from __future__ import annotations

import re
from collections import defaultdict

from indexer.namekey import name_keys

_WORD = re.compile(r"(?<![\w:])([A-Za-z][A-Za-z']+)(?![\w:])")
_SKIP = {"AND", "OR", "NOT"}


class Suggester:
    """Built once per searcher: the vocabulary, its document frequencies and name-key groups."""

    def __init__(self, searcher, mixed):
        self.searcher, self.mixed = searcher, mixed
        reader = searcher.reader()
        self.by_key: dict[str, list[str]] = defaultdict(list)
        for term in reader.lexicon("vocab"):
            word = term.decode("utf-8") if isinstance(term, bytes) else term
            for key in name_keys(word):
                self.by_key[key].append(word)

    def suggest(self, text: str) -> str | None:
        """The whole query with misspelt words replaced, or None when nothing needs correcting."""
        if not text:
            return None
        out, pos, changed = [], 0, False
        for m in _WORD.finditer(text):
            word = m.group(1)
            prev = text[max(0, m.start() - 1):m.start()]
            if word in _SKIP or prev == "-":
                continue
            better = self.correct(word)
            if better:
                out.append(text[pos:m.start()])
                out.append(_same_case(word, better))
                pos, changed = m.end(), True
        if not changed:
            return None
        out.append(text[pos:])
        return "".join(out)

    def correct(self, word: str) -> str | None:
        low = word.lower()
        if self._known(low) or len(low) < 3:
            return None
        reader = self.searcher.reader()
        maxdist = 1 if len(low) <= 5 else 2
        candidates: dict[str, float] = {}
        for term in reader.terms_within("vocab", low, maxdist, prefix=0):
            cand = term.decode("utf-8") if isinstance(term, bytes) else term
            if cand != low:
                candidates[cand] = float(_distance(low, cand))
        for cand in {c for key in name_keys(low) for c in self.by_key.get(key, ())}:
            if cand != low:  # a spelling variant of the same name: preferred at equal distance
                candidates[cand] = _distance(low, cand) - 0.5
        if not candidates:
            return None
        return min(candidates, key=lambda c: (candidates[c], -reader.doc_frequency("vocab", c), c))

    def _known(self, low: str) -> bool:
        reader = self.searcher.reader()
        if reader.doc_frequency("vocab", low):
            return True
        tokens = [t.text for t in self.mixed(low, mode="query")]
        if not tokens:
            return True  # a stop word: nothing to correct
        return all(reader.doc_frequency("body", t) or reader.doc_frequency("title", t) for t in tokens)


def _same_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance."""
    prev2, prev = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]
