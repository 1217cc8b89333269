"""JSON API: /api/search (the same JSON as `bayon search --json`) and /api/documents/<id>."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from webui.errors import bad_parameter_fields, render_error
from webui.searching import service, timed_search
from werkzeug.datastructures import MultiDict

from webui.state import SEARCH_PARAMS

# `lang` only changes the UI language of the HTML pages; the API accepts it so links can be shared.
_SEARCH_PARAMS = (*SEARCH_PARAMS, "expand")  # expand=0|1: lexicon expansions (default 1)
_SEARCH_PARAMS = (*_SEARCH_PARAMS, "typos")  # typos=0|1: typo alternatives (default 1)
_ACCEPTED = frozenset((*_SEARCH_PARAMS, "lang"))

api = Blueprint("api", __name__, url_prefix="/api")


@api.get("/search")
def search():
    from indexer.search import BadParameter

    unknown = [name for name in request.args if name not in _ACCEPTED]
    if unknown:
        return render_error(400, parameter=unknown[0],
                            message=f"unknown parameter; expected one of: {', '.join(_SEARCH_PARAMS)}")
    params = MultiDict([(k, v) for k, v in request.args.items(multi=True) if k in _SEARCH_PARAMS])
    try:
        result, elapsed_ms = timed_search(params)
    except BadParameter as error:
        name, message = bad_parameter_fields(error)
        return render_error(400, parameter=name, message=message)
    response = jsonify(result)
    response.headers["Server-Timing"] = f"search;dur={elapsed_ms:.1f}"
    return response


@api.get("/documents/<doc_id>")
def document(doc_id: str):
    from indexer.search import BadParameter
    from indexer.versions import language_versions

    q = request.args.get("q", "").strip() or None
    expand = request.args.get("expand", "").strip().lower() not in ("0", "false", "no", "off")
    try:  # part=N: which part of a long body body_html holds (indexer.docparts)
        record = service().document(doc_id, q, expand=expand, part=request.args.get("part"))
    except BadParameter as error:
        name, message = bad_parameter_fields(error)
        return render_error(400, parameter=name, message=message)
    if record is None:
        return render_error(404, parameter="id", message=f"no document with id {doc_id!r}")
    from webui.originals import original_url

    record["original_url"] = original_url(record)
    record["versions"] = language_versions(service(), record)  # the same publication in the other language
    return jsonify(record)
