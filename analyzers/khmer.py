"""Khmer normalisation and orthographic syllables (clusters), with offsets into the original text.

Normalisation follows Unicode Technical Note #61 (canonical order inside a syllable) in the way
search engines apply it (Wikimedia's Khmer syllable reordering is the production reference):
base, register shifter, robat, subscripts (coeng + consonant, coeng-ro last), dependent vowel,
non-spacing signs, spacing signs. On top of the reordering it merges split vowels, collapses
repeated marks, drops invisible characters, folds deprecated/variant letters, folds coeng-da
into coeng-ta (so ``ឧត្ដម`` == ``ឧត្តម``) and turns Khmer digits into ASCII digits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from analyzers.cache import short_text_cache

ZWSP = "\u200b"
# Characters that never become (part of) a token and never split one: ZWSP, ZWNJ, ZWJ, soft
# hyphen, word joiner, BOM, invisible separator, and the two invisible Khmer inherent vowels.
# ZWSP is among them: Khmer writers put it between words as an optional break, or not, so a
# text (or query) must give the same tokens with it and without it (the segmenter places the
# word breaks in both cases).
INVISIBLE = "\u200b\u200c\u200d\u00ad\u2060\ufeff\u2063\u17b4\u17b5"

CONSONANTS = "\u1780-\u17a2"
INDEPENDENT_VOWELS = "\u17a3-\u17b3"
BASES = CONSONANTS + INDEPENDENT_VOWELS
COENG = "\u17d2"
RO = "\u179a"
DA = "\u178a"
TA = "\u178f"
ROBAT = "\u17cc"
REGISTER_SHIFTERS = "\u17c9\u17ca"
DEPENDENT_VOWELS = "\u17b6-\u17c5"
SPACING_SIGNS = "\u17c7\u17c8"
NON_SPACING_SIGNS = "\u17c6\u17cb\u17cd-\u17d1\u17d3\u17dd"
# Everything that attaches to a base inside one syllable (coeng included for stray coengs).
MARKS = DEPENDENT_VOWELS + "\u17c6-\u17d3\u17dd" + INVISIBLE
KHMER_DIGITS = "\u17e0-\u17e9"

# One orthographic syllable of the raw text. A base, then any mix of coeng+base subscripts,
# marks and invisible characters (in any typed order: reordering happens afterwards). Marks
# without a base (typing errors, text cut mid-syllable) form a cluster of their own.
_CLUSTER_RE = re.compile(
    f"[{BASES}](?:{COENG}+[{BASES}]|[{MARKS}])*|[{MARKS}]+|{COENG}+[{BASES}](?:{COENG}+[{BASES}]|[{MARKS}])*"
)
_CHUNK_RE = re.compile(f"{COENG}+[{BASES}][{REGISTER_SHIFTERS}]?|.", re.S)
_DEPENDENT_VOWEL_RE = re.compile(f"[{DEPENDENT_VOWELS}]")
_NON_SPACING_RE = re.compile(f"[{NON_SPACING_SIGNS}]")

# Deprecated, obsolete and variant characters -> their current form (per character).
_REGULARISE = str.maketrans({
    "\u17a3": "\u17a2",          # ឣ deprecated -> អ
    "\u17a4": "\u17a2\u17b6",    # ឤ deprecated -> អា
    "\u17a8": "\u17a7\u1780",    # ឨ obsolete ligature -> ឧក
    "\u17b2": "\u17b1",          # ឲ variant of ឱ (ឲ្យ / ឱ្យ)
    "\u17d3": "\u17c6",          # ៓ deprecated bathamasat, typed for nikahit
    "\u17dd": "\u17d1",          # ៝ obsolete atthacan -> viriam
    **{ch: None for ch in INVISIBLE},
})
_DIGITS = str.maketrans({chr(0x17E0 + i): str(i) for i in range(10)})

# Split vowels typed as two code points -> the single vowel (after reordering, so both
# orders of the pair are listed).
_VOWEL_MERGES = (
    ("\u17c1\u17b8", "\u17be"),  # េ + ី -> ើ
    ("\u17b8\u17c1", "\u17be"),
    ("\u17c1\u17b6", "\u17c4"),  # េ + ា -> ោ
    ("\u17b6\u17c1", "\u17c4"),
    ("\u17c1\u17bf", "\u17bf"),  # េ + ឿ -> ឿ (ឿ already draws the េ part)
    ("\u17bf\u17c1", "\u17bf"),
    ("\u17c1\u17c0", "\u17c0"),  # េ + ៀ -> ៀ
    ("\u17c0\u17c1", "\u17c0"),
)


@short_text_cache(maxsize=100_000, max_chars=16)  # a longer "cluster" (a base and many marks) is not kept
def normalize_cluster(cluster: str) -> str:
    """Canonical matching form of one orthographic syllable (may be empty: invisibles only).

    Cached: syllable frequencies are Zipfian, so almost every call is a hit."""
    cluster = cluster.translate(_REGULARISE)
    if not cluster:
        return cluster
    if len(cluster) > 1 and "\u1780" <= cluster[0] <= "\u17b3":
        base, rest = cluster[0], cluster[1:]
    else:
        base, rest = "", cluster
    shifters: list[str] = []
    robats: list[str] = []
    subscripts: list[str] = []
    ro_subscripts: list[str] = []
    vowels: list[str] = []
    non_spacing: list[str] = []
    spacing: list[str] = []
    for chunk in _CHUNK_RE.findall(rest):
        first = chunk[0]
        if first == COENG:
            if len(chunk) == 1:  # stray coeng with nothing to subscript
                subscripts.append(chunk)
                continue
            chunk = COENG + chunk.lstrip(COENG)
            (ro_subscripts if chunk[1] == RO else subscripts).append(chunk)
        elif _DEPENDENT_VOWEL_RE.match(first):
            vowels.append(first)
        elif first in REGISTER_SHIFTERS:
            shifters.append(first)
        elif first == ROBAT:
            robats.append(first)
        elif first in SPACING_SIGNS:
            spacing.append(first)
        elif _NON_SPACING_RE.match(first):
            non_spacing.append(first)
        else:  # a base inside a mark-only cluster: keep in place
            subscripts.append(chunk)
    parts = [base, *shifters, *robats, *subscripts, *ro_subscripts, *vowels, *non_spacing, *spacing]
    out: list[str] = []
    for part in parts:
        if part and (not out or out[-1] != part):
            out.append(part)
    text = "".join(out)
    for split, merged in _VOWEL_MERGES:
        if split in text:
            text = text.replace(split, merged)
    return text.replace(COENG + DA, COENG + TA).translate(_DIGITS)


@dataclass(frozen=True, slots=True)
class Cluster:
    """One orthographic syllable: its normalised text and its span in the original text."""

    text: str
    start: int
    end: int


def iter_clusters(text: str, start: int = 0, end: int | None = None):
    """Yield the non-empty normalised clusters of the Khmer letters in ``text[start:end]``."""
    for match in _CLUSTER_RE.finditer(text, start, len(text) if end is None else end):
        norm = normalize_cluster(match.group())
        if norm:
            yield Cluster(norm, match.start(), match.end())


def clusters(text: str) -> list[str]:
    """The orthographic syllables of ``text`` (Khmer letters only), normalised."""
    return [c.text for c in iter_clusters(text)]


_KHMER_SPAN_RE = re.compile(f"[{BASES}{MARKS}]+")


def normalize(text: str) -> str:
    """Normalise every Khmer syllable of ``text``; other characters are left as they are
    (except invisible characters, which are dropped, and Khmer digits, which become ASCII)."""
    def _span(match: re.Match) -> str:
        return "".join(c.text for c in iter_clusters(match.group()))
    return _KHMER_SPAN_RE.sub(_span, text).translate(_DIGITS).translate(_REGULARISE)


def cluster_boundaries(text: str) -> list[int]:
    """Offsets in ``text`` where it may be cut without splitting a Khmer syllable (0 and len included).

    Every offset is safe except those strictly inside a cluster."""
    inside: set[int] = set()
    for match in _CLUSTER_RE.finditer(text):
        inside.update(range(match.start() + 1, match.end()))
    return [i for i in range(len(text) + 1) if i not in inside]


_CLUSTER_CHAR_RE = re.compile(f"[{BASES}{MARKS}]")  # every character a _CLUSTER_RE match can hold


def is_cluster_boundary(text: str, offset: int) -> bool:
    """True when cutting ``text`` at ``offset`` does not split a Khmer syllable."""
    if offset <= 0 or offset >= len(text):
        return True
    # a cluster holding the cut holds the characters on both sides of it (most cuts: not Khmer)
    if _CLUSTER_CHAR_RE.match(text, offset - 1, offset) is None or _CLUSTER_CHAR_RE.match(text, offset) is None:
        return True
    lo = max(0, offset - 32)
    for match in _CLUSTER_RE.finditer(text, lo, min(len(text), offset + 32)):
        if match.start() < offset < match.end():
            return False
    return True
