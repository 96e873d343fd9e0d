"""`meetkit device add|pair|list|revoke`: tablets that run the kiosk page of a contact point."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from meetkit.cli.common import add_json_flag, emit
from meetkit.config import Settings
from meetkit.domain.devices import PAIRING_MINUTES
from meetkit.qr import qr_svg_document, qr_text
from meetkit.services import devices
from meetkit.services.devices import IssuedPairing
from meetkit.storage.database import Database


def register(subparsers: Any) -> None:
    """Add the `device` command group."""
    parser = subparsers.add_parser("device", help="manage kiosk tablets")
    commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

    add = commands.add_parser(
        "add",
        help="register a tablet and print its one-time pairing link and QR code",
        description=PAIRING_HELP,
    )
    add.add_argument("name", metavar="NAME", help='a name for staff, e.g. "Tablet Raum 2"')
    add.add_argument("--contact-point", required=True, metavar="SLUG", help="the contact point that lends it")
    _pairing_options(add)
    add.set_defaults(handler=add_device)

    pair = commands.add_parser(
        "pair", help="a new pairing link for a tablet (the old tablet stops working once it is used)"
    )
    pair.add_argument("device", metavar="DEVICE", help="device number or unique name")
    _pairing_options(pair)
    pair.set_defaults(handler=pair_device)

    listing = commands.add_parser("list", help="list tablets")
    listing.add_argument("--contact-point", metavar="SLUG", help="only this contact point's tablets")
    add_json_flag(listing)
    listing.set_defaults(handler=list_devices)

    revoke = commands.add_parser("revoke", help="revoke a tablet: its kiosk page stops working at once")
    revoke.add_argument("device", metavar="DEVICE", help="device number or unique name")
    add_json_flag(revoke)
    revoke.set_defaults(handler=revoke_device)


PAIRING_HELP = (
    "Open the pairing link on the tablet (scan the QR code with its camera) and tap the button there: the "
    "tablet then shows the kiosk page and can be bookmarked. The link works once and expires."
)


def _pairing_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--valid-minutes",
        type=int,
        default=PAIRING_MINUTES,
        metavar="N",
        help=f"how long the pairing link works (default {PAIRING_MINUTES})",
    )
    parser.add_argument("--svg", type=Path, metavar="FILE", help="also write the QR code as SVG to FILE")
    parser.add_argument("--no-qr", action="store_true", help="print no QR code in the terminal")
    add_json_flag(parser)


def _emit_pairing(args: argparse.Namespace, settings: Settings, issued: IssuedPairing) -> None:
    url = issued.url(settings)
    if args.svg is not None:
        args.svg.write_text(qr_svg_document(url))
    data = {
        "device": devices.device_json(issued.device),
        "pairing_url": url,
        "pairing_expires_at": issued.device.pairing_expires_at,
    }
    lines = [
        f"Tablet {issued.device.id}: {issued.device.name}",
        f"Kopplungslink (einmalig, gültig bis {issued.device.pairing_expires_at}):",
        url,
    ]
    if not args.no_qr:
        lines += ["", qr_text(url), ""]
    lines.append("Auf dem Tablet öffnen und dort „Dieses Tablet koppeln“ antippen.")
    emit(args, data, lines)


async def add_device(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Register a tablet and print its pairing link."""
    issued = await devices.add_device(db, args.name, args.contact_point, valid_minutes=args.valid_minutes)
    _emit_pairing(args, settings, issued)
    return 0


async def pair_device(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Print a fresh pairing link for an existing tablet."""
    issued = await devices.new_pairing(db, args.device, valid_minutes=args.valid_minutes)
    _emit_pairing(args, settings, issued)
    return 0


async def list_devices(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """List tablets with their status."""
    found = await devices.list_devices(db, args.contact_point)
    data = [devices.device_json(d, cp) for d, cp in found]
    emit(
        args,
        {"devices": data},
        [f"{d['id']}\t{d['name']}\t{d.get('contact_point', '')}\t{d['status']}" for d in data],
    )
    return 0


async def revoke_device(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Revoke a tablet."""
    device = await devices.revoke_device(db, args.device)
    emit(args, devices.device_json(device), [f"Tablet {device.id} ({device.name}) ist abgemeldet."])
    return 0
