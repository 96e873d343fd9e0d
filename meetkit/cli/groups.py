"""`meetkit group add|list|show|rotate`."""

from __future__ import annotations

import argparse
from typing import Any

from meetkit.cli.common import add_json_flag, emit
from meetkit.config import Settings
from meetkit.services import directory
from meetkit.storage.database import Database


def register(subparsers: Any) -> None:
    """Add the `group` command group."""
    parser = subparsers.add_parser("group", help="manage groups")
    commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

    add = commands.add_parser("add", help="create a group with its room, member link and leader link")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--contact-point", metavar="SLUG", help="the contact point the group belongs to")
    add_json_flag(add)
    add.set_defaults(handler=add_group)

    listing = commands.add_parser("list", help="list groups")
    listing.add_argument("--contact-point", metavar="SLUG", help="only this contact point's groups")
    add_json_flag(listing)
    listing.set_defaults(handler=list_groups)

    show = commands.add_parser("show", help="show one group")
    show.add_argument("group", metavar="GROUP", help="group number or unique name")
    add_json_flag(show)
    show.set_defaults(handler=show_group)

    rotate = commands.add_parser("rotate", help="new room, code, leader link and PIN; old ones stop at once")
    rotate.add_argument("group", metavar="GROUP", help="group number or unique name")
    add_json_flag(rotate)
    rotate.set_defaults(handler=rotate_group)


def _lines(data: dict[str, Any]) -> list[str]:
    keys = ["id", "name", "room", "member_url", "leader_url", "pin"]
    return [f"{key}: {data[key]}" for key in keys if data.get(key) is not None]


async def add_group(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Create a group and print its links (the leader link is shown only now)."""
    issued = await directory.add_group(db, settings, args.name, args.contact_point)
    data = directory.group_json(settings, issued.group, issued.leader_token)
    emit(args, data, [*_lines(data), "", "Keep the leader_url private: it is shown only once."])
    return 0


async def list_groups(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """List groups."""
    found = await directory.list_groups(db, args.contact_point)
    data = [directory.group_json(settings, group) for group in found]
    emit(args, {"groups": data}, [f"{g['id']}\t{g['name']}\t{g['member_url']}" for g in data])
    return 0


async def show_group(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Show one group."""
    group = await directory.find_group(db, args.group)
    data = directory.group_json(settings, group)
    emit(args, data, _lines(data))
    return 0


async def rotate_group(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Renew a group's links and PIN and print the new ones."""
    issued = await directory.rotate_group(db, settings, args.group)
    data = directory.group_json(settings, issued.group, issued.leader_token)
    emit(args, data, [*_lines(data), "", "The old member link, leader link and PIN no longer work."])
    return 0
