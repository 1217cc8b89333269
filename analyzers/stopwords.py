"""Stop words: Whoosh's English list, and Khmer grammatical particles (normalised form).

The Khmer list is hand-made from grammar (conjunctions, relative and object markers,
demonstratives, aspect/negation particles and the commonest prepositions). ``ជា`` is left
out on purpose: it is also a frequent family name (ជា ចាន់ថា).
"""
from __future__ import annotations

from whoosh.analysis import STOP_WORDS

ENGLISH_STOP_WORDS: frozenset[str] = frozenset(STOP_WORDS)

KHMER_STOP_WORDS: frozenset[str] = frozenset("""
និង ដែល នៃ នូវ ហើយ ក៏ ដ៏ ឬ ទេ នេះ នោះ ផង ដែរ គឺ ឱ្យ ពី នៅ ក្នុង ដល់ បាន នឹង កំពុង
ដោយ ចំពោះ ទៅ មក លើ ព្រោះ តែ ប៉ុន្តែ ថា ណា អ្វី ៗ
""".split())
