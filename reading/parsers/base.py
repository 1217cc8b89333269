"""What every source parser returns, and how a parsed item becomes a Record."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..dates import ParsedDate, latest_reported_year
from ..doctypes import infer_doc_type
from ..ids import source_record_id
from analyzers.langid import detect_language
from ..manifest import SourceEntry
from ..model import Record, canonical_doc_type, UNKNOWN
from ..textclean import body_from_paragraphs


@dataclass
class ParsedItem:
    line: int  # where the item starts in the source file
    title: str
    paragraphs: list[str]
    listed_type: str | None = None  # the type the page gives, if it gives one
    listed_date: ParsedDate | None = None  # the date the page gives, if it gives one


@dataclass
class ParseResult:
    items: list[ParsedItem] = field(default_factory=list)
    # (line, message, severity) found in the source text
    problems: list[tuple[int, str, str]] = field(default_factory=list)


def build_record(entry: SourceEntry, ordinal: int, item: ParsedItem) -> tuple[Record, list[str]]:
    """The record for one item, and warnings about it (e.g. a listed type outside the vocabulary)."""
    warnings: list[str] = []
    body = body_from_paragraphs(item.paragraphs)
    doc_type = None
    if item.listed_type:
        doc_type = canonical_doc_type(item.listed_type)
        if doc_type is None:
            warnings.append(f"type {item.listed_type!r} is not in the vocabulary; inferring from the text")
    if doc_type is None:
        doc_type = infer_doc_type(item.title, item.paragraphs) if item.paragraphs or item.title else UNKNOWN
    if item.listed_date is not None:
        date, date_source = item.listed_date, "listed"
    else:
        date = latest_reported_year(item.title + "\n" + body)
        date_source = "inferred from text" if date else "unknown"
    return (
        Record(
            id=source_record_id(entry.id_prefix, entry.file, ordinal, item.title),
            source=entry.file,
            organisation=entry.organisation,
            doc_type=doc_type,
            title=item.title,
            date=date.iso if date else None,
            date_precision=date.precision if date else None,
            year=date.year if date else None,
            date_source=date_source,
            language=detect_language(item.title + "\n" + body),
            body=body,
            url=entry.url,
        ),
        warnings,
    )
