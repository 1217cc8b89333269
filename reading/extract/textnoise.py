"""How garbled an extracted text layer looks, without ground truth.

`noise(text) -> Noise` counts the marks a broken text layer leaves and `Noise.score` divides them
by the letters seen (0.0 = clean; a clean page scores below 0.01, a layer of glyph ids above 0.3):

- Khmer dependent vowels, signs and coeng with no base consonant before them (a cluster torn
  apart: the sign follows a space, a line start or a non-Khmer character), and a coeng not
  followed by a consonant;
- `(cid:N)` tokens, control characters, U+FFFD and private-use characters (unmapped glyphs);
- letters from Latin Extended, IPA and Latin-1 symbols in a Khmer or English text (glyph numbers
  read through the wrong encoding come out as such letters);
- Latin "words" that are no words: letters mixed with digits or symbols inside, no vowel in a
  long word, capitals inside lower case ("&DPERGLDQ5LJKWV" is "Cambodian Rights" shifted);
- a Khmer subscript cluster repeated within a syllable or two ("ពន្ធនាន្ធ"), the duplicated
  syllables of some PDFium readings of Chromium/Skia PDFs;
- spaces between Khmer characters beyond the rate Khmer prose has them (phrase breaks, about one
  in 25 characters): text cut into pieces inside words. Counted separately (`split_spaces`): it
  says which of two readings of a page is cleaner, but alone it is no reason to OCR.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

KHMER_CONSONANT = "\u1780-\u17B3"   # consonants and independent vowels
KHMER_DEPENDENT = "\u17B6-\u17D1\u17D3\u17DD"  # dependent vowels and signs
COENG = "\u17D2"

_ORPHAN = re.compile(rf"(?:^|(?<=[^\u1780-\u17FF\u19E0-\u19FF]))[{KHMER_DEPENDENT}{COENG}]")
_BAD_COENG = re.compile(rf"{COENG}(?![\u1780-\u17A2])")
_CID = re.compile(r"\(cid:\d+\)")
_CONTROL = re.compile(r"[\x00-\x01\x03-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff]")
_ODD_LETTER = re.compile(r"[\u0100-\u036f\u00a4\u00a6\u00a8\u00aa\u00ac\u00af\u00b2-\u00b4\u00b8-\u00ba\u00bc-\u00be\u00d0\u00de\u00f0\u00fe]")
_KHMER = re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]")
_REPEAT = re.compile(r"([\u1780-\u17A2]\u17D2[\u1780-\u17A2]).{1,3}?\1")
_KHMER_SPACE = re.compile(r"(?<=[\u1780-\u17FF]) +(?=[\u1780-\u17FF])")
_LATIN_TOKEN = re.compile(r"\S*[A-Za-z]\S*")
_WORD_OK = re.compile(r"[(\"'“‘\[]*(?:[A-Z]?[a-z]+|[A-Z]+|\d+(?:[.,]\d+)*)(?:[-'’][A-Za-z]+)*"
                      r"[.,;:!?)\"'”’\]]*\d{0,2}")
_VOWEL = re.compile(r"[aeiouyAEIOUY]")
KHMER_SPACE_RATE = 0.04


@dataclass(frozen=True)
class Noise:
    letters: int        # Khmer characters + Latin letters seen
    broken: int         # marks of a broken layer (everything but split_spaces)
    split_spaces: int   # spaces between Khmer characters beyond the normal rate

    @property
    def score(self) -> float:
        """Broken marks per letter: the reason to distrust (and OCR) a page."""
        return self.broken / self.letters if self.letters else 0.0

    @property
    def rank(self) -> float:
        """For choosing between two readings of the same page: broken marks and split words."""
        return (self.broken + 0.5 * self.split_spaces) / self.letters if self.letters else 0.0


def _bad_latin_tokens(text: str) -> int:
    bad = 0
    for tok in _LATIN_TOKEN.findall(text):
        if _WORD_OK.fullmatch(tok):
            core = re.sub(r"[^A-Za-z]", "", tok)
            if len(core) >= 5 and not _VOWEL.search(core) and not core.isupper():
                bad += 1
            continue
        if re.fullmatch(r"[\w.\-/:@]+\.[a-z]{2,4}(/\S*)?", tok) or "://" in tok or "@" in tok:
            continue  # addresses, file names
        bad += 1
    return bad


def noise(text: str) -> Noise:
    # soft and line-end hyphens (U+00AD, PDFium's U+FFFE and U+0002) are marks of hyphenation
    text = re.sub(r"[\u00ad\ufffe\x02]", "", text).replace("\u2010", "-")
    khmer = len(_KHMER.findall(text))
    latin = sum(c.isascii() and c.isalpha() for c in text)
    broken = (len(_ORPHAN.findall(text)) + len(_BAD_COENG.findall(text))
              + 4 * len(_CID.findall(text)) + len(_CONTROL.findall(text))
              + len(_ODD_LETTER.findall(text)) + 2 * len(_REPEAT.findall(text))
              + 3 * _bad_latin_tokens(text))
    spaces = len(_KHMER_SPACE.findall(text))
    split = max(0, spaces - int(KHMER_SPACE_RATE * khmer))
    return Noise(letters=khmer + latin + len(_ODD_LETTER.findall(text)), broken=broken,
                 split_spaces=split)
