"""How much of the corpus's vocabulary the lexicon pairs with the other language (`bayon lexicon coverage`).

English vocabulary: the content words (Snowball stems of alphabetic words of 3+ letters that are
not stop or function words) of the Latin-script text of the records, those found in at least
`min_documents` (2) records. A stem is paired when it is by itself an English form of an entry
(a one-word form: "prison", "detention"), or a word of a name form (person, place, organisation:
"Koh", "Kong", "Chantha"), since name words are matched as parts of those names.

Khmer vocabulary: every word of the Khmer records (the default segmenter's words, normalised,
Khmer letters only, without the Khmer stop words), found in at least one record. A word is paired
when it is by itself a Khmer form of an entry, or when an occurrence of it lies inside a Khmer
form the expansion finds in that record's text (Khmer is written without spaces: the query that
holds the compound expands).

Shares are given both over distinct terms and weighted by each term's document frequency.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from lexicon.model import Entry

_LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
_KHMER_RUN = re.compile(r"[\u1780-\u17d3\u17dd\u19e0-\u19ff]+")
NAME_KINDS = ("person", "place", "organisation")


@dataclass
class LanguageCoverage:
    language: str
    documents: dict[str, set[str]] = field(default_factory=dict)   # term -> record ids
    surface: dict[str, str] = field(default_factory=dict)           # term -> a form as written
    paired: set[str] = field(default_factory=set)

    @property
    def terms(self) -> int:
        return len(self.documents)

    @property
    def paired_terms(self) -> int:
        return len(self.paired & set(self.documents))

    def share(self) -> float:
        return self.paired_terms / self.terms if self.terms else 0.0

    def weighted_share(self) -> float:
        total = sum(len(ids) for ids in self.documents.values())
        got = sum(len(ids) for t, ids in self.documents.items() if t in self.paired)
        return got / total if total else 0.0

    def gaps(self, top: int) -> list[tuple[str, int, str]]:
        """(term as written, documents, an example id) of the unpaired terms, most frequent first."""
        rows = [(self.surface[t], len(ids), sorted(ids)[0]) for t, ids in self.documents.items()
                if t not in self.paired]
        rows.sort(key=lambda r: (-r[1], r[0]))
        return rows[:top]


def _stop_words() -> set[str]:
    from analyzers.stopwords import ENGLISH_STOP_WORDS
    from lexicon.suggest import _FUNCTION_WORDS

    return set(ENGLISH_STOP_WORDS) | _FUNCTION_WORDS


def english_vocabulary(records, min_documents: int = 2) -> LanguageCoverage:
    """Content-word stems of the records' Latin-script text, with the records holding each."""
    from lexicon.expand import english_key

    stop = _stop_words()
    cov = LanguageCoverage("en")
    docs: dict[str, set[str]] = defaultdict(set)
    written: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for record in records:
        for word in _LATIN_WORD.findall(f"{record.title}\n{record.body}"):
            low = word.replace("’", "'").casefold()
            if len(low) < 3 or low in stop:
                continue
            key = english_key(low)
            if len(key) != 1 or key[0] in stop:
                continue
            docs[key[0]].add(record.id)
            written[key[0]][low] += 1
    for stem, ids in docs.items():
        if len(ids) >= min_documents:
            cov.documents[stem] = ids
            cov.surface[stem] = max(written[stem].items(), key=lambda kv: (kv[1], kv[0]))[0]
    return cov


def english_paired_stems(entries: tuple[Entry, ...]) -> set[str]:
    """Stems an English query word expands by: one-word forms, and the words of name forms."""
    from lexicon.expand import english_key

    paired = set()
    for entry in entries:
        for form in entry.english:
            key = english_key(form)
            if len(key) == 1 or entry.kind in NAME_KINDS:
                paired.update(key)
    return paired


def khmer_words(text: str) -> list[str]:
    """The Khmer words of `text`: segmented, normalised, Khmer letters only, stop words left out."""
    from analyzers.khmer import normalize
    from analyzers.segment import segment
    from analyzers.stopwords import KHMER_STOP_WORDS

    words = []
    for token in segment(normalize(text)):
        for run in _KHMER_RUN.findall(token):
            if run not in KHMER_STOP_WORDS:
                words.append(run)
    return words


def khmer_vocabulary(records) -> LanguageCoverage:
    cov = LanguageCoverage("km")
    for record in records:
        if record.language not in ("km", "mixed"):
            continue
        for word in khmer_words(f"{record.title}\n{record.body}"):
            cov.documents.setdefault(word, set()).add(record.id)
            cov.surface.setdefault(word, word)
    return cov


def khmer_paired_words(records, entries: tuple[Entry, ...], vocabulary: LanguageCoverage) -> set[str]:
    """The vocabulary's words that are a Khmer form, or lie inside a form found in their record."""
    from lexicon.expand import _found
    from lexicon.khmer_text import normalize, syllable_starts

    forms = {normalize(f).replace(" ", "") for e in entries for f in e.khmer}
    paired = {w for w in vocabulary.documents if w in forms}
    for record in records:
        if record.language not in ("km", "mixed"):
            continue
        text = normalize(f"{record.title}\n{record.body}")
        spans = [(s, e) for s, e, _, _, lang in _found(text, entries) if lang == "km"]
        starts = syllable_starts(text)
        for word, ids in vocabulary.documents.items():
            if word in paired or record.id not in ids:
                continue
            at = text.find(word)
            while at >= 0:
                end = at + len(word)
                if at in starts and end in starts and any(s <= at and end <= e for s, e in spans):
                    paired.add(word)
                    break
                at = text.find(word, at + 1)
    return paired


def coverage(records, entries: tuple[Entry, ...], min_documents: int = 2) -> tuple[LanguageCoverage, LanguageCoverage]:
    """(English, Khmer) coverage of the records' vocabulary by `entries`."""
    english = english_vocabulary(records, min_documents)
    english.paired = english_paired_stems(entries) & set(english.documents)
    khmer = khmer_vocabulary(records)
    khmer.paired = khmer_paired_words(records, entries, khmer)
    return english, khmer
