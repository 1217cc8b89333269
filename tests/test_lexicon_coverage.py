"""`bayon lexicon coverage` on the real corpus: its figures equal those computed here by another
route (the lexicon file parsed here, words found with a plain regular expression and PyStemmer,
Khmer forms found by substring search), and its gaps are real unpaired terms."""
from __future__ import annotations

import re
from collections import defaultdict

import pytest
from click.testing import CliRunner

from lexicon.loader import DEFAULT_PATH


def _tsv_forms(path=DEFAULT_PATH):
    """(kind, English forms, Khmer forms) of each line of the lexicon file, parsed directly."""
    rows = []
    header = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not header:
            header = True
            continue
        kind, english, khmer, _confidence, _note = line.split("\t")
        rows.append((kind, [f.strip() for f in english.split(";") if f.strip()],
                     [f.strip() for f in khmer.split(";") if f.strip()]))
    return rows


def _english_expected(records, rows):
    import Stemmer
    from whoosh.analysis import STOP_WORDS

    from lexicon.suggest import _FUNCTION_WORDS

    stem = Stemmer.Stemmer("english").stemWord
    stop = set(STOP_WORDS) | _FUNCTION_WORDS
    docs = defaultdict(set)
    for r in records:
        for word in re.findall(r"[A-Za-z]+(?:['’][A-Za-z]+)?", r.title + "\n" + r.body):
            w = word.replace("’", "'").lower()
            if w.endswith("'s"):
                w = w[:-2]
            if len(word) < 3 or word.replace("’", "'").lower() in stop:
                continue
            s = stem(w)
            if s in stop:
                continue
            docs[s].add(r.id)
    vocabulary = {s: ids for s, ids in docs.items() if len(ids) >= 2}
    paired = set()
    for kind, english, _ in rows:
        for form in english:
            words = [stem(w.lower()[:-2] if w.lower().endswith("'s") else w.lower())
                     for w in re.findall(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’][A-Za-z]+)?", form.replace("’", "'"))]
            if len(words) == 1 or kind != "term":
                paired.update(words)
    return vocabulary, paired & set(vocabulary)


def _khmer_expected(records, rows):
    from analyzers.khmer import normalize
    from analyzers.segment import segment
    from analyzers.stopwords import KHMER_STOP_WORDS

    forms = sorted({normalize(f).replace(" ", "") for _, _, km in rows for f in km}, key=len, reverse=True)
    vocabulary, paired = defaultdict(set), set()
    for r in records:
        if r.language != "km":
            continue
        text = normalize(r.title + "\n" + r.body)
        words = [run for tok in segment(text) for run in re.findall(r"[\u1780-\u17d3\u17dd]+", tok)
                 if run not in KHMER_STOP_WORDS]
        for w in words:
            vocabulary[w].add(r.id)
        for w in words:
            if w in forms:
                paired.add(w)
    return vocabulary, paired


@pytest.fixture(scope="module")
def tsv_coverage(corpus_records):
    from lexicon.coverage import coverage
    from lexicon.loader import shipped_entries

    return coverage(corpus_records, shipped_entries())


def test_english_share_equals_an_independent_count(corpus_records, tsv_coverage):
    english, _ = tsv_coverage
    vocabulary, paired = _english_expected(corpus_records, _tsv_forms())
    assert set(english.documents) == set(vocabulary)
    assert {t: len(ids) for t, ids in english.documents.items()} == {t: len(ids) for t, ids in vocabulary.items()}
    assert english.paired == paired
    assert english.share() == pytest.approx(len(paired) / len(vocabulary))
    for must in ("prison", "detent", "journalist", "evict", "koh", "penh", "defam", "incit"):
        assert must in english.paired, must


def test_khmer_words_equal_to_a_form_are_paired_and_the_rest_lie_inside_a_found_form(corpus_records, tsv_coverage):
    from analyzers.khmer import normalize
    from lexicon.expand import _found
    from lexicon.loader import shipped_entries

    _, khmer = tsv_coverage
    vocabulary, whole = _khmer_expected(corpus_records, _tsv_forms())
    assert {w: len(ids) for w, ids in khmer.documents.items()} == {w: len(ids) for w, ids in vocabulary.items()}
    assert whole <= khmer.paired
    for word in khmer.paired - whole:
        # paired through a longer form found in a Khmer record's text
        texts = [normalize(r.title + "\n" + r.body) for r in corpus_records if r.id in vocabulary[word]]
        assert any(word in t[s:e] for t in texts for s, e, *_ in _found(t, shipped_entries())), word
    assert "ពន្ធនាគារ" in khmer.paired and "បទល្មើស" in khmer.paired
    assert "ជាមួយ" not in khmer.paired  # "with": a grammatical word, no entry


def test_no_entries_pair_nothing_and_the_shipped_lexicon_keeps_its_floor(corpus_records, tsv_coverage):
    from lexicon.coverage import coverage

    english_none, khmer_none = coverage(corpus_records, ())
    assert english_none.paired_terms == 0 and khmer_none.paired_terms == 0
    assert english_none.terms == tsv_coverage[0].terms
    english, khmer = tsv_coverage
    # figures of docs/lexicon.md (80.0%, 87.9% by documents, 85.7%): a floor, so that a lost file shows
    assert english.share() > 0.75 and english.weighted_share() > 0.85 and khmer.share() > 0.8
    assert english.weighted_share() > english.share()  # the frequent terms are the paired ones


def test_cli_prints_the_shares_and_the_gaps(corpus_dir, corpus_records):
    from bayon.cli import main as cli
    from lexicon.coverage import coverage
    from lexicon.places import expansion_entries

    result = CliRunner().invoke(cli, ["lexicon", "coverage", "--corpus", str(corpus_dir), "--top", "3"])
    assert result.exit_code == 0, result.output
    english, khmer = coverage(corpus_records, expansion_entries())
    lines = result.output.splitlines()
    assert lines[0].startswith(f"en\tEnglish terms in >= 2 records: {english.paired_terms}/{english.terms} paired")
    assert lines[1].startswith(f"km\tKhmer words: {khmer.paired_terms}/{khmer.terms} paired")
    assert lines[2] == "language\tterm\tdocuments\texample_id"
    gaps = [line.split("\t") for line in lines[3:]]
    assert [g[0] for g in gaps] == ["en"] * 3 + ["km"] * 3
    ids = {r.id for r in corpus_records}
    for lang, term, documents, example in gaps:
        assert example in ids and int(documents) >= (2 if lang == "en" else 1)
        if lang == "en":
            assert not any(term.casefold() == f.casefold() for e in expansion_entries() for f in e.english)


def test_cli_without_places_and_with_another_file(corpus_dir, tmp_path):
    from bayon.cli import main as cli

    runner = CliRunner()
    with_places = runner.invoke(cli, ["lexicon", "coverage", "--corpus", str(corpus_dir), "--top", "0"])
    without = runner.invoke(cli, ["lexicon", "coverage", "--corpus", str(corpus_dir), "--top", "0", "--no-places"])
    assert with_places.exit_code == without.exit_code == 0

    def paired(output):
        return int(re.search(r"(\d+)/\d+ paired", output.splitlines()[0]).group(1))

    assert paired(with_places.output) > paired(without.output)  # district names: Chbar Ampov, Mukh Kampul...
    small = tmp_path / "small.tsv"
    small.write_text("kind\tenglish\tkhmer\tconfidence\tnote\nterm\tprison\tពន្ធនាគារ\thigh\t\n", encoding="utf-8")
    one = runner.invoke(cli, ["lexicon", "coverage", "--corpus", str(corpus_dir), "--top", "0",
                              "--no-places", "--lexicon", str(small)])
    assert one.exit_code == 0 and paired(one.output) == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    none = runner.invoke(cli, ["lexicon", "coverage", "--corpus", str(empty)])
    assert none.exit_code == 1 and "no records" in none.output
