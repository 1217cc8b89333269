"""Turn a corpus record into the fields of one Whoosh document."""
from __future__ import annotations

import re

# The sub-word fields are only ever queried for Khmer words (indexer.querybuild), so text
# without Khmer characters leaves them empty: a third fewer postings on English documents.
_KHMER = re.compile(r"[\u1780-\u17FF\u19E0-\u19FF]")


def facet_value(value) -> str:
    """Facet/column value as stored: a string, '' when unknown."""
    return "" if value is None else str(value)


def record_hash(record) -> str:
    return record.content_hash()


def khmer_only(text: str) -> str:
    """`text` if it holds Khmer characters, else '' (for the sub-word fields)."""
    return text if _KHMER.search(text) else ""


def record_to_fields(record) -> dict:
    title = record.title or ""
    body = record.body or ""
    both = f"{title}\n{body}"
    return {
        "id": str(record.id),
        "title": title,
        "body": body,
        "title_sub": khmer_only(title),
        "body_sub": khmer_only(body),
        "organisation": facet_value(record.organisation),
        "doc_type": facet_value(record.doc_type),
        "year": facet_value(record.year),
        "language": facet_value(record.language),
        "date": facet_value(record.date),
        "date_precision": record.date_precision,
        "date_source": record.date_source,
        "source": facet_value(record.source),
        "url": record.url,
        "content_hash": record_hash(record),
        "name_keys": both,  # keyed by the field's analyzer (indexer.namekey.NameKeyAnalyzer)
        "vocab": both,
    }
