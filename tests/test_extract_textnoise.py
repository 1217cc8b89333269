"""reading.extract.textnoise: a garbled text layer scores high, clean Khmer and English low."""
import subprocess
from pathlib import Path

from reading.extract.pdf import GARBLED
from reading.extract.textnoise import noise

FIX = Path(__file__).parent / "fixtures" / "extraction"


def test_clean_text_scores_low():
    truth = (FIX / "chromium-noto-report.truth.txt").read_text(encoding="utf-8")
    assert noise(truth).score < 0.005
    assert noise(truth).rank < 0.01


def test_stripped_tounicode_layer_scores_as_garbled():
    layer = subprocess.run(["pdftotext", str(FIX / "garbled-tounicode.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout
    assert noise(layer).score > 4 * GARBLED


def test_marks_of_a_broken_layer():
    assert noise("ស ិទ្ធ ិ").broken >= 2                      # signs torn from their consonant
    assert noise("text (cid:12)(cid:40) more").broken >= 8
    assert noise("ពន្ធនាន្ធគារ").broken >= 2                    # a syllable repeated
    assert noise("&DPERGLDQ5LJKWV0RQLWRUy").broken >= 3          # glyph ids as Latin
    assert noise("ការ ពារ សិទ្ធិ មនុស្ស នៅ កម្ពុជា").split_spaces > 0
    assert noise("The Constitution guarantees freedom of expression.").broken == 0
