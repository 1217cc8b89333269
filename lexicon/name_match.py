"""Does a Khmer-script name match a romanized spelling? Romanize it, then compare phonetic keys
(`indexer.namekey`, the keys the index holds), written as one word or several."""
from __future__ import annotations

from collections.abc import Callable

from lexicon.romanize import romanize


def _keys(latin: str) -> set[str]:
    from indexer.namekey import name_keys

    return name_keys("".join(latin.split()))


def khmer_matches_latin(khmer: str, latin: str, romanizer: Callable[[str], str] = romanize) -> bool:
    """True when `romanizer(khmer)` and `latin` share a phonetic key, written as one word or
    several (spaces ignored), or word by word in either order (Chak Sopheap / Sopheap Chak)."""
    from indexer.namekey import name_keys

    romanized = romanizer(khmer)
    if _keys(romanized) & _keys(latin):
        return True
    ours, theirs = romanized.split(), latin.split()
    if len(ours) != len(theirs) or len(ours) < 2:
        return False
    return all(name_keys(a) & name_keys(b) for a, b in zip(ours, reversed(theirs)))


def edit_distance(a, b) -> int:
    """Levenshtein distance between two sequences (strings, or lists of words)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def evaluation_pairs() -> list[tuple[str, str]]:
    """(Khmer, Latin) name pairs: every form of the lexicon's person and place entries (exonyms
    left out), plus lexicon/data/name_pairs.tsv."""
    from lexicon.loader import DEFAULT_PATH, shipped_entries

    pairs = [(km, en) for e in shipped_entries() if e.kind in ("person", "place")
             and not e.note.startswith("exonym")  # China = ចិន is a translation, not a romanization
             for km in e.khmer for en in e.english]
    for line in (DEFAULT_PATH.parent / "name_pairs.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("khmer\t"):
            km, en = line.split("\t")
            pairs.append((km, en))
    return pairs
