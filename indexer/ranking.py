"""Which documents a query's plain words bring back, and in which tiers.

A query's top-level plain words are not all required. Documents matching every word come first
(the all-words tier); after them come documents matching only some, ordered by how much of the
query they match, each word weighted by its rarity (`word_weights`: a rare word missing costs
more than a common one). A partial match must hold two of the words when the query has three
or more, or a third of the word weight when it has two (`RULE`; `partial_ok` holds the
alternatives measured in docs/search.md), so one common word does not bring in the whole corpus;
the minimum applies only while it leaves a first page (`FILL_TO` results): a shorter strict list
is filled with every document holding one of the words, best first, as a search engine fills its
first page by dropping words (Meilisearch's matching strategies). Everything else keeps its
strict meaning: phrases, AND / OR groups,
fields and facet terms are required, NOT / -word exclude. A word counts as matched however it is
matched (exactly, as a Khmer sub-word, by name key or through a lexicon expansion: the clause's
`full` query).

Everything here is numpy over masks as long as the index (one per clause): no per-document loop.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_SHARE = 0.5  # the "share" rule: at least half of the query's word weight
FILL_TO = 10  # the minimum cuts partial matches only while at least this many results remain
RULE = "two-third"  # the minimum a partial match must meet: see partial_ok; measured in docs/search.md
# how partial matches are ordered: "soft" (the default) by BM25F x share**SOFT_POWER, the others
# (see Tiers.partial_rank) by a key of the share before the score; measured in docs/search.md
ORDER = "soft"
SOFT_POWER = 2


@dataclass
class Tiers:
    """`base`: the documents of the result list (before facet filters); `all_words`: those matching
    every plain word; `coverage`: per document, the share of the word weight it matches (1.0 in
    the all-words tier); `lacking`: per plain word, the documents that do not match it; `words`: the
    plain words as typed; `matched`: "all" when some document matches every word, else "any"."""
    base: np.ndarray
    all_words: np.ndarray
    coverage: np.ndarray
    lacking: list
    words: list
    matched: str

    count: np.ndarray | None = None  # per document, how many plain words it matches
    # (text, mask) per lexicon form over several query words (tiers' `together`): the documents
    # holding every word of it but not the form whole, which `missing` reports the form for
    apart: list = None
    filled: np.ndarray | None = None  # listed only to fill the first page (below the minimum)

    def partial_rank(self, order: str | None = None, scores: np.ndarray | None = None) -> np.ndarray:
        """Per document, the key that orders partial matches (larger first): `soft` (the default:
        the BM25F `scores` times the share of the word weight to the power SOFT_POWER, so a
        document missing a word comes after one holding it unless it matches the words it holds
        much better; Meilisearch's buckets, softened), or a key the score only breaks ties of:
        `share` (the share of the word weight), `count` (how many words, then share), `quarters`
        (the share rounded down to quarters), `count-only` (how many words)."""
        order = order or ORDER
        if order == "soft":
            return (np.zeros(self.coverage.size) if scores is None else scores) * self.coverage ** SOFT_POWER
        if order == "share":
            return self.coverage
        if order == "quarters":
            return np.floor(self.coverage * 4 + 1e-9)
        count = self.count if self.count is not None else np.zeros(self.coverage.size)
        if order == "count":
            return count + self.coverage / 2
        if order == "count-only":
            return count.astype(np.float64)
        raise ValueError(f"unknown order {order!r}")

    def missing_sets(self) -> np.ndarray:
        """Per document, a number that is the same for two documents exactly when they lack the
        same words (and hold the same Khmer parts only apart)."""
        sig = np.zeros(self.coverage.size, dtype=np.int64)
        masks = list(self.lacking) + [m for _, m in (self.apart or ())]
        for k, m in enumerate(masks[:62]):
            sig |= m.astype(np.int64) << k
        return sig

    def missing(self, docnum: int) -> list[str]:
        """The query's words (as typed) that document `docnum` lacks, in query order; then the
        lexicon forms over several words whose words it holds only apart (an unspaced Khmer word,
        "forced eviction")."""
        out = [w for w, lacks in zip(self.words, self.lacking) if w is not None and lacks[docnum]]
        return out + [w for w, apart in (self.apart or ()) if apart[docnum]]


def word_weights(masks: list[np.ndarray], alive: np.ndarray) -> np.ndarray:
    """Rarity of each word: BM25's idf of the number of live documents it matches (in any form),
    log(1 + (N - df + 0.5) / (df + 0.5)): positive, larger for rarer words; 0 for a word that
    no document holds."""
    n = float(alive.sum())
    df = np.array([float((m & alive).sum()) for m in masks])
    # a word no document holds in any form (a typo, a word of no publication) weighs nothing:
    # it cannot be matched, so it must not make every partial match too small
    return np.where(df > 0, np.log1p((n - df + 0.5) / (df + 0.5)), 0.0)


def partial_ok(matched: np.ndarray, share: np.ndarray, n_words: int, rule: str | None = None) -> np.ndarray:
    """Which partial matches are kept, by `rule`: `two-third` (the default: 2 words when the
    query has 3 or more, else a third of the word weight), `share` (at least MIN_SHARE of the
    word weight), `half` (at least half the words, by count), `two` (2 words when the query has
    3 or more, else 1), `two-share` (2 words of 3+, else half the weight), `third` (a third of
    the weight), `any` (one word is enough). None: `RULE`."""
    rule = rule or RULE
    if rule == "share":
        return share >= MIN_SHARE - 1e-9
    if rule == "third":
        return share >= 1 / 3 - 1e-9
    if rule == "half":
        return matched * 2 >= n_words
    if rule == "two":
        return matched >= (2 if n_words >= 3 else 1)
    if rule == "any":
        return matched >= 1
    if rule == "two-share":  # 3+ words: two of them; 1-2 words: half the weight
        return matched >= 2 if n_words >= 3 else share >= MIN_SHARE - 1e-9
    if rule == "two-third":  # 3+ words: two of them; 1-2 words: a third of the weight
        return matched >= 2 if n_words >= 3 else share >= 1 / 3 - 1e-9
    raise ValueError(f"unknown rule {rule!r}")


def tiers(word_masks: list[np.ndarray], words: list[str], required: np.ndarray, alive: np.ndarray,
          rule: str | None = None, fill_to: int | None = None, together: list | None = None) -> Tiers:
    """Tiers of a query whose plain words match `word_masks` (one mask per word, any form) and
    whose other conditions (required items, negatives, deleted documents) leave `required`.
    `together`: (text, word indexes, mask, loose) per lexicon form covering several of the words:
    an unspaced Khmer word cut into parts (indexer.questions) or words typed with spaces (`loose`):
    a document in the all-words tier must hold the form whole (`mask`: as typed or translated),
    not only its words apart ("rights" and "human" for សិទ្ធិមនុស្ស; "forced" and "eviction" far
    from each other for `forced eviction`); for a loose form only while some document of
    `required` holds it whole (else its words apart are what there is: `land dispute court`).

    With no plain word the result is `required` itself. When no document holds enough of the
    words for `rule`, any document holding one of them is kept (and `matched` is "any"), and so
    when fewer than `fill_to` (None: `FILL_TO`) do (the added ones rank below them: they cover less)."""
    size = required.size
    if not word_masks:
        return Tiers(required, required.copy(), required.astype(np.float64), [], [], "all")
    weights = word_weights(word_masks, alive)
    total = float(weights.sum()) or 1.0
    weight_in = np.zeros(size, dtype=np.float64)
    count = np.zeros(size, dtype=np.int32)
    for w, m in zip(weights, word_masks):
        weight_in += w * m
        count += m
    coverage = weight_in / total
    n = len(word_masks)
    all_words = required & (count == n)
    apart = []
    for text, indexes, whole, loose in together or ():
        parts = np.logical_and.reduce([word_masks[k] for k in indexes])
        if loose and not (whole & required).any():
            continue
        apart.append((text, parts & ~whole))
        all_words &= ~apart[-1][1]
    some = required & (count > 0)
    base = all_words | (some & partial_ok(count, coverage, n, rule))
    filled = np.zeros(size, dtype=bool)
    if int(base.sum()) < (FILL_TO if fill_to is None else fill_to):
        filled = some & ~base
        base = some
    coverage = np.where(all_words, 1.0, coverage)
    lacking = [~m for m in word_masks]
    return Tiers(base, all_words, coverage, lacking, list(words), "all" if all_words.any() else "any",
                 count=np.where(all_words, n, count), apart=apart, filled=filled)
