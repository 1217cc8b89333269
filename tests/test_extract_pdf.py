"""reading.extract.pdf on PDFs made by real producers (tests/fixtures/extraction, made by
make_pdf_fixtures.py): error rates against the ground truth, no running header/footer/page
number in any body, unreadable files refused with a reason, OCR of scans and garbled layers."""
from pathlib import Path

import pytest

from bench.text_error import english_wer, khmer_cer, leaked_running
from reading.extract import ocr as ocr_module
from reading.extract.cache import ExtractionCache
from reading.extract.model import ExtractionError
from reading.extract.pdf import extract_pdf

FIX = Path(__file__).parent / "fixtures" / "extraction"
TEXT_LAYER = ["chromium-noto-report", "chromium-khmeros-footnotes", "chromium-two-column",
              "chromium-three-column", "rotated-pages",
              "libreoffice-briefing", "libreoffice-khmer-onepage", "libreoffice-from-docx"]
# LibreOffice's PDF of a DOCX: the page itself draws some Khmer clusters without their subscript
# (a bare coeng glyph, `ប្ជា` for `ប្រជា`), so no reader can get those letters back
LAYER_LOSSY = "libreoffice-from-docx"
# Khmer CER per file with PDFium alone (no pdftotext): what the PDFium reader is held to, for
# producers where it is the one chosen. LibreOffice's files are read in drawing order where PDFium
# moves a sign off its cluster; Chromium's syllables drawn twice are dropped.
PDFIUM_ALONE = {"libreoffice-briefing": 0.002, "libreoffice-khmer-onepage": 0.002,
                "libreoffice-from-docx": 0.018, "chromium-noto-report": 0.002,
                "chromium-khmeros-footnotes": 0.012, "chromium-three-column": 0.002,
                "chromium-two-column": 0.002, "rotated-pages": 0.002}
NEEDS_OCR = ["scan-bulletin", "garbled-tounicode"]


def _truth(name):
    return (FIX / f"{name}.truth.txt").read_text(encoding="utf-8")


def _running(name):
    return (FIX / f"{name}.running.txt").read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="session")
def ocr_results():
    """The OCR fixtures extracted once per session (about 10 s a page on 2 cores)."""
    if ocr_module.ocr_missing():
        pytest.fail(f"OCR is part of the product: {ocr_module.ocr_missing()}")
    return {name: extract_pdf(FIX / f"{name}.pdf") for name in NEEDS_OCR}


@pytest.mark.parametrize("name", TEXT_LAYER)
def test_text_layer_error_rates(name):
    result = extract_pdf(FIX / f"{name}.pdf")
    got = "\n\n".join(result.paragraphs)
    assert khmer_cer(_truth(name), got) <= 0.02
    assert english_wer(_truth(name), got) <= 0.03
    assert result.ocr_pages == 0 and result.pages >= 1 and result.warnings == []
    assert result.method in {"pypdfium2", "pdftotext", "pypdfium2+pdftotext", "pdftotext+pypdfium2"}


def test_lossy_layer_is_read_as_well_as_it_allows():
    result = extract_pdf(FIX / f"{LAYER_LOSSY}.pdf")
    got = "\n\n".join(result.paragraphs)
    assert khmer_cer(_truth(LAYER_LOSSY), got) <= 0.018
    # ខ្ញុំ's ុ is drawn on a baseline of its own: it stays in its word, not at the paragraph's end
    assert "យើងខ្ញុំសូម" in got and "។ុ" not in got
    import subprocess

    poppler = subprocess.run(["pdftotext", str(FIX / f"{LAYER_LOSSY}.pdf"), "-"], capture_output=True,
                             text=True, check=True).stdout
    assert "ប្រជាពលរដ្ឋ" in _truth(LAYER_LOSSY) and "ប្រជាពលរដ្ឋ" not in poppler + got


@pytest.mark.parametrize("name", sorted(PDFIUM_ALONE))
def test_pdfium_alone_error_rates(name, monkeypatch):
    import reading.extract.pdf as pdf_module

    monkeypatch.setattr(pdf_module, "_poppler_start",
                        lambda path: "pdftotext not found (install the Debian package poppler-utils)")
    result = extract_pdf(FIX / f"{name}.pdf")
    assert result.method == "pypdfium2" and "text read by PDFium alone" in result.warnings[0]
    got = "\n\n".join(result.paragraphs)
    assert khmer_cer(_truth(name), got) <= PDFIUM_ALONE[name]
    assert english_wer(_truth(name), got) <= 0.03


@pytest.mark.parametrize("name", TEXT_LAYER)
def test_no_running_header_footer_or_page_number(name):
    result = extract_pdf(FIX / f"{name}.pdf")
    assert leaked_running(_running(name), result.paragraphs) == []
    assert not any(p.strip().isdigit() for p in result.paragraphs)


@pytest.mark.parametrize("name", ["chromium-two-column", "chromium-three-column"])
def test_paragraphs_follow_the_truth_in_reading_order(name):
    # columns read left to right; Khmer lines joined without spaces inside words
    result = extract_pdf(FIX / f"{name}.pdf")
    truth = _truth(name).strip().split("\n\n")
    assert len(result.paragraphs) == len(truth)
    for got, want in zip(result.paragraphs, truth):
        assert khmer_cer(want, got) <= 0.02 and english_wer(want, got) <= 0.03


def test_hyphenation_undone_and_compound_kept():
    text = " ".join(extract_pdf(FIX / "libreoffice-briefing.pdf").paragraphs)
    assert "systematic intimidation" in text and "consultation process" in text
    assert "forty-two villages" in text


def test_footnotes_follow_the_body_of_their_page():
    paras = extract_pdf(FIX / "chromium-khmeros-footnotes.pdf").paragraphs
    notes = [i for i, p in enumerate(paras) if p[:2] in {"1 ", "2 ", "3 "}]
    assert len(notes) == 3
    # page 1's two notes come after page 1's body and before page 2's first paragraph
    page2 = next(i for i, p in enumerate(paras) if p.startswith("Garment workers"))
    assert notes[0] < notes[1] < page2 < notes[2] == len(paras) - 1


def test_one_page_document_loses_its_page_number():
    paras = extract_pdf(FIX / "libreoffice-khmer-onepage.pdf").paragraphs
    assert paras[-1].endswith("។") and "1" not in paras


def test_metadata_title_author_and_never_a_date():
    lo = extract_pdf(FIX / "libreoffice-briefing.pdf").metadata
    assert lo["title"] == ("Briefing Paper: Land, Housing and Civic Space", "pdf metadata")
    assert lo["author"] == ("Cambodian Rights Monitor", "pdf metadata")
    assert "date" not in lo
    # Chromium puts the HTML file name as the title: that is no title
    assert "title" not in extract_pdf(FIX / "chromium-noto-report.pdf").metadata


def test_page_progress_reaches_the_total():
    calls = []
    extract_pdf(FIX / "chromium-noto-report.pdf", page_progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.parametrize("name, reason", [
    ("encrypted", "encrypted"), ("truncated", "damaged or truncated"), ("empty", "no text found")])
def test_unreadable_pdfs_raise_with_a_reason(name, reason):
    with pytest.raises(ExtractionError, match=reason):
        extract_pdf(FIX / f"{name}.pdf")


def test_zero_bytes_and_not_a_pdf(tmp_path):
    (tmp_path / "zero.pdf").write_bytes(b"")
    with pytest.raises(ExtractionError, match="empty file"):
        extract_pdf(tmp_path / "zero.pdf")
    (tmp_path / "page.pdf").write_text("<html>not a pdf</html>")
    with pytest.raises(ExtractionError, match="not a PDF"):
        extract_pdf(tmp_path / "page.pdf")


def test_cache_serves_an_unchanged_file_without_reading_it(tmp_path, monkeypatch):
    cache = ExtractionCache(tmp_path)
    first = extract_pdf(FIX / "libreoffice-briefing.pdf", cache=cache)
    import reading.extract.pdf as pdf_module

    def boom(*a, **k):
        raise AssertionError("extracted again")

    monkeypatch.setattr(pdf_module, "_extract", boom)
    assert extract_pdf(FIX / "libreoffice-briefing.pdf", cache=cache) == first


def test_ocr_unavailable_is_a_reason_not_a_crash(monkeypatch):
    monkeypatch.setattr(ocr_module, "ocr_missing",
                        lambda: "tesseract has no khm data: install the Debian package tesseract-ocr-khm")
    with pytest.raises(ExtractionError, match="tesseract-ocr-khm"):
        extract_pdf(FIX / "scan-bulletin.pdf")


@pytest.mark.slow
@pytest.mark.parametrize("name", NEEDS_OCR)
def test_ocr_error_rates(ocr_results, name):
    result = ocr_results[name]
    got = "\n\n".join(result.paragraphs)
    assert result.ocr_pages == result.pages == 2
    assert "ocr" in result.method
    assert khmer_cer(_truth(name), got) <= 0.08
    assert english_wer(_truth(name), got) <= 0.08
    assert leaked_running(_running(name), result.paragraphs) == []
