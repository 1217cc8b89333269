"""Property tests: no analyzer raises, offsets stay in bounds, ordered and non-empty."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzers import EnglishAnalyzer, KhmerAnalyzer, KhmerSubwordAnalyzer, MixedAnalyzer, detect_language
from analyzers.khmer import cluster_boundaries, clusters, normalize

ANALYZERS = [MixedAnalyzer(), KhmerSubwordAnalyzer(), EnglishAnalyzer(), KhmerAnalyzer()]

# Khmer block, Khmer symbols, the invisible and separator characters that matter, some Latin.
KHMER_HEAVY = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0x1780, max_codepoint=0x17FF),
        st.characters(min_codepoint=0x19E0, max_codepoint=0x19FF),
        st.sampled_from(list("\u200b\u200c\u200d\u00ad\ufeff -'’‐.,0123456789aZé«»()")),
    ),
    max_size=60,
)
ANY_TEXT = st.text(max_size=60)
PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_tokens(analyzer, text: str, **kwargs) -> None:
    last_start, last_pos = 0, None
    for t in analyzer(text, positions=True, chars=True, **kwargs):
        assert 0 <= t.startchar < t.endchar <= len(text), (t.text, t.startchar, t.endchar)
        assert t.startchar >= last_start
        assert t.text
        if last_pos is not None:
            assert t.pos >= last_pos
        last_start, last_pos = t.startchar, t.pos


@PROPERTY_SETTINGS
@given(st.one_of(KHMER_HEAVY, ANY_TEXT), st.sampled_from(["index", "query"]), st.booleans())
def test_no_analyzer_raises_and_offsets_are_sane(text, mode, removestops):
    for analyzer in ANALYZERS:
        check_tokens(analyzer, text, mode=mode, removestops=removestops)


@PROPERTY_SETTINGS
@given(KHMER_HEAVY)
def test_normalisation_is_idempotent_and_clusters_cover_it(text):
    once = normalize(text)
    assert normalize(once) == once
    assert "\u200c" not in once and "\u200d" not in once
    cuts = cluster_boundaries(text)
    assert cuts[0] == 0 and cuts[-1] == len(text) and cuts == sorted(set(cuts))
    assert all(c for c in clusters(text))


@PROPERTY_SETTINGS
@given(KHMER_HEAVY)
def test_khmer_tokens_are_the_normalised_original_slices(text):
    for t in MixedAnalyzer()(text, chars=True, removestops=False):
        if t.script == "khmer":
            assert normalize(text[t.startchar:t.endchar]) == t.text


@PROPERTY_SETTINGS
@given(st.one_of(KHMER_HEAVY, ANY_TEXT))
def test_detect_language_never_raises(text):
    assert isinstance(detect_language(text), str)
