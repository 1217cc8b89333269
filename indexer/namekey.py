"""Phonetic keys for romanized Khmer names, so that spelling variants of one name share a key.

The rule (general, not a list of names): lower-case ASCII letters only; `h` after a consonant is
dropped (kh/ch/th/ph/chh), doubled letters are collapsed, each run of vowels becomes one class
(w if it holds eu or oe, the romanizations of ឿ/ើ/ឺ; o if it holds o or u; a and/or e
otherwise, see name_keys), `w` is `v`, an `r` between a vowel and a final n/m/ng is silent
(Chhoeurn), a final `h` is dropped. So Keoraksmey/Keoreaksmey, Chhin/Chin, Pheap/Phiap,
Sokun/Sokoun, Chhoeun/Chhoeurn share a key; Chhun and Chhoeun (ឈុន, ឈឿន) do not.
Only capitalised Latin words are keyed in indexed text (names are capitalised); a name written
as one word or as two is matched by also keying adjacent capitalised word pairs joined.
Khmer-script words are keyed through `lexicon.romanize` (segmented as the index segments them),
so a Khmer-script name and its usual romanization share a key with no lexicon entry
(cross-script keys carry a mark: see NAME_MARK).
"""
from __future__ import annotations

import re

from analyzers.cache import short_text_cache
from analyzers.stopwords import KHMER_STOP_WORDS
from typing import Iterator

from unidecode import unidecode
from whoosh.analysis import Token, Tokenizer

_VOWELS = set("aeiouy")
_LATIN_WORD = re.compile(r"[A-Za-z\u00C0-\u024F]+")
MIN_KEY_LEN = 3


MAX_VARIANTS = 8


# each entry holds up to MAX_VARIANTS keys (about 1.5 kB): 16,384 entries are about 25 MB at most
@short_text_cache(maxsize=1 << 14, max_chars=40)  # query words of any length: long ones not kept
def name_keys(word: str) -> frozenset[str]:
    """The phonetic keys of one romanized word (empty when it has no Latin letters).

    A vowel run holding both a and e/i/y (ea, ia, ay...) is ambiguous and yields both classes,
    so "ea" meets "a" (Keoreaksmey/Keoraksmey) and "e" (Pheap/Phep); hence a set of keys.
    """
    latin = "".join(_LATIN_WORD.findall(word))  # other scripts (Khmer...) have no key
    s = re.sub(r"[^a-z]", "", unidecode(latin).lower())
    if not s:
        return frozenset()
    keys = [""]
    i = 0
    while i < len(s):
        c = s[i]
        if c in _VOWELS and not (c == "y" and i == 0):
            j = i
            while j < len(s) and s[j] in _VOWELS:
                j += 1
            classes = _vowel_classes(s[i:j])
            keys = [k if k.endswith(cls) else k + cls for k in keys for cls in classes][:MAX_VARIANTS]
            i = j
            continue
        if c == "h" and i > 0 and s[i - 1] not in _VOWELS:
            i += 1  # h after a consonant: kh, ch, th, ph, chh
            continue
        if c == "w":
            c = "v"
        if c == "r" and 0 < i and s[i - 1] in _VOWELS and s[i + 1:] in ("n", "m", "ng"):
            i += 1  # a silent r before a final nasal, as French-style spellings write it: Chhoeurn
            continue
        keys = [k if k.endswith(c) else k + c for k in keys]
        i += 1
    return frozenset(k[:-1] if len(k) > 1 and k.endswith("h") else k for k in keys)


def _vowel_classes(run: str) -> tuple[str, ...]:
    if "eu" in run or "oe" in run:  # ឿ ើ ឺ: Chhoeun, Soeung, Kheuy (not ុ/ូ/ួ: Chhun, Suon)
        return ("w",)  # never a consonant in a key: w is keyed as v
    if "o" in run or "u" in run:
        return ("o",)
    has_a, has_e = "a" in run, any(v in run for v in "eiy")
    if has_a and has_e:
        return ("a", "e")
    return ("a",) if has_a else ("e",)


def name_key(word: str) -> str:
    """One representative key of `word` (the smallest of name_keys), '' when it has none."""
    keys = name_keys(word)
    return min(keys) if keys else ""


def same_name(a: str, b: str) -> bool:
    """True when two romanized spellings share a phonetic key."""
    return bool(name_keys(a) & name_keys(b))


def latin_words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of each run of Latin letters in `text`."""
    return [(m.group(), m.start(), m.end()) for m in _LATIN_WORD.finditer(text)]


def keys_for_text(text: str) -> list[str]:
    """Keys to index for `text`: each capitalised Latin word's key and each pair of adjacent
    capitalised words' joined key (names are capitalised; other words match exactly), then the
    keys of its Khmer words romanized (khmer_keys)."""
    words = [w for w, _, _ in latin_words(text)]
    keys: list[str] = []
    for i, w in enumerate(words):
        if not w[:1].isupper():
            continue
        keys.extend(_latin_keys(w))
        if i + 1 < len(words) and words[i + 1][:1].isupper():
            keys.extend(_latin_keys(w + words[i + 1]))
    keys.extend(KHMER_MARK + k for k in khmer_keys(text))
    return keys


@short_text_cache(maxsize=1 << 14, max_chars=40)
def _latin_keys(word: str) -> tuple[str, ...]:
    """A capitalised word's keys, plain (Latin-to-Latin) and marked NAME_MARK (cross-script)."""
    keys = sorted(k for k in name_keys(word) if len(k) >= MIN_KEY_LEN)
    return tuple(keys + [NAME_MARK + k for k in keys])


# Keys across scripts are kept apart from Latin-to-Latin keys, so a romanized Khmer word meets
# names (capitalised Latin words), not any pair of small English words that sounds alike:
# capitalised Latin words are also indexed as NAME_MARK + key, Khmer words as KHMER_MARK + key.
NAME_MARK = "N_"
KHMER_MARK = "K_"
# Khmer words are keyed alone and joined with up to two following words (a name the segmenter
# cut, or a given name after a family name); a romanized span longer than this is not a name.
MAX_KHMER_NAME_WORDS = 3
MAX_KHMER_NAME_LETTERS = 16


# the grammar words of every Khmer text besides the stop words: negation, existence, modals,
# pronouns, possession, purpose, quantity, time; alone, none of them is anyone's name
_NO_NAME_ALONE = KHMER_STOP_WORDS | frozenset("""
មិន មែន មិនមែន មាន ត្រូវ អាច គេ យើង ខ្ញុំ គាត់ ពួក របស់ ជាមួយ ដើម្បី ធ្វើ ទៀត ច្រើន ណាស់ ទាំង អស់ ដូច ជាង
ពេល ថ្ងៃ ឆ្នាំ ខែ ទី ការ សេចក្តី ភាព អ្នក រង ទទួល ផ្តល់ ធ្លាប់ នៅតែ គ្មាន ពុំ កុំ ចង់ ត្រូវការ
""".split())


def khmer_keys(text: str) -> list[str]:
    """Name keys of the Khmer words of `text` romanized by `lexicon.romanize`: each word, and
    each run of up to MAX_KHMER_NAME_WORDS words separated by nothing or spaces only, joined; a
    grammar word (_NO_NAME_ALONE: មិន "min" is not Men) only inside such a run."""
    from analyzers.khmer_words import khmer_words
    from analyzers.scripts import khmer_runs

    words = [(_romanized(w), ws, we, w in _NO_NAME_ALONE) for start, end in khmer_runs(text)
             for w, ws, we in khmer_words(text, start, end)]
    keys: list[str] = []
    for i in range(len(words)):
        joined = ""
        for j in range(i, min(i + MAX_KHMER_NAME_WORDS, len(words))):
            word, start, _, stop = words[j]
            if not word or (j > i and text[words[j - 1][2]:start].strip()):
                break
            joined += word
            if j > i or not stop:  # a particle (មិន, ដែល...) is no name alone; in a run it may be
                keys.extend(_short_keys(joined))
    return keys


def query_keys(text: str) -> set[str]:
    """Index keys a query word looks up: a Latin word's keys as they are (Latin spellings) and
    marked KHMER_MARK (Khmer-script words); a Khmer word's romanized keys marked NAME_MARK
    (capitalised Latin words), never other Khmer words (those match exactly)."""
    latin = {k for k in name_keys(text) if len(k) >= MIN_KEY_LEN}
    return latin | {KHMER_MARK + k for k in latin} | {NAME_MARK + k for k in khmer_keys(text)}


def plain_key(key: str) -> str:
    """A key without its script mark (what `name_keys` of a Latin word gives)."""
    return key.removeprefix(NAME_MARK).removeprefix(KHMER_MARK)


@short_text_cache(maxsize=1 << 15, max_chars=40)
def _romanized(khmer_word: str) -> str:
    from lexicon.romanize import romanize

    return romanize(khmer_word)


# Keyed by runs of up to three romanized Khmer words joined, so a corpus has many: with 32,768
# entries the cache missed a third of the calls in a build (5,000 bench documents: keys 8.2 s);
# with 131,072 (about 400 bytes an entry, 52 MB at most) it holds them all (5.9 s)
@short_text_cache(maxsize=1 << 17, max_chars=MAX_KHMER_NAME_LETTERS)  # longer: no keys, nothing kept
def _short_keys(latin: str) -> tuple[str, ...]:
    if not latin or len(latin) > MAX_KHMER_NAME_LETTERS:
        return ()
    return tuple(sorted(k for k in name_keys(latin) if len(k) >= MIN_KEY_LEN))


class NameKeyAnalyzer(Tokenizer):
    """The `name_keys` field's analyzer: in index mode the keys of the text (keys_for_text), so
    they are computed where the text is analysed (a writer process, sharing its Khmer
    segmentation cache with the body analyzer); in any other mode the text is taken as
    space-separated keys, as typed."""

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __hash__(self):
        return hash(type(self))

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "", **kwargs) -> Iterator[Token]:
        if not isinstance(value, str):
            raise TypeError(f"{value!r} is not a string")
        keys = keys_for_text(value) if mode == "index" and tokenize else value.split()
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for i, key in enumerate(keys):
            t.text, t.boost, t.stopped = key, 1.0, False
            if keeporiginal:
                t.original = key
            if positions:
                t.pos = start_pos + i
            if chars:  # keys have no place in the text
                t.startchar = t.endchar = start_char
            yield t
