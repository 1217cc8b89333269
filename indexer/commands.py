"""Click sub-commands of the `bayon` CLI that drive this package (registered by bayon.cli)."""
from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
