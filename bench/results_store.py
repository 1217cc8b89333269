"""WORK/results.json: every run's figures merged, each phase stamped with the run, commit and time it came from.

Shape: {"runs": [{"started", "command", "machine", "settings", "commit_at_end", "errors"}],
        "sizes": [{"size", "corpus": manifest, "<system>": {"build", "update", "serve"}}]}
Each phase's figures carry `run` (index into runs), `commit`, `started` and `load_average` (at its start).
"""
from __future__ import annotations

import json
from pathlib import Path

SYSTEM_PHASES = ("build", "update", "serve")


def phase_figures(size: dict) -> list[tuple[str, str, dict]]:
    """(system, phase, figures) of every measured phase of one size entry."""
    return [(system, phase, figures) for system, phases in size.items() if isinstance(phases, dict)
            and system not in ("corpus",) for phase, figures in phases.items()
            if phase in SYSTEM_PHASES and isinstance(figures, dict)]


def _migrate(data: dict) -> dict:
    """Results written before runs were merged (one run, one commit): stamp every phase with that run."""
    if "runs" in data:
        return data
    machine = data["machine"]
    run = {"started": machine["date"], "command": data["command"], "machine": machine,
           "settings": data["settings"], "commit_at_end": data.get("commit_at_end", machine["commit"]),
           "errors": data.get("errors", [])}
    settings = data["settings"]
    phase_settings = {"build": {"procs": settings["procs"]},
                      "update": {"update_count": settings["update_count"], "seed": settings["seed"]},
                      "serve": {"warmup": settings["warmup"]}}
    for size in data["sizes"]:
        for system, phase, figures in phase_figures(size):
            extra = {"multisegment": settings["multisegment"]} if (system, phase) == ("bayon", "build") else {}
            figures.setdefault("settings", {**phase_settings[phase], **extra})
            figures.setdefault("run", 0)
            figures.setdefault("commit", machine["commit"])
            figures.setdefault("started", machine["date"] + " (run start)")
            figures.setdefault("load_average", machine.get("load_average_at_start"))
    return {"runs": [run], "sizes": data["sizes"]}


def load_results(path: Path) -> dict:
    """The merged results at `path` ({"runs": [], "sizes": []} when there is no file yet)."""
    path = Path(path)
    if not path.exists():
        return {"runs": [], "sizes": []}
    try:
        return _migrate(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"{path} is not a results file this harness can read ({error}); move it aside") from error


def size_entry(results: dict, size: int) -> dict:
    """The entry for `size` (created, in size order, when missing)."""
    for entry in results["sizes"]:
        if entry["size"] == size:
            return entry
    entry = {"size": size}
    results["sizes"] = sorted([*results["sizes"], entry], key=lambda e: e["size"])
    return entry


def save_results(results: dict, path: Path) -> None:
    """Write atomically, so an interrupted run never leaves a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    temporary.replace(path)
