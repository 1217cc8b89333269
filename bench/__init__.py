"""Benchmark harness (scripts, not tests): synthetic bilingual corpora, bayon vs SQLite FTS5.

Generated corpora and indexes go under var/ or /tmp and are never committed.
"""
