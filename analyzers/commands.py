"""Click sub-commands of the `bayon` CLI that drive this package (registered by bayon.cli)."""
from __future__ import annotations

import sys

import click


def _engine_choice():
    from analyzers.segment import ENGINES

    return click.Choice(sorted(ENGINES))


@click.command("analyze")
@click.option("--lang", type=click.Choice(["auto", "en", "km"]), default="auto", show_default=True,
              help="auto: script-aware mixed analyzer; en: English only; km: Khmer words only.")
@click.option("--subword", is_flag=True, help="Use the Khmer sub-word (syllable) analyzer instead.")
@click.option("--query", "query_mode", is_flag=True, help="Analyze as a query (hyphenated words as phrases).")
@click.argument("text", nargs=-1)
def analyze(lang: str, subword: bool, query_mode: bool, text: tuple[str, ...]) -> None:
    """Print the tokens of TEXT (or of standard input), one per line:
    token, start, end, and the original text[start:end]."""
    from analyzers import EnglishAnalyzer, KhmerAnalyzer, KhmerSubwordAnalyzer, MixedAnalyzer

    value = " ".join(text) if text else sys.stdin.read()
    if subword:
        analyzer = KhmerSubwordAnalyzer()
    else:
        analyzer = {"auto": MixedAnalyzer, "en": EnglishAnalyzer, "km": KhmerAnalyzer}[lang]()
    mode = "query" if query_mode else "index"
    for token in analyzer(value, positions=True, chars=True, mode=mode):
        click.echo(f"{token.text}\t{token.startchar}\t{token.endchar}\t{value[token.startchar:token.endchar]}")


@click.command("segment")
@click.option("--engine", default=None, help="Khmer segmentation engine (default: the measured best).")
def segment_command(engine: str | None) -> None:
    """Segment Khmer lines from standard input into words separated by one space.

    One output line per input line (empty lines stay empty); apart from the separating spaces
    every character is kept. Existing whitespace inside a line counts as a word break."""
    from analyzers.segment import ENGINES, segment

    if engine is not None and engine not in ENGINES:
        raise click.BadParameter(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}",
                                 param_hint="--engine")
    out = sys.stdout
    for number, raw in enumerate(sys.stdin.buffer, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            click.echo(f"stdin:{number}: not valid UTF-8 ({error.reason} at byte {error.start})", err=True)
            sys.exit(1)
        line = line.rstrip("\n").removesuffix("\r")
        words = [word for chunk in line.split() for word in segment(chunk, engine)]
        out.write(" ".join(words) + "\n")
    out.flush()


segment_command.name = "segment"

COMMANDS: list[click.Command] = [analyze, segment_command]
