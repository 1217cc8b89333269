"""bayon: bilingual (Khmer + English) full-text search. The command line lives in bayon.cli."""

__version__ = "0.1.0"
