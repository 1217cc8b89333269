"""Every date form the sources use, and the rules for finding the latest full date in text."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from reading.dates import (
    DateFormatError, ParsedDate, find_full_dates, is_iso_date, latest_full_date, latest_reported_year, parse_date,
)
from corpus_helpers import CCHR, CIVICUS, LICADHO_CHILDREN, LICADHO_STATEMENTS, source_text


@pytest.mark.parametrize("text, iso, precision", [
    ("8 March 2021", "2021-03-08", "day"),
    ("October 1, 2024", "2024-10-01", "day"),
    ("(5 August 2024)", "2024-08-05", "day"),
    ("ថ្ងៃទី១៩ ខែកក្កដា ឆ្នាំ២០២៤", "2024-07-19", "day"),
    ("ថ្ងៃទី ១៦ ខែ កក្កដា ឆ្នាំ ២០២៤", "2024-07-16", "day"),
    ("08 May 2024", "2024-05-08", "day"),
    ("6 October, 2020", "2020-10-06", "day"),
    ("May 21 2022", "2022-05-21", "day"),
    ("2024-07-19", "2024-07-19", "day"),
    ("March 2015", "2015-03", "month"),
    ("ខែមករា ឆ្នាំ២០២៥", "2025-01", "month"),
    ("2024-07", "2024-07", "month"),
    ("2019", "2019", "year"),
    ("ឆ្នាំ២០១៩", "2019", "year"),
])
def test_parse_date_forms(text, iso, precision):
    assert parse_date(text) == ParsedDate(iso, precision)


@pytest.mark.parametrize("text", ["", "yesterday", "31 February 2021", "2024-13", "13/07/2024", "Tuesday", "9 to 27 September"])
def test_unknown_or_impossible_dates_raise(text):
    with pytest.raises(DateFormatError):
        parse_date(text)


def test_is_iso_date():
    assert is_iso_date("2024") and is_iso_date("2024-02") and is_iso_date("2024-02-29")
    assert not is_iso_date("2023-02-29") and not is_iso_date("24-02-01") and not is_iso_date("8 March 2021")


def test_every_date_line_of_the_licadho_listings_parses():
    for name in (LICADHO_CHILDREN, LICADHO_STATEMENTS):
        lines = source_text(name).splitlines()
        date_lines = [lines[i + 1] for i, line in enumerate(lines) if " | " in line or line.startswith("| ")]
        assert len(date_lines) == 20
        assert all(parse_date(line).precision == "day" for line in date_lines)


def test_full_dates_in_real_text():
    khmer = [line for line in source_text(CCHR).splitlines() if "ជា ចាន់ថា ទៅឃុំខ្លួន" in line][0]
    assert [d.iso for d in find_full_dates(khmer)] == ["2024-07-19", "2024-07-16"]
    civicus = source_text(CIVICUS)
    assert ParsedDate("2020-10-06", "day") in find_full_dates(civicus)  # "14 September - 6 October, 2020"
    assert ParsedDate("2016-07-10", "day") in find_full_dates(civicus)  # "On July 10, 2016"
    assert ParsedDate("2022-05-21", "day") in find_full_dates(civicus)  # "in May 21 2022."


def test_month_year_and_partial_dates_are_not_full_dates():
    assert find_full_dates("In October 2016, protests ... from 9 to 27 September; 16 Sep, 1-2pm; World Habitat Day 2024") == []
    assert latest_full_date("nothing here") is None
    assert latest_full_date("On 3 January 2014 and on 5 June 2022, then 1 May 2020.") == ParsedDate("2022-06-05", "day")


@given(st.dates(min_value=__import__("datetime").date(1900, 1, 1), max_value=__import__("datetime").date(2100, 12, 31)))
def test_english_and_khmer_renderings_round_trip(day):
    months_en = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December"]
    months_km = ["មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា", "កក្កដា", "សីហា", "កញ្ញា", "តុលា", "វិច្ឆិកា", "ធ្នូ"]
    to_khmer = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")
    iso = day.isoformat()
    assert parse_date(f"{day.day} {months_en[day.month - 1]} {day.year}").iso == iso
    assert parse_date(f"{months_en[day.month - 1]} {day.day}, {day.year}").iso == iso
    khmer = f"ថ្ងៃទី{day.day} ខែ{months_km[day.month - 1]} ឆ្នាំ{day.year}".translate(to_khmer)
    assert parse_date(khmer).iso == iso
    assert find_full_dates(f"Text before {day.day} {months_en[day.month - 1]} {day.year}, text after.")[0].iso == iso


def test_latest_reported_year_counts_month_year_mentions_but_not_plans():
    assert latest_reported_year("nothing here") is None
    assert latest_reported_year("Arrested on 3 January 2014; the video was blocked in September 2022.").iso == "2022"
    assert latest_reported_year("ខែកញ្ញា ឆ្នាំ២០២២").iso == "2022"
    # a release planned for a later date is not an event the text reports
    text = "She was sentenced on April 13, 2015. She was due to be released in January 2016."
    assert latest_reported_year(text) == ParsedDate("2015", "year")
