"""The `meetkit` command: one module per command group, each exposing `register(subparsers)`."""

from __future__ import annotations

import argparse
import os
import sys
from types import ModuleType

from meetkit.cli import (
    api_tokens,
    audit,
    backup,
    check,
    contact_points,
    database,
    devices,
    groups,
    invitations,
    loans,
    privacy,
    purge,
    report,
    schedule,
    serve,
    sheets,
    users,
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
    loans,
    api_tokens,
    check,
    report,
    sheets,
    backup,
    users,
    audit,
    invitations,
    purge,
    privacy,
]

# Output into a pipe that the reader closed (`meetkit ... | head`) ends quietly with the status a shell
# reports for a program stopped by SIGPIPE (128 + 13), as `cat` or `grep` would: no traceback.
BROKEN_PIPE_STATUS = 141


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every command module's subcommands."""
    parser = argparse.ArgumentParser(
        prog="meetkit",
        description=_("Werkzeuge für hybride Selbsthilfe-Gruppentreffen mit Jitsi Meet."),
        epilog=_(
            "Sprache: Deutsch; Englisch, wenn LC_ALL, LC_MESSAGES oder LANG mit „en“ beginnt. "
            "Ausgabe in eine geschlossene Pipe (z. B. „| head“) endet still mit Status 141."
        ),
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
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return status
    except CommandError as error:
        print(_("meetkit: Fehler: {message}").format(message=error), file=sys.stderr)
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return BROKEN_PIPE_STATUS
    except KeyboardInterrupt:
        return 130


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that flushing it at exit raises nothing more."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
