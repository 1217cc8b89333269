"""Click sub-commands of the `bayon` CLI that drive this package (registered by bayon.cli): corpus check|dump."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

# Shared with the other packages' commands that read a corpus (index, lexicon suggest).
corpus_option = click.option(
    "--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Corpus directory (sources/ and/or documents/). Default: the project's corpus/ or $BAYON_CORPUS_DIR.")


@click.group()
def corpus() -> None:
    """Validate and inspect the corpus."""


@corpus.command("check")
@corpus_option
def corpus_check(corpus_dir: Path | None) -> None:
    """Validate every source and document; print problems as file:line: message."""
    from reading.loader import default_corpus_dir, load_corpus

    from reading.problems import capped

    result = load_corpus(corpus_dir or default_corpus_dir())
    for line in capped([p for p in result.problems if p.severity == "error"]):
        click.echo(line, err=True)
    for line in capped([p for p in result.problems if p.severity != "error"]):
        click.echo(line)
    errors = sum(1 for p in result.problems if p.severity == "error")
    warnings = len(result.problems) - errors
    click.echo(f"{len(result.records)} records, {errors} errors, {warnings} warnings", err=True)
    sys.exit(1 if errors else 0)


@corpus.command("dump")
@corpus_option
def corpus_dump(corpus_dir: Path | None) -> None:
    """Print every record as JSON Lines with all its fields."""
    from reading.loader import default_corpus_dir, load_corpus
    from reading.problems import capped

    result = load_corpus(corpus_dir or default_corpus_dir())
    for record in result.records:
        click.echo(json.dumps(record.to_dict(), ensure_ascii=False))
    for line in capped(result.problems):
        click.echo(line, err=True)
    sys.exit(1 if any(p.severity == "error" for p in result.problems) else 0)


COMMANDS: list[click.Command] = [corpus]
