"""`meetkit backup -o FILE`: a consistent backup of the configured database while the server runs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from meetkit.cli.common import add_json_flag, emit
from meetkit.cli.language import _
from meetkit.cli.messages import command_error
from meetkit.config import SECRET_FILE, Settings


def register(subparsers: Any) -> None:
    """Add the `backup` command."""
    parser = subparsers.add_parser(
        "backup",
        help=_("die Datenbank sichern, während meetkit läuft (Wiederherstellen: docs/deploy.md)"),
        description=_(
            "SQLite: eine Online-Sicherung in eine Datenbankdatei. PostgreSQL: pg_dump --format=custom "
            "(wiederherstellen mit pg_restore). Sichern Sie auch secret.key aus dem Datenordner, außer "
            "MEETKIT_SECRET ist gesetzt."
        ),
    )
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar=_("DATEI"), help=_("die Sicherungsdatei")
    )
    parser.add_argument("--force", action="store_true", help=_("DATEI überschreiben, wenn es sie gibt"))
    add_json_flag(parser)
    parser.set_defaults(handler=backup_command, needs_database=False)


def backup_command(args: argparse.Namespace, settings: Settings) -> int:
    """Write the backup and say what else to keep."""
    from meetkit.storage.backup import make_backup
    from meetkit.storage.endpoints import ToolError

    try:
        result = make_backup(settings.database_url, args.output, force=args.force)
    except ToolError as error:
        raise command_error(error) from None
    secret_file = _secret_file(settings)
    lines = [
        _("Sicherung von {database} geschrieben: {file} ({size} Bytes).").format(
            database=result.database, file=result.file, size=result.size
        )
    ]
    if secret_file is not None:
        lines.append(_("Sichern Sie auch {secret} (getrennt aufbewahren).").format(secret=secret_file))
    data = {
        "file": str(result.file),
        "database": result.database,
        "method": result.method,
        "bytes": result.size,
        "secret_key_file": None if secret_file is None else str(secret_file),
    }
    emit(args, data, lines)
    return 0


def _secret_file(settings: Settings) -> Path | None:
    """The data dir's secret.key when it holds the secret in use (not when MEETKIT_SECRET sets another)."""
    path = settings.data_dir / SECRET_FILE
    if not path.is_file():
        return None
    return None if settings.secret and path.read_text().strip() != settings.secret else path
