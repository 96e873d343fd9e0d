"""The `meetkit` command: one module per command group, each exposing `register(subparsers)`."""

from __future__ import annotations

import argparse
import sys
from types import ModuleType

from meetkit.cli import (
    api_tokens,
    check,
    contact_points,
    database,
    devices,
    groups,
    report,
    schedule,
    serve,
    sheets,
)
from meetkit.cli.common import CommandError, run_command
from meetkit.cli.language import _

COMMAND_MODULES: list[ModuleType] = [
    serve,
    database,
    contact_points,
    groups,
    schedule,
    devices,
    api_tokens,
    check,
    report,
    sheets,
]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every command module's subcommands."""
    parser = argparse.ArgumentParser(
        prog="meetkit",
        description=_("Werkzeuge für hybride Selbsthilfe-Gruppentreffen mit Jitsi Meet."),
        epilog=_("Sprache: Deutsch; Englisch, wenn LC_ALL, LC_MESSAGES oder LANG mit „en“ beginnt."),
    )
    parser.add_argument(
        "--env-file", default=".env", help=_("Einstellungen auch aus dieser Datei lesen (Vorgabe: .env)")
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar=_("BEFEHL"))
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    try:
        status = run_command(build_parser().parse_args(argv))
        return status
    except CommandError as error:
        print(_("meetkit: Fehler: {message}").format(message=error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
