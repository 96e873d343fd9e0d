"""`meetkit db init` creates and migrates the configured database (no other command creates one);
`meetkit db copy --to URL` moves an installation to another database."""

from __future__ import annotations

import argparse
import asyncio
from typing import Any

from meetkit.cli.common import add_json_flag, database_exists, database_location, emit, open_database
from meetkit.cli.language import _
from meetkit.cli.messages import command_error
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
    _register_copy(commands)


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


def _register_copy(commands: Any) -> None:
    copy = commands.add_parser(
        "copy",
        help=_("alles aus der eingestellten Datenbank in eine andere, leere kopieren"),
        description=_(
            "Kopiert jede Tabelle der eingestellten Datenbank (MEETKIT_DATABASE_URL, sonst die SQLite-Datei "
            "im Datenordner) in die Datenbank unter --to, die zuerst angelegt oder auf den neuesten Stand "
            "gebracht wird und noch keine Daten enthalten darf. Alles wird in einer Transaktion geschrieben: "
            "ein Fehler lässt das Ziel, wie es war. Danach MEETKIT_DATABASE_URL auf das Ziel setzen; den "
            "Schlüssel secret.key im Datenordner behalten."
        ),
    )
    copy.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="postgresql://BENUTZER:PASSWORT@HOST:PORT/DB oder sqlite:///PFAD",
    )
    add_json_flag(copy)
    copy.set_defaults(handler=copy_command, needs_database=False)


def copy_command(args: argparse.Namespace, settings: Settings) -> int:
    """Copy the configured database into `--to` and print the rows per table."""
    from meetkit.storage.endpoints import ToolError
    from meetkit.storage.transfer import copy_database

    try:
        result = copy_database(settings.database_url, args.to)
    except ToolError as error:
        raise command_error(error) from None
    lines = [_("Kopiert von {source} nach {target}:").format(source=result.source, target=result.target)]
    lines += [f"  {table}: {count}" for table, count in result.tables]
    lines.append(_("Zusammen {rows} Zeilen.").format(rows=result.total_rows))
    data = {
        "source": result.source,
        "target": result.target,
        "tables": dict(result.tables),
        "total_rows": result.total_rows,
    }
    emit(args, data, lines)
    return 0
