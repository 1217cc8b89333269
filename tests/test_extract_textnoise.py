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
    assert noise(layer).score > 3 * GARBLED


def test_marks_of_a_broken_layer():
    assert noise("ស ិទ្ធ ិ").broken >= 2                      # signs torn from their consonant
    assert noise("text (cid:12)(cid:40) more").broken >= 8
    assert noise("ពន្ធនាន្ធគារ").broken >= 2                    # a syllable repeated
    assert noise("&DPERGLDQ5LJKWV0RQLWRUy").broken >= 3          # glyph ids as Latin
    assert noise("ការ ពារ សិទ្ធិ មនុស្ស នៅ កម្ពុជា").split_spaces > 0
    assert noise("The Constitution guarantees freedom of expression.").broken == 0


def test_references_and_codes_are_not_garble():
    refs = ("See A/HRC/51/60, para. 12; Sub-Decree No. 146 (2008); http://www.ohchr.org/en/countries; "
            "Article 31(2)(a) of the LANGO and the ICCPR, art. 19(3). UN Doc. CCPR/C/KHM/CO/3 (2022). "
            "The US$1,200 fine (approx. KHR 4.9m) was imposed at 9:30am. E-mail: info@example.org; "
            "O’Brien’s “fair-trial” rights; 1st, 2nd, 3rd; COVID-19; 50%; NGOs.")
    assert noise(refs).score < GARBLED / 4
