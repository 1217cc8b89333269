"""Thai runs -> words with pythainlp's default tokenizer (imported on first Thai text)."""
from __future__ import annotations

from analyzers.cache import byte_budget_cache, spans_tuple_bytes


@byte_budget_cache(8 * 1024 * 1024, spans_tuple_bytes)  # runs of any length: bounded in bytes
def _words_of_run(run: str) -> tuple[tuple[str, int, int], ...]:
    try:
        from pythainlp.tokenize import word_tokenize

        words = word_tokenize(run, keep_whitespace=False)
    except Exception:  # a tokenizer failure must not lose the text: keep the run whole
        return ((run, 0, len(run)),)
    out = []
    cursor = 0
    for word in words:
        found = run.find(word, cursor)
        if not word or found < 0:
            continue
        out.append((word, found, found + len(word)))
        cursor = found + len(word)
    return tuple(out) or ((run, 0, len(run)),)


def thai_words(text: str, start: int, end: int):
    """Yield ``(word, start, end)`` for the Thai run ``text[start:end]``."""
    for word, word_start, word_end in _words_of_run(text[start:end]):
        yield word, start + word_start, start + word_end
