"""`meetkit leader-invite --contact-point SLUG`: a one-time link with which a leader creates the group's link."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meetkit.cli.common import CommandError, add_json_flag, emit
from meetkit.cli.language import _, cli_language
from meetkit.cli.times import local_date, local_time
from meetkit.config import Settings
from meetkit.domain.invitations import INVITATION_DAYS, MAX_INVITATION_DAYS
from meetkit.domain.schedules import TIMEZONE
from meetkit.domain.scope import OPERATOR

if TYPE_CHECKING:
    from meetkit.storage.database import Database


def register(subparsers: Any) -> None:
    """Add the `leader-invite` command."""
    parser = subparsers.add_parser(
        "leader-invite",
        help=_("eine einmalige Einladung, mit der eine Gruppenleitung den Link ihrer Gruppe selbst anlegt"),
        description=_(
            "Druckt einen einmaligen Einladungslink (invite_url). Wer ihn öffnet, gibt der Gruppe einen Namen "
            "und eine Treffzeit und bekommt den Link für die Gruppenleitung. Danach gilt der Link nicht mehr."
        ),
    )
    parser.add_argument(
        "--contact-point", required=True, metavar=_("KURZNAME"), help=_("die Kontaktstelle der neuen Gruppe")
    )
    parser.add_argument(
        "--valid-days",
        type=int,
        default=INVITATION_DAYS,
        metavar="N",
        help=_("wie viele Tage die Einladung gilt (Vorgabe: {days}, höchstens {most})").format(
            days=INVITATION_DAYS, most=MAX_INVITATION_DAYS
        ),
    )
    parser.add_argument(
        "--email",
        metavar=_("ADRESSE"),
        help=_("die Einladung per E-Mail schicken (MEETKIT_SMTP_URL); die Adresse wird nicht gespeichert"),
    )
    parser.add_argument(
        "--letter", type=Path, metavar=_("DATEI"), help=_("den Brief mit QR-Code als PDF in DATEI schreiben")
    )
    parser.add_argument("--no-qr", action="store_true", help=_("keinen QR-Code im Terminal zeigen"))
    add_json_flag(parser)
    parser.set_defaults(handler=leader_invite)


async def leader_invite(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Make an invitation and print (or e-mail) its link."""
    from meetkit.qr import qr_text
    from meetkit.services import invitations
    from meetkit.sheets.letter import LetterData, letter_pdf

    if args.letter is not None and not os.access(args.letter.parent, os.W_OK):
        raise CommandError(f"{args.letter}: " + _("keine Berechtigung"))  # before anything is made
    issued = await invitations.create_invitation(
        db, settings, OPERATOR, args.contact_point, valid_days=args.valid_days, email=args.email
    )
    url = invitations.invite_url(settings, issued.token)
    if args.letter is not None:
        until = dt.datetime.fromisoformat(issued.invitation.expires_at).astimezone(TIMEZONE)
        letter = LetterData(
            url,
            local_date(until.date()),
            issued.contact_point.name,
            issued.contact_point.phone,
            "en" if cli_language() == "en" else "de",
        )
        args.letter.write_bytes(letter_pdf(letter))
    lines = [
        _("Einladung {number} für {name}, gültig einmal bis {time}:").format(
            number=issued.invitation.id,
            name=issued.contact_point.name,
            time=local_time(issued.invitation.expires_at),
        )
    ]
    if issued.emailed_to:
        lines.append(_("Per E-Mail verschickt an {address}.").format(address=issued.emailed_to))
    lines.append(url)
    if not args.no_qr:
        lines += ["", qr_text(url), ""]
    if args.letter is not None:
        lines.append(_("Brief zum Ausdrucken: {path}").format(path=args.letter))
    emit(args, invitations.invitation_json(issued, settings), lines)
    return 0
