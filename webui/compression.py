"""gzip for generated pages and JSON (readers are often on slow mobile connections)."""
from __future__ import annotations

import gzip

from flask import Flask, Response, request

COMPRESSIBLE = ("text/html", "application/json", "application/opensearchdescription+xml")
MIN_SIZE = 1024


def install(app: Flask) -> None:
    """Compress generated responses when the client accepts gzip (static files are sent as they are)."""

    @app.after_request
    def gzip_response(response: Response) -> Response:
        response.vary.add("Accept-Encoding")
        if (response.direct_passthrough or response.is_streamed or response.status_code < 200 or response.status_code in (204, 304)
                or "Content-Encoding" in response.headers
                or response.mimetype not in COMPRESSIBLE
                or "gzip" not in request.accept_encodings):
            return response
        body = response.get_data()
        if len(body) < MIN_SIZE:
            return response
        response.set_data(gzip.compress(body, compresslevel=6))
        response.headers["Content-Encoding"] = "gzip"
        return response
