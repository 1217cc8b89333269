"""The LICADHO report (004) is one clean record: joined paragraphs, headings, footnote markers, no chrome."""
from __future__ import annotations

import re

import pytest

from reading.loader import load_corpus
from corpus_helpers import CORPUS_DIR, REPORT, by_source, source_text


@pytest.fixture(scope="module")
def report():
    [record] = by_source(load_corpus(CORPUS_DIR).records, REPORT)
    return record


@pytest.fixture(scope="module")
def paragraphs(report):
    return report.body.split("\n\n")


def test_report_metadata_comes_from_the_text(report):
    assert report.organisation == "LICADHO"
    assert report.doc_type == "Report"  # "This report presents the findings of the research"
    assert report.language == "en"
    # No date is listed: the latest full date written in the text is "April 13, 2015".
    assert "released on April 13, 2015" in " ".join(source_text(REPORT).split())
    assert (report.date, report.date_precision, report.year, report.date_source) == ("2015", "year", 2015, "inferred from text")


def test_report_title_is_a_supplied_title_made_of_the_texts_own_words(report):
    assert report.title == "[Children of imprisoned mothers]"
    assert "children of imprisoned mothers" in " ".join(source_text(REPORT).split()).lower()


def test_hard_wrapped_lines_are_joined_into_paragraphs(report, paragraphs):
    source_lines = [line for line in source_text(REPORT).splitlines() if line.strip()]
    assert len(source_lines) > 1300
    assert 150 < len(paragraphs) < 400
    assert ("In recent years considerable resources have been spent on developing guidelines on the implementation "
            "of non-custodial sentencing alternatives in Cambodia, yet such alternatives are rarely considered, even "
            "for obvious priority groups such as pregnant women and mothers with young children.") == paragraphs[1]


def test_paragraphs_broken_by_a_page_or_a_pull_quote_are_joined(paragraphs):
    text = "\n\n".join(paragraphs)
    # "especially those" ends one page, "who could only visit infrequently" starts the next.
    assert "did not recognize them when they visited, especially those who could only visit infrequently." in text
    # "if it is safe and" / a pull quote / "appropriate to do so."
    assert "for short periods of time, if it is safe and appropriate to do so. As a trial" in text
    assert "On the other hand, such record keeping" in text
    assert "Socheata was arrested in January 2015. She told LICADHO" in text


def test_headings_are_their_own_paragraphs_at_the_start_of_their_section(paragraphs):
    for heading in ("Introduction", "Background", "Methodology", "Basic Information Lacking", "No Standard Policy",
                    "The Impact on the Child", "MOTHER-CHILD RELATIONSHIP", "Case Study – Kanha",
                    "The Right to Family Contact", "Long-Term Solutions Within Reach",
                    "Maintaining the Mother-Child Bond", "Conclusion", "RECOMMENDATIONS", "Notes"):
        assert heading in paragraphs, heading
    assert paragraphs[0] == "Introduction"
    assert paragraphs[paragraphs.index("Background") + 1].startswith("Field research for the new project")
    assert paragraphs[paragraphs.index("Conclusion") + 1].startswith("In publishing “Dara’s Story”")
    assert paragraphs[paragraphs.index("Case Study – Sasa") + 1].startswith("Sasa has two children, a son now aged five")


def test_footnote_numbers_are_markers_and_notes_move_to_the_end(report, paragraphs):
    assert "those who used to live in prison[1] LICADHO is aware of only one organisation[2] which" in report.body
    assert "with the support and participation of WeWorld,[3] focusing" in report.body
    assert "in 14 prisons[5] to determine" in report.body
    assert not re.search(r"[a-z]\d{1,2}\b", report.body.replace("CC2", ""))  # no number glued to a word
    notes = paragraphs[paragraphs.index("Notes") + 1:]
    assert [int(re.match(r"\[(\d+)\]", n).group(1)) for n in notes] == list(range(1, 17))
    assert notes[2].endswith("For more information see http://weworld.it")
    assert "Kampong Thom" in notes[4]  # "Kam-" / "pong Thom" rejoined without the hyphen
    assert notes[15].endswith("preserve public order from any trouble caused by the offense.")


def test_page_chrome_is_gone(report, paragraphs):
    assert not [p for p in paragraphs if re.fullmatch(r"\d{1,3}", p)]  # page numbers
    assert "Children of a prisoner, March 2015." not in report.body  # photo captions
    assert "Family store closed since the mother’s imprisonment." not in report.body
    assert not [p for p in paragraphs if re.fullmatch(r"https?://\S+", p)]  # bare link lists
    assert "►" not in report.body
    assert "Kanha’s 13-year-old daughter, February 2015." not in report.body  # caption glued to note 11


def test_hyphenated_words_survive_line_breaks(report):
    assert "deep and long-lasting psychological" in report.body
    assert "now there is no-one to prepare the meals" in report.body
    assert "the second case-study issued by LICADHO" in report.body
