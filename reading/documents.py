"""Validate the fields of a hand-added document (JSON Lines or Markdown) and make its Record."""
from __future__ import annotations

import re

from .dates import DateFormatError, parse_date
from .ids import document_record_id
from analyzers.langid import detect_language
from .model import Record, canonical_doc_type, DOC_TYPES, UNKNOWN

FIELDS = ("id", "title", "organisation", "doc_type", "date", "language", "url", "body")
REQUIRED = ("title", "organisation", "body")
_LANGUAGE = re.compile(r"^(?:[a-z]{2,3}|mixed)$")
_URL = re.compile(r"^https?://\S+$")


_ID_FORBIDDEN = re.compile(r"[\s/\\\x00-\x1f\x7f]")


def _usable_id(record_id: str) -> bool:
    """An id that is one path segment of a document link (/documents/<id>): no space, slash,
    backslash or control character, and not `.` or `..`."""
    return record_id not in (".", "..") and not _ID_FORBIDDEN.search(record_id)


def _text(value) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _paragraphs(body: str, blank_line_separated: bool) -> str:
    """Clean paragraphs separated by one blank line. Markdown joins the lines of a paragraph;
    JSON Lines treats every line break as a paragraph break."""
    splitter = r"\n\s*\n" if blank_line_separated else r"\n"
    paragraphs = (" ".join(p.split()) for p in re.split(splitter, body.replace("\r\n", "\n")))
    return "\n\n".join(p for p in paragraphs if p)


def document_record(fields, file_label: str, file_name: str, line: int, *, markdown: bool,
                    field_lines: dict[str, int] | None = None) -> tuple[Record | None, list[tuple[int, str, str]]]:
    """The record for one document, or None when a required field is missing or wrong.

    Problems are (line, message, severity). A wrong optional field (date, doc_type, language, url,
    id) is an error but does not drop the record: the field falls back to unknown / derived.
    """
    problems: list[tuple[int, str, str]] = []
    if not isinstance(fields, dict):
        return None, [(line, f"a document must be an object with fields {', '.join(FIELDS)}", "error")]

    def at(name: str) -> int:
        return (field_lines or {}).get(name, line)

    for name in fields:
        if name not in FIELDS:
            problems.append((at(name), f"unknown field {name!r} ignored (known: {', '.join(FIELDS)})", "warning"))
    missing = [name for name in REQUIRED if _text(fields.get(name)) is None]
    for name in missing:
        problems.append((at(name), f"missing {name}" if name not in fields else f"{name} must be non-empty text", "error"))
    if missing:
        return None, problems

    record_id = fields.get("id")
    if record_id is not None and (_text(record_id) is None or not _usable_id(record_id.strip())):
        problems.append((at("id"), f"id must be non-empty text without spaces, slashes or control characters, "
                                   f"and not '.' or '..', got {record_id!r}; deriving one", "error"))
        record_id = None
    record_id = record_id.strip() if record_id else document_record_id(file_name, None if markdown else line)

    doc_type = UNKNOWN
    if fields.get("doc_type") is None:
        problems.append((line, "no doc_type given; using 'unknown'", "warning"))
    else:
        doc_type = canonical_doc_type(str(fields["doc_type"])) or UNKNOWN
        if doc_type == UNKNOWN and str(fields["doc_type"]).strip().casefold() != UNKNOWN:
            problems.append((at("doc_type"), f"doc_type {fields['doc_type']!r} is not one of: "
                             f"{', '.join(DOC_TYPES)}, unknown", "error"))

    date = None
    raw_date = fields.get("date")
    if raw_date is not None and str(raw_date).strip():
        try:
            date = parse_date(str(raw_date))
        except DateFormatError:
            problems.append((at("date"), f"unknown date format {raw_date!r} (use YYYY, YYYY-MM or YYYY-MM-DD)", "error"))

    body = _paragraphs(fields["body"], blank_line_separated=markdown)
    title = " ".join(fields["title"].split())
    language = fields.get("language")
    if language is not None and not (isinstance(language, str) and _LANGUAGE.match(language.strip())):
        problems.append((at("language"), f"language {language!r} is not a code such as en, km or mixed; detecting it", "error"))
        language = None
    url = fields.get("url")
    if url is not None and not (isinstance(url, str) and _URL.match(url.strip())):
        problems.append((at("url"), f"url {url!r} is not an http(s) address", "error"))
        url = None

    record = Record(
        id=record_id,
        source=file_name,
        organisation=" ".join(fields["organisation"].split()),
        doc_type=doc_type,
        title=title,
        date=date.iso if date else None,
        date_precision=date.precision if date else None,
        year=date.year if date else None,
        date_source="listed" if date else "unknown",
        language=language.strip() if language else detect_language(title + "\n" + body),
        body=body,
        url=url.strip() if url else None,
    )
    return record, problems
