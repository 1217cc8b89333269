"""Bilingual (Khmer <-> English) lexicon, query expansion and Khmer-script name romanization (docs/lexicon.md)."""
