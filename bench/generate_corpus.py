"""Generate a realistic bilingual benchmark corpus (JSON Lines documents) and its query set.

    python -m bench.generate_corpus --docs 10000 --khmer-share 0.3 --out var/bench/n10000/corpus

Writes OUT/documents/bench-NNN.jsonl (SHARD_SIZE documents each), OUT/queries.json and OUT/manifest.json.
Deterministic for a given --seed; document k is the same whatever --docs is. Never commit the output:
its Khmer sentences come from CC BY-NC-SA data.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.documents import DocumentFactory
from bench.english_text import MarkovProse, english_sentences
from bench.khmer_text import DEFAULT_GOLD_SENTENCES, KhmerProse, gold_sentences, source_sentences
from bench.query_set import build_queries

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SOURCES_DIR = PROJECT_ROOT / "corpus" / "sources"
SHARD_SIZE = 5000
QUERIES_FILE = "queries.json"
MANIFEST_FILE = "manifest.json"


def shard_path(out: Path, index: int) -> Path:
    return out / "documents" / f"bench-{index:03d}.jsonl"


def make_factory(seed: int, khmer_share: float, mixed_share: float, sources_dir: Path = SOURCES_DIR,
                 gold_path: Path = DEFAULT_GOLD_SENTENCES) -> tuple[DocumentFactory, list[str], list]:
    english = english_sentences(sources_dir)
    khmer = gold_sentences(gold_path) + source_sentences(sources_dir)
    factory = DocumentFactory(MarkovProse(english), KhmerProse(khmer), seed, khmer_share, mixed_share)
    return factory, english, khmer


def generate(out: Path, docs: int, *, seed: int = 6, khmer_share: float = 0.3, mixed_share: float = 0.05,
             queries_per_kind: int = 200, progress: bool = True) -> dict:
    """Write the corpus and queries under `out` (replacing a previous bench corpus there); return the manifest,
    whose `complete` is False until every file is written."""
    if docs < 1:
        raise ValueError("--docs must be at least 1")
    factory, english, khmer = make_factory(seed, khmer_share, mixed_share)
    if (out / "documents").exists():
        if not (out / MANIFEST_FILE).exists():
            raise FileExistsError(f"{out}/documents exists and is not a generated bench corpus; not overwriting it")
        shutil.rmtree(out / "documents")
    from bench.corpus_update import STATE_FILE  # a fresh corpus has no applied update to undo

    (out / STATE_FILE).unlink(missing_ok=True)
    (out / "documents").mkdir(parents=True, exist_ok=True)
    settings = {"docs": docs, "seed": seed, "khmer_share": khmer_share, "mixed_share": mixed_share}
    (out / MANIFEST_FILE).write_text(json.dumps({**settings, "complete": False}) + "\n", encoding="utf-8")
    started = time.perf_counter()
    languages: dict[str, int] = {}
    words = 0
    handle = None
    for position, document in enumerate(factory.documents(docs)):
        if position % SHARD_SIZE == 0:
            if handle:
                handle.close()
            handle = shard_path(out, position // SHARD_SIZE).open("w", encoding="utf-8")
        handle.write(json.dumps(document, ensure_ascii=False) + "\n")
        languages[document["language"]] = languages.get(document["language"], 0) + 1
        words += len(document["body"].split())
        if progress and (position + 1) % 10000 == 0:
            print(f"  generated {position + 1:,}/{docs:,} documents", file=sys.stderr, flush=True)
    handle.close()
    queries = build_queries(seed, queries_per_kind, factory.english_counts, factory.khmer.word_counts, english,
                             factory.khmer.drawn_sentences(),
                             factory.mixed_samples)
    (out / QUERIES_FILE).write_text(json.dumps(queries, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    manifest = {
        **settings, "complete": True, "languages": languages, "space_separated_tokens": words, "queries": len(queries),
        "english_sentences": len(english), "khmer_sentences": len(khmer),
        "seconds": round(time.perf_counter() - started, 1),
    }
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, required=True, help="number of documents")
    parser.add_argument("--khmer-share", type=float, default=0.3, help="share of Khmer documents (default 0.3)")
    parser.add_argument("--mixed-share", type=float, default=0.05, help="share of mixed English+Khmer documents")
    parser.add_argument("--queries-per-kind", type=int, default=200, help="English, Khmer and mixed queries each")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--out", type=Path, required=True, help="output corpus directory (under var/ or /tmp)")
    args = parser.parse_args(argv)
    try:
        manifest = generate(args.out, args.docs, seed=args.seed, khmer_share=args.khmer_share,
                            mixed_share=args.mixed_share, queries_per_kind=args.queries_per_kind)
    except (ValueError, FileNotFoundError, FileExistsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(json.dumps(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
