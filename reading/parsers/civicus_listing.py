"""CIVICUS pages: items `  • Title` then indented paragraphs (nested `• ` lists inside); no dates.

An unindented line after the items starts the page footer (pagination, addresses): page chrome.
"""
from __future__ import annotations

import re

from ..textclean import join_broken_paragraphs, mark_footnotes
from ..manifest import SourceEntry
from .base import ParsedItem, ParseResult

_BULLET = re.compile(r"^(?P<indent>[ \t]*)•\s+(?P<title>\S.*)$")
# A footnote line whose number is glued to its first word: "1In May 2021, ..."
_GLUED_NOTE = re.compile(r"^(\d{1,2})(?=[A-Z][a-z])")


def parse(text: str, entry: SourceEntry) -> ParseResult:
    result = ParseResult()
    lines = text.splitlines()
    bullet_indents = [len(m["indent"]) for m in map(_BULLET.match, lines) if m]
    if not bullet_indents:
        result.problems.append((1, "no items found (expected lines '  • Title')", "error"))
        return result
    item_indent = min(bullet_indents)
    item: ParsedItem | None = None
    for number, raw in enumerate(lines, 1):
        bullet = _BULLET.match(raw)
        if bullet and len(bullet["indent"]) == item_indent:
            item = ParsedItem(line=number, title=" ".join(bullet["title"].split()), paragraphs=[])
            result.items.append(item)
            continue
        line = " ".join(raw.split())
        if not line:
            continue
        if item is None or len(raw) - len(raw.lstrip()) <= item_indent:
            item = None  # outside an item: the page header or footer
            continue
        if line == item.title:
            continue
        line = _GLUED_NOTE.sub(r"[\1] ", line)
        item.paragraphs.append(mark_footnotes(line))
    for item in result.items:
        item.paragraphs = join_broken_paragraphs(item.paragraphs)
    return result
