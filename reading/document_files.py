"""`documents/**/*.pdf|docx|html|htm`: one publication file, one record, its text extracted
(`reading.extract`).

Fields come, first found wins, from: the file's sidecar `<file>.meta.toml`, the folder defaults
`_folder.toml` of its folder and the folders above it inside documents/ (the nearest wins), then
what the extraction found (document metadata, the text). An administrator overrides a record
without editing the publication file:

    # documents/licadho/_folder.toml: every file in documents/licadho/ and below
    organisation = "LICADHO"
    # documents/licadho/annual-report-2023.pdf.meta.toml: this file only
    title = "Annual Report 2023"
    date = "2024-02-01"
    doc_type = "Report"

Record ids are derived from the file's path inside documents/ (never random); `id` in the sidecar
replaces it. A file that cannot be read (encrypted, corrupt, empty, unsupported) is one problem
`documents/<file>: reason`; the other files still load. Incremental loads skip a file whose mark
(its stat and its overrides' bytes) still holds, without reading it; a changed file whose bytes
were extracted before comes from the extraction cache (never OCR'd again).
"""
from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

from analyzers.langid import detect_language

from .dates import DateFormatError, find_full_dates, latest_reported_year, parse_date
from .doctypes import infer_doc_type
from .ids import slugify
from .jsonl_documents import file_mark, file_stat, _signature
from .model import Record, UNKNOWN, canonical_doc_type
from .textclean import body_from_paragraphs

SUFFIXES = (".pdf", ".docx", ".html", ".htm")
SIDECAR_SUFFIX = ".meta.toml"
FOLDER_DEFAULTS = "_folder.toml"
# Bump when the same file and overrides would now make a different Record.
DOCUMENT_RULES = "1"
OVERRIDE_FIELDS = ("id", "title", "organisation", "doc_type", "date", "language", "url")
FOLDER_FIELDS = ("organisation", "doc_type", "language")
DATE_FROM_METADATA = "document metadata"
_LANGUAGE = re.compile(r"^(?:[a-z]{2,3}|mixed)$")
_URL = re.compile(r"^https?://\S+$")
# titles producers write for the author: "Microsoft Word - report.docx", "Untitled", a file name
_NOT_A_TITLE = re.compile(r"^(?:microsoft\s+\w+\s*-|untitled\b|document\d*$|.*\.(?:docx?|pdf|odt|rtf|html?)$)",
                          re.IGNORECASE)


def is_document_file(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def is_override_file(path: Path) -> bool:
    return path.name == FOLDER_DEFAULTS or path.name.endswith(SIDECAR_SUFFIX)


def document_file_id(relative: str) -> str:
    """`<slug of the path inside documents/, extension included>`: `licadho/Annual Report.pdf` ->
    `licadho-annual-report-pdf` (the extension keeps report.pdf and report.docx apart)."""
    return slugify(relative, max_length=120) or "document"


class Overrides:
    """The sidecar and folder-default fields that apply to one file, and the problems reading them."""

    def __init__(self, path: Path, documents_dir: Path):
        self.fields: dict[str, str] = {}
        self.problems: list[tuple[str, str, str]] = []  # (file label, message, severity)
        self.sources: list[Path] = []
        folders = []
        folder = path.parent
        while True:
            folders.append(folder)
            if folder == documents_dir or documents_dir not in folder.parents:
                break
            folder = folder.parent
        for folder in reversed(folders):  # the nearest folder's defaults win
            self._read(folder / FOLDER_DEFAULTS, documents_dir, FOLDER_FIELDS)
        self._read(path.with_name(path.name + SIDECAR_SUFFIX), documents_dir, OVERRIDE_FIELDS)

    def _read(self, file: Path, documents_dir: Path, allowed: tuple[str, ...]) -> None:
        if not file.is_file():
            return
        self.sources.append(file)
        label = "documents/" + file.relative_to(documents_dir).as_posix()
        try:
            data = tomllib.loads(file.read_bytes().decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError, OSError) as exc:
            self.problems.append((label, f"not readable as UTF-8 TOML ({exc}); its fields are not used", "error"))
            return
        for key, value in data.items():
            if key not in allowed:
                self.problems.append((label, f"unknown field {key!r} ignored (known: {', '.join(allowed)})", "warning"))
            elif not isinstance(value, str) or not value.strip():
                self.problems.append((label, f"{key} must be non-empty text", "error"))
            else:
                self.fields[key] = " ".join(value.split())

    def digest(self) -> str:
        """What the overrides are made of (their paths and bytes), for the incremental file mark."""
        h = hashlib.sha256(DOCUMENT_RULES.encode())
        for file in self.sources:
            h.update(str(file).encode("utf-8", "surrogateescape") + b"\0")
            try:
                h.update(file.read_bytes())
            except OSError:
                h.update(b"unreadable")
        return h.hexdigest()[:32]


def record_digest(label: str, content_digest: str, overrides_digest: str) -> str:
    return hashlib.sha256(f"document\n{DOCUMENT_RULES}\n{label}\n{content_digest}\n{overrides_digest}".encode()).hexdigest()[:32]


def unchanged_document(path: Path, mark, known, overrides: Overrides) -> tuple[str, str] | None:
    """(digest, record id) of a file whose mark still holds (same rules, stat and overrides, its
    digest known), without reading the file; None when it must be read."""
    if not isinstance(mark, dict) or mark.get("rules") != DOCUMENT_RULES or mark.get("overrides") != overrides.digest():
        return None
    try:
        if mark.get("stat") != _signature(file_stat(path)):
            return None
        (line, digest), = mark["lines"]
    except (OSError, TypeError, ValueError, KeyError):
        return None
    doc_id = known.get(digest) if known else None
    return (digest, doc_id) if doc_id is not None else None


def read_document_file(path: Path, label: str, relative: str, overrides: Overrides, *, cache=None,
                       page_progress=None):
    """(record or None, problems as (line, message, severity), content digest or None)."""
    from .extract import ExtractionError, extract

    problems: list[tuple[int, str, str]] = []
    try:
        extracted = extract(path, cache=cache, page_progress=page_progress)
    except ExtractionError as exc:
        return None, [(0, str(exc) or "cannot be extracted", "error")], None
    except OSError as exc:
        return None, [(0, f"cannot read: {exc.strerror or exc}", "error")], None
    except Exception as exc:  # a file no extractor foresaw: report it by name, keep the others
        return None, [(0, f"cannot be extracted ({type(exc).__name__}: {exc})", "error")], None
    problems.extend((0, warning, "warning") for warning in extracted.warnings)
    paragraphs = [" ".join(p.split()) for p in extracted.paragraphs if p and p.strip()]
    if not paragraphs:
        return None, problems + [(0, "no text found in the file", "error")], None
    record, found = _record(path, relative, paragraphs, extracted.metadata, overrides.fields)
    problems.extend(found)
    from .extract.cache import file_digest

    return record, problems, file_digest(path)


def _title(paragraphs: list[str], metadata: dict, fields: dict) -> str:
    if "title" in fields:
        return fields["title"]
    value = metadata.get("title", ("", ""))[0]
    value = " ".join(value.split())
    if value and not _NOT_A_TITLE.match(value):
        return value
    first = paragraphs[0]
    return first if len(first) <= 200 else first[:200].rsplit(" ", 1)[0] + "…"


def _date(paragraphs: list[str], metadata: dict, fields: dict, problems: list):
    """(ParsedDate or None, date_source): the sidecar's date ("listed"), an HTML publication date
    tag, a full date near the start or end of the text, a DOCX creation date ("document metadata"),
    the latest year the text reports. A PDF's own dates are the export time: never used."""
    if "date" in fields:
        try:
            return parse_date(fields["date"]), "listed"
        except DateFormatError:
            problems.append((0, f"sidecar date {fields['date']!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)", "error"))
    value, source = metadata.get("date", (None, ""))
    metadata_date = None
    if value and not source.startswith("pdf"):
        try:
            metadata_date = parse_date(value[:10])
        except DateFormatError:
            metadata_date = None
    if metadata_date and source.startswith("html"):
        return metadata_date, DATE_FROM_METADATA
    edges = "\n".join(paragraphs[:4] + paragraphs[-4:])
    dates = find_full_dates(edges)
    if dates:
        return max(dates), "inferred from text"
    if metadata_date:
        return metadata_date, DATE_FROM_METADATA
    year = latest_reported_year("\n".join(paragraphs))
    return (year, "inferred from text") if year else (None, "unknown")


def _record(path: Path, relative: str, paragraphs: list[str], metadata: dict, fields: dict):
    problems: list[tuple[int, str, str]] = []
    title = _title(paragraphs, metadata, fields)
    body = body_from_paragraphs(paragraphs)
    organisation = fields.get("organisation") or metadata.get("organisation", ("", ""))[0].strip()
    if not organisation:
        organisation = UNKNOWN
        problems.append((0, f"no organisation: give one in {path.name}{SIDECAR_SUFFIX} or the folder's "
                            f"{FOLDER_DEFAULTS}", "warning"))
    doc_type = None
    if "doc_type" in fields:
        doc_type = canonical_doc_type(fields["doc_type"])
        if doc_type is None:
            problems.append((0, f"doc_type {fields['doc_type']!r} is not in the vocabulary; inferring it", "error"))
    doc_type = doc_type or infer_doc_type(title, paragraphs)
    date, date_source = _date(paragraphs, metadata, fields, problems)
    language = fields.get("language")
    if language is not None and not _LANGUAGE.match(language):
        problems.append((0, f"language {language!r} is not a code such as en, km or mixed; detecting it", "error"))
        language = None
    url = fields.get("url") or metadata.get("url", (None, ""))[0]
    if url and not _URL.match(url):
        problems.append((0, f"url {url!r} is not an http(s) address", "error" if "url" in fields else "warning"))
        url = None
    record_id = fields.get("id")
    if record_id and re.search(r"\s", record_id):
        problems.append((0, f"id must be text without spaces, got {record_id!r}; deriving one", "error"))
        record_id = None
    record = Record(
        id=record_id or document_file_id(relative),
        source=relative,
        organisation=organisation,
        doc_type=doc_type,
        title=title,
        date=date.iso if date else None,
        date_precision=date.precision if date else None,
        year=date.year if date else None,
        date_source=date_source,
        language=language or detect_language(title + "\n" + body),
        body=body,
        url=url or None,
    )
    return record, problems


def document_mark(stat, digest: str, overrides: Overrides) -> dict | None:
    mark = file_mark(stat, [(1, digest)])
    if mark is None:
        return None
    mark["rules"] = DOCUMENT_RULES
    mark["overrides"] = overrides.digest()
    return mark


class ExtractionProgress:
    """A progress bar on stderr while files are extracted: files done of all, and the pages of the
    file being read ("3/12 files  annual-report.pdf page 40/96")."""

    def __init__(self, total: int):
        import sys

        import click

        self._bar = click.progressbar(length=total, label="extracting", show_pos=True, file=sys.stderr,
                                      item_show_func=lambda item: item)
        self._bar.__enter__()
        self._name = ""

    def file(self, label: str) -> None:
        self._name = label.rsplit("/", 1)[-1]
        self._show(self._name)

    def page(self, done: int, total: int) -> None:
        self._show(f"{self._name} page {done}/{total}")

    def _show(self, item: str) -> None:  # update(0) would not redraw: click draws on steps only
        self._bar.current_item = item
        self._bar.render_progress()

    def file_done(self) -> None:
        self._bar.update(1, self._name)

    def close(self) -> None:
        self._bar.__exit__(None, None, None)
