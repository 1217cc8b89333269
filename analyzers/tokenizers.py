"""Whoosh tokenizers that split text by script and hand each run to its language's word splitter.

Every token carries ``script`` (``latin``, ``khmer``, ``number``, ``thai`` or ``other``) so that
language-specific filters leave other scripts alone, and ``startchar``/``endchar`` always index
the ORIGINAL text, whatever normalisation changed in ``token.text``.
"""
from __future__ import annotations

from typing import Iterator

from whoosh.analysis import Token, Tokenizer

from analyzers.khmer_words import khmer_syllables, khmer_words
from analyzers.scripts import ascii_number, runs, word_parts
from analyzers.thai import thai_words

ALL_SCRIPTS = ("latin", "khmer", "number", "thai", "other")


def _word_run_tokens(text: str, start: int, end: int, mode: str):
    """(text, start, end, script, new_position) for a Latin/other word run, hyphens handled.

    In index mode a hyphenated word yields its parts and also its joined form (at the
    position of its first part), so "non-custodial" is found by "noncustodial", by
    "non custodial" and by "non-custodial"; in query mode only the parts (a phrase)."""
    parts = word_parts(text, start, end)
    if len(parts) > 1 and mode != "query":
        joined = "".join(p.text for p in parts)
        scripts = {p.script for p in parts}
        script = "number" if scripts == {"number"} else "latin" if scripts <= {"latin", "number"} else "other"
        yield joined, start, end, script, True
        for i, part in enumerate(parts):
            yield part.text, part.start, part.end, part.script, i > 0
        return
    for part in parts:
        yield part.text, part.start, part.end, part.script, True


class ScriptTokenizer(Tokenizer):
    """Words of every script: Latin/other words (hyphen-aware), numbers (ASCII digits),
    Khmer words (normalised, segmented) and Thai words.

    ``scripts`` limits which kinds of token are produced (e.g. only Khmer and numbers);
    ``khmer_unit`` is ``"word"`` (segmenter) or ``"cluster"`` (orthographic syllables);
    ``engine`` names the Khmer segmentation engine (None: the default)."""

    def __init__(self, scripts: tuple[str, ...] = ALL_SCRIPTS, khmer_unit: str = "word",
                 engine: str | None = None) -> None:
        if khmer_unit not in ("word", "cluster"):
            raise ValueError(f"khmer_unit must be 'word' or 'cluster', not {khmer_unit!r}")
        self.scripts = tuple(scripts)
        self.khmer_unit = khmer_unit
        self.engine = engine

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def raw_tokens(self, text: str, mode: str = "") -> Iterator[tuple[str, int, int, str, bool]]:
        """(text, start, end, script, new_position) for every token of ``text``, in order."""
        wanted = self.scripts
        for run in runs(text):
            kind, start, end = run
            if kind == "khmer":
                if "khmer" not in wanted:
                    continue
                split = khmer_words if self.khmer_unit == "word" else khmer_syllables
                pieces = split(text, start, end, self.engine) if split is khmer_words else split(text, start, end)
                for word, word_start, word_end in pieces:
                    yield word, word_start, word_end, "khmer", True
            elif kind == "number":
                if "number" in wanted:
                    yield ascii_number(text[start:end]), start, end, "number", True
            elif kind == "thai":
                if "thai" in wanted:
                    for word, word_start, word_end in thai_words(text, start, end):
                        yield word, word_start, word_end, "thai", True
            else:
                for token in _word_run_tokens(text, start, end, mode):
                    if token[3] in wanted:
                        yield token

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "", **kwargs) -> Iterator[Token]:
        if not isinstance(value, str):
            raise TypeError(f"{value!r} is not a string")
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            t.script = "other"
            t.stopped = False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        pos = start_pos - 1
        for text, start, end, script, new_position in self.raw_tokens(value, mode):
            if new_position or pos < start_pos:
                pos += 1
            t.text = text
            t.script = script
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = text
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t
