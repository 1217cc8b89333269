"""Measures the Khmer-script -> Latin romanizer against unidecode on Khmer/Latin name pairs.

Prints, for each method, the share of pairs whose phonetic keys match (indexer.namekey, spaces
ignored) and the mean character edit distance between the lower-cased, space-less forms.
Run: .venv/bin/python -m bench.romanizer [-v]
"""
from __future__ import annotations

import sys

from unidecode import unidecode

from lexicon.name_match import edit_distance, evaluation_pairs, khmer_matches_latin
from lexicon.romanize import romanize


def _flat(text: str) -> str:
    return "".join(text.lower().split())


def measure(romanizer) -> tuple[float, float, list[tuple[str, str, str, bool]]]:
    """(share of key matches, mean edit distance, rows) of `romanizer` on the evaluation pairs."""
    rows = []
    for km, en in evaluation_pairs():
        out = romanizer(km)
        rows.append((km, en, out, khmer_matches_latin(km, en, romanizer)))
    share = sum(r[3] for r in rows) / len(rows)
    distance = sum(edit_distance(_flat(r[2]), _flat(r[1])) for r in rows) / len(rows)
    return share, distance, rows


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    print(f"{'method':<12} {'pairs':>5} {'key match':>9} {'mean edit distance':>19}")
    for name, fn in (("unidecode", unidecode), ("bayon", romanize)):
        share, distance, rows = measure(fn)
        print(f"{name:<12} {len(rows):>5} {share:>9.1%} {distance:>19.2f}")
        if verbose and name == "bayon":
            for km, en, out, ok in rows:
                print(f"   {'ok' if ok else '--'} {en:<24} {out:<24} {km}")


if __name__ == "__main__":
    main(sys.argv[1:])
