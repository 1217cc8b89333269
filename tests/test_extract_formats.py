"""DOCX, HTML and legacy-font extraction measured against ground truth, on files made by real
producers (tests/fixtures/extraction/make_docx_html.py says how)."""
from __future__ import annotations

import shutil

import pytest

from extraction_quality import FIXTURES, english_wer, khmer_cer, truth_of
from reading.extract import ExtractionError, extract, file_format
from reading.extract.legacy import convert_limon, legacy_family, looks_like_limon

# text of page furniture in the fixtures: none of it may reach a body
FURNITURE = ["CONFIDENTIAL DRAFT", "page footer", "letterhead header", "Accept all cookies",
             "We use cookies", "Recent posts", "Sign up for our newsletter", "All rights reserved",
             "Street 99", "Donate now", "Prison overcrowding", "Copyright", "About us", "Facebook", "ការតវ៉ារបស់កម្មករកាត់ដេរ", "ភាសាខ្មែរ"]


def _body(name):
    return "\n\n".join(extract(FIXTURES / name).paragraphs)


@pytest.mark.parametrize("name, limit", [
    ("report_python_docx.docx", 0.02), ("statement_km_en.html", 0.02), ("legacy_limon.docx", 0.03),
    ("libreoffice_report.docx", 0.02), ("libreoffice_legacy_limon.docx", 0.03), ("old_table_layout.html", 0.03),
])
def test_khmer_cer_within_limit(name, limit):
    stem = name.rsplit(".", 1)[0]
    assert khmer_cer(_body(name), truth_of(stem)) <= limit


@pytest.mark.parametrize("name, limit", [
    ("report_python_docx.docx", 0.03), ("statement_km_en.html", 0.03), ("legacy_limon.docx", 0.03),
    ("legacy_cp1252.html", 0.03), ("wrong_charset.html", 0.03), ("libreoffice_report.docx", 0.03),
    ("libreoffice_legacy_limon.docx", 0.03), ("old_table_layout.html", 0.03),
])
def test_english_wer_within_limit(name, limit):
    stem = name.rsplit(".", 1)[0]
    assert english_wer(_body(name), truth_of(stem)) <= limit


@pytest.mark.parametrize("name", ["report_python_docx.docx", "legacy_limon.docx", "statement_km_en.html",
                                  "legacy_cp1252.html", "wrong_charset.html", "libreoffice_report.docx",
                                  "libreoffice_legacy_limon.docx", "old_table_layout.html"])
def test_no_page_furniture_in_the_body(name):
    body = _body(name)
    assert [text for text in FURNITURE if text in body] == []


def test_docx_keeps_tables_and_footnotes_in_order():
    paragraphs = extract(FIXTURES / "report_python_docx.docx").paragraphs
    assert paragraphs.index("Families affected by district") < paragraphs.index("ស្រុក") < paragraphs.index("185")
    assert paragraphs.index("185") < paragraphs.index(
        "We call on the Royal Government of Cambodia to halt these evictions immediately and to ensure "
        "that every affected family receives a fair remedy.")
    assert paragraphs[-2].startswith("Interviews with community representatives")
    assert paragraphs[-1] == "សេចក្តីសម្រេចរបស់អាជ្ញាធរខេត្តកំពង់ស្ពឺ ឆ្នាំ២០២២។"


def test_docx_metadata_from_core_properties_not_the_python_docx_template():
    found = extract(FIXTURES / "report_python_docx.docx").metadata
    assert found["title"] == ("Land rights in Kampong Speu: evictions without remedy", "docx core properties")
    assert found["date"] == ("2024-03-15", "docx core properties (created)")
    # legacy_limon.docx keeps python-docx's template date (2013-12-23): not a fact about it
    assert "date" not in extract(FIXTURES / "legacy_limon.docx").metadata


def test_legacy_runs_converted_and_english_runs_kept():
    paragraphs = extract(FIXTURES / "legacy_limon.docx").paragraphs
    assert paragraphs[1].startswith("អង្គការលីកាដូ (LICADHO) អង្គការសិទ្ធិមនុស្ស")
    assert paragraphs[5].startswith("Phnom Penh, 19 July 2024: ភ្នំពេញ ថ្ងៃទី១៩ ខែកក្កដា")


def test_limon_strings_typed_elsewhere():
    # examples published with other converters (kfc's README; khmer_unicode_converter's test)
    assert convert_limon("éf¶ExqñaMkMeNIt") == "ថ្ងៃខែឆ្នាំកំណើត"
    assert convert_limon("GkSrbBa©Úl ¬lIm:Un¦") == "អក្សរបញ្ចូល (លីម៉ូន)"
    assert convert_limon("RbCaCn") == "ប្រជាជន"
    assert convert_limon("eBlenH") == "ពេលនេះ"
    assert convert_limon("enAeBlRBwk") == "នៅពេលព្រឹក"


def test_legacy_font_names_and_statistics():
    assert legacy_family("Limon S1") == legacy_family("limon R1") == legacy_family("Limon F3") == "limon"
    assert legacy_family("ABC-TEXT-05") == "abc"
    assert legacy_family("Khmer OS Siemreap") is None and legacy_family("Limonata") is None
    assert looks_like_limon("GgÁkarsiT§imnusSbanecjpSay rbaykarN_fµI sþIBIsßanPaB siT§idIFøI")
    assert not looks_like_limon("The UN Special Rapporteur met LICADHO and CCHR in Phnom Penh on Monday.")
    assert looks_like_limon("GgÁkarlIkadU") and looks_like_limon("PñMeBj éf¶TI19 Exkkáda")
    assert not looks_like_limon("Le café était très animé ; l'élève était à l'école depuis août.")
    assert not looks_like_limon("Civic space inCambodiais rated ‘repressed’ by theCIVICUS Monitor.")


def test_no_english_paragraph_of_the_corpus_looks_like_limon(corpus_records):
    paragraphs = [p for r in corpus_records for p in r.body.split("\n\n")]
    assert len(paragraphs) > 500
    assert [p for p in paragraphs if looks_like_limon(p)] == []


def test_html_limon_without_a_named_font_is_converted_by_its_characters(tmp_path):
    page = tmp_path / "external-css.html"
    page.write_text('<html><head><link rel="stylesheet" href="khmer.css"></head><body><article><h1>News</h1>'
                    '<p>English first paragraph of the statement for the press.</p>'
                    '<p>GgÁkarsiT§imnusSbanecjpSayrbaykarN_fµI</p></article></body></html>', encoding="utf-8")
    found = extract(page)
    assert "អង្គការសិទ្ធិមនុស្សបានចេញផ្សាយរបាយការណ៍ថ្មី" in found.paragraphs
    assert "English first paragraph of the statement for the press." in found.paragraphs
    assert any("looks typed in Limon" in w for w in found.warnings)


def test_html_metadata_from_head():
    found = extract(FIXTURES / "statement_km_en.html").metadata
    assert found["title"][0] == "Joint statement: end forced evictions in Kampong Speu"
    assert found["date"] == ("2024-07-19T08:00:00+07:00", "html article:published_time")
    assert found["url"] == ("https://www.licadho-cambodia.org/statements/2024/end-forced-evictions", "html canonical")
    assert found["organisation"] == ("LICADHO", "html og:site_name")


def test_html_charset_declared_wrongly_is_read_and_reported():
    declared = extract(FIXTURES / "legacy_cp1252.html")
    assert declared.warnings == []
    wrong = extract(FIXTURES / "wrong_charset.html")
    assert wrong.paragraphs == declared.paragraphs
    assert any("declares charset 'utf-8'" in w and "cp1252" in w for w in wrong.warnings)


def test_html_in_no_encoding_at_all_is_an_error_by_name(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(b'<html><head><meta charset="x-khmer-legacy"></head><body><p>' + bytes(range(0x80, 0x100)) * 3 + b"</p></body></html>")
    try:
        extract(page)
    except ExtractionError as exc:
        assert "x-khmer-legacy" in str(exc)
    else:  # detection found an encoding that fits: it must say so
        assert any("x-khmer-legacy" in w for w in extract(page).warnings)


def test_html_legacy_font_family_converted(tmp_path):
    page = tmp_path / "limon.html"
    page.write_text('<html><head><style>.kh { font-family: "Limon S1", serif; }</style></head><body>'
                    '<article><h1>Statement</h1><p>English first paragraph of the statement for the press.</p>'
                    '<p class="kh">GgÁkarsiT§imnusS RbCaCn</p><p><font face="Limon R1">eBlenH</font> and English</p>'
                    '</article></body></html>', encoding="utf-8")
    body = "\n".join(extract(page).paragraphs)
    assert "អង្គការសិទ្ធិមនុស្ស ប្រជាជន" in body and "ពេលនេះ and English" in body


@pytest.mark.parametrize("content, reason", [
    (b"", "empty file"), (b"PK\x03\x04 truncated", "corrupt"), (b"hello, not a document", "not a Word document"),
])
def test_broken_docx_is_an_extraction_error(tmp_path, content, reason):
    path = tmp_path / "broken.docx"
    path.write_bytes(content)
    with pytest.raises(ExtractionError, match=reason):
        extract(path)


def test_format_told_by_bytes_before_extension(tmp_path):
    misnamed = tmp_path / "statement.pdf"
    shutil.copy(FIXTURES / "report_python_docx.docx", misnamed)
    assert file_format(misnamed) == "docx"
    odd = tmp_path / "notes.txt"
    odd.write_text("plain", encoding="utf-8")
    with pytest.raises(ExtractionError, match="unsupported file type .txt"):
        extract(odd)


def test_docx_table_of_contents_is_not_body_text(tmp_path):
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    # the content control Word wraps a generated table of contents in
    document.element.body.insert(0, parse_xml(
        f'<w:sdt {w}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>'
        f'</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Contents</w:t></w:r></w:p>'
        f'<w:p><w:r><w:t>Introduction 3</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    document.add_heading("Introduction", 1)
    document.add_paragraph("The body of the report.")
    path = tmp_path / "toc.docx"
    document.save(path)
    assert extract(path).paragraphs == ["Introduction", "The body of the report."]


def test_short_page_keeps_no_navigation_or_footer(tmp_path):
    page = tmp_path / "short.html"
    page.write_text('<html><head><title>Short note</title></head><body><nav><a href="/">Home</a> '
                    '<a href="/about">About us</a></nav><div id="cookie-consent">We use cookies</div>'
                    '<div class="content"><h1>Short note</h1><p>ការប្រជុំនឹងធ្វើឡើងនៅថ្ងៃច័ន្ទ។</p>'
                    '<p>The meeting is on Monday.</p></div><div class="site-footer">Copyright 2024</div></body></html>',
                    encoding="utf-8")
    assert extract(page).paragraphs == ["Short note", "ការប្រជុំនឹងធ្វើឡើងនៅថ្ងៃច័ន្ទ។", "The meeting is on Monday."]


def test_pdf_paragraphs_typed_in_limon_are_converted():
    """chromium_limon.pdf: Chromium printed Limon keys (the text layer holds Latin code points) between
    English paragraphs; the Khmer comes back through the character statistics."""
    found = extract(FIXTURES / "chromium_limon.pdf")
    body = "\n\n".join(found.paragraphs)
    assert khmer_cer(body, truth_of("chromium_limon")) <= 0.03
    # the English around it whole, the first paragraph too (one body line at the top of the page)
    assert english_wer(body, truth_of("chromium_limon")) <= 0.03
    assert "The report finds that more than 300 families were evicted" in body
    assert any("typed in Limon" in w for w in found.warnings)


def test_a_pdf_naming_a_limon_font_needs_less_evidence():
    from reading.extract.legacy import convert_legacy_paragraphs

    mild = "rbaykarN_enHbanrkeXIjfa"  # score between the two bars
    assert convert_legacy_paragraphs([mild], ["Limon S1"])[0] == ["របាយការណ៍នេះបានរកឃើញថា"]
    assert convert_legacy_paragraphs(["Plain English text for the reader."], ["Limon S1"])[0] == \
        ["Plain English text for the reader."]
