"""`meetkit db init`: create and migrate the configured database (no other command creates one)."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from meetkit.cli.common import add_json_flag, database_exists, database_location, emit, open_database
from meetkit.cli.language import _
from meetkit.config import Settings


def register(subparsers: Any) -> None:
    """Add the `db` command group."""
    parser = subparsers.add_parser("db", help=_("die Datenbank einrichten"))
    commands = parser.add_subparsers(dest="subcommand", required=True, metavar=_("UNTERBEFEHL"))
    init = commands.add_parser(
        "init",
        help=_("die eingestellte Datenbank anlegen oder auf den neuesten Stand bringen"),
        description=_(
            "Legt die eingestellte Datenbank (MEETKIT_DATA_DIR oder MEETKIT_DATABASE_URL) und den "
            "Schlüssel an, falls sie fehlen, und bringt das Schema auf den neuesten Stand. Andere Befehle "
            "legen nie eine Datenbank an; „meetkit serve“ bringt sie beim Start auf den neuesten Stand."
        ),
    )
    add_json_flag(init)
    init.set_defaults(handler=init_database, needs_database=False, creates_database=True)


def init_database(args: argparse.Namespace, settings: Settings) -> int:
    """Create or migrate the database and say which it was."""
    existed = database_exists(settings)
    asyncio.run(_migrate(settings))
    where = database_location(settings)
    if existed:
        line = _("Datenbank {path} ist auf dem neuesten Stand.").format(path=where)
    else:
        line = _("Datenbank {path} angelegt.").format(path=where)
    emit(args, {"database": where, "created": not existed}, [line])
    return 0


async def _migrate(settings: Settings) -> None:
    db = await open_database(settings, create=True)
    await db.close()
