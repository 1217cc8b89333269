"""The body analyzer of the schema (ReplayLastAnalyzer) gives exactly the mixed analyzer's tokens,
on first and repeated calls, for the real source documents; the index's sub-word fields are
empty only for text without Khmer."""
from __future__ import annotations

import pickle

from analyzers import MixedAnalyzer
from analyzers.replay import ReplayLastAnalyzer
from indexer.documents import record_to_fields

MIXED = MixedAnalyzer()


def _tokens(analyzer, text, **kwargs):
    return [(t.text, t.pos, t.startchar, t.endchar, t.boost)
            for t in analyzer(text, positions=True, chars=True, boosts=True, **kwargs)]


def test_replayed_tokens_equal_the_mixed_analyzer_on_real_documents(corpus_records):
    replay = ReplayLastAnalyzer(MixedAnalyzer())
    texts = [r.body for r in corpus_records if r.body]
    assert any(r.language == "km" for r in corpus_records)
    for text in texts:
        expected = _tokens(MIXED, text, mode="index")
        assert expected
        assert _tokens(replay, text, mode="index") == expected      # recorded
        assert _tokens(replay, text, mode="index") == expected      # replayed
        assert [t.text for t in replay(text, mode="index")] == [t.text for t in MIXED(text, mode="index")]
        assert _tokens(replay, text, mode="query") == _tokens(MIXED, text, mode="query")


def test_replay_never_serves_another_texts_tokens(corpus_records):
    replay = ReplayLastAnalyzer(MixedAnalyzer())
    a, b = (r.body for r in corpus_records[:2])
    _tokens(replay, a, mode="index")
    assert _tokens(replay, b, mode="index") == _tokens(MIXED, b, mode="index")
    same_text_other_object = "".join(list(b))
    assert _tokens(replay, same_text_other_object, mode="index") == _tokens(MIXED, b, mode="index")
    assert _tokens(replay, b, mode="index", start_pos=5) == _tokens(MIXED, b, mode="index", start_pos=5)


def test_replay_analyzer_pickles_without_its_recording(corpus_records):
    replay = ReplayLastAnalyzer(MixedAnalyzer())
    text = corpus_records[0].body
    _tokens(replay, text, mode="index")
    copy = pickle.loads(pickle.dumps(replay))
    assert copy._last is None and copy == replay
    assert _tokens(copy, text, mode="index") == _tokens(MIXED, text, mode="index")


def test_sub_word_fields_hold_text_only_when_it_has_khmer(corpus_records):
    km = [r for r in corpus_records if r.language in ("km", "mixed")]
    en = [r for r in corpus_records if r.language == "en"]
    assert km and en
    for r in km:
        assert record_to_fields(r)["body_sub"] == r.body
    for r in en:
        fields = record_to_fields(r)
        if not any("\u1780" <= ch <= "\u17ff" for ch in r.body):
            assert fields["body_sub"] == ""
        assert fields["body"] == r.body and fields["vocab"].endswith(r.body)
