"""Limon (S1/R1 family) keyboard layout: which Latin-1 code point draws which Khmer glyph.

The facts (key -> glyph) are those of the Limon fonts' layout as documented by the ISC-licensed
converter at https://github.com/chamnap/khmer_unicode_converter (limon.js); this table and the
algorithm in reading.extract.legacy are our own. No GPL or non-commercial table is used (the PyPI
package `kfc` is GPL-3.0). Values are Unicode Khmer in the order the glyphs are typed, which is the
visual order (pre-base vowels and the coeng-ro before their consonant): `legacy.convert_limon`
puts them in Unicode order afterwards.
"""

# Limon draws the ញ that carries a subscript with the keys of ព and ា ("Ba©" is ញ្ច, "BaØ" ញ្ញ):
# ព + ា followed by a subscript is that ញ (a subscript never follows a vowel).
NYO_WITH_SUBSCRIPT = ("ព", "ា")

KEYS = {
    # digits
    **{str(d): chr(0x17E0 + d) for d in range(10)},
    # consonants
    "k": "ក", "x": "ខ", "K": "គ", "X": "ឃ", "g": "ង",
    "c": "ច", "q": "ឆ", "C": "ជ", "Q": "ឈ", "j": "ញ",
    "d": "ដ", "z": "ឋ", "D": "ឌ", "Z": "ឍ", "N": "ណ",
    "t": "ត", "f": "ថ", "T": "ទ", "F": "ធ", "n": "ន",
    "b": "ប", ")": "ប", "p": "ផ", "B": "ព", "P": "ភ", "m": "ម",
    "y": "យ", "r": "រ", "l": "ល", "v": "វ", "s": "ស", "h": "ហ", "L": "ឡ", "G": "អ",
    # subscript consonants (coeng + consonant)
    "á": "្ក", "ç": "្ខ", "Á": "្គ", "Ç": "្ឃ", "¶": "្ង",
    "©": "្ច", "ä": "្ឆ", "¢": "្ជ", "Ä": "្ឈ", "J": "្ញ", "Ø": "្ញ",
    "þ": "្ត",  # the one glyph Limon draws for both subscript ta and subscript da
    "æ": "្ឋ", "Ð": "្ឌ", "Æ": "្ឍ", "Ñ": "្ណ", "ß": "្ថ", "Þ": "្ទ", "§": "្ធ", "ñ": "្ន",
    ",": "្ប", "ö": "្ផ", "<": "្ព", "Ö": "្ភ", "µ": "្ម",
    "ü": "្យ", "R": "្រ", "®": "្រ", "ø": "្ល", "V": "្វ", "S": "្ស", "ð": "្ហ", "¥": "្អ",
    # dependent vowels (the tall forms used under or beside subscripts too)
    "a": "ា", "i": "ិ", "í": "ិ", "I": "ី", "Í": "ី", "w": "ឹ", "å": "ឹ", "W": "ឺ", "Å": "ឺ",
    "u": "ុ", "ú": "ុ", "U": "ូ", "Ú": "ូ", "Y": "ួ", "Ü": "ួ",
    "e": "េ", "E": "ែ", "é": "ៃ", "o": "ៀ", "ó": "ៀ", "O": "ឿ", "Ó": "ឿ", "A": "ៅ",
    # signs
    "M": "ំ", "¿": "ំ", "H": "ះ", "³": "ៈ", ";": "់", ":": "៉", "‘": "៊",
    "½": "័", "¾": "៏", "’": "៌", "+": "៎", "_": "៍", "×": "ិ៍",
    # independent vowels and ligatures
    "\\": "ឥ", "|": "ឦ", "]": "ឧ", "«": "ឪ", "É": "ឯ", "»": "ឱ", "[": "ឱ្យ", "´": "ខ្ញុំ",
    # punctuation
    ".": "។", "²": "ៗ", "¹": "៛", "¬": "(", "¦": ")", "{": "«", "}": "»",
    "°": "%", ">": ".", "/": ",", "¼": "/", "÷": "+", "¡": "!",
}

# Two keys that draw one independent vowel: ប/ព followed by the ឫ/ឬ tails.
TAILS = {("ប", "£"): "ឫ", ("ប", "¤"): "ឬ", ("ព", "£"): "ឭ", ("ព", "¤"): "ឮ"}
