"""The mixed, English, Khmer and sub-word analyzers: tokens, scripts and original offsets."""
from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from whoosh.fields import TEXT, Schema

from analyzers import EnglishAnalyzer, KhmerAnalyzer, KhmerSubwordAnalyzer, MixedAnalyzer
from analyzers.english import fold_english, stem
from analyzers.khmer import normalize

SOURCES = Path(__file__).resolve().parent.parent / "corpus" / "sources"


def analyze(analyzer, text, **kwargs):
    return [(t.text, t.startchar, t.endchar, getattr(t, "script", None))
            for t in analyzer(text, positions=True, chars=True, **kwargs)]


def texts(analyzer, text, **kwargs):
    return [t.text for t in analyzer(text, **kwargs)]


def test_mixed_line_gives_english_khmer_and_number_tokens_in_order():
    line = "UPR របស់ CCHR ឆ្នាំ២០២៤"
    tokens = analyze(MixedAnalyzer(), line)
    assert [(t, s) for t, _, _, s in tokens] == [
        ("upr", "latin"), ("របស់", "khmer"), ("cchr", "latin"), ("ឆ្នាំ", "khmer"), ("2024", "number")]
    assert [line[a:b] for _, a, b, _ in tokens] == ["UPR", "របស់", "CCHR", "ឆ្នាំ", "២០២៤"]


def test_offsets_point_at_the_original_non_canonical_text():
    line = "មជ្ឈមណ្ឌលសិទិ្ធមនុស្ស ឧត្ដម"
    tokens = analyze(MixedAnalyzer(), line)
    by_text = {t: line[a:b] for t, a, b, _ in tokens}
    assert by_text["សិទ្ធិ"] == "សិទិ្ធ"
    assert by_text["ឧត្តម"] == "ឧត្ដម"


def test_every_offset_slices_the_original_on_the_real_sources():
    analyzer = MixedAnalyzer()
    for path in sorted(SOURCES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")[:20000]
        last = 0
        for token, start, end, script in analyze(analyzer, text):
            assert 0 <= start < end <= len(text)
            assert start >= last
            last = start
            original = text[start:end]
            if script == "latin":
                assert token == stem(fold_english(re.sub("[-\u2010\u2011]", "", original)))
            if script == "khmer":
                assert normalize(original) == token


@pytest.mark.parametrize("a, b", [
    ("arrested", "arrests"), ("skipped", "skipping"), ("Cambodia’s", "cambodia"),
    ("Cambodia's", "Cambodia"), ("café", "cafe"), ("“detention”", "detention"),
])
def test_english_variants_give_the_same_terms(a, b):
    assert texts(MixedAnalyzer(), a) == texts(MixedAnalyzer(), b)


def test_snowball_not_porter():
    assert texts(MixedAnalyzer(), "skipped") == ["skip"]


def test_hyphenated_words_are_findable_whole_and_in_parts():
    tokens = analyze(MixedAnalyzer(), "non-custodial sentences")
    terms = [t for t, *_ in tokens]
    assert texts(MixedAnalyzer(), "noncustodial")[0] in terms
    assert {"non", "custodi"} <= set(terms)
    assert texts(MixedAnalyzer(), "crossborder") == [texts(MixedAnalyzer(), "cross-border")[0]]
    # in a query, the hyphenated word is its parts (a phrase)
    assert texts(MixedAnalyzer(), "non-custodial", mode="query") == ["non", "custodi"]


def test_positions_share_the_slot_of_a_hyphenated_word():
    positions = [(t.text, t.pos) for t in MixedAnalyzer()("non-custodial sentences", positions=True)]
    assert positions == [("noncustodi", 0), ("non", 0), ("custodi", 1), ("sentenc", 2)]


def test_stop_words_removed_but_acronyms_kept():
    assert texts(MixedAnalyzer(), "the rights of women in the US") == ["right", "women", "us"]
    assert texts(MixedAnalyzer(), "UPR NSSF LRSU") == ["upr", "nssf", "lrsu"]


def test_removestops_false_marks_instead_of_removing():
    tokens = [(t.text, t.stopped) for t in MixedAnalyzer()("rights of women", removestops=False)]
    assert tokens == [("right", False), ("of", True), ("women", False)]


def test_stop_words_renumber_positions_so_phrases_match():
    positions = [t.pos for t in MixedAnalyzer()("rights of women", positions=True)]
    assert positions == [0, 1]


def test_khmer_particles_are_stop_words_and_not_stemmed():
    tokens = texts(MixedAnalyzer(), "សិទ្ធិ និង សេរីភាព")
    assert tokens == ["សិទ្ធិ", "សេរីភាព"]


def test_start_pos_start_char_keeporiginal_and_tokenize_false():
    tokens = [(t.text, t.pos, t.startchar, t.original) for t in
              MixedAnalyzer()("Arrests ២០២៤", positions=True, chars=True, keeporiginal=True,
                              start_pos=10, start_char=100)]
    assert tokens == [("arrest", 10, 100, "Arrests"), ("2024", 11, 108, "2024")]
    whole = [t.text for t in MixedAnalyzer()("Two Words", tokenize=False)]
    assert whole == ["two words"]


def test_numbers_in_any_digits():
    assert texts(MixedAnalyzer(), "1,000 people in 2024, ៣ឆ្នាំ, 3.5%") == ["1000", "peopl", "2024", "3", "ឆ្នាំ", "3.5"]


def test_thai_goes_to_pythainlp():
    tokens = analyze(MixedAnalyzer(), "สิทธิมนุษยชน UPR")
    assert tokens[-1] == ("upr", 13, 16, "latin")
    assert all(s == "thai" for *_, s in tokens[:-1]) and len(tokens) >= 2


def test_english_and_khmer_only_analyzers():
    line = "UPR របស់ CCHR ឆ្នាំ២០២៤"
    assert texts(EnglishAnalyzer(), line) == ["upr", "cchr", "2024"]
    assert texts(KhmerAnalyzer(), line) == ["របស់", "ឆ្នាំ", "2024"]


def test_subword_analyzer_gives_syllables_with_original_offsets():
    line = "សិទិ្ធមនុស្ស UPR"
    tokens = analyze(KhmerSubwordAnalyzer(), line)
    assert [t for t, *_ in tokens] == ["សិ", "ទ្ធិ", "ម", "នុ", "ស្ស", "upr"]
    assert [line[a:b] for _, a, b, _ in tokens] == ["សិ", "ទិ្ធ", "ម", "នុ", "ស្ស", "UPR"]


def test_compound_whole_or_split_gives_the_same_syllables():
    assert texts(KhmerSubwordAnalyzer(), "សិទ្ធិមនុស្ស") == texts(KhmerSubwordAnalyzer(), "សិទ្ធិ មនុស្ស")


@pytest.mark.parametrize("factory", [MixedAnalyzer, KhmerSubwordAnalyzer, EnglishAnalyzer, KhmerAnalyzer])
def test_analyzers_pickle_into_a_whoosh_schema(factory):
    schema = Schema(body=TEXT(analyzer=factory()))
    restored = pickle.loads(pickle.dumps(schema))
    assert restored["body"].analyzer == factory()
    line = "UPR របស់ CCHR ឆ្នាំ២០២៤"
    assert texts(restored["body"].analyzer, line) == texts(factory(), line)


def test_non_string_input_is_a_clear_error():
    with pytest.raises(TypeError):
        list(MixedAnalyzer()(b"bytes"))
