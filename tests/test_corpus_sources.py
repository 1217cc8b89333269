"""The five real source documents become the right records: counts, titles, dates, types, languages."""
from __future__ import annotations

import re
from collections import Counter

import pytest

from reading.loader import load_corpus
from reading.model import DOC_TYPES, UNKNOWN
from corpus_helpers import (CCHR, CIVICUS, CORPUS_DIR, LICADHO_CHILDREN, LICADHO_STATEMENTS, REPORT, by_source,
                            source_text, titled)


@pytest.fixture(scope="module")
def loaded():
    return load_corpus(CORPUS_DIR)


@pytest.fixture(scope="module")
def records(loaded):
    return [r for r in loaded.records if r.source in (LICADHO_CHILDREN, LICADHO_STATEMENTS, CCHR, CIVICUS, REPORT)]


def test_the_real_corpus_loads_without_problems(loaded):
    assert [str(p) for p in loaded.problems] == []


@pytest.mark.parametrize("source, count", [
    (LICADHO_CHILDREN, 20), (LICADHO_STATEMENTS, 20), (CCHR, 12), (CIVICUS, 20), (REPORT, 1),
])
def test_each_item_of_each_source_is_one_record(records, source, count):
    assert len(by_source(records, source)) == count


def test_record_counts_match_the_item_markers_in_the_source_text():
    # Independent count from the raw text: "Type | Title" lines, "• Title" bullets at the item level.
    assert sum(1 for line in source_text(LICADHO_CHILDREN).splitlines() if " | " in line or line.startswith("| ")) == 20
    assert sum(1 for line in source_text(CCHR).splitlines() if re.match(r"^\s{0,2}• ", line)) == 12
    assert sum(1 for line in source_text(CIVICUS).splitlines() if re.match(r"^  • ", line)) == 20


def test_ids_are_unique_and_stable_across_loads(records):
    assert len({r.id for r in records}) == len(records)
    again = load_corpus(CORPUS_DIR).records
    assert [r.id for r in records] == [r.id for r in again if r.source in {x.source for x in records}]
    assert all(re.fullmatch(r"[a-z0-9-]+", r.id) for r in records)


def test_every_field_is_in_its_vocabulary(records):
    for record in records:
        assert record.doc_type in DOC_TYPES or record.doc_type == UNKNOWN
        assert record.date_source in ("listed", "inferred from text", "unknown")
        assert record.title and record.body and record.organisation
        if record.date is None:
            assert record.year is None and record.date_precision is None and record.date_source == "unknown"
        else:
            assert record.year == int(record.date[:4])
            assert record.date_precision == {4: "year", 7: "month", 10: "day"}[len(record.date)]


def test_organisations_come_from_the_manifest(records):
    assert Counter(r.organisation for r in records) == Counter({"LICADHO": 41, "CIVICUS": 20, "CCHR": 12})


# ---------------------------------------------------------------- LICADHO listings
def test_licadho_listed_type_title_and_date(records):
    first = by_source(records, LICADHO_CHILDREN)[0]
    assert (first.doc_type, first.title, first.date, first.date_precision, first.date_source) == (
        "Video", "Women Activists Behind Bars", "2021-03-08", "day", "listed")
    report = titled(records, "Broken Silence: Rape by Relatives and Barriers to Justice in Cambodia")
    assert sorted(r.doc_type for r in report) == ["Report", "Video"]
    article = titled(records, "Three Mothers Behind Bars")[0]
    assert (article.doc_type, article.date) == ("Article", "2020-03-08")


def test_three_life_in_prison_videos_are_three_records_with_three_dates(records):
    videos = titled(records, "Life in Prison: A Mother's Story")
    assert len(videos) == 3
    assert [v.date for v in videos] == ["2019-12-09", "2019-12-02", "2019-11-25"]
    assert len({v.id for v in videos}) == 3
    assert all(v.doc_type == "Video" for v in videos)


def test_the_khmer_item_with_a_blank_type_keeps_its_date_and_gets_no_invented_type(records):
    [item] = [r for r in records if r.title.startswith("(Khmer) No Punishment, No Protection")]
    assert item.date == "2017-12-02" and item.date_source == "listed"
    assert item.doc_type == UNKNOWN


def test_statements_page_is_twenty_dated_statements(records):
    statements = by_source(records, LICADHO_STATEMENTS)
    assert {r.doc_type for r in statements} == {"Statement"}
    assert statements[0].title == "Drop Charges And Immediately Release Cambodian Journalist Mech Dara"
    assert statements[0].date == "2024-10-01"
    assert statements[-1].title == "Cambodia and Italy Must Not Recommence Intercountry Adoptions"
    assert statements[-1].date == "2023-06-28"
    assert all(r.language == "en" for r in statements)
    chantha = titled(records, "Chea Chantha’s Activities are Not a Crime")[0]
    assert chantha.date == "2024-07-24"


def test_licadho_summary_lines_become_paragraphs_and_wrapped_lines_are_joined(records):
    oldest = titled(records, "Life in Prison: A Mother's Story")[2]
    paragraphs = oldest.body.split("\n\n")
    assert len(paragraphs) == 2
    assert "Violations of basic human rights such as denial of access" in paragraphs[1]


# ---------------------------------------------------------------- CCHR
def test_cchr_titles_and_chrome(records):
    cchr = by_source(records, CCHR)
    assert cchr[0].title == "Outcomes of Cambodia’s Fourth Universal Periodic Review and Subsequent Implementation Steps"
    assert cchr[-1].title == "Joint Submission_4th UPR_Gender Based Violence"
    for record in cchr:
        assert "Read More" not in record.body
        assert not record.body.startswith(record.title)  # the repeated title is chrome
        assert "Generously Supported" not in record.body and "logo" not in record.body
        assert "East-West Management Institute" not in record.body


def test_cchr_item_dated_in_parentheses_is_2024(records):
    [item] = [r for r in by_source(records, CCHR) if "(5 August 2024)" in r.body]
    assert item.year == 2024 and item.date == "2024"
    assert item.date_source == "inferred from text"


def test_khmer_statement_on_chea_chantha_is_khmer_2024_from_its_khmer_date(records):
    [item] = [r for r in by_source(records, CCHR) if "ជា ចាន់ថា" in r.title]
    assert item.language == "km"
    assert item.year == 2024 and item.date_source == "inferred from text"
    assert "ថ្ងៃទី១៩ ខែកក្កដា ឆ្នាំ២០២៤" in item.body
    assert item.doc_type == "Joint statement"  # its title says សេចក្ដីថ្លែងការណ៍រួម


def test_cchr_types_come_from_explicit_words(records):
    types = {r.title: r.doc_type for r in by_source(records, CCHR)}
    assert types["Outcomes of Cambodia’s Fourth Universal Periodic Review and Subsequent Implementation Steps"] == "Infographic"
    assert types["FORCED EVICTIONS IN CAMBODIA"] == "Fact sheet"
    assert types["ភាពធន់"] == "Flyer"  # "ចេញផ្សាយប័ណ្ណព័ត៌មាន": publishes an information flyer
    assert types["ASEAN Rights Groups rally against UN Cybercrime Treaty’s Threat to Liberty and Privacy"] == UNKNOWN
    assert [t for title, t in types.items() if title.startswith("Joint Submission_")] == ["Joint submission"] * 7


def test_cchr_undated_items_stay_undated(records):
    evictions = titled(records, "FORCED EVICTIONS IN CAMBODIA")[0]
    assert (evictions.date, evictions.date_source) == (None, "unknown")  # "World Habitat Day 2024" is no full date
    resilience = titled(records, "ភាពធន់")[0]
    assert resilience.language == "km" and resilience.date is None


def test_cchr_footnote_numbers_are_markers(records):
    labour = titled(records, "Joint Submission_4th UPR_Labour")[0]
    assert "trade union laws[1], these changes" in labour.body
    gbv = titled(records, "Joint Submission_4th UPR_Gender Based Violence")[0]
    assert "increased to 53%.[1] The government" in gbv.body


# ---------------------------------------------------------------- CIVICUS
def test_civicus_titles_and_footer_chrome(records):
    civicus = by_source(records, CIVICUS)
    assert civicus[0].title == "Advocacy priorities at 42nd Session of UN Human Rights Council (September)"
    assert civicus[-1].title.startswith("Cambodia: Disqualification of opposition party")
    for record in civicus:
        assert "Página" not in record.body and "CONTACTA CON NOSOTROS" not in record.body
        assert "Lexington Ave" not in record.body


def test_civicus_year_is_inferred_from_the_latest_reported_date(records):
    civicus = {r.title: r for r in by_source(records, CIVICUS)}
    first = civicus["Advocacy priorities at 42nd Session of UN Human Rights Council (September)"]
    # "9 to 27 September" has no year; "October 2016" and "October 2018" are month-year mentions.
    assert (first.date, first.date_source) == ("2018", "inferred from text")
    music = civicus["Cambodia: Blocking of music video another blow to freedom of expression"]
    assert music.year == 2022  # "3 January 2014" is history; "September 2022" is the latest event reported
    second = civicus["Advocacy priorities at 45th Session of UN Human Rights Council"]
    assert (second.date, second.date_precision, second.date_source) == ("2020", "year", "inferred from text")
    kem_ley = civicus["Cambodia: 4 years on, no effective investigation into Kem Ley’s unlawful killing"]
    assert kem_ley.year == 2020  # "On July 8, 2020, police block..."
    for record in civicus.values():
        assert record.date_source in ("inferred from text", "unknown")
        assert record.date is None or record.date_precision == "year"


def test_civicus_types_only_from_explicit_words(records):
    civicus = {r.title: r.doc_type for r in by_source(records, CIVICUS)}
    interviews = [t for t, d in civicus.items() if d == "Interview"]
    assert sorted(interviews) == sorted(t for t in civicus if t.startswith("CAMBODIA: ‘"))
    assert civicus["Cambodia: Charges against journalists must be dropped"] == "Joint statement"
    assert civicus["Cambodia: 4 years on, no effective investigation into Kem Ley’s unlawful killing"] == "Joint statement"
    assert civicus["Cambodia: the international community must step up efforts to address human right violations"] == "Statement"
    assert civicus["Cambodia Should Scrap Rights-Abusing National Internet Gateway"] == UNKNOWN
    assert Counter(civicus.values())[UNKNOWN] == 14  # 20 items - 3 interviews - 3 statements


def test_civicus_glued_footnote_lines_are_marked(records):
    crisis = titled(records, "Cambodia Human Rights Crisis: The UN Human Rights Council Should Act Now")[0]
    assert "[1] In May 2021, the authorities convicted" in crisis.body
    assert "state of emergency law[2] ;" in crisis.body


# ---------------------------------------------------------------- every body
def test_no_body_contains_page_chrome(records):
    for record in records:
        assert "Read More" not in record.body
        assert "Generously Supported by" not in record.body
        assert not re.search(r"(?m)^.*\blogo$", record.body)
        assert "\n\n\n" not in record.body and record.body == record.body.strip()
        for paragraph in record.body.split("\n\n"):
            assert paragraph == " ".join(paragraph.split())


def test_languages(records):
    counts = Counter(r.language for r in records)
    assert counts == Counter({"en": 71, "km": 2})
