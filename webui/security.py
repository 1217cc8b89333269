"""HTTP security headers and request limits for every response of the web UI."""
from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}

# The UI is GET-only: bodies are never needed, and URLs stay short.
MAX_CONTENT_LENGTH = 16 * 1024
MAX_QUERY_STRING = 8 * 1024


def _longest_parameter() -> str | None:
    """The name of the parameter with the longest raw value (the likely culprit of a long URL)."""
    best, size = None, -1
    for pair in request.query_string.split(b"&"):
        name, _, value = pair.partition(b"=")
        if len(value) > size:
            best, size = name.decode("utf-8", "replace"), len(value)
    return best


def install(app: Flask) -> None:
    """Add the security headers to every response, cap request sizes, and keep debug mode off."""
    app.debug = False  # whatever FLASK_DEBUG says: tracebacks and the debugger never reach a browser
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["MAX_CONTENT_LENGTH"] = MAX_CONTENT_LENGTH
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_CONTENT_LENGTH

    @app.before_request
    def limit_query_string():
        if len(request.query_string) > MAX_QUERY_STRING:
            from webui.errors import render_error

            return render_error(414, parameter=_longest_parameter(),
                                message=f"the query string is longer than {MAX_QUERY_STRING} bytes")
        return None

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
