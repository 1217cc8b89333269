"""The Flask application factory: one search service per app, pages, JSON API, headers, errors."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from webui import compression, i18n, security
from webui.api import api
from webui.errors import render_error
from webui.export import export
from webui.suggest import suggest
from webui.highlight import safe_body, safe_snippet
from webui.originals import originals
from webui.pages import pages

STATIC_DIR = Path(__file__).resolve().parent / "static"
# Shown to API clients when there is no readable index (paths and details go to the log only).
INDEX_UNAVAILABLE = "the search index is not available; the site's operator must run `bayon index`"


def create_app(index_dir=None, service=None, base_url: str | None = None) -> Flask:
    """Build the app over `service`, or a new `SearchService` on `index_dir` (default: the CLI's).
    `base_url`: the site's public address for absolute links (/opensearch.xml); the Host header is
    never used for them (webui.limits.public_base_url)."""
    from webui.limits import public_base_url

    base_url = public_base_url(base_url)
    if service is None:
        from indexer.search import SearchService

        if index_dir is None:
            from indexer.layout import default_index_dir

            index_dir = default_index_dir()
        service = SearchService(Path(index_dir))

    app = Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static")
    app.extensions["bayon_search"] = service
    app.config["BAYON_BASE_URL"] = base_url
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 7 * 24 * 3600  # static URLs carry a content hash
    security.install(app)
    compression.install(app)

    app.register_blueprint(pages)
    app.register_blueprint(api)
    app.register_blueprint(originals)
    app.register_blueprint(export)
    app.register_blueprint(suggest)

    @app.before_request
    def choose_ui_language() -> None:
        g.lang = i18n.choose_language(request.args.get("lang"), request.accept_languages)

    @app.after_request
    def vary_on_language(response):
        response.vary.add("Accept-Language")  # without ?lang= the page language follows it
        return response

    static_versions: dict[str, str] = {}

    def static_url(filename: str) -> str:
        if filename not in static_versions:
            static_versions[filename] = _file_digest(STATIC_DIR / filename)
        return f"/static/{filename}?v={static_versions[filename]}"

    @app.context_processor
    def template_helpers() -> dict:
        lang = getattr(g, "lang", i18n.DEFAULT_LANGUAGE)
        return {
            "lang": lang,
            "t": i18n.translator(lang),
            "digits": lambda value: i18n.localise_digits(value, lang),
            "local_date": lambda value: i18n.format_date(value, lang),
            # lang= stays in links only when the URL chose it (else the reader's browser chooses)
            "lang_explicit": (request.args.get("lang") or "").strip().lower()[:2] == lang,
            "language_label": lambda code: i18n.language_label(code, lang),
            "static_url": static_url,
        }

    app.jinja_env.autoescape = True  # every template, whatever its extension
    app.jinja_env.filters["safe_snippet"] = safe_snippet
    app.jinja_env.filters["safe_body"] = safe_body

    @app.errorhandler(Exception)
    def any_error(error: Exception):
        if isinstance(error, HTTPException):
            return render_error(error.code or 500)
        from indexer.layout import NoIndexError, index_problem

        if isinstance(error, NoIndexError):
            app.logger.error("no index to serve: %s", error)
            return render_error(503, message=INDEX_UNAVAILABLE)
        root = getattr(app.extensions["bayon_search"], "root", None)
        problem = index_problem(root) if root is not None else None
        if problem:  # a damaged index is the operator's to rebuild, not a server bug
            app.logger.error("cannot serve the index: %s", problem)
            return render_error(503, message=INDEX_UNAVAILABLE)
        app.logger.exception("unexpected error on %s", request.path)
        return render_error(500)

    return app


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    except OSError:
        return str(int(os.path.getmtime(path))) if path.exists() else "0"
