"""bayon web UI: a bilingual Flask search site and JSON API over `indexer.search.SearchService`.

`create_app` is imported lazily so that `bayon --help` does not pay for Flask.
"""
from __future__ import annotations


def create_app(index_dir=None, service=None, base_url=None):
    """Build the Flask app over `service`, or over a new `SearchService(index_dir)` (one per app);
    `base_url`: the site's public address for absolute links (default: relative links)."""
    from webui.app import create_app as _create_app

    return _create_app(index_dir=index_dir, service=service, base_url=base_url)


__all__ = ["create_app"]
