"""`meetkit backup -o FILE`: a consistent backup of the configured database while the server runs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from meetkit.cli.common import add_json_flag, emit
from meetkit.cli.messages import command_error, translator
from meetkit.config import SECRET_FILE, Settings
from meetkit.storage.backup import make_backup
from meetkit.storage.endpoints import ToolError


def register(subparsers: Any) -> None:
    """Add the `backup` command."""
    parser = subparsers.add_parser(
        "backup",
        help="back up the database while meetkit runs (restoring: docs/deploy.md)",
        description=(
            "SQLite: an online backup into one database file. PostgreSQL: pg_dump --format=custom (restore "
            "with pg_restore). Back up the data dir's secret.key too, unless MEETKIT_SECRET is set."
        ),
    )
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="FILE", help="the backup file")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    add_json_flag(parser)
    parser.set_defaults(handler=backup_command, needs_database=False)


def backup_command(args: argparse.Namespace, settings: Settings) -> int:
    """Write the backup and say what else to keep."""
    try:
        result = make_backup(settings.database_url, args.output, force=args.force)
    except ToolError as error:
        raise command_error(error) from None
    secret_file = _secret_file(settings)
    _ = translator()
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
    return path if path.is_file() and path.read_text().strip() == settings.secret else None
