"""Text cleaning shared by the parsers: paragraphs, wrapped lines, hyphenation, footnote markers."""
from __future__ import annotations

import re
from collections import Counter

# A sentence is complete when it ends with . ! ? (possibly followed by closing quotes or brackets).
_SENTENCE_END = re.compile(r"[.!?…។៕]['\"”’)\]]*$")

# A footnote number glued to the word before it: "prison1 LICADHO", "WeWorld,3 focusing",
# "status.7", "(TLBB),13 a". Not after a digit ("10,000"), not after an upper-case letter (acronyms
# such as "CC2", "COVID19", "NAPVAW3"), not inside URLs.
_FOOTNOTE_MARKER = re.compile(
    r"(?:(?<=[a-z])|(?<=[A-Za-z%][.,;:)\]”’\"])|(?<=[A-Za-z%][)\]”’\"][.,;:]))"
    r"(?P<number>\d{1,2})(?=[\s,;:.)]|$)"
)
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+")


def is_sentence_end(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()))


def mark_footnotes(text: str) -> str:
    """Write glued footnote numbers as markers: "prison1 LICADHO" -> "prison[1] LICADHO"."""
    out: list[str] = []
    position = 0
    for url in _URL.finditer(text):
        out.append(_FOOTNOTE_MARKER.sub(r"[\g<number>]", text[position:url.start()]))
        out.append(url.group())
        position = url.end()
    out.append(_FOOTNOTE_MARKER.sub(r"[\g<number>]", text[position:]))
    return "".join(out)


def word_counts(text: str) -> Counter:
    """How often each (case-folded) word, hyphenated words included, occurs in `text`."""
    return Counter(word.casefold() for word in re.findall(r"\w+(?:-\w+)*", text))


def join_lines(lines: list[str], vocabulary: Counter | None = None) -> str:
    """Join hard-wrapped lines into one paragraph.

    A line ending in a hyphen after a letter is joined without a space; the hyphen is kept
    ("long-" + "lasting") unless the document itself writes the joined word more often without
    it ("Kam-" + "pong" -> "Kampong").
    """
    text = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not text:
            text = line
        elif re.search(r"[^\W\d_]-$", text) and line[:1].isalpha():
            left = re.search(r"(\w+)-$", text).group(1)
            right = re.match(r"\w+", line).group()
            joined, hyphened = (left + right).casefold(), f"{left}-{right}".casefold()
            if vocabulary is not None and vocabulary[joined] > vocabulary[hyphened]:
                text = text[:-1] + line
            else:
                text = text + line
        elif re.search(r"(?:https?://|www\.)\S*[./]$", text):  # a web address wrapped after "." or "/"
            text = text + line
        else:
            text = f"{text} {line}"
    return text


def starts_lowercase(text: str) -> bool:
    stripped = text.lstrip()
    return bool(stripped) and stripped[0].islower()


def join_broken_paragraphs(paragraphs: list[str], vocabulary: Counter | None = None) -> list[str]:
    """Join a paragraph that stops mid-sentence with the next one when that starts in lower case."""
    out: list[str] = []
    for paragraph in paragraphs:
        if out and not is_sentence_end(out[-1]) and starts_lowercase(paragraph):
            out[-1] = join_lines([out[-1], paragraph], vocabulary)
        else:
            out.append(paragraph)
    return out


def clean_paragraph(text: str) -> str:
    return " ".join(text.split())


def body_from_paragraphs(paragraphs: list[str]) -> str:
    """The record body: clean, non-empty paragraphs separated by a blank line."""
    return "\n\n".join(p for p in (clean_paragraph(p) for p in paragraphs) if p)
