"""The Whoosh schema of a bayon index, and the field names the search service relies on."""
from __future__ import annotations

from whoosh import fields, formats
from whoosh.analysis import LowercaseFilter, RegexTokenizer

FACETS = ("organisation", "doc_type", "year", "language")
TITLE_BOOST = 3.0
# Latin words, unstemmed and lower-cased: the vocabulary for "did you mean".
VOCAB_PATTERN = r"[A-Za-z\u00C0-\u024F]+(?:'[A-Za-z]+)?"
SCHEMA_VERSION = "8"  # 2: name_keys also hold marked cross-script keys (indexer.namekey); 3: body term vectors; 4: body_sub too; 5: id, content_hash columns; 6: name keys of capitalised Latin words only, computed by the field's analyzer; 7: ZWSP no longer splits a word (analyzers.khmer.INVISIBLE); 8: name keys: a vowel class of its own for eu/oe (Chhoeun is not Chhun), Khmer particles not keyed alone; invisible characters on both sides of a hyphen keep the word whole


def text_analyzers():
    """(mixed, khmer_subword) analyzers from the analyzers package."""
    from analyzers import KhmerSubwordAnalyzer, MixedAnalyzer

    return MixedAnalyzer(), KhmerSubwordAnalyzer()


def vocab_analyzer():
    return RegexTokenizer(VOCAB_PATTERN) | LowercaseFilter()


def build_schema() -> fields.Schema:
    from analyzers.replay import ReplayLastAnalyzer
    from indexer.namekey import NameKeyAnalyzer

    mixed, subword = text_analyzers()
    facet = dict(stored=True, sortable=True)
    return fields.Schema(
        id=fields.ID(unique=True, stored=True, sortable=True),  # columns: incremental updates read
        title=fields.TEXT(analyzer=mixed, stored=True, field_boost=TITLE_BOOST),
        # term vector with character offsets: snippets read match spans instead of re-analysing
        # (indexer.snippets); the replaying analyzer keeps the build to one analysis of the body
        body=fields.TEXT(analyzer=ReplayLastAnalyzer(mixed), stored=True, vector=formats.Characters()),
        title_sub=fields.TEXT(analyzer=subword, stored=False, field_boost=TITLE_BOOST),
        body_sub=fields.TEXT(analyzer=ReplayLastAnalyzer(subword), stored=False, vector=formats.Characters()),
        organisation=fields.ID(**facet),
        doc_type=fields.ID(**facet),
        year=fields.ID(**facet),
        language=fields.ID(**facet),
        date=fields.ID(stored=True, sortable=True),
        date_precision=fields.STORED(),
        date_source=fields.STORED(),
        source=fields.ID(stored=True),
        url=fields.STORED(),
        content_hash=fields.ID(stored=True, sortable=True),  # id and hash without unpickling bodies
        # phonetic keys of capitalised Latin words, their adjacent pairs and romanized Khmer words,
        # computed from title + body by the analyzer (indexer.namekey)
        name_keys=fields.KEYWORD(scorable=True, analyzer=NameKeyAnalyzer()),
        # unstemmed Latin vocabulary for spelling suggestions
        vocab=fields.TEXT(analyzer=vocab_analyzer(), phrase=False),
    )
