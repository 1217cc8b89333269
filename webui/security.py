"""HTTP security headers and request limits for every response of the web UI."""
from __future__ import annotations

from flask import Flask, Response, abort, request

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


def install(app: Flask) -> None:
    """Add the security headers to every response and cap request sizes."""
    app.config["MAX_CONTENT_LENGTH"] = MAX_CONTENT_LENGTH
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_CONTENT_LENGTH

    @app.before_request
    def limit_query_string() -> None:
        if len(request.query_string) > MAX_QUERY_STRING:
            abort(414)

    @app.after_request
    def add_security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
