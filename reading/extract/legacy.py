"""Khmer typed in a legacy font (Limon, ABC): ASCII/Latin-1 code points that only the font draws
as Khmer. Find such runs by their font's name (DOCX `w:rFonts`, PDF font names, HTML font-family),
with character statistics (`looks_like_limon`) as a backstop where no font is named, and convert
only those runs: converting a whole mixed text blindly turns its English into nonsense.

`convert_limon` maps each key through our own table (`reading.extract.limon_table`), then moves
what a Limon typist types before its consonant (the pre-base vowels េ ែ ៃ and the coeng-ro) after
it, and puts every syllable in canonical Unicode order (`analyzers.khmer` cluster normalisation:
base, shifters, subscripts, coeng-ro, vowel, signs; split vowels merged, so េ + ា gives ោ).
ABC fonts are recognised but have no conversion table yet: their runs are kept and reported.
"""
from __future__ import annotations

import re

from analyzers.khmer import BASES, MARKS, iter_clusters

from .limon_table import KEYS, NYO_WITH_SUBSCRIPT, TAILS

# Font families drawing Khmer over Latin code points. Limon S1, R1, F1-F3... and the ABC fonts
# ("ABC-TEXT-05", "ABC-KHMER-..."); Khmer Unicode fonts (Khmer OS, DaunPenh, Noto Sans Khmer,
# Khmer UI, Hanuman, Battambang...) are not legacy.
_FAMILIES = (
    ("limon", re.compile(r"^\s*['\"]?limon(?:[\s_-]|$)", re.IGNORECASE)),
    ("abc", re.compile(r"^\s*['\"]?abc[\s_-]", re.IGNORECASE)),
)
CONVERTIBLE = ("limon",)

_BASE = re.compile(f"[{BASES}]")
_PRE_BASE = ("\u17c1", "\u17c2", "\u17c3", "\u17d2\u179a")  # េ ែ ៃ and coeng-ro
_KHMER_SPAN = re.compile(f"[{BASES}{MARKS}]+")
# An upper vowel over these consonants pushes the shifter below, where Limon draws it with the
# u-vowel key: ប៉ិ is typed as ប + ុ + ិ.
_SHIFTER_BELOW = re.compile("([ងញមយរវប])\u17bb([\u17b7-\u17ba])|([សហអ])\u17bb([\u17b7-\u17ba])")


def legacy_family(font_name: str | None) -> str | None:
    """"limon" or "abc" when `font_name` (or the first name of a CSS font-family list) is a legacy
    Khmer font, else None."""
    if not font_name:
        return None
    for family, pattern in _FAMILIES:
        if pattern.match(font_name):
            return family
    return None


def legacy_family_of_list(font_family: str | None) -> str | None:
    """The legacy family of a CSS `font-family` list: its first font decides (the one drawn)."""
    if not font_family:
        return None
    return legacy_family(font_family.split(",")[0].strip().strip("'\""))


def _keys_to_glyphs(text: str) -> list[str]:
    """Each key's Khmer glyph (or the character itself), in typed order."""
    out: list[str] = []
    for ch in text:
        if out and (out[-1], ch) in TAILS:
            out[-1] = TAILS[(out[-1], ch)]
            continue
        glyph = KEYS.get(ch, ch)
        if glyph.startswith("\u17d2") and glyph != "\u17d2\u179a" and tuple(out[-2:]) == NYO_WITH_SUBSCRIPT:
            out[-2:] = ["\u1789"]
        out.append(glyph)
    return out


def _logical_order(glyphs: list[str]) -> str:
    """Move pre-base glyphs after the base they were typed before."""
    out: list[str] = []
    waiting: list[str] = []
    for glyph in glyphs:
        if glyph in _PRE_BASE:
            waiting.append(glyph)
            continue
        if waiting and _BASE.match(glyph):
            out.append(glyph[0])
            out.extend(waiting)
            out.append(glyph[1:])
            waiting = []
            continue
        if waiting and not _is_mark(glyph):
            out.extend(waiting)  # no base followed: keep them where they were typed
            waiting = []
        out.append(glyph)
    out.extend(waiting)
    return "".join(out)


def _is_mark(glyph: str) -> bool:
    return bool(glyph) and "\u17b6" <= glyph[0] <= "\u17dd"


def _canonical(text: str) -> str:
    def span(match: re.Match) -> str:
        return "".join(cluster.text for cluster in iter_clusters(match.group()))
    # េ typed before a consonant whose ៅ key draws the rest of the vowel (the merge ោ is in canonical)
    return _KHMER_SPAN.sub(span, text).replace("\u17c1\u17c5", "\u17c5")


def convert_limon(text: str) -> str:
    """Unicode Khmer, in canonical order, for `text` typed in a Limon font. Spaces and line breaks are
    kept; characters the layout does not use pass through unchanged."""
    ordered = _logical_order(_keys_to_glyphs(text))
    ordered = _SHIFTER_BELOW.sub(lambda m: (m[1] + "\u17c9" + m[2]) if m[1] else (m[3] + "\u17ca" + m[4]), ordered)
    return _canonical(ordered)


def convert(text: str, family: str) -> str:
    """`text` set in a font of `family` as Unicode (unchanged for families without a table)."""
    return convert_limon(text) if family == "limon" else text


_KHMER = re.compile("[\u1780-\u17ff]")
_LETTER = re.compile(r"[A-Za-z\u00c0-\u00ff]")
_CAMEL = re.compile(r"[a-z\u00df-\u00ff][A-Z\u00c0-\u00de]")       # "RbCaCn": a capital inside a word
_SYMBOL = re.compile(r"[\u00a1-\u00bf\u00d7\u00f7]")                  # "¶", "§", "µ": Limon subscripts
_SIGN_INSIDE = re.compile(r"[A-Za-z][;:<\\|\[\]{}][A-Za-z]")          # "Bg;s": a sign key inside a word
_ACCENTED = re.compile(r"[\u00c0-\u00ff]")
# Measured: English paragraphs of the corpus score at most 0.04, French prose about 0.12, Limon
# typing 0.2-0.3 (tests/test_extract_formats.py).
LIMON_SCORE = 0.15


def limon_score(text: str) -> float:
    """How much `text` looks typed in Limon: capitals inside words, Latin-1 symbols, sign keys inside
    words and (half weight) accented letters, per letter; 0 for texts of fewer than 12 letters."""
    letters = len(_LETTER.findall(text))
    if letters < 12:
        return 0.0
    odd = len(_CAMEL.findall(text)) + len(_SYMBOL.findall(text)) + len(_SIGN_INSIDE.findall(text))
    return (odd + 0.5 * len(_ACCENTED.findall(text))) / letters


def looks_like_limon(text: str) -> bool:
    """Character statistics for text whose font is not known: True when it has no Khmer code points
    and its `limon_score` reaches LIMON_SCORE. Ordinary English, names and acronyms stay False."""
    return not _KHMER.search(text) and limon_score(text) >= LIMON_SCORE


# A document that names a Limon font: its paragraphs need less evidence to count as Limon typing.
LIMON_SCORE_IN_LIMON_DOCUMENT = 0.08


def pdf_font_names(path) -> list[str]:
    """The font names a PDF uses (subset prefixes such as "ABCDEF+" removed), from Poppler's
    `pdffonts`; [] when it is missing or fails."""
    import subprocess

    try:
        out = subprocess.run(["pdffonts", str(path)], capture_output=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    names = []
    for line in out.decode("utf-8", "replace").splitlines()[2:]:
        name = line.split("  ")[0].strip()
        if name:
            names.append(name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name)
    return names


def convert_legacy_paragraphs(paragraphs: list[str], font_names: list[str]) -> tuple[list[str], list[str]]:
    """(paragraphs, warnings) for a text whose runs carry no font (a PDF's paragraphs): paragraphs
    without Khmer that look typed in Limon are converted; with a lower bar when the document names a
    Limon font. Paragraphs are the smallest unit here, so a paragraph mixing Limon and English is
    converted whole only when Limon dominates it."""
    families = {legacy_family(name) for name in font_names} - {None}
    bar = LIMON_SCORE_IN_LIMON_DOCUMENT if "limon" in families else LIMON_SCORE
    out, converted = [], 0
    for paragraph in paragraphs:
        if not _KHMER.search(paragraph) and limon_score(paragraph) >= bar:
            out.append(convert_limon(paragraph))
            converted += 1
        else:
            out.append(paragraph)
    warnings = []
    if converted:
        named = "set in a Limon font" if "limon" in families else "without a named Limon font"
        warnings.append(f"{converted} paragraph(s) typed in Limon ({named}) converted to Unicode")
    for family in sorted(families - set(CONVERTIBLE)):
        warnings.append(f"text in a legacy {family.upper()} font has no conversion table; kept as typed")
    return out, warnings
