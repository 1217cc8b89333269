"""A result list as a file: CSV, JSON and RIS of every page of a search (its filters and sort, at
most EXPORT_LIMIT rows), and an Atom feed of its newest publications.

Exports are streamed: a generator pages through `SearchService.search` EXPORT_PAGE records at a
time and yields each row as it is written, so memory stays flat however long the list is. The
first page is searched before the response starts, so a bad parameter still gets its 400 page."""
from __future__ import annotations

import csv
import io
import json
import re
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, g, request, stream_with_context, url_for
from werkzeug.datastructures import MultiDict

from webui import i18n
from webui.errors import bad_parameter_fields, render_error
from webui.searching import build_request, service
from webui.state import SearchState

EXPORT_LIMIT = 10_000
EXPORT_PAGE = 100  # SearchService's largest page
FEED_ENTRIES = 50
FIELDS = ("id", "title", "date", "year", "organisation", "doc_type", "language", "url", "source",
          "page", "group")
ATOM = "http://www.w3.org/2005/Atom"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TAGS = re.compile(r"</?mark>")

export = Blueprint("export", __name__)


def _params(*, sort: str | None = None) -> MultiDict:
    state = SearchState.from_args(request.args, g.lang)
    params = state.search_params()
    if "expand" in request.args:
        params.setlist("expand", request.args.getlist("expand"))
    if sort:
        params["sort"] = sort
    params.pop("page", None)
    params["per_page"] = str(EXPORT_PAGE)
    return params


def _first_page(params: MultiDict):
    """The validated request and its first page; a BadParameter becomes the error response."""
    from indexer.search import BadParameter

    try:
        search_request = build_request(params)
    except BadParameter as exc:
        name, message = bad_parameter_fields(exc)
        return None, None, render_error(400, parameter=name, message=message)
    return search_request, service().search(search_request), None


def export_rows(search_request, first: dict, limit: int | None = None):
    """Every result of the search as an export row, page after page, at most `limit` rows
    (default EXPORT_LIMIT)."""
    from dataclasses import replace

    limit = EXPORT_LIMIT if limit is None else limit
    result, page, sent = first, 1, 0
    while True:
        for item in result.get("results", []):
            if sent >= limit:
                return
            yield _row(item)
            sent += 1
        if sent >= limit or page * search_request.per_page >= result.get("total", 0):
            return
        page += 1
        result = service().search(replace(search_request, page=page))


def _row(item: dict) -> dict:
    row = {name: item.get(name) for name in FIELDS}
    row["page"] = url_for("pages.document", doc_id=item["id"], _external=True)
    return row


def _stream(body, mimetype: str, filename: str | None) -> Response:
    response = Response(stream_with_context(body), mimetype=mimetype)
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@export.get("/export.csv")
def export_csv():
    search_request, first, error = _first_page(_params())
    if error:
        return error

    def lines():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        buffer.write("\ufeff")  # spreadsheets read the file as UTF-8 (Khmer) only with the BOM
        writer.writerow(FIELDS)
        for row in export_rows(search_request, first):
            writer.writerow(["" if row[name] is None else row[name] for name in FIELDS])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    return _stream(lines(), "text/csv", "bayon-export.csv")


@export.get("/export.json")
def export_json():
    search_request, first, error = _first_page(_params())
    if error:
        return error

    def pieces():
        head = {"query": first.get("query", ""), "total": first.get("total", 0), "limit": EXPORT_LIMIT,
                "truncated": first.get("total", 0) > EXPORT_LIMIT}
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "results": ['
        for n, row in enumerate(export_rows(search_request, first)):
            yield ("," if n else "") + "\n" + json.dumps(row, ensure_ascii=False)
        yield "\n]}\n"

    return _stream(pieces(), "application/json", None)


RIS_TYPES = {"report": "RPRT", "statement": "PRESS", "video": "VIDEO", "fact sheet": "PAMP"}


@export.get("/export.ris")
def export_ris():
    search_request, first, error = _first_page(_params())
    if error:
        return error

    def records():
        for row in export_rows(search_request, first):
            kind = RIS_TYPES.get((row["doc_type"] or "").lower(), "GEN")
            lines = [f"TY  - {kind}", f"TI  - {_one_line(row['title'])}"]
            if row["organisation"]:
                lines += [f"AU  - {_one_line(row['organisation'])}", f"PB  - {_one_line(row['organisation'])}"]
            if row["year"]:
                lines.append(f"PY  - {row['year']}")
            if row["date"]:
                lines.append(f"DA  - {row['date'].replace('-', '/')}")
            if row["language"]:
                lines.append(f"LA  - {row['language']}")
            lines.append(f"UR  - {row['url'] or row['page']}")
            lines += [f"ID  - {row['id']}", "ER  - ", ""]
            yield "\r\n".join(lines)

    return _stream(records(), "application/x-research-info-systems", "bayon-export.ris")


def _one_line(text) -> str:
    return " ".join(str(text or "").split())


def _atom_date(date: str | None) -> str | None:
    """RFC 3339 for an ISO date of any precision (the day, month or year's first moment, UTC)."""
    if not date:
        return None
    parts = (date.split("-") + ["01", "01"])[:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def _text(value) -> str:
    return _XML_INVALID.sub("", str(value or ""))


@export.get("/feed.atom")
def export_atom():
    params = _params(sort="date")
    params["per_page"] = str(FEED_ENTRIES)
    search_request, first, error = _first_page(params)
    if error:
        return error
    state = SearchState.from_args(request.args, g.lang)
    lang = state.lang
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": lang})
    title = (i18n.translate("feed_title", lang, q=state.q) if state.q
             else i18n.translate("feed_title_all", lang))
    ET.SubElement(feed, f"{{{ATOM}}}id").text = _text(request.url)
    ET.SubElement(feed, f"{{{ATOM}}}title").text = _text(title)
    results = first.get("results", [])
    dates = [d for d in (_atom_date(r.get("date")) for r in results) if d]
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = max(dates) if dates else "1970-01-01T00:00:00Z"
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = i18n.translate("site_name", lang)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": request.url})
    search_url = url_for("pages.search", _external=True) + "?" + state.query_string(with_page=False)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": search_url})
    for item in results:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        page = url_for("pages.document", doc_id=item["id"], _external=True)
        ET.SubElement(entry, f"{{{ATOM}}}id").text = _text(page)
        ET.SubElement(entry, f"{{{ATOM}}}title").text = _text(item.get("title") or item["id"])
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = (_atom_date(item.get("date"))
                                                          or "1970-01-01T00:00:00Z")
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": page})
        if item.get("url"):
            ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "related", "href": _text(item["url"])})
        if item.get("organisation"):
            who = ET.SubElement(entry, f"{{{ATOM}}}author")
            ET.SubElement(who, f"{{{ATOM}}}name").text = _text(item["organisation"])
        if item.get("doc_type"):
            ET.SubElement(entry, f"{{{ATOM}}}category", {"term": _text(item["doc_type"])})
        summary = _TAGS.sub("", item.get("snippet") or "")
        if summary:
            import html

            ET.SubElement(entry, f"{{{ATOM}}}summary").text = _text(html.unescape(summary))
    body = ET.tostring(feed, encoding="unicode", xml_declaration=False)
    return Response('<?xml version="1.0" encoding="utf-8"?>\n' + body, mimetype="application/atom+xml")
