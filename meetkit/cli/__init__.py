"""The `meetkit` command: one module per command group, each exposing `register(subparsers)`."""

from __future__ import annotations

import argparse
import sys
from types import ModuleType

from meetkit.cli import (
    api_tokens,
    audit,
    check,
    contact_points,
    devices,
    groups,
    report,
    schedule,
    serve,
    sheets,
    users,
)
from meetkit.cli.common import CommandError, run_command

COMMAND_MODULES: list[ModuleType] = [
    serve,
    contact_points,
    groups,
    schedule,
    devices,
    api_tokens,
    check,
    report,
    sheets,
    users,
    audit,
]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every command module's subcommands."""
    parser = argparse.ArgumentParser(
        prog="meetkit", description="Support toolkit for hybrid self-help group meetings on Jitsi Meet."
    )
    parser.add_argument("--env-file", default=".env", help="read settings from this file too (default: .env)")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    args = build_parser().parse_args(argv)
    try:
        return run_command(args)
    except CommandError as error:
        print(f"meetkit: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
