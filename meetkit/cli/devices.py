"""`meetkit device add|pair|list|revoke`: a contact point's inventory; tablets run the kiosk page."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meetkit.cli.common import add_json_flag, emit
from meetkit.cli.language import N_, _
from meetkit.cli.times import local_time
from meetkit.config import Settings
from meetkit.domain.devices import KINDS, PAIRABLE_KINDS, PAIRING_MINUTES
from meetkit.domain.scope import OPERATOR

if TYPE_CHECKING:
    from meetkit.services.devices import IssuedPairing
    from meetkit.storage.database import Database


def register(subparsers: Any) -> None:
    """Add the `device` command group."""
    parser = subparsers.add_parser(
        "device", help=_("Geräte der Kontaktstelle verwalten (Inventar, Kiosk-Tablets)")
    )
    commands = parser.add_subparsers(dest="subcommand", required=True, metavar=_("UNTERBEFEHL"))

    add = commands.add_parser(
        "add",
        help=_("ein Tablet anlegen und seinen einmaligen Kopplungslink mit QR-Code zeigen"),
        description=_(PAIRING_HELP),
    )
    add.add_argument("name", metavar="NAME", help=_("ein Name für das Team, z. B. „Tablet Raum 2“"))
    add.add_argument(
        "--contact-point",
        required=True,
        metavar=_("KURZNAME"),
        help=_("die Kontaktstelle, der das Tablet gehört"),
    )
    add.add_argument(
        "--kind",
        choices=tuple(KINDS),
        default="tablet",
        help=_("Art des Geräts (Vorgabe: tablet); nur tablet und laptop bekommen einen Kopplungslink"),
    )
    add.add_argument("--serial", metavar=_("NUMMER"), help=_("Seriennummer, wie sie auf dem Gerät steht"))
    add.add_argument("--notes", metavar=_("TEXT"), help=_("Notizen zum Gerät (keine Namen von Personen)"))
    _pairing_options(add)
    add.set_defaults(handler=add_device)

    pair = commands.add_parser(
        "pair", help=_("ein neuer Kopplungslink für ein Tablet (das alte hört auf, sobald er benutzt ist)")
    )
    pair.add_argument("device", metavar=_("TABLET"), help=_(DEVICE_HELP))
    _pairing_options(pair)
    pair.set_defaults(handler=pair_device)

    listing = commands.add_parser("list", help=_("Tablets auflisten"))
    listing.add_argument(
        "--contact-point", metavar=_("KURZNAME"), help=_("nur die Tablets dieser Kontaktstelle")
    )
    add_json_flag(listing)
    listing.set_defaults(handler=list_devices)

    revoke = commands.add_parser("revoke", help=_("ein Tablet abmelden: seine Kiosk-Seite hört sofort auf"))
    revoke.add_argument("device", metavar=_("TABLET"), help=_(DEVICE_HELP))
    add_json_flag(revoke)
    revoke.set_defaults(handler=revoke_device)


PAIRING_HELP = N_(
    "Den Kopplungslink auf dem Tablet öffnen (den QR-Code mit seiner Kamera scannen) und dort den Knopf "
    "antippen: das Tablet zeigt dann die Kiosk-Seite und kann sie als Lesezeichen behalten. Der Link gilt "
    "einmal und läuft ab."
)
DEVICE_HELP = N_("Nummer oder eindeutiger Name des Tablets")
STATES = {
    "revoked": N_("abgemeldet"),
    "pairing": N_("Kopplungslink offen"),
    "paired": N_("gekoppelt"),
    "unpaired": N_("nicht gekoppelt"),
}


def _pairing_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--valid-minutes",
        type=int,
        default=PAIRING_MINUTES,
        metavar="N",
        help=_("wie viele Minuten der Kopplungslink gilt (Vorgabe: {minutes})").format(
            minutes=PAIRING_MINUTES
        ),
    )
    parser.add_argument(
        "--svg", type=Path, metavar=_("DATEI"), help=_("den QR-Code auch als SVG in DATEI schreiben")
    )
    parser.add_argument("--no-qr", action="store_true", help=_("keinen QR-Code im Terminal zeigen"))
    add_json_flag(parser)


def _emit_pairing(args: argparse.Namespace, settings: Settings, issued: IssuedPairing) -> None:
    from meetkit.qr import qr_svg_document, qr_text
    from meetkit.services import devices

    url = issued.url(settings)
    if args.svg is not None:
        args.svg.write_text(qr_svg_document(url))
    data = {
        "device": devices.device_json(issued.device),
        "pairing_url": url,
        "pairing_expires_at": issued.device.pairing_expires_at,
    }
    lines = [
        _("Tablet {number}: {name}").format(number=issued.device.id, name=issued.device.name),
        _("Kopplungslink (einmalig, gültig bis {time}):").format(
            time=local_time(issued.device.pairing_expires_at)
        ),
        url,
    ]
    if not args.no_qr:
        lines += ["", qr_text(url), ""]
    lines.append(_("Auf dem Tablet öffnen und dort „Dieses Tablet koppeln“ antippen."))
    emit(args, data, lines)


async def add_device(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Add a device to the inventory; a tablet or laptop also gets its pairing link."""
    from meetkit.services import devices, inventory

    if args.kind not in PAIRABLE_KINDS:
        device = await inventory.add_item(
            db, OPERATOR, args.contact_point, args.name, args.kind, args.serial, args.notes
        )
        line = _("Gerät {number}: {name} ({kind})").format(
            number=device.id, name=device.name, kind=_(KINDS[device.kind])
        )
        emit(args, {"device": devices.device_json(device)}, [line])
        return 0
    issued = await devices.add_device(
        db,
        OPERATOR,
        args.name,
        args.contact_point,
        valid_minutes=args.valid_minutes,
        kind=args.kind,
        serial_number=args.serial,
        notes=args.notes,
    )
    _emit_pairing(args, settings, issued)
    return 0


async def pair_device(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Print a fresh pairing link for an existing tablet."""
    from meetkit.services import devices

    issued = await devices.new_pairing(db, OPERATOR, args.device, valid_minutes=args.valid_minutes)
    _emit_pairing(args, settings, issued)
    return 0


async def list_devices(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """List tablets with their status."""
    from meetkit.services import devices

    found = await devices.list_devices(db, OPERATOR, args.contact_point)
    data = [devices.device_json(d, cp) for d, cp in found]
    emit(
        args,
        {"devices": data},
        [
            f"{d['id']}\t{d['name']}\t{_(KINDS[str(d['kind'])])}\t{d.get('contact_point', '')}\t{_state(d)}"
            for d in data
        ],
    )
    return 0


async def revoke_device(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Revoke a tablet."""
    from meetkit.services import devices

    device = await devices.revoke_device(db, OPERATOR, args.device)
    emit(
        args,
        devices.device_json(device),
        [_("Tablet {number} ({name}) ist abgemeldet.").format(number=device.id, name=device.name)],
    )
    return 0


def _state(data: dict[str, Any]) -> str:
    """A tablet's status for people, with the time that goes with it."""
    state = _(STATES[str(data["status"])])
    if data["status"] == "pairing":
        return _("{state} bis {time}").format(state=state, time=local_time(str(data["pairing_expires_at"])))
    if data["status"] == "paired" and data["paired_at"]:
        return _("{state} am {time}").format(state=state, time=local_time(str(data["paired_at"])))
    return state
