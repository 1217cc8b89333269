"""A LICADHO research report as text extracted from its PDF: one record.

The extraction has hard-wrapped lines, a line starting with one space where a page starts, and page
chrome mixed into the text: page numbers, photo captions, repeated link lists, footnotes, and the
section heading of a page printed after the page's text. This parser
- joins wrapped lines into paragraphs, and paragraphs broken across a page or a pull quote;
- keeps headings as their own paragraphs, moving a page's trailing heading to the page's start;
- writes footnote numbers glued to words as markers ("prison1" -> "prison[1]") and moves the
  footnotes themselves to a final "Notes" section ("[1] ...");
- drops page numbers, photo captions and bare link lists.
The title comes from the text: a title page if there is one, else the manifest's `title_from_text`,
a phrase that must occur in the text, given in square brackets as a supplied title.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..dates import ENGLISH_MONTHS
from ..textclean import is_sentence_end, join_lines, mark_footnotes, starts_lowercase, word_counts
from ..manifest import SourceEntry
from .base import ParsedItem, ParseResult

_MONTHS = "|".join(name for name in ENGLISH_MONTHS if len(name) > 3 or name == "may")
_CAPTION = re.compile(rf"^[A-Z][^.“”]{{2,80}}, (?:{_MONTHS}) \d{{4}}\.$", re.IGNORECASE)
_GLUED_CAPTION = re.compile(rf"(?<=[a-z]\.)(?=[A-Z][^.“”]{{2,80}}, (?:{_MONTHS}) \d{{4}}\.$)", re.IGNORECASE)
_URL_LINE = re.compile(r"^(?:https?://|www\.)\S+$")
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
_NOTE_START = re.compile(r"^(?P<number>\d{1,2}) (?=\S)")
_BULLET = re.compile(r"^(?:►+|•)\s*")
_STOPWORDS = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "of", "on", "or", "that",
    "the", "to", "was", "were", "with", "is", "are", "be", "her", "his", "their", "its",
}


@dataclass
class Block:
    lines: list[str]
    line: int  # first line number in the source
    page: int  # index of the page segment
    kind: str = "body"  # body | heading | quote | note | drop
    notes: list[tuple[int, list[str]]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(" ".join(line.split()) for line in self.lines)


def _is_title_like(line: str, allow_period: bool = False, next_line: str | None = None) -> bool:
    """Short, capitalised, not ending like a sentence or mid-phrase. A sentence-case line of more than
    three words counts only when the line after it is at least twice as long (a wrapped sentence is not)."""
    text = " ".join(line.split())
    words = text.split()
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    capitalised = text.isupper() or all(w[0].isupper() for w in long_words)
    if len(words) > 3 and not capitalised and (next_line is None or len(next_line.strip()) < 2 * len(text)):
        return False
    if not words or len(text) > 60 or len(words) > 8:
        return False
    if text[0] in "“\"‘'(" or not (text[0].isupper() or text[0].isdigit()):
        return False
    if text.endswith((",", ";", ":", "-")) or words[-1].casefold() in _STOPWORDS:
        return False
    if text.endswith((".", "!", "?", "”", "’")):
        return allow_period and text.endswith(".") and len(words) <= 4
    return not text[0].isdigit()


def _is_heading_block(lines: list[str]) -> bool:
    """A block made only of short title-like lines ("Long-Term Solutions" / "Within Reach")."""
    if len(lines) > 3 or any(len(line.strip()) > 40 for line in lines):
        return False
    text = " ".join(" ".join(line.split()) for line in lines)
    return _is_title_like(text)


def _numbered_lines(text: str) -> list[tuple[int, str]]:
    """Source lines with their numbers; a photo caption glued to a footnote's end becomes its own line."""
    out: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        parts = _GLUED_CAPTION.split(raw)
        out.append((number, parts[0]))
        for part in parts[1:]:
            out.extend([(number, ""), (number, part)])
    return out


def _split_blocks(lines: list[tuple[int, str]]) -> list[Block]:
    blocks: list[Block] = []
    current: list[str] = []
    start, page = 1, -1

    def flush() -> None:
        if current:
            blocks.append(Block(lines=current.copy(), line=start, page=page))
            current.clear()

    for number, raw in lines:
        if not raw.strip():
            flush()
            continue
        if re.match(r"^ \S", raw) or page < 0:  # one leading space: a page starts here
            flush()
            page += 1
        if not current:
            start = number
        current.append(raw)
    flush()
    return blocks


def _split_inline_headings(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        first, rest = block.lines[0], block.lines[1:]
        if _is_heading_block(block.lines) and not _CAPTION.match(block.text):
            block.kind = "heading"
            out.append(block)
        elif rest and _is_title_like(first, allow_period=True, next_line=rest[0]) and re.match(r"[A-Z“\"‘0-9►•]", rest[0].strip()):
            out.append(Block(lines=[first], line=block.line, page=block.page, kind="heading"))
            out.append(Block(lines=rest, line=block.line + 1, page=block.page))
        else:
            out.append(block)
    return out


def _classify(blocks: list[Block]) -> int:
    """Mark chrome, quotes and footnotes; return the number of footnotes found."""
    next_note = 1
    notes_seen_on_page: set[int] = set()
    last_note: Block | None = None
    for block in blocks:
        text = block.text
        if block.kind == "heading":
            last_note = None
            continue
        if _PAGE_NUMBER.match(text) or all(_URL_LINE.match(line.strip()) for line in block.lines):
            block.kind = "drop"
            continue
        if _CAPTION.match(text):
            block.kind = "drop"
            last_note = None
            continue
        note = _NOTE_START.match(block.lines[0].strip())
        if note and int(note["number"]) == next_note:
            block.kind = "note"
            for line in block.lines:
                stripped = line.strip()
                start = _NOTE_START.match(stripped)
                if start and int(start["number"]) == next_note:
                    block.notes.append((next_note, [stripped[start.end():]]))
                    next_note += 1
                elif block.notes:
                    block.notes[-1][1].append(stripped)
            notes_seen_on_page.add(block.page)
            last_note = block
            continue
        if last_note is not None and starts_lowercase(text):  # a footnote continued after a blank line
            block.kind = "drop"
            last_note.notes[-1][1].append(text)
            continue
        last_note = None
        if text.startswith(("“", '"')):
            block.kind = "quote"
        elif block.page in notes_seen_on_page and len(block.lines) == 1 and text.endswith(".") and len(text) < 80:
            block.kind = "drop"  # an undated photo caption in the chrome after a page's footnotes
    return next_note - 1


def _move_page_headings(blocks: list[Block]) -> list[Block]:
    """A page whose text starts without a heading gets its first stand-alone heading moved to its start."""
    pages: dict[int, list[Block]] = {}
    for block in blocks:
        pages.setdefault(block.page, []).append(block)
    out: list[Block] = []
    for page in sorted(pages):
        page_blocks = [b for b in pages[page] if b.kind != "drop"]
        kept = [b for b in page_blocks if b.kind != "note"]
        if kept and kept[0].kind == "body":
            for index, block in enumerate(kept):
                previous = kept[index - 1] if index else None
                standalone = block.kind == "heading" and (index + 1 == len(kept) or kept[index + 1].kind != "body"
                                                          or kept[index + 1].line != block.line + 1)
                if standalone and previous is not None and previous.kind != "quote":
                    page_blocks.remove(block)
                    page_blocks.insert(0, block)
                    break
        out.extend(page_blocks)
    return out


def _paragraphs(blocks: list[Block], vocabulary) -> tuple[list[str], list[tuple[int, str]]]:
    paragraphs: list[tuple[str, str]] = []  # (kind, text)
    notes: list[tuple[int, str]] = []
    open_body: int | None = None  # index of a body paragraph that stops mid-sentence
    for block in blocks:
        if block.kind == "note":
            notes.extend((number, join_lines(lines, vocabulary)) for number, lines in block.notes)
            continue
        text = join_lines([_BULLET.sub("• ", line.strip()) for line in block.lines], vocabulary)
        if block.kind == "body" and open_body is not None and _continues(paragraphs[open_body][1], text):
            paragraphs[open_body] = ("body", join_lines([paragraphs[open_body][1], text], vocabulary))
            if is_sentence_end(paragraphs[open_body][1]):
                open_body = None
            continue
        paragraphs.append((block.kind, text))
        if block.kind == "body":
            open_body = None if is_sentence_end(text) else len(paragraphs) - 1
        elif block.kind == "heading":
            open_body = None
    return [mark_footnotes(text) if kind == "body" else text for kind, text in paragraphs], notes


def _continues(previous: str, text: str) -> bool:
    """`text` carries on the unfinished `previous` paragraph ("... in January" + "2015. She ...")."""
    if starts_lowercase(text):
        return True
    return text[:1].isdigit() and (previous.rstrip()[-1:].isalpha() or previous.rstrip().endswith(","))


def _find_phrase(phrase: str, text: str) -> bool:
    pattern = r"\s+".join(re.escape(word) for word in phrase.split())
    return bool(re.search(pattern, text, re.IGNORECASE))


def parse(text: str, entry: SourceEntry) -> ParseResult:
    title_from_text = entry.title_from_text
    result = ParseResult()
    vocabulary = word_counts(text)
    blocks = _split_inline_headings(_split_blocks(_numbered_lines(text)))
    _classify(blocks)
    paragraphs, notes = _paragraphs(_move_page_headings(blocks), vocabulary)
    if notes:
        paragraphs.append("Notes")
        paragraphs.extend(f"[{number}] {note}" for number, note in notes)
    title = None
    if blocks and blocks[0].kind == "heading" and blocks[0].page == 0 and len(blocks) > 1 and blocks[1].kind == "heading":
        title = blocks[0].text  # a title page: the document opens with its title and a first heading
    elif title_from_text:
        if _find_phrase(title_from_text, text):
            title = f"[{title_from_text[:1].upper()}{title_from_text[1:]}]"
        else:
            result.problems.append((1, f"title_from_text {title_from_text!r} does not occur in the text", "error"))
    else:
        result.problems.append((1, "the report has no title page and the manifest gives no title_from_text", "error"))
    if title:
        result.items.append(ParsedItem(line=1, title=title, paragraphs=paragraphs))
    return result
