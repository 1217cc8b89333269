"""What extracting one publication file gives: its text as paragraphs and its metadata, each field
with where it came from. Every format module (`reading.extract.<format>`) returns an `Extracted`
or raises `ExtractionError`; `reading.extract.extract(path)` picks the module by file type."""
from __future__ import annotations

from dataclasses import dataclass, field


class ExtractionError(Exception):
    """The file cannot be read as a publication (encrypted, corrupt, empty, unsupported).

    `str(error)` is the reason a person reads after the file name: `file: reason`."""


@dataclass
class Extracted:
    # Body paragraphs in reading order, each one line of clean text (no running header, footer,
    # page number or navigation; line-end hyphenation undone; wrapped lines joined).
    paragraphs: list[str]
    # field -> (value, where it came from), e.g. {"title": ("Annual Report", "pdf metadata"),
    # "date": ("2024-07-19", "html article:published_time"), "url": ("https://…", "html canonical")}.
    # Fields: title, organisation, date, language, doc_type, url, author.
    metadata: dict[str, tuple[str, str]] = field(default_factory=dict)
    # Things a person should know that did not stop the extraction (e.g. "page 3: OCR unavailable:
    # install tesseract-ocr-khm"); reported as warnings `file: message`.
    warnings: list[str] = field(default_factory=list)
    pages: int = 0          # pages read (PDF), 0 where a format has none
    ocr_pages: int = 0      # of those, pages whose text came from OCR
    method: str = ""        # how the text was got: "pdftotext", "pypdfium2", "ocr", "docx", "html", …
