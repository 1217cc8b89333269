"""Change a generated corpus in place for the incremental-update benchmark (edit some documents, add new ones),
and undo that change, so one generated corpus serves full builds and repeated incremental measurements."""
from __future__ import annotations

import json
import os
from pathlib import Path

from bench.generate_corpus import make_factory

UPDATE_FILE = "bench-update.jsonl"
STATE_FILE = "update-state.json"  # in the corpus directory while an update is applied: what to undo


def applied_update(corpus_dir: Path) -> dict | None:
    """The applied update's record (`count`, `seed`, `originals` {id: original JSON line}, `added` ids), or None."""
    path = Path(corpus_dir) / STATE_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _rewrite_shards(corpus_dir: Path, replace) -> None:
    """Apply `replace(document) -> new JSON line or None` to every generated shard, rewriting changed files atomically."""
    for path in sorted((corpus_dir / "documents").glob("bench-*.jsonl")):
        if path.name == UPDATE_FILE:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        touched = False
        for position, line in enumerate(lines):
            new = replace(json.loads(line))
            if new is not None and new != line:
                lines[position] = new
                touched = True
        if touched:
            temporary = path.with_suffix(".tmp")
            temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
            os.replace(temporary, path)


def apply_update(corpus_dir: Path, count: int = 100, seed: int = 6) -> list[dict]:
    """Edit count//2 existing documents (spread over the corpus) and add the rest as a new file.
    Returns the new versions of every changed document (what an incremental index must take in).
    Refuses a corpus that already has an update applied (revert_update first)."""
    corpus_dir = Path(corpus_dir)
    if applied_update(corpus_dir) is not None or (corpus_dir / "documents" / UPDATE_FILE).exists():
        raise FileExistsError(f"{corpus_dir} already has an update applied; revert it first")
    manifest = json.loads((corpus_dir / "manifest.json").read_text(encoding="utf-8"))
    factory, _, _ = make_factory(seed, manifest["khmer_share"], manifest["mixed_share"])
    total = manifest["docs"]
    edits = min(count // 2, total)
    stride = max(1, total // max(1, edits))
    edited_ids = {f"bench-{number:07d}" for number in range(1, total + 1, stride)[:edits]}
    added = list(factory.documents(count - edits, first_number=total + 1))
    extra = factory.documents(edits, stream="e")
    originals: dict[str, str] = {}
    changed: list[dict] = []

    def collect(document: dict) -> None:
        if document["id"] in edited_ids:
            originals[document["id"]] = json.dumps(document, ensure_ascii=False)

    _rewrite_shards(corpus_dir, collect)  # read-only pass: the originals are saved before anything changes
    state = {"count": count, "seed": seed, "originals": originals, "added": [d["id"] for d in added]}
    (corpus_dir / STATE_FILE).write_text(json.dumps(state, ensure_ascii=False) + "\n", encoding="utf-8")

    def edit(document: dict) -> str | None:
        if document["id"] not in edited_ids:
            return None
        addition = next(extra)
        document["title"] = f"{document['title']} ({addition['title'][:40]})"
        document["body"] = f"{document['body']}\n\n{addition['body'].split(chr(10))[0]}"
        changed.append(document)
        return json.dumps(document, ensure_ascii=False)

    _rewrite_shards(corpus_dir, edit)
    with (corpus_dir / "documents" / UPDATE_FILE).open("w", encoding="utf-8") as handle:
        for document in added:
            handle.write(json.dumps(document, ensure_ascii=False) + "\n")
    return changed + added


def revert_update(corpus_dir: Path) -> dict | None:
    """Put the edited documents back and remove the added ones (the corpus is then as generated, byte for byte).
    Returns the reverted update's record (see applied_update), or None when no update was applied."""
    corpus_dir = Path(corpus_dir)
    state = applied_update(corpus_dir)
    if state is None:
        return None
    originals = state["originals"]
    _rewrite_shards(corpus_dir, lambda document: originals.get(document["id"]))
    (corpus_dir / "documents" / UPDATE_FILE).unlink(missing_ok=True)
    (corpus_dir / STATE_FILE).unlink()
    return state
