"""What a size's work directory (WORK/nSIZE) holds, so that a run can reuse it instead of redoing it.

Layout: corpus/ (bench.generate_corpus, possibly with bench.corpus_update's change applied), index/ (bayon),
fts5.sqlite, update.jsonl (the changed documents, for FTS5), update-record.json (the last applied change's undo
record, kept after the corpus is reverted so an updated index can be put back too) and state.json (each index's
state: built from the corpus as generated, or after the incremental update).
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from bench.corpus_update import UPDATE_FILE, applied_update
from bench.generate_corpus import MANIFEST_FILE, QUERIES_FILE, SHARD_SIZE, shard_path

AS_GENERATED, AFTER_UPDATE = "as generated", "after update"
STATE_FILE = "state.json"
UPDATE_RECORD = "update-record.json"


def corpus_state(corpus_dir: Path, docs: int, seed: int, khmer_share: float, queries_per_kind: int
                 ) -> tuple[str | None, str]:
    """(AS_GENERATED or AFTER_UPDATE, "") for a complete generated corpus made with these settings, else (None, why)."""
    corpus_dir = Path(corpus_dir)
    try:
        manifest = json.loads((corpus_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, f"no readable {corpus_dir / MANIFEST_FILE}"
    if manifest.get("complete") is False:
        return None, "its generation did not finish"
    wanted = {"docs": docs, "seed": seed, "khmer_share": khmer_share, "queries": 3 * queries_per_kind}
    differing = [f"{key} {manifest.get(key)} (wanted {value})" for key, value in wanted.items()
                 if manifest.get(key) != value]
    if differing:
        return None, "it was generated with other settings: " + ", ".join(differing)
    expected = {shard_path(corpus_dir, i).name for i in range(math.ceil(docs / SHARD_SIZE))}
    present = {p.name for p in (corpus_dir / "documents").glob("*.jsonl")}
    if expected - present or not (corpus_dir / QUERIES_FILE).is_file():
        return None, f"files are missing ({', '.join(sorted(expected - present)) or QUERIES_FILE})"
    if present - expected - {UPDATE_FILE}:
        return None, f"documents/ holds files the generator did not write: {', '.join(sorted(present - expected))}"
    if applied_update(corpus_dir) is not None:
        return AFTER_UPDATE, ""
    if (corpus_dir / "documents" / UPDATE_FILE).exists():
        return None, "it was changed by an older harness that kept no undo record"
    return AS_GENERATED, ""


def index_states(work: Path) -> dict:
    """{system: {"state": AS_GENERATED | AFTER_UPDATE, "docs": n, "update": {count, seed} | None}}."""
    path = Path(work) / STATE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def set_index_state(work: Path, system: str, state: dict | None) -> None:
    states = index_states(work)
    if state is None:
        states.pop(system, None)
    else:
        states[system] = state
    path = Path(work) / STATE_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(states, indent=1) + "\n", encoding="utf-8")
    temporary.replace(path)


def forget_indexes(work: Path) -> None:
    """After the corpus is (re)generated no index is known to match it."""
    (Path(work) / STATE_FILE).unlink(missing_ok=True)


def index_state(work: Path, system: str) -> tuple[dict | None, str]:
    """(state, "") when `system`'s index under `work` is complete and its state is known, else (None, why)."""
    work = Path(work)
    state = index_states(work).get(system)
    if state is None:
        return None, "no complete build recorded in this work directory"
    if system == "fts5":
        from bench.fts5_baseline import document_count

        count = document_count(work / "fts5.sqlite")
        if count != state["docs"]:
            return None, f"fts5.sqlite holds {count} documents, {state['docs']} expected"
        return state, ""
    from indexer import layout

    if layout.current_generation(work / "index") is None:
        return None, "no current index generation"
    problem = layout.index_problem(work / "index")
    return (None, problem) if problem else (state, "")
