"""English, Khmer and mixed queries drawn from a generated corpus's vocabulary, by frequency band."""
from __future__ import annotations

import random
import re
from collections import Counter

from bench.khmer_text import KhmerSentence

ENGLISH_STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers him his
how i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out over
own same she should so some such than that the their theirs them then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you your yours its has
""".split())
KHMER_CONTENT_WORD = re.compile(r"^[\u1780-\u17B3][\u1780-\u17D2]+$")  # starts with a letter; no digits or signs
COMMON_FUNCTION_WORDS = 50  # most frequent Khmer words left out as function words (users rarely search them)
BANDS = ((0.4, 0, 200), (0.4, 200, 2000), (0.2, 2000, None))  # (share, first rank, last rank): common/mid/rare


def ranked_english(counts: Counter) -> list[str]:
    return [w for w, c in counts.most_common() if w not in ENGLISH_STOPWORDS and c >= 2]


def ranked_khmer(counts: Counter) -> list[str]:
    words = [w for w, c in counts.most_common() if c >= 2 and KHMER_CONTENT_WORD.match(w)]
    return words[COMMON_FUNCTION_WORDS:]


def banded_word(rng: random.Random, ranked: list[str]) -> str:
    share, first, last = rng.choices(BANDS, [b[0] for b in BANDS])[0]
    band = ranked[first:last] or ranked
    return band[rng.randrange(len(band))]


def english_phrase(rng: random.Random, sentences: list[str]) -> str:
    """Two consecutive content words of a real sentence, quoted."""
    for _ in range(1000):
        words = [w.strip(".,;:!?\"“”‘’()").lower() for w in rng.choice(sentences).split()]
        pairs = [(a, b) for a, b in zip(words, words[1:])
                 if a.isalpha() and b.isalpha() and len(a) > 2 and len(b) > 2 and b not in ENGLISH_STOPWORDS]
        if pairs:
            return '"%s %s"' % rng.choice(pairs)
    raise ValueError("no phrase found in the English sentences")


def khmer_compound(rng: random.Random, sentences: list[KhmerSentence], vocabulary: set[str]) -> str:
    """Two consecutive words of a real sentence, typed without a space (as users type Khmer)."""
    for _ in range(1000):
        words = rng.choice(sentences).words
        pairs = [a + b for a, b in zip(words, words[1:]) if a in vocabulary and b in vocabulary]
        if pairs:
            return rng.choice(pairs)
    raise ValueError("no Khmer compound found")


def co_occurring_pair(rng: random.Random, mixed_samples: list, english: set[str], khmer: set[str]) -> list[str]:
    """An English and a Khmer content word taken from the same mixed document."""
    for _ in range(1000):
        english_words, khmer_words = rng.choice(mixed_samples)
        english_words = [w for w in english_words if w in english]
        khmer_words = [w for w in khmer_words if w in khmer]
        if english_words and khmer_words:
            return [rng.choice(english_words), rng.choice(khmer_words)]
    raise ValueError("no mixed document with both English and Khmer content words")


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typo_query(rng: random.Random, q: str) -> str | None:
    """`q` with one typo in one word: a Latin word of 5+ letters gets a letter substituted, deleted,
    inserted or two neighbours swapped; a Khmer word of 3+ syllables (clusters) loses one or has
    one replaced by another of the word's. None for a phrase or a query with no such word."""
    from analyzers.khmer import clusters

    if '"' in q:
        return None
    words = q.split()
    latin = [i for i, w in enumerate(words) if w.isascii() and w.isalpha() and len(w) >= 5]
    khmer = [i for i, w in enumerate(words) if not w.isascii() and len(clusters(w)) >= 3]
    if not latin and not khmer:
        return None
    i = rng.choice(latin + khmer)
    if i in latin:
        w = list(words[i])
        j = rng.randrange(len(w) - 1)
        op = rng.choice("sdit")
        if op == "s":
            w[j] = rng.choice([c for c in _LETTERS if c != w[j]])
        elif op == "d":
            del w[j]
        elif op == "i":
            w.insert(j, rng.choice(_LETTERS))
        elif w[j] != w[j + 1]:
            w[j], w[j + 1] = w[j + 1], w[j]
        else:
            del w[j]
    else:
        w = clusters(words[i])
        j = rng.randrange(len(w))
        if rng.random() < 0.5:
            del w[j]
        else:
            w[j] = rng.choice([c for c in w if c != w[j]] or ["ក"])
    words[i] = "".join(w)
    return " ".join(words)


def partial_query(rng: random.Random, q: str) -> str:
    """`q` plus a made-up word no document holds (answered by the any-word fallback)."""
    return f"{q} {''.join(rng.choice(_LETTERS) for _ in range(rng.randint(6, 9)))}"


def build_queries(seed: int, per_kind: int, english_counts: Counter, khmer_counts: Counter,
                  english_sentences: list[str], khmer_sentences: list[KhmerSentence],
                  mixed_samples: list | None = None) -> list[dict]:
    """`per_kind` queries of each kind (en, km, mixed), deterministic for a seed. Half the mixed queries
    pair words of one mixed document (when `mixed_samples` are given), half pair independent words."""
    rng = random.Random(f"queries:{seed}")
    english = ranked_english(english_counts)
    khmer = ranked_khmer(khmer_counts)
    if not english or not khmer:
        raise ValueError("the corpus is too small to draw queries from (no English or no Khmer vocabulary)")
    khmer_vocabulary = set(khmer)
    gold = [s for s in khmer_sentences if s.words]
    queries = []
    for _ in range(per_kind):
        shape = rng.random()
        if shape < 0.4:
            q = banded_word(rng, english)
        elif shape < 0.75:
            q = f"{banded_word(rng, english)} {banded_word(rng, english)}"
        elif shape < 0.85:
            q = " ".join(banded_word(rng, english) for _ in range(3))
        else:
            q = english_phrase(rng, english_sentences)
        queries.append({"kind": "en", "q": q})
    for _ in range(per_kind):
        shape = rng.random()
        if shape < 0.5:
            q = banded_word(rng, khmer)
        elif shape < 0.8:
            q = f"{banded_word(rng, khmer)} {banded_word(rng, khmer)}"
        else:
            q = khmer_compound(rng, gold, khmer_vocabulary)
        queries.append({"kind": "km", "q": q})
    english_vocabulary = set(english)
    for _ in range(per_kind):
        if mixed_samples and rng.random() < 0.5:
            pair = co_occurring_pair(rng, mixed_samples, english_vocabulary, khmer_vocabulary)
        else:
            pair = [banded_word(rng, english), banded_word(rng, khmer)]
        rng.shuffle(pair)
        queries.append({"kind": "mixed", "q": " ".join(pair)})
    return queries


def with_typo_queries(queries: list[dict]) -> list[dict]:
    """`queries` plus typo'd ones (kind "typo": one typo in an English or Khmer query) and partial
    ones (kind "partial": a query plus a word no document holds), a quarter as many as each of the
    first kind each, drawn deterministically from the queries themselves. Derived when the query set
    is read (bench.corpus_files.load_queries), so corpora generated before keep their manifest."""
    if any(q["kind"] in ("typo", "partial") for q in queries):
        return queries
    typed = [q["q"] for q in queries if q["kind"] in ("en", "km")]
    if not typed:
        return queries
    count = max(1, sum(q["kind"] == "en" for q in queries) // 4)
    rng = random.Random(f"typo-queries:{len(queries)}:{typed[0]}")
    typos = [t for t in (typo_query(rng, q) for q in typed) if t]
    partial = [partial_query(rng, rng.choice(typed)) for _ in range(count)]
    return (queries + [{"kind": "typo", "q": t} for t in typos[:count]]
            + [{"kind": "partial", "q": p} for p in partial])
