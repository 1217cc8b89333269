"""Query syntax parsing: operators, fields, and broken syntax read as plain words (never an error)."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from indexer import queryparse as P
from indexer.querybuild import parse_year


def test_plain_words_phrases_and_negation():
    tree = P.parse('"pre-trial detention" -prison Kem Ley')
    assert tree.children == [P.Phrase("pre-trial detention"), P.Not(P.Word("prison")),
                             P.Word("Kem"), P.Word("Ley")]


def test_operators_and_groups():
    tree = P.parse("(arrest OR detention) AND journalist NOT prison")
    (node,) = tree.children
    assert isinstance(node, P.And)
    assert node.children[0] == P.Or([P.Word("arrest"), P.Word("detention")])
    assert node.children[1] == P.Word("journalist")
    assert node.children[2] == P.Not(P.Word("prison"))


def test_fields_and_aliases():
    tree = P.parse('title:"joint statement" org:licadho type:report year:2019..2021 lang:km')
    assert tree.children == [
        P.FieldTerm("title", "joint statement", quoted=True),
        P.FieldTerm("organisation", "licadho"),
        P.FieldTerm("doc_type", "report"),
        P.FieldTerm("year", "2019..2021"),
        P.FieldTerm("language", "km"),
    ]
    # unknown field names stay words
    assert P.parse("http://x").children == [P.Word("http://x")]


def test_broken_syntax_is_plain_words():
    assert P.parse('"pretrial detention').children == [P.Word("pretrial"), P.Word("detention")]
    assert P.parse("(arrest OR").children == [P.Word("arrest"), P.Word("OR")]
    assert P.parse("arrest)").children == [P.Word("arrest")]
    assert P.parse("ស៊ីវិល (").children == [P.Word("ស៊ីវិល")]


def test_dangling_operators_are_dropped():
    assert P.parse("AND").children == []
    assert P.parse("arrest OR").children == [P.Word("arrest")]
    assert P.parse("NOT").children == []


def test_year_forms():
    assert parse_year("2020") == ("2020", "2020")
    assert parse_year("2021..2019") == ("2019", "2021")
    assert parse_year("2019..") == ("2019", "9999")
    assert parse_year("..2019") == ("0000", "2019")
    assert parse_year("twenty") is None and parse_year("20190") is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab ()"-:ORANDT\u1780\u17b6\u17d2')), max_size=30))
def test_parse_never_raises(text):
    tree = P.parse(text)
    assert isinstance(tree, P.Group)
