"""`bayon lexicon check`: everything wrong with a lexicon file, each as a Problem (file:line: message).

Checks the schema (through the loader), each form's script (Khmer forms in Khmer script, English
forms in Latin), that Khmer forms are stored normalised, and duplicate forms within or across entries.
"""
from __future__ import annotations

from pathlib import Path

from lexicon.expand import english_key
from lexicon.khmer_text import has_khmer, has_latin, normalize
from lexicon.loader import load_lexicon
from lexicon.model import Entry, Problem


def _already_seen(seen: dict[str, Entry], key: str, entry: Entry) -> str | None:
    """Where `key` was seen before ("twice in this entry" or "also on line N"); else remember it, None."""
    other = seen.get(key)
    if other is None:
        seen[key] = entry
        return None
    return "twice in this entry" if other is entry else f"also on line {other.line}"


def check_lexicon(path: Path | str | None = None) -> tuple[list[Entry], list[Problem]]:
    """The entries read from `path` and all problems found, in file order."""
    loaded = load_lexicon(path)
    problems = list(loaded.problems)
    seen_en: dict[str, Entry] = {}
    seen_km: dict[str, Entry] = {}
    seen_stem: dict[tuple[str, ...], Entry] = {}
    for entry in loaded.entries:
        def report(message: str, severity: str = "error") -> None:
            problems.append(Problem(entry.file, entry.line, message, severity))

        for form in entry.english:
            if has_khmer(form):
                report(f"English form {form!r} contains Khmer script")
            elif not has_latin(form):
                report(f"English form {form!r} has no Latin letter")
            if "  " in form:
                report(f"English form {form!r} has a double space", "warning")
            duplicate = _already_seen(seen_en, form.casefold(), entry)
            if duplicate:
                report(f"duplicate English form {form!r} ({duplicate})")
            else:
                stem = english_key(form)
                other = seen_stem.setdefault(stem, entry)
                if other is not entry:
                    report(f"English form {form!r} is read as the same words as a form on line {other.line} "
                           "(queries match by stem): merge the entries or drop one form")
        for form in entry.khmer:
            if has_latin(form):
                report(f"Khmer form {form!r} contains Latin letters")
            elif not has_khmer(form):
                report(f"Khmer form {form!r} has no Khmer letter")
            canonical = normalize(form)
            if canonical != form:
                report(f"Khmer form {form!r} is not normalised (expected {canonical!r})")
            duplicate = _already_seen(seen_km, canonical, entry)
            if duplicate:
                report(f"duplicate Khmer form {form!r} ({duplicate})")
    problems.sort(key=lambda p: p.line)
    return loaded.entries, problems
