"""The original publication file of an indexed record: `/documents/<id>/original`.

Only records made from a file in the corpus's documents/ folder (PDF, DOCX, HTML) have one. The
path is never taken from the URL: the id is looked up in the index, the record's `source` (its path
inside documents/) is joined to the corpus directory the index was built from (CORPUS.json beside
the generation's segments, written by indexer.build), and the result must be a file inside that
documents/ folder. The file is sent as an attachment under its own name, so that an HTML page is
never rendered on this site's origin.
"""
from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, send_file, url_for

from webui.errors import render_error
from webui.searching import service

CORPUS_FILE = "CORPUS.json"
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html; charset=binary",
    ".htm": "text/html; charset=binary",
}

originals = Blueprint("originals", __name__)


def has_original(record: dict) -> bool:
    source = record.get("source") or ""
    return Path(source).suffix.lower() in CONTENT_TYPES


def original_url(record: dict) -> str | None:
    """The link to the record's original file, or None for records without one."""
    return url_for("originals.original", doc_id=record["id"]) if has_original(record) else None


def _corpus_dir() -> Path | None:
    from indexer import layout

    root = getattr(service(), "root", None)
    generation = layout.current_generation(Path(root)) if root is not None else None
    if generation is None:
        return None
    try:
        return Path(json.loads((generation / CORPUS_FILE).read_text(encoding="utf-8"))["corpus_dir"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


@originals.get("/documents/<doc_id>/original")
def original(doc_id: str):
    record = service().document(doc_id)
    if record is None or not has_original(record):
        return render_error(404)
    corpus_dir = _corpus_dir()
    if corpus_dir is None:
        return render_error(404)
    documents = (corpus_dir / "documents").resolve()
    path = (documents / record["source"]).resolve()
    if not path.is_relative_to(documents) or not path.is_file():
        return render_error(404)
    mimetype = CONTENT_TYPES[path.suffix.lower()].split(";")[0]
    response = send_file(path, mimetype=mimetype, as_attachment=True, download_name=path.name,
                         conditional=True, max_age=0)
    response.headers["Content-Security-Policy"] = "sandbox"
    return response
