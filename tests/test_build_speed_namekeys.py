"""Name keys after the build-speed work: fewer keys (capitalised Latin words only), computed by the
field's analyzer in the writer process, and still what the index holds for real documents."""
from __future__ import annotations

import re

from whoosh import index as windex

from indexer import layout
from indexer.namekey import KHMER_MARK, NAME_MARK, NameKeyAnalyzer, keys_for_text, name_keys


def _text(record) -> str:
    return f"{record.title}\n{record.body}"


def _keys_of(word: str) -> set[str]:
    plain = {k for k in name_keys(word) if len(k) >= 3}
    return plain | {NAME_MARK + k for k in plain}


def test_lowercase_words_are_not_keyed_capitalised_names_and_pairs_are(corpus_records):
    record = next(r for r in corpus_records if "Phuon Keoraksmey" in _text(r) and r.language == "en")
    text = _text(record)
    keys = set(keys_for_text(text))
    assert _keys_of("Keoraksmey") | _keys_of("PhuonKeoraksmey") <= keys
    words = re.findall(r"[A-Za-z\u00C0-\u024F]+", text)
    allowed = set()
    for a, b in zip(words, words[1:] + [""]):
        if a[0].isupper():
            allowed |= _keys_of(a) | (_keys_of(a + b) if b[:1].isupper() else set())
    assert {k for k in keys if not k.startswith(KHMER_MARK)} == allowed
    # lowercase words with keys of their own are not keyed ("charged" shares none with a name)
    lowercase_only = [w for w in set(words) if w.islower() and len(w) > 3 and not _keys_of(w) & allowed]
    assert len(lowercase_only) > 20
    assert not any(_keys_of(w) & keys for w in lowercase_only)


def test_a_sentence_of_lowercase_words_has_no_latin_keys():
    assert keys_for_text("the court charged the activists with incitement") == []
    assert set(keys_for_text("Rong Chhun was charged")) == (
        _keys_of("Rong") | _keys_of("Chhun") | _keys_of("RongChhun"))


def test_analyzer_indexes_the_keys_of_the_text_and_reads_queries_as_keys(corpus_records):
    record = next(r for r in corpus_records if r.language == "km" and "ចាន់ថា" in _text(r))
    analyzer = NameKeyAnalyzer()
    indexed = [t.text for t in analyzer(_text(record), mode="index")]
    assert indexed == keys_for_text(_text(record))
    assert any(k.startswith(KHMER_MARK) for k in indexed)
    assert [t.text for t in analyzer("K_cea N_kem", mode="query")] == ["K_cea", "N_kem"]


def test_built_index_holds_the_keys_of_each_document(real_index_dir, corpus_records):
    """The keys in the index are exactly the keys of the documents' title + body."""
    ix = windex.open_dir(str(layout.current_generation(real_index_dir)))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        indexed = {(t.decode() if isinstance(t, bytes) else t) for t in reader.lexicon("name_keys")}
    expected = set()
    for r in corpus_records:
        expected.update(keys_for_text(_text(r)))
    assert indexed == expected
    assert any(k.startswith(KHMER_MARK) for k in indexed) and any(k.startswith(NAME_MARK) for k in indexed)


def test_khmer_runs_are_the_khmer_runs_of_the_script_splitter(corpus_records):
    """The name keys find Khmer runs without walking every Latin word: same spans as runs()."""
    from analyzers.scripts import khmer_runs, runs

    edge = ["ការ\u200bពារ ១២៣ abc\u200cdef ស៊ីវិល", "\u17b4ក\u17d2ម\u200d", "ជា-ចាន់ថា, Chea\u00adChantha ៛"]
    texts = edge + [t for r in corpus_records for t in (r.title, r.body)]
    assert sum(bool(list(khmer_runs(t))) for t in texts[len(edge):]) >= 2  # real Khmer texts among them
    for text in texts:
        assert list(khmer_runs(text)) == [(s, e) for kind, s, e in runs(text) if kind == "khmer"]
