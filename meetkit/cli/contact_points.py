"""`meetkit contact-point add|list`."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from meetkit.cli.common import add_json_flag, emit
from meetkit.cli.language import _
from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR

if TYPE_CHECKING:
    from meetkit.storage.database import Database


def register(subparsers: Any) -> None:
    """Add the `contact-point` command group."""
    parser = subparsers.add_parser("contact-point", help=_("Kontaktstellen verwalten"))
    commands = parser.add_subparsers(dest="subcommand", required=True, metavar=_("UNTERBEFEHL"))

    add = commands.add_parser("add", help=_("eine Kontaktstelle anlegen; zeigt Nummer und Kurznamen"))
    add.add_argument("name", metavar="NAME")
    add.add_argument("--slug", help=_("Kurzname für Befehle (Vorgabe: aus NAME gebildet)"))
    add.add_argument(
        "--phone", help=_("Telefonnummer, unter der Mitglieder Hilfe bekommen (steht auf den Blättern)")
    )
    add.add_argument(
        "--hide-group-names",
        action="store_true",
        help=_("Gruppennamen nie auf Mitgliederseiten und Blättern zeigen"),
    )
    add_json_flag(add)
    add.set_defaults(handler=add_contact_point)

    listing = commands.add_parser("list", help=_("Kontaktstellen auflisten"))
    add_json_flag(listing)
    listing.set_defaults(handler=list_contact_points)


async def add_contact_point(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Create a contact point."""
    from meetkit.services import directory

    created = await directory.add_contact_point(
        db,
        OPERATOR,
        args.name,
        slug=args.slug,
        phone=args.phone,
        show_group_names=not args.hide_group_names,
    )
    emit(args, directory.contact_point_json(created), [f"{created.id}\t{created.slug}\t{created.name}"])
    return 0


async def list_contact_points(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """List contact points."""
    from meetkit.services import directory

    found = await directory.list_contact_points(db, OPERATOR)
    emit(
        args,
        {"contact_points": [directory.contact_point_json(cp) for cp in found]},
        [f"{cp.id}\t{cp.slug}\t{cp.name}" for cp in found],
    )
    return 0
