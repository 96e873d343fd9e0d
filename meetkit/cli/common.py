"""What every command shares: settings, the database (never created silently), `--json`, one-line errors."""

from __future__ import annotations

import argparse
import asyncio
import errno
import json
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from meetkit.cli.language import N_, _, translate_message
from meetkit.config import Settings, load_settings, with_secret
from meetkit.domain.errors import MeetkitError

if TYPE_CHECKING:  # storage and services are imported when a command runs, not when it is registered
    from meetkit.storage.database import Database

AsyncCommand = Callable[[argparse.Namespace, Settings, "Database"], Awaitable[int]]


class CommandError(Exception):
    """An error to print as one line on stderr, exiting with status 2."""


def run_command(args: argparse.Namespace) -> int:
    """Load settings, then run the chosen command's handler.

    A command's defaults say what it needs: `needs_database` (default true) opens the existing database;
    `creates_database` (serve, db init) may create the database and the generated secret.
    """
    try:
        settings = load_settings(env_file=args.env_file)
        creates = bool(getattr(args, "creates_database", False))
        handler = args.handler
        if getattr(args, "needs_database", True):
            if not creates:
                require_database(settings)  # before the secret: the refusal names the database first
            settings = with_secret(settings, create=creates)
            return asyncio.run(_with_database(handler, args, settings, creates))
        if creates:
            settings = with_secret(settings, create=True)
        result: int = handler(args, settings)
        return result
    except MeetkitError as error:
        raise CommandError(translate_message(error.message)) from None
    except BrokenPipeError:
        raise
    except OSError as error:
        raise CommandError(os_error_text(error)) from None


def database_exists(settings: Settings) -> bool:
    """Whether the configured database exists; the one place that knows how to tell, per kind of database."""
    if settings.database_path is not None:
        return settings.database_path.is_file()
    from meetkit.storage.postgres import schema_exists

    return schema_exists(settings.database_url)


def database_location(settings: Settings) -> str:
    """Where the configured database is (absolute path, or the URL without its password), for messages."""
    if settings.database_path is not None:
        return str(settings.database_path.absolute())
    from meetkit.storage.database import shown_url

    return shown_url(settings.database_url)


def require_database(settings: Settings) -> None:
    """Raise CommandError saying where meetkit looked and what to do, unless the database exists."""
    if not database_exists(settings):
        raise CommandError(
            _(
                "Keine Datenbank unter {path}. meetkit legt hier keine neue an: den Befehl im Ordner der "
                "Installation ausführen, MEETKIT_DATA_DIR (oder MEETKIT_DATABASE_URL) auf die vorhandene "
                "Datenbank setzen oder mit „meetkit db init“ eine neue anlegen."
            ).format(path=database_location(settings))
        )


async def open_database(settings: Settings, create: bool = False) -> Database:
    """Open (and migrate) the configured database; only with `create` may it be made new."""
    from meetkit.storage.database import database_for

    if not create:
        require_database(settings)
    db = database_for(settings.database_url)
    await db.open()
    return db


async def _with_database(
    handler: AsyncCommand, args: argparse.Namespace, settings: Settings, create: bool
) -> int:
    from meetkit.services.dialin import assign_missing_pins

    db = await open_database(settings, create)
    try:
        await assign_missing_pins(db, settings)  # groups from before dial-in was configured

        return await handler(args, settings, db)
    finally:
        await db.close()


_OS_ERRORS = {
    errno.ENOENT: N_("Datei oder Ordner nicht gefunden"),
    errno.EACCES: N_("keine Berechtigung"),
    errno.EPERM: N_("keine Berechtigung"),
    errno.EISDIR: N_("das ist ein Ordner"),
    errno.ENOTDIR: N_("ein Teil des Pfads ist kein Ordner"),
    errno.ENOSPC: N_("kein Platz mehr auf dem Datenträger"),
    errno.EROFS: N_("nur lesbares Dateisystem"),
}


def os_error_reason(error: OSError) -> str:
    """Return why an operating system call failed, in the command line's language where known."""
    return _(_OS_ERRORS[error.errno]) if error.errno in _OS_ERRORS else (error.strerror or str(error))


def os_error_text(error: OSError) -> str:
    """Return an operating system error as one line: the file, then why."""
    reason = os_error_reason(error)
    return f"{error.filename}: {reason}" if error.filename else reason


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """Add `--json`: print one JSON document and nothing else on stdout."""
    parser.add_argument("--json", action="store_true", help=_("ein JSON-Dokument ausgeben"))


def emit(args: argparse.Namespace, data: Any, lines: list[str]) -> None:
    """Print `data` as JSON with --json, else the human-readable `lines`."""
    if getattr(args, "json", False):
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for line in lines:
            print(line)
