"""Extract the text and metadata of one publication file (PDF, DOCX, HTML): `extract(path)`.

The format is told by the file's first bytes (magic) and, where the bytes do not settle it, its
extension; each format has its own module, imported only when a file of that format is read:
`reading.extract.pdf` (pdftotext / pypdfium2 / OCR), `reading.extract.docx` (python-docx),
`reading.extract.html` (trafilatura). Every module returns a `reading.extract.model.Extracted` or
raises `ExtractionError` (encrypted, corrupt, empty, unsupported), whose message names the reason.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from .model import Extracted, ExtractionError

__all__ = ["Extracted", "ExtractionError", "SUFFIXES", "extract", "file_format"]

# extension -> format, for the loader: which files in documents/ are publications to extract
SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}
_SNIFF = 1024


def file_format(path: Path) -> str:
    """"pdf", "docx" or "html" for the file at `path`, from its magic bytes first, then its extension.

    Raises ExtractionError for an empty file, a file that cannot be read, or a type none of the
    format modules reads (including a ZIP that is not a Word document, e.g. .odt or .xlsx)."""
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(_SNIFF)
    except OSError as exc:
        raise ExtractionError(f"cannot read: {exc.strerror or exc}") from exc
    if not head:
        raise ExtractionError("empty file (0 bytes)")
    suffix = SUFFIXES.get(path.suffix.lower())
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if _is_word_document(path):
            return "docx"
        raise ExtractionError("a ZIP file that is not a Word (.docx) document")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractionError("an old binary Word (.doc) or Office file; save it as .docx or PDF")
    if suffix == "html" or _looks_like_html(head):
        return "html"
    if suffix == "pdf":
        raise ExtractionError("not a PDF: the file does not start with %PDF- (truncated or another type)")
    if suffix == "docx":
        raise ExtractionError("not a Word document: the file is not a ZIP package (corrupt or another type)")
    raise ExtractionError(f"unsupported file type {path.suffix or '(no extension)'} (known: .pdf, .docx, .html, .htm)")


def _is_word_document(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as package:
            return "word/document.xml" in package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        # a truncated package still starts with PK: let the DOCX module name what is wrong
        return path.suffix.lower() == ".docx"


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").lower().replace(b"\x00", b"")
    return start.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<!--"))


def extract(path, *, cache=None, page_progress=None) -> Extracted:
    """The paragraphs and metadata of the publication file at `path` (see reading.extract.model).

    `cache`: a `reading.extract.cache.ExtractionCache`; a file whose content was extracted before is
    not read again. `page_progress(done, total)`: called after each page of a PDF."""
    path = Path(path)
    kind = file_format(path)
    if kind == "pdf":
        from .pdf import extract_pdf

        return _legacy_pdf(path, extract_pdf(path, page_progress=page_progress, cache=cache))
    if kind == "docx":
        from .docx import extract_docx as extract_format
    else:
        from .html import extract_html as extract_format
    if cache is None:
        return extract_format(path)
    import hashlib

    from .cache import file_digest

    # the cache is keyed by a sha256: that of the format, its rules and the file's own digest
    key = hashlib.sha256(f"{kind}\n{_FORMAT_RULES[kind]}\n{file_digest(path)}".encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    result = extract_format(path)
    cache.put(key, result)
    return result


# Bump a format's rules when its module would now extract the same bytes differently: cached
# results made by the earlier rules are then not used.
_FORMAT_RULES = {"docx": "1", "html": "1"}


def _legacy_pdf(path: Path, result: Extracted) -> Extracted:
    """A PDF's paragraphs typed in a legacy Khmer font converted (reading.extract.legacy): the font
    names come from the PDF, the decision per paragraph from its characters."""
    from dataclasses import replace

    from .legacy import convert_legacy_paragraphs, looks_like_limon, pdf_font_names, legacy_family

    fonts = pdf_font_names(path)
    if not any(legacy_family(name) for name in fonts) and not any(looks_like_limon(p) for p in result.paragraphs):
        return result
    paragraphs, warnings = convert_legacy_paragraphs(result.paragraphs, fonts)
    return replace(result, paragraphs=paragraphs, warnings=[*result.warnings, *warnings])
