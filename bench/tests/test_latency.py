from bench.latency import percentile, summarize
import pytest


def test_nearest_rank_percentiles():
    values = [i / 1000 for i in range(1, 101)]  # 1..100 ms
    assert percentile(values, 0.50) == 0.050
    assert percentile(values, 0.95) == 0.095
    assert percentile(values, 0.99) == 0.099
    assert percentile([0.3], 0.99) == 0.3


def test_summarize_per_kind_and_overall():
    result = summarize({"en": [0.001, 0.003], "km": [0.002]}, {"en": [4, 6], "km": [1]})
    assert result["all"]["n"] == 3 and result["all"]["max_ms"] == pytest.approx(3.0)
    assert result["en"]["mean_hits"] == 5 and result["all"]["mean_hits"] == pytest.approx(11 / 3)


def test_no_values_is_an_error():
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_share_of_any_word_answers_per_kind_and_overall():
    result = summarize({"en": [0.001, 0.002], "km": [0.003]}, {"en": [1, 0], "km": [2]},
                       {"en": ["all", "any"], "km": ["all"]})
    assert result["en"]["any_share"] == 0.5 and result["km"]["any_share"] == 0
    assert result["all"]["any_share"] == pytest.approx(1 / 3)
