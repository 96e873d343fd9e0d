"""What every command shares: settings, an open database, output as text or `--json`, one-line errors."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from meetkit.config import Settings, load_settings, with_secret
from meetkit.domain.errors import MeetkitError
from meetkit.services.dialin import assign_missing_pins
from meetkit.storage.database import Database, database_for

AsyncCommand = Callable[[argparse.Namespace, Settings, Database], Awaitable[int]]


class CommandError(Exception):
    """An error to print as one line on stderr, exiting with status 2."""


def run_command(args: argparse.Namespace) -> int:
    """Load settings, then run the chosen command's handler."""
    try:
        settings = with_secret(load_settings(env_file=args.env_file))
        handler = args.handler
        if getattr(args, "needs_database", True):
            return asyncio.run(_with_database(handler, args, settings))
        result: int = handler(args, settings)
        return result
    except MeetkitError as error:
        raise CommandError(error.message) from None
    except OSError as error:
        raise CommandError(f"{error.strerror}: {error.filename}" if error.filename else str(error)) from None


async def _with_database(handler: AsyncCommand, args: argparse.Namespace, settings: Settings) -> int:
    db = database_for(settings.database_url)
    await db.open()
    try:
        await assign_missing_pins(db, settings)  # groups from before dial-in was configured

        return await handler(args, settings, db)
    finally:
        await db.close()


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """Add `--json`: print one JSON document and nothing else on stdout."""
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def emit(args: argparse.Namespace, data: Any, lines: list[str]) -> None:
    """Print `data` as JSON with --json, else the human-readable `lines`."""
    if getattr(args, "json", False):
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for line in lines:
            print(line)
