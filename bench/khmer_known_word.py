"""Khmer known-word retrieval: MAP, MAP@100, recall and P@10 of bayon on documents made of the
manually segmented khPOS sentences, for queries that are gold words of those sentences.

Documents: the gold sentences of a split (../shared/khmer-seg/dev.txt, and test.txt as a held-out
check), shuffled (seeded) and grouped into documents of MIN_SENTENCES to MAX_SENTENCES sentences,
written as bayon JSON Lines records with their word spaces removed (Khmer is typed without spaces
between words): title = the first sentence, body = the others. Queries (seeded samples):
  - `word`: a gold content word (not a Khmer stop or question word, starting with a letter, two or
    more orthographic syllables) that WORD_BAND of the documents hold as a whole gold word;
  - `pair`: two adjacent gold content words typed without a space, held adjacent by PAIR_BAND of the
    documents (never a pair whose joined text is also one gold word somewhere in the split).
A query's relevant documents are exactly those whose gold segmentation holds it: the word as a
whole gold word (a document where the text is only part of a longer gold word is not relevant),
the pair as two adjacent gold words. Every query runs through `indexer.search.SearchService.search`
(every result page, 100 a page), with and without lexicon expansion; typo tolerance as shipped.

The khPOS data is CC BY-NC-SA: it is read at run time from ../shared and written only into a
temporary directory; only aggregate figures are committed (docs/khmer_retrieval.md and the
baseline file, never a query word). Run:

    .venv/bin/python -m bench.khmer_known_word [--splits dev test] [-v] [--save-baseline]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.khmer_text import KHMER_SEG_DIR, KhmerSentence, gold_sentences
from bench.query_set import KHMER_CONTENT_WORD

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BASELINE = Path(__file__).resolve().parent / "khmer_known_word_baseline.json"
SPLITS = ("dev", "test")
MIN_SENTENCES, MAX_SENTENCES = 2, 8
WORD_BAND = (0.01, 0.05)  # share of the documents holding a single-word query
PAIR_BAND = (0.005, 0.05)  # share of the documents holding a two-word query
MIN_RELEVANT = 5  # and never fewer relevant documents than this
CUTOFF = 100  # MAP@100, recall@100
PER_PAGE = 100  # indexer.search.MAX_PER_PAGE
GROUPS = ("word", "pair", "all")
METRICS = ("map", "map_at_100", "recall", "recall_at_100", "p_at_10", "r_precision")


@dataclass(frozen=True)
class Document:
    id: str
    sentences: tuple[KhmerSentence, ...]

    def record(self) -> dict:
        """The bayon record: words joined without spaces; title the first sentence, body the others."""
        texts = [s.text for s in self.sentences]
        return {"id": self.id, "title": texts[0], "organisation": "Khmer known-word bench",
                "doc_type": "Article", "language": "km", "body": " ".join(texts[1:])}

    def gold_words(self) -> set[str]:
        return {w for s in self.sentences for w in s.words}

    def gold_pairs(self) -> set[tuple[str, str]]:
        return {pair for s in self.sentences for pair in zip(s.words, s.words[1:])}


@dataclass(frozen=True)
class Query:
    text: str  # as typed: the word, or the two words without a space
    group: str  # "word" or "pair"
    relevant: frozenset[str]  # ids of the documents whose gold segmentation holds it


def make_documents(sentences: list[KhmerSentence], rng: random.Random, max_docs: int | None,
                   prefix: str) -> list[Document]:
    """The sentences shuffled and cut into documents of MIN_SENTENCES..MAX_SENTENCES sentences
    (the last may be shorter), at most `max_docs` of them."""
    order = list(range(len(sentences)))
    rng.shuffle(order)
    documents, start = [], 0
    while start < len(order) and (max_docs is None or len(documents) < max_docs):
        size = rng.randint(MIN_SENTENCES, MAX_SENTENCES)
        chosen = tuple(sentences[i] for i in order[start:start + size])
        documents.append(Document(f"{prefix}-{len(documents) + 1:05d}", chosen))
        start += size
    return documents


def is_content_word(word: str) -> bool:
    """A word a user would search: starts with a Khmer letter, no digits or punctuation, not a
    grammatical particle (analyzers.stopwords) nor a question or function word (indexer.questions)."""
    from analyzers.stopwords import KHMER_STOP_WORDS
    from indexer.questions import KHMER_FUNCTION_WORDS

    return (bool(KHMER_CONTENT_WORD.match(word)) and word not in KHMER_STOP_WORDS
            and word not in KHMER_FUNCTION_WORDS)


def _in_band(count: int, n_docs: int, band: tuple[float, float]) -> bool:
    return max(MIN_RELEVANT, band[0] * n_docs) <= count <= band[1] * n_docs


def choose_queries(documents: list[Document], rng: random.Random, words: int, pairs: int) -> list[Query]:
    """`words` single-word and `pairs` two-word queries sampled (seeded) from the documents' gold words."""
    from analyzers.khmer import clusters

    word_docs: dict[str, set[str]] = {}
    pair_docs: dict[tuple[str, str], set[str]] = {}
    for doc in documents:
        for w in doc.gold_words():
            word_docs.setdefault(w, set()).add(doc.id)
        for p in doc.gold_pairs():
            pair_docs.setdefault(p, set()).add(doc.id)
    n = len(documents)
    single = sorted(w for w, ids in word_docs.items()
                    if _in_band(len(ids), n, WORD_BAND) and is_content_word(w) and len(clusters(w)) >= 2)
    double = sorted(p for p, ids in pair_docs.items()
                    if _in_band(len(ids), n, PAIR_BAND) and all(is_content_word(w) for w in p)
                    and "".join(p) not in word_docs)
    queries = [Query(w, "word", frozenset(word_docs[w])) for w in rng.sample(single, min(words, len(single)))]
    queries += [Query("".join(p), "pair", frozenset(pair_docs[p])) for p in rng.sample(double, min(pairs, len(double)))]
    return queries


def average_precision(ranked: list[str], relevant: set[str] | frozenset[str], cutoff: int | None = None) -> float:
    """Average precision of a ranking: the mean, over every relevant document, of the precision at
    its rank (0 for a relevant document not ranked, or ranked below `cutoff`). The denominator is
    every relevant document, as trec_eval's map and map_cut."""
    if not relevant:
        raise ValueError("a query without relevant documents has no average precision")
    hits, total = 0, 0.0
    for rank, doc_id in enumerate(ranked[:cutoff] if cutoff else ranked, start=1):
        if doc_id in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant)


def recall(ranked: list[str], relevant, cutoff: int | None = None) -> float:
    return len(set(ranked[:cutoff] if cutoff else ranked) & set(relevant)) / len(relevant)


def precision_at(ranked: list[str], relevant, k: int) -> float:
    """Relevant documents among the first k, over k (a shorter list counts its missing ranks as misses)."""
    return len(set(ranked[:k]) & set(relevant)) / k


def r_precision(ranked: list[str], relevant) -> float:
    """Precision at rank R, R the number of relevant documents (1.0: they are exactly the first R)."""
    return len(set(ranked[:len(relevant)]) & set(relevant)) / len(relevant)


def query_figures(ranked: list[str], relevant) -> dict[str, float]:
    return {"map": average_precision(ranked, relevant), "map_at_100": average_precision(ranked, relevant, CUTOFF),
            "recall": recall(ranked, relevant), "recall_at_100": recall(ranked, relevant, CUTOFF),
            "p_at_10": precision_at(ranked, relevant, 10), "r_precision": r_precision(ranked, relevant)}


def ranking(service, text: str, expand: bool) -> list[str]:
    """Every result id of `text`, in order, paged through the search service."""
    ids: list[str] = []
    page = 1
    while True:
        result = service.search(q=text, expand=expand, per_page=PER_PAGE, page=page)
        ids += [r["id"] for r in result["results"]]
        if not result["results"] or len(ids) >= result["total"]:
            return ids
        page += 1


def write_corpus(documents: list[Document], corpus_dir: Path) -> None:
    (corpus_dir / "documents").mkdir(parents=True)
    with (corpus_dir / "documents" / "known-word.jsonl").open("w", encoding="utf-8") as handle:
        for doc in documents:
            handle.write(json.dumps(doc.record(), ensure_ascii=False) + "\n")


def summarise(per_query: list[dict]) -> dict[str, dict[str, float]]:
    """Mean of each metric per group (word, pair) and over all queries, with the query count and
    the mean numbers of relevant and returned documents."""
    summary = {}
    for group in GROUPS:
        rows = [q for q in per_query if group == "all" or q["group"] == group]
        if not rows:
            continue
        means = {m: sum(q[m] for q in rows) / len(rows) for m in METRICS}
        means["queries"] = len(rows)
        means["relevant"] = sum(q["relevant"] for q in rows) / len(rows)
        means["returned"] = sum(q["returned"] for q in rows) / len(rows)
        summary[group] = means
    return summary


def documents_and_queries(split: str, *, seed: int, max_docs: int | None, words: int, pairs: int,
                          gold_dir: Path = KHMER_SEG_DIR) -> tuple[list[Document], list[Query]]:
    """The split's documents and queries, the same for the same arguments."""
    rng = random.Random(f"{seed}:{split}")
    documents = make_documents(gold_sentences(gold_dir / f"{split}.txt"), rng, max_docs, f"kw-{split}")
    return documents, choose_queries(documents, rng, words, pairs)


def run_split(split: str, *, seed: int, max_docs: int | None, words: int, pairs: int,
              gold_dir: Path = KHMER_SEG_DIR, verbose: bool = False) -> dict:
    """Build an index of the split's documents in a temporary directory and measure every query,
    with and without lexicon expansion: the figures per group (`plain`, `expanded`) and per query
    (`per_query`, with its ranked ids: never to be committed, they name the gold words)."""
    from indexer.build import build_index
    from indexer.search import SearchService

    documents, queries = documents_and_queries(split, seed=seed, max_docs=max_docs, words=words, pairs=pairs,
                                               gold_dir=gold_dir)
    result = {"split": split, "documents": len(documents), "sentences": sum(len(d.sentences) for d in documents),
              "queries": dict(Counter(q.group for q in queries)), "per_query": {}}
    with tempfile.TemporaryDirectory(prefix="bayon-known-word-") as tmp:
        write_corpus(documents, Path(tmp) / "corpus")
        started = time.perf_counter()
        build_index(Path(tmp) / "corpus", Path(tmp) / "index", progress=False)
        result["build_seconds"] = round(time.perf_counter() - started, 1)
        service = SearchService(Path(tmp) / "index", budget_seconds=None)  # no budget: the same pages every run
        try:
            started = time.perf_counter()
            for expand in (False, True):
                per_query = []
                for q in queries:
                    ranked = ranking(service, q.text, expand)
                    figures = query_figures(ranked, q.relevant)
                    per_query.append({"text": q.text, "group": q.group, "relevant": len(q.relevant),
                                      "returned": len(ranked), "ranked": ranked, **figures})
                    if verbose:
                        print(f"  {split} expand={expand!s:<5} {q.group:<4} AP {figures['map']:.3f} "
                              f"R {figures['recall']:.2f} P@10 {figures['p_at_10']:.1f} "
                              f"rel {len(q.relevant):>3} ret {len(ranked):>4}  {q.text}", file=sys.stderr)
                mode = "expanded" if expand else "plain"
                result[mode], result["per_query"][mode] = summarise(per_query), per_query
            result["query_seconds"] = round(time.perf_counter() - started, 1)
        finally:
            service.close()
    return result


PRODUCT_CODE = ("analyzers", "corpus", "indexer", "lexicon", "reading", "webui")  # what the figures measure


def product_commit() -> str:
    """The last commit that changed the product code (bench/ and docs/ aside): the code measured
    when the work tree has no changes there."""
    import subprocess

    found = subprocess.run(["git", "-C", str(PROJECT_ROOT), "log", "-1", "--format=%h", "--", *PRODUCT_CODE],
                           capture_output=True, text=True)
    return found.stdout.strip() or "unknown"


def table(results: list[dict], baseline: dict | None = None) -> str:
    """Markdown table of the figures (with the baseline's MAP and the change from it when given)."""
    lines = ["| split | expansion | queries | group | MAP | MAP@100 | recall | recall@100 | P@10 | R-prec | "
             "mean relevant | mean returned |" + (" baseline MAP | change |" if baseline else ""),
             "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
             + (" ---: | ---: |" if baseline else "")]
    for res in results:
        for mode in ("plain", "expanded"):
            for group, f in res[mode].items():
                row = (f"| {res['split']} | {'on' if mode == 'expanded' else 'off'} | {f['queries']} | {group} | "
                       f"{f['map']:.3f} | {f['map_at_100']:.3f} | {f['recall']:.3f} | {f['recall_at_100']:.3f} | "
                       f"{f['p_at_10']:.3f} | {f['r_precision']:.3f} | {f['relevant']:.1f} | {f['returned']:.1f} |")
                if baseline:
                    old = baseline.get(res["split"], {}).get(mode, {}).get(group)
                    row += f" {old['map']:.3f} | {round(f['map'] - old['map'], 4) + 0.0:+.3f} |" if old else " | |"
                lines.append(row)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", nargs="+", choices=SPLITS, default=list(SPLITS))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--docs", type=int, default=2000, help="at most this many documents per split (default 2000)")
    parser.add_argument("--words", type=int, default=200, help="single-word queries per split (default 200)")
    parser.add_argument("--pairs", type=int, default=100, help="two-word queries per split (default 100)")
    parser.add_argument("--gold-dir", type=Path, default=KHMER_SEG_DIR)
    parser.add_argument("--save-baseline", action="store_true",
                        help=f"write the figures to {BASELINE.relative_to(PROJECT_ROOT)} (aggregates only)")
    parser.add_argument("-v", "--verbose", action="store_true", help="each query's figures on stderr (not to commit)")
    args = parser.parse_args(argv)
    settings = {"seed": args.seed, "docs": args.docs, "words": args.words, "pairs": args.pairs}
    if args.save_baseline and (sorted(args.splits) != sorted(SPLITS) or args.gold_dir != KHMER_SEG_DIR):
        parser.error("--save-baseline needs every split of the default gold data")
    from bench.machine import describe

    machine = describe(PROJECT_ROOT)
    try:
        results = [run_split(s, seed=args.seed, max_docs=args.docs, words=args.words, pairs=args.pairs,
                             gold_dir=args.gold_dir, verbose=args.verbose) for s in args.splits]
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    commit = f"{machine['commit']} (product code of {product_commit()})"
    baseline = None
    if BASELINE.is_file() and not args.save_baseline:
        saved = json.loads(BASELINE.read_text(encoding="utf-8"))
        if saved["settings"] == settings:
            baseline = saved
        else:
            print(f"(baseline not compared: its settings {saved['settings']} differ)", file=sys.stderr)
    print(f"Khmer known-word retrieval, commit {commit}, settings {settings}, {machine['date']}, "
          f"{machine['cores']} cores, load average {' '.join(f'{x:.1f}' for x in machine['load_average_at_start'] or [])}"
          " at start")
    for res in results:
        print(f"{res['split']}: {res['documents']} documents ({res['sentences']} sentences), queries {res['queries']}, "
              f"build {res['build_seconds']} s, queries {res['query_seconds']} s (both expansion settings)")
    print(table(results, baseline and baseline["figures"]))
    if baseline:
        print(f"baseline: commit {baseline['commit']}")
    if args.save_baseline:
        figures = {res["split"]: {m: res[m] for m in ("plain", "expanded")} for res in results}  # unrounded: a
        # rounded baseline would differ from the same figures measured again
        BASELINE.write_text(json.dumps({"commit": commit, "settings": settings, "figures": figures,
                                        "documents": {r["split"]: r["documents"] for r in results}},
                                       indent=1) + "\n", encoding="utf-8")
        print(f"wrote {BASELINE.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
