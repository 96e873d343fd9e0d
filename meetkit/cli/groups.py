"""`meetkit group add|list|show|rotate|rename|archive|delete`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from meetkit.cli import group_import
from meetkit.cli.common import CommandError, add_json_flag, emit
from meetkit.cli.language import N_, _
from meetkit.cli.times import local_time
from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR

if TYPE_CHECKING:
    from meetkit.storage.database import Database


GROUP_HELP = N_("Nummer oder eindeutiger Name der Gruppe")


def register(subparsers: Any) -> None:
    """Add the `group` command group."""
    parser = subparsers.add_parser("group", help=_("Gruppen verwalten"))
    commands = parser.add_subparsers(dest="subcommand", required=True, metavar=_("UNTERBEFEHL"))

    add = commands.add_parser(
        "add", help=_("eine Gruppe mit Raum, Link für Mitglieder und Link für die Leitung anlegen")
    )
    add.add_argument("name", metavar="NAME")
    add.add_argument(
        "--contact-point", metavar=_("KURZNAME"), help=_("die Kontaktstelle, zu der die Gruppe gehört")
    )
    add_json_flag(add)
    add.set_defaults(handler=add_group)

    listing = commands.add_parser("list", help=_("Gruppen auflisten"))
    listing.add_argument(
        "--contact-point", metavar=_("KURZNAME"), help=_("nur die Gruppen dieser Kontaktstelle")
    )
    add_json_flag(listing)
    listing.set_defaults(handler=list_groups)

    show = commands.add_parser("show", help=_("eine Gruppe zeigen"))
    show.add_argument("group", metavar=_("GRUPPE"), help=_(GROUP_HELP))
    add_json_flag(show)
    show.set_defaults(handler=show_group)

    rotate = commands.add_parser(
        "rotate",
        help=_("neuer Raum, Mitglieder-Code, Leitungslink und PIN; die alten gelten sofort nicht mehr"),
    )
    rotate.add_argument("group", metavar=_("GRUPPE"), help=_(GROUP_HELP))
    add_json_flag(rotate)
    rotate.set_defaults(handler=rotate_group)

    rename = commands.add_parser("rename", help=_("eine Gruppe umbenennen"))
    rename.add_argument("group", metavar=_("GRUPPE"), help=_(GROUP_HELP))
    rename.add_argument("name", metavar=_("NEUER_NAME"))
    add_json_flag(rename)
    rename.set_defaults(handler=rename_group)

    archive = commands.add_parser(
        "archive", help=_("eine Gruppe archivieren: ihre Links und ihre PIN gelten sofort nicht mehr")
    )
    archive.add_argument("group", metavar=_("GRUPPE"), help=_(GROUP_HELP))
    add_json_flag(archive)
    archive.set_defaults(handler=archive_group)

    delete = commands.add_parser(
        "delete",
        help=_("eine Gruppe löschen: Links, PIN und Termine sind weg, gezählte Treffen bleiben im Bericht"),
    )
    delete.add_argument("group", metavar=_("GRUPPE"), help=_(GROUP_HELP))
    delete.add_argument("--yes", action="store_true", help=_("ja, wirklich löschen (ohne Rückfrage)"))
    add_json_flag(delete)
    delete.set_defaults(handler=delete_group)

    group_import.register(commands)


LABELS = {
    "id": N_("Gruppe"),
    "name": N_("Name"),
    "room": N_("Raum"),
    "member_url": N_("Link für Mitglieder"),
    "leader_url": N_("Link für die Leitung"),
    "pin": N_("PIN"),
}


def _lines(data: dict[str, Any]) -> list[str]:
    lines = [f"{_(label)}: {data[key]}" for key, label in LABELS.items() if data.get(key) is not None]
    if data.get("renewed_at"):
        lines.append(_("Links erneuert: {time}").format(time=local_time(data["renewed_at"])))
    return lines


async def add_group(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Create a group and print its links (the leader link is shown only now)."""
    from meetkit.services import directory

    issued = await directory.add_group(db, settings, OPERATOR, args.name, args.contact_point)
    data = directory.group_json(settings, issued.group, issued.leader_token)
    notice = _("Den Link für die Leitung vertraulich weitergeben: er wird nur jetzt angezeigt.")
    emit(args, data, [*_lines(data), "", notice])
    return 0


async def list_groups(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """List groups."""
    from meetkit.services import directory

    found = await directory.list_groups(db, OPERATOR, args.contact_point)
    data = [directory.group_json(settings, group) for group in found]
    emit(args, {"groups": data}, [f"{g['id']}\t{g['name']}\t{g['member_url']}" for g in data])
    return 0


async def show_group(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Show one group."""
    from meetkit.services import directory

    group = await directory.find_group(db, OPERATOR, args.group)
    data = directory.group_json(settings, group)
    emit(args, data, _lines(data))
    return 0


async def rotate_group(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Renew a group's links and PIN and print the new ones."""
    from meetkit.services import directory

    issued = await directory.rotate_group(db, settings, OPERATOR, args.group)
    data = directory.group_json(settings, issued.group, issued.leader_token)
    notice = _(
        "Der alte Link für Mitglieder, der alte Link für die Leitung und die alte PIN gelten nicht mehr."
    )
    emit(args, data, [*_lines(data), "", notice])
    return 0


async def rename_group(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Give a group a new name."""
    from meetkit.services import directory, group_changes

    group = await group_changes.rename_group(db, OPERATOR, args.group, args.name)
    data = directory.group_json(settings, group)
    emit(args, data, _lines(data))
    return 0


async def archive_group(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Archive a group: its links and PIN stop at once."""
    from meetkit.services import group_changes

    group = await group_changes.archive_group(db, settings, OPERATOR, args.group)
    emit(
        args,
        {"id": group.id, "name": group.name, "archived_at": group.archived_at},
        [
            _("Gruppe {id} ({name}) ist archiviert: ihre Links und ihre PIN gelten nicht mehr.").format(
                id=group.id, name=group.name
            )
        ],
    )
    return 0


async def delete_group(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Delete a group (only with --yes); its counted attendance stays in the reports."""
    from meetkit.services import directory, group_changes

    if not args.yes:
        group = await directory.find_group(db, OPERATOR, args.group)
        raise CommandError(
            _(
                "Gruppe {id} ({name}) würde mit ihren Links, ihrer PIN und ihren Terminen gelöscht; "
                "gezählte Treffen bleiben im Bericht. Zum Löschen --yes angeben."
            ).format(id=group.id, name=group.name)
        )
    group = await group_changes.delete_group(db, settings, OPERATOR, args.group)
    emit(
        args,
        {"id": group.id, "name": group.name, "deleted": True},
        [_("Gruppe {id} ({name}) ist gelöscht.").format(id=group.id, name=group.name)],
    )
    return 0
