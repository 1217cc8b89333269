"""Click sub-commands of the `bayon` CLI that drive this package (registered by bayon.cli)."""
from __future__ import annotations

from pathlib import Path

import click

from indexer.commands import index_option


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port.")
@index_option
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads of the WSGI server.")
def serve(host: str, port: int, index_dir: Path | None, threads: int) -> None:
    """Serve the search web UI and JSON API with waitress (a production WSGI server)."""
    import waitress

    from indexer.layout import default_index_dir
    from webui import create_app
    from webui.security import MAX_CONTENT_LENGTH, MAX_QUERY_STRING

    from indexer.layout import NoIndexError
    from indexer.search import SearchRequest

    index_dir = index_dir or default_index_dir()
    try:
        app = create_app(index_dir=index_dir)
        # Open the index now (and load the analyzers) so the first visitor does not wait for it.
        app.extensions["bayon_search"].search(SearchRequest())
    except NoIndexError as error:
        raise click.ClickException(f"{error} (or `make run`, which builds it when missing)") from None
    except Exception as error:  # an unreadable index is a clear message, not a traceback
        from indexer.layout import index_problem

        problem = index_problem(index_dir) or f"cannot open the index in {index_dir}: {error}"
        raise click.ClickException(problem) from None
    click.echo(f"bayon: serving {index_dir} on http://{host}:{port}/ ({threads} threads)", err=True)
    waitress.serve(app, host=host, port=port, threads=threads, ident="bayon",
                   max_request_body_size=MAX_CONTENT_LENGTH,
                   max_request_header_size=MAX_QUERY_STRING + 8 * 1024)


COMMANDS: list[click.Command] = [serve]
