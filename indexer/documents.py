"""Turn a corpus record into the fields of one Whoosh document."""
from __future__ import annotations

from indexer.namekey import keys_for_text


def facet_value(value) -> str:
    """Facet/column value as stored: a string, '' when unknown."""
    return "" if value is None else str(value)


def record_hash(record) -> str:
    return record.content_hash()


def record_to_fields(record) -> dict:
    title = record.title or ""
    body = record.body or ""
    both = f"{title}\n{body}"
    return {
        "id": str(record.id),
        "title": title,
        "body": body,
        "title_sub": title,
        "body_sub": body,
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
        "name_keys": " ".join(keys_for_text(both)),
        "vocab": both,
    }
