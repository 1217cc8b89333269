"""Helpers for the corpus tests: copies of the real corpus to damage, and record look-ups."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = PROJECT_ROOT / "corpus"
SOURCES_DIR = CORPUS_DIR / "sources"

LICADHO_CHILDREN = "000_be91aa9bcfd77906.txt"
LICADHO_STATEMENTS = "001_c0b3175ae2cf30d9.txt"
CCHR = "002_1757a1ed9e3dcfdc.txt"
CIVICUS = "003_b4380203d4e282ed.txt"
REPORT = "004_6c220fb229e37198.txt"


def copy_corpus(target: Path, with_documents: bool = False) -> Path:
    """A writable copy of the real corpus (sources + manifest) under `target`."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SOURCES_DIR, target / "sources")
    for path in (target / "sources").iterdir():
        path.chmod(0o644)
    shutil.copy(CORPUS_DIR / "sources.toml", target / "sources.toml")
    (target / "documents").mkdir()
    if with_documents:
        for path in (CORPUS_DIR / "documents").glob("*"):
            if path.suffix in (".jsonl", ".md"):
                shutil.copy(path, target / "documents" / path.name)
    return target


def by_source(records, source: str) -> list:
    return [r for r in records if r.source == source]


def titled(records, title: str) -> list:
    return [r for r in records if r.title == title]


def source_text(name: str) -> str:
    return (SOURCES_DIR / name).read_text(encoding="utf-8")


DOCUMENT_FIELDS = ("id", "title", "organisation", "doc_type", "date", "language", "url", "body")


def write_jsonl_corpus(path: Path, records) -> Path:
    """A corpus with only documents/: real records written as JSON Lines."""
    (path / "documents").mkdir(parents=True, exist_ok=True)
    with open(path / "documents" / "real.jsonl", "w", encoding="utf-8") as f:
        for r in records:
            d = {k: v for k, v in r.to_dict().items() if k in DOCUMENT_FIELDS and v is not None}
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    return path
