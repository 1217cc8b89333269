"""The `bayon` command line: a click group that registers each package's sub-commands.

Data flow: corpus/ (files) -> reading (records) -> analyzers (tokens) -> lexicon (cross-language expansion) -> indexer
(Whoosh index, search service) -> webui. Each package defines its commands in `<package>/commands.py`
(a `COMMANDS` list) next to the code they drive, with heavy imports inside the command bodies, so that
`bayon segment` does not pay for Flask, nor `bayon serve` for the CRF model until it is needed.
"""
from __future__ import annotations

import click

from analyzers.commands import COMMANDS as analyzer_commands
from reading.commands import COMMANDS as corpus_commands
from indexer.commands import COMMANDS as indexer_commands
from lexicon.commands import COMMANDS as lexicon_commands
from webui.commands import COMMANDS as webui_commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="bayon")
def main() -> None:
    """bayon: bilingual Khmer + English search over human-rights publications."""


for command in (*corpus_commands, *analyzer_commands, *indexer_commands, *lexicon_commands, *webui_commands):
    main.add_command(command)
