"""Khmer runs -> normalised words (segmenter output snapped to syllables) with original offsets."""
from __future__ import annotations

from analyzers.cache import byte_budget_cache, spans_tuple_bytes

from analyzers.khmer import iter_clusters
from analyzers.segment import segment


# a run is any length (a whole 900-character query, a paragraph written without spaces): bounded in bytes
@byte_budget_cache(16 * 1024 * 1024, spans_tuple_bytes)
def _words_of_run(run: str, engine: str | None) -> tuple[tuple[str, int, int], ...]:
    clusters = list(iter_clusters(run))
    if not clusters:
        return ()
    normalised = "".join(c.text for c in clusters)
    cuts = set()
    offset = 0
    for word in segment(normalised, engine):
        offset += len(word)
        cuts.add(offset)
    words = []
    first = 0
    length = 0
    for i, cluster in enumerate(clusters):
        length += len(cluster.text)
        # A cut the engine placed inside a syllable is ignored: words are whole syllables.
        if length in cuts or i == len(clusters) - 1:
            text = "".join(c.text for c in clusters[first:i + 1])
            words.append((text, clusters[first].start, cluster.end))
            first = i + 1
    return tuple(words)


def khmer_words(text: str, start: int, end: int, engine: str | None = None):
    """Yield ``(normalised word, start, end)`` for the Khmer run ``text[start:end]``."""
    for word, word_start, word_end in _words_of_run(text[start:end], engine):
        yield word, start + word_start, start + word_end


def khmer_syllables(text: str, start: int, end: int):
    """Yield ``(normalised cluster, start, end)`` for the Khmer run ``text[start:end]``."""
    for cluster in iter_clusters(text, start, end):
        yield cluster.text, cluster.start, cluster.end
