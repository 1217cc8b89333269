"""Click sub-commands of the `bayon` CLI that drive this package (registered by bayon.cli)."""
from __future__ import annotations

from pathlib import Path

import click

from indexer.commands import index_option
from webui.limits import ServeLimits

_DEFAULTS = ServeLimits()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@index_option
@click.option("--threads", default=_DEFAULTS.threads, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads of the WSGI server.")
@click.option("--connection-limit", default=_DEFAULTS.connection_limit, show_default=True,
              type=click.IntRange(1, 100_000),
              help="Open connections at most; beyond it new ones wait in the listen backlog.")
@click.option("--channel-timeout", default=_DEFAULTS.channel_timeout, show_default=True,
              type=click.IntRange(1, 3600), help="Seconds a connection may stay silent before it is closed.")
@click.option("--request-timeout", default=_DEFAULTS.request_timeout, show_default=True,
              type=click.IntRange(1, 3600),
              help="Seconds a request (line, headers, body) may take to arrive; slower clients are disconnected.")
@click.option("--heavy-slots", default=_DEFAULTS.heavy_slots, show_default=True, type=click.IntRange(1, 64),
              help="Long queries (over 200 characters) searched at once; one more is answered 429 at once.")
@click.option("--base-url", default=None, metavar="URL",
              help="The site's public address (e.g. https://search.example.org/), used in /opensearch.xml; "
                   "the Host header is never trusted. Default: relative links.")
def serve(host: str, port: int, index_dir: Path | None, threads: int, connection_limit: int,
          channel_timeout: int, request_timeout: int, heavy_slots: int, base_url: str | None) -> None:
    """Serve the search web UI and JSON API with waitress (a production WSGI server)."""
    from indexer.layout import default_index_dir
    from webui import create_app
    from webui.limits import create_server, install_heavy_query_gate

    from indexer.layout import NoIndexError
    from indexer.search import SearchRequest

    index_dir = index_dir or default_index_dir()
    try:
        app = create_app(index_dir=index_dir, base_url=base_url)
        # Open the index now and load the analyzers (SearchService.warm_up), so the first visitor
        # neither waits for them nor gets an answer cut by its time budget.
        app.extensions["bayon_search"].search(SearchRequest())
    except NoIndexError as error:
        raise click.ClickException(f"{error} (or `make run`, which builds it when missing)") from None
    except ValueError as error:  # a --base-url that is not an http(s) URL
        raise click.ClickException(str(error)) from None
    except Exception as error:  # an unreadable index is a clear message, not a traceback
        from indexer.layout import index_problem

        problem = index_problem(index_dir) or f"cannot open the index in {index_dir}: {error}"
        raise click.ClickException(problem) from None
    limits = ServeLimits(threads=threads, connection_limit=connection_limit, channel_timeout=channel_timeout,
                         request_timeout=request_timeout, heavy_slots=heavy_slots)
    install_heavy_query_gate(app, limits.heavy_slots)
    click.echo(f"bayon: serving {index_dir} on http://{host}:{port}/ ({threads} threads, at most "
               f"{connection_limit} connections)", err=True)
    import logging

    logging.basicConfig()  # waitress's warnings (e.g. a deep task queue) reach stderr
    server = create_server(app, limits, host=host, port=port, ident="bayon")
    server.run()


COMMANDS: list[click.Command] = [serve]
