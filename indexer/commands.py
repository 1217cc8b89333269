"""Click sub-commands of the `bayon` CLI that drive this package (registered by bayon.cli): index, search."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from reading.commands import corpus_option

# Shared with the web UI's `serve`.
index_option = click.option(
    "--index-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Index directory. Default: var/index under the project, or $BAYON_INDEX_DIR.")



@click.command("index")
@corpus_option
@index_option
@click.option("--incremental", is_flag=True, help="Add, update and delete by content hash instead of rebuilding.")
@click.option("--if-missing", is_flag=True, help="Build only when there is no valid current index.")
@click.option("--skip-bad", is_flag=True, help="Index the valid records even when the corpus has errors.")
@click.option("--wait", is_flag=True, help="Wait for a running build to finish instead of stopping.")
@click.option("--procs", type=click.IntRange(1, 16), default=None,
              help="Writer processes. Default: 2 from 1,000 documents on a multi-core machine, else 1.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--profile", is_flag=True,
              help="Time a one-process build of the corpus by phase (parse, fields, keys, segment, runs, assemble, "
                   "analyze, postings, vectors, write, sort, commit, arrays) in a temporary directory and print where the "
                   "time goes; the index is not changed.")
def index_command(corpus_dir, index_dir, incremental, if_missing, skip_bad, wait, procs, quiet, profile):
    """Build the search index into a new generation, then switch to it atomically."""
    from indexer.build import BuildFailed, CorpusErrors, build_index
    from indexer.layout import ForeignIndexDir
    from indexer.lock import LockBusy
    from indexer.workers import WorkerFailed, WorkerLost

    from reading.loader import default_corpus_dir
    from indexer.layout import default_index_dir

    corpus_dir = corpus_dir or default_corpus_dir()
    index_dir = index_dir or default_index_dir()
    if not Path(corpus_dir).is_dir():
        raise click.ClickException(f"corpus directory not found: {corpus_dir}")
    if profile:
        from indexer.build_profile import format_profile, profile_build

        click.echo(format_profile(profile_build(corpus_dir)))
        return
    try:
        report = build_index(corpus_dir, index_dir, incremental=incremental, progress=not quiet,
                             skip_bad=skip_bad, if_missing=if_missing, wait=wait, procs=procs)
    except (LockBusy, ForeignIndexDir, BuildFailed, WorkerLost, WorkerFailed) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # e.g. --index-dir is a file, or not writable
        raise click.ClickException(f"cannot write the index at {index_dir}: {exc.strerror or exc}") from None
    except CorpusErrors as exc:
        from reading.problems import capped

        for line in capped(exc.problems):
            click.echo(line, err=True)
        raise click.ClickException(
            f"{len(exc.problems)} corpus error(s): the index was not changed "
            "(fix them, or use --skip-bad to index the rest)") from None
    from reading.problems import capped

    for line in capped(report.warnings, prefix="warning: "):
        click.echo(line, err=True)
    if not report.built:
        click.echo(f"index present at {report.generation}; nothing to do", err=True)
        return
    for line in capped(report.skipped, prefix="skipped: "):
        click.echo(line, err=True)
    for line in capped(report.degraded, prefix="indexed without the field: "):
        click.echo(line, err=True)
    how = "incremental update" if report.incremental else "full build"
    click.echo(f"{how}: {report.documents} documents (added {report.added}, updated {report.updated}, "
               f"deleted {report.deleted}, unchanged {report.unchanged}, skipped {len(report.skipped)}"
               + (f", indexed without a bad field {len(report.degraded)}" if report.degraded else "") + ") "
               f"in {report.seconds:.1f}s -> {report.generation}", err=True)


@click.command("search")
@click.argument("query", nargs=-1)
@click.option("--org", "organisation", multiple=True, help="Organisation (repeatable: any of them).")
@click.option("--type", "doc_type", multiple=True, help="Document type (repeatable).")
@click.option("--year", multiple=True, help="A year (2019) or a range (2019..2021) (repeatable: any of them).")
@click.option("--lang", "language", multiple=True, help="Language: en, km, mixed... (repeatable).")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance", show_default=True)
@click.option("--page", type=int, default=1, show_default=True)
@click.option("--per-page", type=int, default=10, show_default=True)
@click.option("--expand/--no-expand", default=True, show_default=True,
              help="Also search the lexicon's translations and variants of the query's terms.")
@click.option("--typos/--no-typos", default=True, show_default=True,
              help="Also search the nearest vocabulary words of query words the index lacks.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (indexer/search_schema.json).")
@index_option
def search_command(query, organisation, doc_type, year, language, sort, page, per_page, expand, typos, as_json,
                   index_dir):
    """Search the index. QUERY syntax: words, "phrases", AND/OR/NOT, -word, title:, org:, type:, year:Y1..Y2."""
    from indexer.layout import NoIndexError
    from indexer.search import BadParameter, SearchRequest, SearchService

    try:
        request = SearchRequest.from_params(q=" ".join(query), organisation=organisation, doc_type=doc_type,
                                            year=list(year), language=language, sort=sort, page=page,
                                            per_page=per_page, expand=expand, typos=typos)
    except BadParameter as exc:
        raise click.BadParameter(exc.message, param_hint=f"--{exc.name.replace('_', '-')}") from None
    from indexer.layout import default_index_dir

    service = SearchService(index_dir or default_index_dir())
    try:
        result = service.search(request)
    except NoIndexError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        service.close()
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(format_text(result, color=sys.stdout.isatty()))


def format_text(result: dict, color: bool = False) -> str:
    """Human-readable result list: numbered hits with their snippet, then the facet counts."""
    from indexer.textout import render_text

    return render_text(result, color=color)


COMMANDS: list[click.Command] = [index_command, search_command]
