"""Long document bodies shown in parts: where a body is cut, and which part holds a character.

A body is indexed whole; a document page renders (and highlights) one part of at most PART_CHARS
characters, so a view costs the same for a 50 MB report as for a 100 kB one. Cuts fall after a
paragraph break when one is near, else at whitespace, never inside a word or a Khmer cluster
(a whitespace-free run longer than a part is cut at a cluster boundary).
"""
from __future__ import annotations

PART_CHARS = 100_000
_REACH = 5_000  # how far back from a part's end a paragraph break or a space is looked for


def part_bounds(text: str, size: int = PART_CHARS) -> list[tuple[int, int]]:
    """(start, end) of each part of `text`; one part (possibly empty) when it fits."""
    if len(text) <= size:
        return [(0, len(text))]
    from analyzers.khmer import is_cluster_boundary

    bounds, start = [], 0
    while len(text) - start > size:
        limit = start + size
        floor = max(start + 1, limit - _REACH)
        cut = text.rfind("\n\n", floor, limit)
        if cut >= 0:
            cut += 2
        else:
            cut = max(text.rfind(" ", floor, limit), text.rfind("\n", floor, limit))
            cut = cut + 1 if cut >= 0 else limit
            while cut > floor and not is_cluster_boundary(text, cut):
                cut -= 1
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(text)))
    return bounds

