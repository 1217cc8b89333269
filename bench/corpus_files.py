"""Read the documents of a generated benchmark corpus (OUT/documents/*.jsonl) and its queries."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator


def iter_documents(corpus_dir: Path) -> Iterator[dict]:
    """Every document of corpus_dir/documents/*.jsonl, in file then line order."""
    files = sorted((Path(corpus_dir) / "documents").glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"no documents/*.jsonl under {corpus_dir}")
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)


def load_queries(corpus_dir: Path) -> list[dict]:
    """The query set written by bench.generate_corpus ([{"kind": "en|km|mixed", "q": ...}, ...]) plus
    the typo'd and partial queries derived from it (kinds "typo", "partial": bench.query_set.with_typo_queries)."""
    from bench.query_set import with_typo_queries

    return with_typo_queries(json.loads((Path(corpus_dir) / "queries.json").read_text(encoding="utf-8")))
