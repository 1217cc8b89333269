"""Change a generated corpus in place for the incremental-update benchmark: edit some documents and add new ones."""
from __future__ import annotations

import json
import os
from pathlib import Path

from bench.generate_corpus import make_factory

UPDATE_FILE = "bench-update.jsonl"


def apply_update(corpus_dir: Path, count: int = 100, seed: int = 6) -> list[dict]:
    """Edit count//2 existing documents (spread over the corpus) and add the rest as a new file.
    Returns the new versions of every changed document (what an incremental index must take in)."""
    corpus_dir = Path(corpus_dir)
    manifest = json.loads((corpus_dir / "manifest.json").read_text(encoding="utf-8"))
    factory, _, _ = make_factory(seed, manifest["khmer_share"], manifest["mixed_share"])
    total = manifest["docs"]
    edits = min(count // 2, total)
    stride = max(1, total // max(1, edits))
    edited_ids = {f"bench-{number:07d}" for number in range(1, total + 1, stride)[:edits]}
    extra = factory.documents(edits, stream="e")
    changed: list[dict] = []
    for path in sorted((corpus_dir / "documents").glob("bench-*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        touched = False
        for position, line in enumerate(lines):
            document = json.loads(line)
            if document["id"] in edited_ids:
                addition = next(extra)
                document["title"] = f"{document['title']} ({addition['title'][:40]})"
                document["body"] = f"{document['body']}\n\n{addition['body'].split(chr(10))[0]}"
                lines[position] = json.dumps(document, ensure_ascii=False)
                changed.append(document)
                touched = True
        if touched:
            temporary = path.with_suffix(".tmp")
            temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
            os.replace(temporary, path)
    added = list(factory.documents(count - edits, first_number=total + 1))
    with (corpus_dir / "documents" / UPDATE_FILE).open("a", encoding="utf-8") as handle:
        for document in added:
            handle.write(json.dumps(document, ensure_ascii=False) + "\n")
    return changed + added
