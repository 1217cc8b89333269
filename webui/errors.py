"""Error responses: JSON under /api/, a bilingual HTML page elsewhere. Nothing internal is leaked."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import g, jsonify, render_template, request
from werkzeug.http import HTTP_STATUS_CODES

from webui import i18n
from webui.state import SearchState

_PAGE_TEXT = {
    400: ("bad_parameter_title", "bad_request_text"),
    414: ("bad_parameter_title", "too_long_text"),
    404: ("not_found_title", "not_found_text"),
    503: ("server_error_title", "server_error_text"),
    500: ("server_error_title", "server_error_text"),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def bad_parameter_fields(error) -> tuple[str, str]:
    """(parameter name, message) of an `indexer.search.BadParameter`."""
    name = getattr(error, "name", None) or getattr(error, "parameter", None) or "?"
    message = getattr(error, "message", None) or (error.args[1] if len(error.args) > 1 else str(error))
    return str(name), str(message)


def render_error(code: int, *, parameter: str | None = None, message: str | None = None):
    """The error response for HTTP status `code`, as JSON or HTML depending on the route."""
    reason = HTTP_STATUS_CODES.get(code, "Error")
    if wants_json():
        return jsonify({"error": message or reason, "parameter": parameter}), code
    lang = getattr(g, "lang", None) or i18n.choose_language(request.args.get("lang"), request.accept_languages)
    g.lang = lang
    title_key, text_key = _PAGE_TEXT.get(code, (None, None))
    title = i18n.translate(title_key, lang) if title_key else f"{code} {reason}"
    text = i18n.translate(text_key, lang) if text_key else reason
    lang_links = {code_: f"{request.path}?{urlencode({'lang': code_})}" for code_ in i18n.LANGUAGES}
    # the detail (a parameter's problem, in English as the service words it) is shown as such
    detail = f"{parameter}: {message}" if parameter and message else message
    return render_template("error.html", code=code, title=title, text=text, detail=detail,
                           state=SearchState(lang=lang),
                           form_action="/search", lang_links=lang_links), code
