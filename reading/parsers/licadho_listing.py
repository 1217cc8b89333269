"""LICADHO listing pages: a page heading, then per item `Type | Title`, a date line, summary lines."""
from __future__ import annotations

import re

from ..dates import DateFormatError, parse_date
from ..textclean import join_broken_paragraphs, mark_footnotes
from ..manifest import SourceEntry
from .base import ParsedItem, ParseResult

# "Video | Title" or "| Title" (a blank type). The type is short: at most four words.
_HEADER = re.compile(r"^(?P<type>[^|]{0,40}?)\s*\|\s*(?P<title>\S.*)$")


def parse(text: str, entry: SourceEntry) -> ParseResult:
    result = ParseResult()
    item: ParsedItem | None = None
    expect_date = False
    lines = text.splitlines()
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        header = _HEADER.match(line)
        if header and len(header["type"].split()) <= 4:
            item = ParsedItem(line=number, title=" ".join(header["title"].split()), paragraphs=[],
                              listed_type=header["type"].strip() or None)
            result.items.append(item)
            expect_date = True
            continue
        if not line:
            continue
        if item is None:
            continue  # the page heading ("Statements") before the first item is page chrome
        if expect_date:
            expect_date = False
            try:
                item.listed_date = parse_date(line)
                continue
            except DateFormatError:
                if len(line) < 40:
                    result.problems.append((number, f"unknown date format {line!r} for item {item.title!r}", "error"))
                    continue
                result.problems.append((number, f"no date line after the item {item.title!r}", "error"))
        item.paragraphs.append(mark_footnotes(line))
    for item in result.items:
        item.paragraphs = join_broken_paragraphs(item.paragraphs)
        if not item.title:
            result.problems.append((item.line, "item without a title", "error"))
    return result
