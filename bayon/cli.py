"""The `bayon` command line: one sub-command per concern, each a thin shell over its package.

Data flow: corpus (records) -> analyzers (tokens) -> lexicon (cross-language expansion) -> indexer (Whoosh index, search service) -> webui.
Imports are lazy so that `bayon segment` does not pay for Flask, nor `bayon serve` for the CRF model
until it is needed.
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_corpus_dir() -> Path:
    return Path(os.environ.get("BAYON_CORPUS_DIR", PROJECT_ROOT / "corpus"))


def default_index_dir() -> Path:
    return Path(os.environ.get("BAYON_INDEX_DIR", PROJECT_ROOT / "var" / "index"))


corpus_option = click.option(
    "--corpus", "corpus_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Corpus directory (sources/ and/or documents/). Default: the project's corpus/ or $BAYON_CORPUS_DIR.")
index_option = click.option(
    "--index-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Index directory. Default: var/index under the project, or $BAYON_INDEX_DIR.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bayon")
def main() -> None:
    """bayon: bilingual Khmer + English search over human-rights publications."""


# --------------------------------------------------------------------------- corpus
@main.group()
def corpus() -> None:
    """Validate and inspect the corpus."""


@corpus.command("check")
@corpus_option
def corpus_check(corpus_dir: Path | None) -> None:
    """Validate every source and document; print problems as file:line: message."""
    from corpus.loader import load_corpus

    result = load_corpus(corpus_dir or default_corpus_dir())
    for problem in result.problems:
        click.echo(str(problem), err=problem.severity == "error")
    errors = sum(1 for p in result.problems if p.severity == "error")
    warnings = len(result.problems) - errors
    click.echo(f"{len(result.records)} records, {errors} errors, {warnings} warnings", err=True)
    sys.exit(1 if errors else 0)


@corpus.command("dump")
@corpus_option
def corpus_dump(corpus_dir: Path | None) -> None:
    """Print every record as JSON Lines with all its fields."""
    from corpus.loader import load_corpus

    result = load_corpus(corpus_dir or default_corpus_dir())
    for record in result.records:
        click.echo(json.dumps(record.to_dict(), ensure_ascii=False))
    for problem in result.problems:
        click.echo(str(problem), err=True)
    sys.exit(1 if any(p.severity == "error" for p in result.problems) else 0)


# Each package contributes its own sub-commands (analyze, segment / index, search / serve ...),
# defined next to the code they drive, with their heavy imports inside the command bodies.
def _register_package_commands() -> None:
    from analyzers.commands import COMMANDS as analyzer_commands
    from indexer.commands import COMMANDS as indexer_commands
    from lexicon.commands import COMMANDS as lexicon_commands
    from webui.commands import COMMANDS as webui_commands

    for command in (*analyzer_commands, *indexer_commands, *lexicon_commands, *webui_commands):
        main.add_command(command)


_register_package_commands()
