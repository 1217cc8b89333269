"""End to end through Whoosh: real corpus paragraphs indexed with the analyzers, then queried."""
from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import QueryParser

from analyzers import KhmerSubwordAnalyzer, MixedAnalyzer

SOURCES = Path(__file__).resolve().parent.parent / "corpus" / "sources"


def _paragraphs() -> list[str]:
    out = []
    for path in sorted(SOURCES.glob("*.txt")):
        out.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if len(line.strip()) > 40)
    return out


@pytest.fixture(scope="module")
def index():
    schema = Schema(id=ID(stored=True), body=TEXT(analyzer=MixedAnalyzer(), stored=True),
                    sub=TEXT(analyzer=KhmerSubwordAnalyzer()))
    ix = RamStorage().create_index(schema)
    writer = ix.writer()
    for i, paragraph in enumerate(_paragraphs()):
        writer.add_document(id=str(i), body=paragraph, sub=paragraph)
    # the CCHR paragraph typed with "សិទិ្ធ" (as captured), and the same paragraph in canonical order
    writer.add_document(id="canonical", body="មជ្ឈមណ្ឌលសិទ្ធិមនុស្សកម្ពុជា ចេញផ្សាយ", sub="មជ្ឈមណ្ឌលសិទ្ធិមនុស្សកម្ពុជា ចេញផ្សាយ")
    writer.commit()
    return ix


def hits(ix, field: str, query: str) -> list[str]:
    with ix.searcher() as searcher:
        parsed = QueryParser(field, ix.schema).parse(query)
        return [hit["id"] if "id" in hit else None for hit in searcher.search(parsed, limit=None)]


def body_of(ix, doc_id: str) -> str:
    with ix.searcher() as searcher:
        return searcher.document(id=doc_id)["body"]


def test_canonical_query_finds_the_non_canonical_document(index):
    found = hits(index, "body", "សិទ្ធិ")
    assert any("សិទិ្ធ" in body_of(index, d) for d in found)   # the CCHR paragraph as captured
    assert "canonical" in found


def test_non_canonical_query_finds_the_canonical_document(index):
    assert "canonical" in hits(index, "body", "សិទិ្ធ")


def test_coeng_da_query_finds_coeng_ta_text(index):
    found = hits(index, "body", "បណ្ដោះអាសន្ន")            # the source types it with coeng-ta
    assert found and all("បណ្តោះ" in body_of(index, d) for d in found)


def test_stemming_matches_word_forms(index):
    found = hits(index, "body", "arrests")
    assert len(found) >= 5
    assert all("arrest" in body_of(index, d).lower() for d in found)


def test_hyphenated_word_found_whole_and_as_phrase(index):
    whole = set(hits(index, "body", "nonviolent"))
    phrase = set(hits(index, "body", '"non violent"'))
    hyphenated = {d for d in whole if "non-violent" in body_of(index, d)}
    assert hyphenated and phrase == hyphenated   # "non-violent" found by "non violent"...
    assert all("nonviolent" in body_of(index, d) for d in whole - hyphenated)  # ...and by "nonviolent"
    assert whole - hyphenated                    # the corpus also writes it "nonviolent"


def test_khmer_year_found_by_ascii_digits(index):
    found = hits(index, "body", "2024")
    assert any("២០២៤" in body_of(index, d) for d in found)


def test_subword_field_matches_a_compound_however_it_was_segmented(index):
    # query split in two words, document written as one compound (and the reverse)
    assert "canonical" in hits(index, "sub", '"សិទ្ធិ មនុស្ស"')
    assert "canonical" in hits(index, "sub", '"សិទ្ធិមនុស្ស"')
    assert "canonical" in hits(index, "sub", '"មណ្ឌលសិទ្ធិ"')
