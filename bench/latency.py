"""Percentiles of per-query timings."""
from __future__ import annotations

import math


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation): the smallest value with at least `fraction` of values <= it."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def summary(seconds: list[float]) -> dict:
    """n, mean, p50, p95, p99 and max in milliseconds."""
    return {
        "n": len(seconds),
        "mean_ms": 1000 * sum(seconds) / len(seconds),
        "p50_ms": 1000 * percentile(seconds, 0.50),
        "p95_ms": 1000 * percentile(seconds, 0.95),
        "p99_ms": 1000 * percentile(seconds, 0.99),
        "max_ms": 1000 * max(seconds),
    }


def summarize(timings: dict[str, list[float]], hits: dict[str, list[int]] | None = None,
              matched: dict[str, list[str]] | None = None) -> dict:
    """summary() per kind and for all kinds together (key "all"), with mean hit counts and the share of
    queries answered with any word (`matched == "any"`, the fallback) when given."""
    result = {kind: summary(values) for kind, values in timings.items()}
    result["all"] = summary([t for values in timings.values() for t in values])
    for kind, counts in (hits or {}).items():
        result[kind]["mean_hits"] = sum(counts) / len(counts)
    if hits:
        every = [c for counts in hits.values() for c in counts]
        result["all"]["mean_hits"] = sum(every) / len(every)
    for kind, answers in (matched or {}).items():
        result[kind]["any_share"] = answers.count("any") / len(answers)
    if matched:
        every_answer = [a for answers in matched.values() for a in answers]
        result["all"]["any_share"] = every_answer.count("any") / len(every_answer)
    return result
