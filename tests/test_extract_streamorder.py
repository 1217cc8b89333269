"""reading.extract.streamorder on the characters PDFium gives for the real fixtures: the order
the page draws its Khmer signs in, where PDFium's own order puts them off their cluster, and the
syllables a producer draws twice."""
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from reading.extract.pdf import _charboxes
from reading.extract.streamorder import char_objects, reorder, upright

FIX = Path(__file__).parent / "fixtures" / "extraction"


def _page_text(name: str, number: int = 0, path: Path | None = None) -> tuple[str, str]:
    """(PDFium's text of the page, the same characters in `reorder`'s order)."""
    doc = pdfium.PdfDocument(str(path or FIX / f"{name}.pdf"))
    try:
        page = doc[number]
        textpage = page.get_textpage()
        n = textpage.count_chars()
        text = textpage.get_text_range(0, n)
        assert len(text) == n
        objects = char_objects(page, textpage, n)
        boxes = _charboxes(textpage, n)
        order = reorder(objects, [(b[0], b[2]) for b in boxes], text, upright(textpage))
        textpage.close()
        page.close()
    finally:
        doc.close()
    return text, "".join(text[i] for i in order)


def _khmer_words(text: str) -> str:
    return "".join(text.split())


def test_a_sign_drawn_left_of_the_subscript_it_follows_goes_back_after_it():
    # LibreOffice draws ី of ស្តី as its own object a little left of ្ត: PDFium reads it first
    raw, ordered = _page_text("libreoffice-khmer-onepage")
    assert "សី្ត" in raw and "ស្តី" not in raw
    assert "សេចក្តីថ្លែងការណ៍ស្តី" in ordered and "សី្ត" not in ordered


def test_a_vowel_put_after_the_next_syllables_comes_back_to_its_consonant():
    # មិន: PDFium gives ិ after the object drawn after it (and a space it inferred)
    raw, ordered = _page_text("libreoffice-khmer-onepage")
    truth = (FIX / "libreoffice-khmer-onepage.truth.txt").read_text(encoding="utf-8")
    assert truth.count("មិន") == 2
    assert "ហើយមិនមាន" not in _khmer_words(raw)
    assert "ហើយមិនមាន" in _khmer_words(ordered)
    assert "ពួកគេមិនដឹង" in _khmer_words(ordered)


def test_a_split_vowel_drawn_twice_is_read_once():
    # LibreOffice draws ើ's second part again over the syllable, carrying its text (យើ, ហើ)
    raw, ordered = _page_text("libreoffice-khmer-onepage")
    raw, ordered = _khmer_words(raw), _khmer_words(ordered)
    assert "ចុះយើទៅ" in raw and "ហើយហើ" in raw
    assert "យើងបានចុះទៅកាន់" in ordered and "ចុះយើ" not in ordered and "ហើយហើ" not in ordered


def test_a_syllable_drawn_as_two_runs_of_the_same_text_is_read_once():
    # Chromium draws the pre-base part of នៃ / ក្រុ and then the rest, each run with the whole
    # syllable's text; a real repeated syllable (នានា: no pre-base part) stays
    raw, ordered = _page_text("chromium-noto-report", 1)
    raw, ordered = _khmer_words(raw), _khmer_words(ordered)
    truth = _khmer_words((FIX / "chromium-noto-report.truth.txt").read_text(encoding="utf-8"))
    assert "ញ្ញនៃព្រះរាជាណាចក្រ" in truth and "ញ្ញនៃព្រះរាជាណាចក្រ" in ordered
    assert "នៃនៃ" in raw or "នៃញ្ញនៃ" in raw
    assert "នៃនៃ" not in ordered
    raw0, ordered0 = _page_text("chromium-noto-report", 0)
    assert "នានា" in truth and _khmer_words(ordered0).count("នានា") == truth.count("នានា")
    assert "ក្រុមក្រុ" not in _khmer_words(ordered0) + ordered


@pytest.mark.parametrize("name", ["chromium-noto-report", "chromium-two-column"])
def test_chromium_subscripts_drawn_again_are_dropped(name):
    # Chromium draws a subscript again with the whole syllable's text: ទ្ធិមទ្ធិ for ទ្ធិម
    raw, ordered = _page_text(name)
    truth = _khmer_words((FIX / f"{name}.truth.txt").read_text(encoding="utf-8"))
    assert "សិទ្ធិមនុស្ស" in truth
    assert _khmer_words(raw).count("សិទ្ធិមនុស្ស") < _khmer_words(ordered).count("សិទ្ធិមនុស្ស")
    assert len(ordered) < len(raw)


def test_english_and_pdfium_line_breaks_keep_their_place():
    raw, ordered = _page_text("libreoffice-briefing")
    assert raw.count("\n") == ordered.count("\n")
    # only Khmer signs move: the Latin text reads the same
    latin = lambda t: "".join(c for c in t if c.isascii())  # noqa: E731
    assert latin(raw) == latin(ordered)


def test_text_set_at_an_angle_keeps_pdfiums_order(tmp_path):
    # the one-page LibreOffice fixture with all its content turned a quarter (by PDFium): left and
    # right say nothing about a vertical line, so nothing may move or be dropped as drawn twice
    doc = pdfium.PdfDocument(str(FIX / "libreoffice-khmer-onepage.pdf"))
    page = doc[0]
    w, h = page.get_size()
    for obj in page.get_objects():
        obj.transform(pdfium.PdfMatrix().translate(-w / 2, -h / 2).rotate(90).translate(w / 2, h / 2))
    page.gen_content()
    doc.save(str(tmp_path / "turned.pdf"))
    page.close()
    doc.close()
    raw, ordered = _page_text("", path=tmp_path / "turned.pdf")
    assert "សី្ត" in raw
    assert ordered == raw
