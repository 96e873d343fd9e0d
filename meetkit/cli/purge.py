"""`meetkit purge [--dry-run]`: delete what retention says must go (the server also does it daily)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from meetkit.cli.common import add_json_flag, emit
from meetkit.cli.language import N_, _
from meetkit.config import Settings
from meetkit.domain.retention import Kind

if TYPE_CHECKING:
    from meetkit.storage.database import Database


LABELS = {
    Kind.MEETINGS: N_("Treffen vor dem {day} (ihre Monatssummen bleiben)"),
    Kind.AUDIT_ENTRIES: N_("Einträge im Audit-Protokoll, älter als 12 Monate"),
    Kind.SETUP_LINKS: N_("abgelaufene Einrichtungs-Links für Mitarbeitende"),
    Kind.PAIRING_LINKS: N_("abgelaufene Kopplungs-Links für Tablets"),
    Kind.STAFF_SESSIONS: N_("abgelaufene Anmeldesitzungen"),
    Kind.LOGIN_FAILURES: N_("Zähler fehlgeschlagener Anmeldungen, älter als 24 Stunden"),
}


def register(subparsers: Any) -> None:
    """Add the `purge` command."""
    parser = subparsers.add_parser(
        "purge",
        help=_("alte Treffen, alte Audit-Einträge und Abgelaufenes löschen"),
        description=_(
            "Löscht Treffen, die älter als MEETKIT_RETENTION_MONTHS Monate sind (die Monatssummen je "
            "Gruppe und Kontaktstelle bleiben), Audit-Einträge nach 12 Monaten und abgelaufene Links, "
            "Sitzungen und Anmeldezähler. „meetkit serve“ tut das täglich von selbst."
        ),
    )
    parser.add_argument(
        "--dry-run", action="store_true", help=_("nur sagen, was gelöscht würde; nichts ändern")
    )
    add_json_flag(parser)
    parser.set_defaults(handler=purge)


async def purge(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Purge (or preview) and say per kind how many rows went."""
    from meetkit.services import retention

    if args.dry_run:
        result = await retention.preview(db, settings)
        heading = _("Würde gelöscht (nichts wurde geändert):")
    else:
        result = await retention.purge(db, settings)
        heading = _("Gelöscht:")
    lines = [heading]
    for kind, count in result.removed.items():
        label = _(LABELS[kind]).format(day=result.cutoffs.meetings_before)
        lines.append(f"  {count:>8}  {label}")
    emit(args, result.as_json(), lines)
    return 0
