"""Stable record ids: a readable slug plus a short hash of where the item comes from. Never random."""
from __future__ import annotations

import hashlib
import re

from unidecode import unidecode

MAX_SLUG = 60


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """Lower-case ASCII words joined by '-', cut at a word boundary (Khmer is transliterated)."""
    slug = re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug


def source_record_id(prefix: str, source: str, ordinal: int, title: str) -> str:
    """`<prefix>-<title slug>-<8 hex>`, the hash over source file, item ordinal and title."""
    digest = hashlib.sha256(f"{source}\n{ordinal}\n{title}".encode("utf-8")).hexdigest()[:8]
    return "-".join(part for part in (prefix, slugify(title), digest) if part)


def document_record_id(file_name: str, line: int | None = None) -> str:
    """For documents/ without an `id`: the file name's slug, plus `-<line>` for JSON Lines."""
    stem = file_name.rsplit(".", 1)[0]
    base = slugify(stem, max_length=80) or "document"
    return base if line is None else f"{base}-{line}"
