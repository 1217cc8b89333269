"""bench.text_error: the CER/WER the extraction figures are measured with."""
from bench.text_error import english_wer, english_words, khmer_cer, khmer_chars, levenshtein


def test_levenshtein():
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("", "abc") == 3
    assert levenshtein(["a", "b"], ["a", "b"]) == 0


def test_khmer_cer_ignores_whitespace_latin_and_normalises():
    truth = "សិទ្ធិមនុស្ស report"
    assert khmer_chars(truth) == "សិទ្ធិមនុស្ស"
    assert khmer_cer(truth, "សិទ្ធិ មនុស្ស") == 0.0
    # one dropped coeng+consonant (2 chars) out of 12
    assert abs(khmer_cer(truth, "សិទិមនុស្ស") - 2 / 12) < 1e-9
    # nothing Khmer in the truth: nothing to measure
    assert khmer_cer("English only", "anything") == 0.0


def test_english_wer_words_and_digits():
    assert english_words("Page 1 of 3: Land-rights.1") == ["page", "1", "of", "3", "land", "rights", "1"]
    assert english_wer("the land was taken", "the land taken") == 0.25
    assert english_wer("the land was taken", "The LAND was taken") == 0.0
    assert english_wer("", "x") == 0.0


def test_leaked_running():
    from bench.text_error import leaked_running

    paras = ["Cambodian Rights Monitor | Annual Report 2023 Land disputes remain", "7", "In 1 year"]
    assert leaked_running(["Cambodian Rights Monitor | Annual Report 2023", "7", "1", "Page 2 of 3"],
                          paras) == ["Cambodian Rights Monitor | Annual Report 2023", "7"]
