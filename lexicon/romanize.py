"""Rule-based Khmer-script -> Latin romanizer, UNGEGN-like, tuned to the usual spelling of names.

Rules, not a word list: each consonant has a series (1st "a" / 2nd "o"), changed by the register
marks (triisap U+17CA makes a 1st-series letter 2nd, muusikatoan U+17C9 the reverse) and, in a
cluster, by a 2nd-series non-sonorant subscript. A syllable is onset + vowel (the dependent vowel
read by the series, or the inherent vowel) + an optional final consonant. A bare consonant is read
as a final when it is word-final, carries bantoc, heads a subscript cluster after an open syllable
(ក + ម្ពុ -> kam-pu), or closes an inherent-vowel syllable before a vowel-bearing one. Vowel letters
follow the common name conventions (ឹ -> e/i as in Kem, Chhim; ី -> ei/i as in Ley, Si; final វ
-> o/u as in Keo, Khieu), so the output feeds `indexer.namekey.name_key` and matches usual spellings.
Latin letters, digits and spaces pass through; Khmer digits become ASCII digits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lexicon.khmer_text import normalize

# consonant -> (onset, final, series)
_CONSONANTS: dict[str, tuple[str, str, int]] = {
    "ក": ("k", "k", 1), "ខ": ("kh", "k", 1), "គ": ("k", "k", 2), "ឃ": ("kh", "k", 2), "ង": ("ng", "ng", 2),
    "ច": ("ch", "ch", 1), "ឆ": ("chh", "ch", 1), "ជ": ("ch", "ch", 2), "ឈ": ("chh", "ch", 2), "ញ": ("nh", "nh", 2),
    "ដ": ("d", "t", 1), "ឋ": ("th", "t", 1), "ឌ": ("d", "t", 2), "ឍ": ("th", "t", 2), "ណ": ("n", "n", 1),
    "ត": ("t", "t", 1), "ថ": ("th", "t", 1), "ទ": ("t", "t", 2), "ធ": ("th", "t", 2), "ន": ("n", "n", 2),
    "ប": ("b", "p", 1), "ផ": ("ph", "p", 1), "ព": ("p", "p", 2), "ភ": ("ph", "p", 2), "ម": ("m", "m", 2),
    "យ": ("y", "y", 2), "រ": ("r", "r", 2), "ល": ("l", "l", 2), "វ": ("v", "v", 2),
    "ឝ": ("s", "s", 1), "ឞ": ("s", "s", 1), "ស": ("s", "s", 1), "ហ": ("h", "h", 1), "ឡ": ("l", "l", 1),
    "អ": ("", "", 1),
}
_SONORANTS = set("ងញនមយរលវ")

# independent vowels (read as a whole syllable nucleus with no onset)
_INDEPENDENT = {
    "ឣ": "a", "ឤ": "a", "ឥ": "e", "ឦ": "ei", "ឧ": "o", "ឨ": "ok", "ឩ": "ou", "ឪ": "ov",
    "ឫ": "rue", "ឬ": "rue", "ឭ": "lue", "ឮ": "lue", "ឯ": "ae", "ឰ": "ai", "ឱ": "ao", "ឲ": "ao", "ឳ": "au",
}

# dependent vowel (with its trailing signs) -> (1st series, 2nd series); longest first when matching
_VOWELS: dict[str, tuple[str, str]] = {
    "ាំ": ("am", "oam"), "ុំ": ("om", "um"), "ោះ": ("oh", "uoh"), "េះ": ("eh", "eh"), "ុះ": ("oh", "uh"),
    "ាះ": ("ah", "eah"), "ិះ": ("eh", "ih"), "ែះ": ("aeh", "eh"),
    "ា": ("a", "ea"), "ិ": ("e", "i"), "ី": ("ei", "i"), "ឹ": ("e", "i"), "ឺ": ("eu", "eu"),
    "ុ": ("o", "u"), "ូ": ("ou", "u"), "ួ": ("uo", "uo"), "ើ": ("aeu", "eu"), "ឿ": ("oea", "oea"),
    "ៀ": ("ie", "ie"), "េ": ("e", "e"), "ែ": ("ae", "e"), "ៃ": ("ai", "ey"), "ោ": ("ao", "o"),
    "ៅ": ("au", "ov"), "ំ": ("am", "um"), "ះ": ("ah", "eah"),
}
_INHERENT = ("a", "o")  # 1st, 2nd series
_VOWEL_SIGNS = set("ាិីឹឺុូួើឿៀេែៃោៅ")
_LONG_VOWELS = set("ាូួើឿៀេែៃោៅឺ")
_COENG, _BANTOC, _TRIISAP, _MUUSIKATOAN = "\u17d2", "\u17cb", "\u17ca", "\u17c9"
_SILENT = "\u17cd"  # toandakhiat: the letter it sits on is not pronounced
_SAMYOK = "\u17d0"  # samyok sannya: short a
_IGNORED = set("\u17cc\u17ce\u17cf\u17d1\u17dd\u200b\u200c\u200d")
_KHMER_DIGITS = {chr(0x17E0 + i): str(i) for i in range(10)}
_PUNCT = {"។": ".", "៕": ".", "៖": ":", "ៗ": "", "៛": " riel", "«": '"', "»": '"'}


@dataclass
class _Cluster:
    base: str                      # consonant or independent vowel
    subs: list[str] = field(default_factory=list)
    register: str = ""            # triisap / muusikatoan
    vowel: str = ""               # dependent vowel plus nikahit/reahmuk, as written
    bantoc: bool = False
    silent: bool = False
    samyok: bool = False

    @property
    def is_consonant(self) -> bool:
        return self.base in _CONSONANTS

    @property
    def bare(self) -> bool:
        """A consonant with no vowel of its own (a candidate final)."""
        return self.is_consonant and not self.vowel and not self.samyok


def _clusters(word: str) -> list[_Cluster]:
    out: list[_Cluster] = []
    i = 0
    while i < len(word):
        ch = word[i]
        if ch in _CONSONANTS or ch in _INDEPENDENT:
            out.append(_Cluster(ch))
        elif not out:
            pass  # a stray sign at the start of a word: nothing to attach it to
        elif ch == _COENG and i + 1 < len(word) and word[i + 1] in _CONSONANTS:
            out[-1].subs.append(word[i + 1])
            i += 1
        elif ch in (_TRIISAP, _MUUSIKATOAN):
            out[-1].register = ch
        elif ch == _BANTOC:
            out[-1].bantoc = True
        elif ch == _SILENT:
            out[-1].silent = True
        elif ch == _SAMYOK:
            out[-1].samyok = True
        elif ch in _VOWEL_SIGNS or ch in "\u17c6\u17c7\u17c8":
            out[-1].vowel += ch
        i += 1
    return out


def _series(c: _Cluster) -> int:
    """1 or 2: the base letter's series, changed by register marks or a 2nd-series subscript."""
    if c.base == "ប" and c.register == _MUUSIKATOAN:
        return 1
    series = _CONSONANTS[c.base][2]
    if c.register == _TRIISAP:
        return 2
    if c.register == _MUUSIKATOAN:
        return 1
    for sub in c.subs:
        if sub in _CONSONANTS and _CONSONANTS[sub][2] == 2 and sub not in _SONORANTS:
            series = 2
    return series


def _onset(c: _Cluster, letters: list[str], after_final: str = "") -> str:
    """Onset letters; ប is p before a subscript or with muusikatoan (ប្រាក់ Prak, ប៉ុល Pol), and a
    ត after a final ណ is d (ណ្ដ, which normalisation writes ណ្ត: កណ្ដាល Kandal)."""
    out = [_CONSONANTS[x][0] for x in letters]
    if out and letters[0] == "ប" and (len(letters) > 1 or c.register == _MUUSIKATOAN):
        out[0] = "p"
    if out and letters[0] == "ត" and after_final == "ណ":
        out[0] = "d"
    return "".join(out)


def _vowel(c: _Cluster, series: int, closed: str) -> str:
    if c.samyok:
        if closed == "យ":
            return "ai" if series == 1 else "e"
        return "a" if series == 1 else "oa"
    if not c.vowel:
        return _INHERENT[series - 1]
    for sign, forms in sorted(_VOWELS.items(), key=lambda kv: -len(kv[0])):
        if c.vowel.startswith(sign):
            return forms[series - 1]
    return ""


def _final(letter: str, vowel: str) -> str:
    final = _CONSONANTS[letter][1]
    if letter == "វ":
        if vowel.endswith("ie"):
            return "u"
        if vowel.endswith("e") or vowel.endswith("ae"):
            return "o"
    if letter == "ង" and vowel.endswith("m"):
        return "ng"
    return final


def _romanize_word(word: str) -> str:
    clusters = _clusters(word)
    parts: list[str] = []
    i = 0
    pending_onset: list[str] | None = None  # subscripts left after a split cluster's base became a final
    split_from = ""  # the final that the previous syllable took from this cluster, if any
    while i < len(clusters):
        c = clusters[i]
        if c.base in _INDEPENDENT:
            parts.append(_INDEPENDENT[c.base] + _vowel_tail(c))
            nxt = clusters[i + 1] if i + 1 < len(clusters) else None
            if nxt is not None and nxt.bare and (nxt.bantoc or i + 2 == len(clusters)):
                parts.append(_CONSONANTS[nxt.base][1])
                i += 2
                continue
            i += 1
            continue
        if c.silent:
            i += 1
            pending_onset = None
            continue
        letters = pending_onset if pending_onset is not None else [c.base, *c.subs]
        pending_onset = None
        after_final = split_from
        split_from = ""
        if not letters:
            i += 1
            continue
        series = _series(c)
        nxt = clusters[i + 1] if i + 1 < len(clusters) else None
        after = clusters[i + 2] if i + 2 < len(clusters) else None
        final_letter = ""
        consumed = 1
        has_nasal_or_h = any(s in c.vowel for s in "\u17c6\u17c7")
        if (has_nasal_or_h and nxt is not None and nxt.base == "ង" and nxt.bare and not nxt.subs
                and (nxt.bantoc or after is None)):
            final_letter, consumed = nxt.base, 2  # ាំង, ំង: the nasal is written twice
        elif nxt is not None and nxt.is_consonant and not nxt.silent and not has_nasal_or_h:
            if nxt.bare and nxt.bantoc:
                final_letter, consumed = nxt.base, 2
            elif nxt.bare and not nxt.subs and after is None:
                final_letter, consumed = nxt.base, 2
            elif nxt.subs and not c.bantoc and (c.vowel or c.bare) and nxt.register == "":
                # ក + ម្ពុ: the subscript cluster's base closes this syllable, its subscripts open the next
                final_letter = nxt.base
                split_from = nxt.base
                clusters[i + 1] = _Cluster(nxt.subs[0], nxt.subs[1:], "", nxt.vowel, nxt.bantoc,
                                           nxt.silent, nxt.samyok)
                consumed = 1
                if clusters[i + 1].bare and i + 2 == len(clusters):
                    # a word-final subscript with no vowel (យ្យ, ត្រ): silent in usual spelling
                    clusters.pop(i + 1)
            elif nxt.bare and not nxt.subs and after is not None and (
                    (c.vowel and c.vowel[0] in _LONG_VOWELS
                     and not (after.bare and (after.bantoc or after.subs or i + 3 == len(clusters))))
                    or nxt.base == "ង"
                    or (not c.vowel and (after.vowel or after.samyok or after.base in _INDEPENDENT))):
                # a consonant after a long vowel closes its syllable (សៀម|រាប, កែវ|រស្មី), and so
                # does one after an inherent vowel before a vowel (មណ្ឌ|ល|គិ); not after a short
                # vowel, as in Pali loans (សី|ហ|នុ)
                final_letter, consumed = nxt.base, 2
        if c.bantoc and not c.vowel and parts:
            # a bare consonant with bantoc not taken as a final: close the previous syllable with it
            parts.append(_CONSONANTS[c.base][1])
            i += 1
            continue
        vowel = _vowel(c, series, closed=final_letter)
        if final_letter and c.vowel.endswith("\u17c6") and final_letter == "ង":
            vowel = vowel[:-1]  # ាំង / ំង: the nasal is the ង
        syllable = _onset(c, letters, after_final) + vowel
        if final_letter:
            syllable += _final(final_letter, vowel)
        parts.append(syllable)
        i += consumed
    return "".join(parts)


def _vowel_tail(c: _Cluster) -> str:
    tail = ""
    if "\u17c6" in c.vowel:
        tail += "m"
    if "\u17c7" in c.vowel:
        tail += "h"
    return tail


_KHMER_RUN = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]+")


def romanize(text: str) -> str:
    """Khmer script in `text` romanized (lower case); everything else kept. Never raises."""
    if not isinstance(text, str):
        raise TypeError(f"romanize() takes a str, not {type(text).__name__}")
    text = normalize(text)
    text = "".join(_KHMER_DIGITS.get(ch, _PUNCT.get(ch, ch)) for ch in text)
    return _KHMER_RUN.sub(lambda m: _romanize_word(m.group()), text)


def romanize_name(text: str) -> str:
    """`romanize`, each word capitalised as names are usually written (ជា ចាន់ថា -> Chea Chantha)."""
    return " ".join(w[:1].upper() + w[1:] for w in romanize(text).split())
