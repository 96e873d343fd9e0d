"""`meetkit db ...`: the database itself; `db copy --to URL` moves an installation to another database."""

from __future__ import annotations

import argparse
from typing import Any

from meetkit.cli.common import add_json_flag, emit
from meetkit.cli.messages import command_error, translator
from meetkit.config import Settings
from meetkit.storage.endpoints import ToolError
from meetkit.storage.transfer import copy_database


def register(subparsers: Any) -> None:
    """Add the `db` command group (each subcommand registers itself below)."""
    parser = subparsers.add_parser("db", help="the database: copy it to another one")
    commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
    _register_copy(commands)


def _register_copy(commands: Any) -> None:
    copy = commands.add_parser(
        "copy",
        help="copy everything from the configured database into another, empty one",
        description=(
            "Copies every table from the configured database (MEETKIT_DATABASE_URL, default the SQLite file "
            "in the data dir) into the database at --to, which is created or migrated first and must hold no "
            "data yet. All of it is written in one transaction: a failure leaves the target as it was. "
            "Afterwards point MEETKIT_DATABASE_URL at the target; keep the data dir's secret.key."
        ),
    )
    copy.add_argument(
        "--to", required=True, metavar="URL", help="postgresql://USER:PASSWORD@HOST:PORT/DB or sqlite:///PATH"
    )
    add_json_flag(copy)
    copy.set_defaults(handler=copy_command, needs_database=False)


def copy_command(args: argparse.Namespace, settings: Settings) -> int:
    """Copy the configured database into `--to` and print the rows per table."""
    try:
        result = copy_database(settings.database_url, args.to)
    except ToolError as error:
        raise command_error(error) from None
    _ = translator()
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
