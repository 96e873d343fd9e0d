"""`meetkit group import FILE [--contact-point SLUG] [--dry-run] [--json]`: many groups from a CSV or .xlsx list."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meetkit.cli.common import CommandError, add_json_flag, emit
from meetkit.cli.language import _
from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR

if TYPE_CHECKING:
    from meetkit.domain.group_import import PlannedRow


if TYPE_CHECKING:
    from meetkit.storage.database import Database


MAX_FILE_BYTES = 16 * 1024 * 1024  # a state-wide list of 11,000 groups is well under 1 MB


def register(commands: Any) -> None:
    """Add `group import` to the `group` command group."""
    parser = commands.add_parser(
        "import",
        help=_("Gruppen aus einer Liste anlegen (CSV oder Excel .xlsx; Spalte „Name“ oder „Gruppe“)"),
    )
    parser.add_argument("file", type=Path, metavar=_("DATEI"), help=_("CSV- oder .xlsx-Datei"))
    parser.add_argument(
        "--contact-point", metavar=_("KURZNAME"), help=_("die Kontaktstelle, zu der die Gruppen gehören")
    )
    parser.add_argument(
        "--dry-run", action="store_true", help=_("nur zeigen, was angelegt würde; nichts speichern")
    )
    add_json_flag(parser)
    parser.set_defaults(handler=import_groups)


def read_file(path: Path) -> bytes:
    """The file's bytes, refusing one too large to be a list of groups."""
    if path.is_file() and path.stat().st_size > MAX_FILE_BYTES:
        raise CommandError(
            _("{path} ist zu groß für eine Liste von Gruppen (höchstens 16 MB).").format(path=path)
        )
    return path.read_bytes()


def problem_text(row: PlannedRow) -> str:
    """Why a row is left out, in the command line's language."""
    return _(row.problem).format(**row.values) if row.problem else ""


async def import_groups(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Import the list (or, with --dry-run, only check it) and print what became of each row."""
    from meetkit.services import group_import
    from meetkit.services.directory import group_json

    listed = await group_import.read_list(read_file(args.file))
    result = await group_import.import_groups(
        db, settings, OPERATOR, args.contact_point, listed, dry_run=args.dry_run
    )
    plan = result.plan
    skipped = [
        {"line": row.line, "name": row.name, "status": row.status, "reason": problem_text(row)}
        for row in plan.skipped_rows
    ]
    created = [group_json(settings, issued.group, issued.leader_token) for issued in result.created]
    data = {
        "contact_point": result.contact_point.slug,
        "dry_run": result.dry_run,
        "name_column": plan.name_column,
        "ignored_columns": list(plan.ignored_columns),
        "new": len(plan.new_rows),
        "created": created,
        "skipped": skipped,
    }
    lines = [f"{g['id']}\t{g['name']}\t{g['leader_url']}" for g in created]
    lines += [_("Zeile {line}: {name}: {reason}").format(**s) for s in skipped]
    if plan.ignored_columns:
        lines.append(
            _("Nicht übernommen (andere Spalten): {columns}").format(columns=", ".join(plan.ignored_columns))
        )
    if result.dry_run:
        lines.append(
            _(
                "Probelauf: {new} Gruppen würden angelegt, {skipped} Zeilen übersprungen; nichts gespeichert."
            ).format(new=len(plan.new_rows), skipped=len(skipped))
        )
    else:
        lines.append(
            _("{new} Gruppen angelegt in {slug}, {skipped} Zeilen übersprungen.").format(
                new=len(result.created), slug=result.contact_point.slug, skipped=len(skipped)
            )
        )
        if result.created:
            lines.append(
                _("Die Links für die Leitungen vertraulich weitergeben: sie werden nur jetzt angezeigt.")
            )
    emit(args, data, lines)
    return 0
