"""CCHR publications listing: `• Title`, "Read More", the title again, a summary, "Read More".

Item text is indented; an unindented line after the items starts the page footer (sponsors, logos),
which is page chrome. The page gives no dates or types: both come from the text (see base).
"""
from __future__ import annotations

import re

from ..textclean import join_broken_paragraphs, mark_footnotes
from ..manifest import SourceEntry
from .base import ParsedItem, ParseResult

_BULLET = re.compile(r"^(?P<indent>\s*)•\s+(?P<title>\S.*)$")
_CHROME = {"read more"}


def parse(text: str, entry: SourceEntry) -> ParseResult:
    result = ParseResult()
    item: ParsedItem | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        bullet = _BULLET.match(raw)
        if bullet and len(bullet["indent"]) <= 2:
            item = ParsedItem(line=number, title=" ".join(bullet["title"].split()), paragraphs=[])
            result.items.append(item)
            continue
        line = " ".join(raw.split())
        if not line:
            continue
        if item is None or not raw[:1].isspace():
            item = None  # text outside an item: page footer or header chrome
            continue
        if line.casefold() in _CHROME or line == item.title:
            continue
        item.paragraphs.append(mark_footnotes(line))
    for item in result.items:
        item.paragraphs = join_broken_paragraphs(item.paragraphs)
    return result
