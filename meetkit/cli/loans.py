"""`meetkit loan add|list|return|cancel|form|tablet|report`: lending a contact point's devices to groups."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meetkit.cli.common import add_json_flag, emit
from meetkit.cli.language import N_, _
from meetkit.cli.sheets import writable_target
from meetkit.config import Settings
from meetkit.domain import loan_report as report_rules
from meetkit.domain.attendance_times import local_today
from meetkit.domain.scope import OPERATOR

if TYPE_CHECKING:
    from meetkit.storage.database import Database


LOAN_HELP = N_("Nummer der Ausleihe")
DATE_HELP = N_("ein Tag wie 2026-05-04 oder 04.05.2026")
NOTES_HELP = N_("eine Notiz (keine Namen von Personen eintragen)")
STATES = {
    "planned": N_("geplant"),
    "active": N_("verliehen"),
    "overdue": N_("überfällig"),
    "returned": N_("zurückgegeben"),
}


def register(subparsers: Any) -> None:
    """Add the `loan` command group."""
    parser = subparsers.add_parser("loan", help=_("Geräte an Gruppen verleihen"))
    commands = parser.add_subparsers(dest="subcommand", required=True, metavar=_("UNTERBEFEHL"))

    add = commands.add_parser("add", help=_("ein Gerät für einige Tage an eine Gruppe verleihen"))
    add.add_argument("device", metavar=_("GERÄT"), help=_("Nummer oder eindeutiger Name des Geräts"))
    add.add_argument("--group", required=True, metavar=_("GRUPPE"), help=_("Nummer oder Name der Gruppe"))
    add.add_argument("--from", dest="starts_on", required=True, metavar=_("DATUM"), help=_(DATE_HELP))
    add.add_argument("--until", dest="ends_on", required=True, metavar=_("DATUM"), help=_(DATE_HELP))
    add.add_argument("--notes", metavar=_("TEXT"), help=_(NOTES_HELP))
    add_json_flag(add)
    add.set_defaults(handler=add_loan)

    listing = commands.add_parser("list", help=_("Ausleihen auflisten, die neuesten zuerst"))
    listing.add_argument("--contact-point", metavar=_("KURZNAME"), help=_("nur diese Kontaktstelle"))
    listing.add_argument("--status", choices=tuple(STATES), help=_("nur Ausleihen mit diesem Status"))
    add_json_flag(listing)
    listing.set_defaults(handler=list_loans)

    back = commands.add_parser("return", help=_("die Rückgabe eines Geräts eintragen"))
    back.add_argument("loan", metavar=_("AUSLEIHE"), help=_(LOAN_HELP))
    back.add_argument("--on", metavar=_("DATUM"), help=_("Tag der Rückgabe (Vorgabe: heute)"))
    back.add_argument("--note", metavar=_("TEXT"), help=_("Zustand des Geräts (keine Namen eintragen)"))
    add_json_flag(back)
    back.set_defaults(handler=return_loan)

    cancel = commands.add_parser("cancel", help=_("eine Ausleihe absagen, die noch nicht begonnen hat"))
    cancel.add_argument("loan", metavar=_("AUSLEIHE"), help=_(LOAN_HELP))
    add_json_flag(cancel)
    cancel.set_defaults(handler=cancel_loan)

    form = commands.add_parser("form", help=_("den Leihschein zum Unterschreiben als PDF schreiben"))
    form.add_argument("loan", metavar=_("AUSLEIHE"), help=_(LOAN_HELP))
    form.add_argument("-o", "--output", required=True, type=Path, metavar=_("DATEI.pdf"), help=_("das PDF"))
    form.add_argument("--lang", choices=("de", "en"), default="de", help=_("Sprache (Vorgabe: de)"))
    form.set_defaults(handler=write_form)

    tablet = commands.add_parser(
        "tablet",
        help=_("einen Kopplungslink: das Tablet zeigt dann nur diese Gruppe, solange die Ausleihe läuft"),
    )
    tablet.add_argument("loan", metavar=_("AUSLEIHE"), help=_(LOAN_HELP))
    tablet.add_argument("--no-qr", action="store_true", help=_("keinen QR-Code im Terminal zeigen"))
    add_json_flag(tablet)
    tablet.set_defaults(handler=tablet_pairing)

    report = commands.add_parser("report", help=_("Monatsbericht der Ausleihen (nur Zahlen) als CSV"))
    report.add_argument("--month", required=True, metavar=_("JJJJ-MM"), help=_("der Monat, z. B. 2026-11"))
    report.add_argument("--contact-point", metavar=_("KURZNAME"), help=_("nur diese Kontaktstelle"))
    add_json_flag(report)
    report.set_defaults(handler=loan_report)


def _line(data: dict[str, Any]) -> str:
    status = _(STATES[str(data["status"])])
    return (
        f"{data['id']}\t{data['device']}\t{data['group']}\t{data['contact_point']}\t"
        f"{data['starts_on']} – {data['ends_on']}\t{status}"
    )


async def add_loan(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Lend a device."""
    from meetkit.domain.loans import shown
    from meetkit.services import loans

    view = await loans.lend(db, OPERATOR, args.device, args.group, args.starts_on, args.ends_on, args.notes)
    data = loans.loan_json(view, local_today())
    message = _("Ausleihe {number}: {device} an {group}, {start} bis {end}.").format(
        number=view.loan.id,
        device=view.device.name,
        group=view.group.name,
        start=shown(view.loan.starts_on),
        end=shown(view.loan.ends_on),
    )
    emit(
        args,
        data,
        [message, _("Leihschein: meetkit loan form {number} -o leihschein.pdf").format(number=view.loan.id)],
    )
    return 0


async def list_loans(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """List loans."""
    from meetkit.services import loans

    today = local_today()
    found = await loans.list_loans(db, OPERATOR, args.contact_point, args.status, today=today)
    data = [loans.loan_json(view, today) for view in found]
    emit(args, {"loans": data}, [_line(d) for d in data])
    return 0


async def return_loan(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Record a return."""
    from meetkit.domain.loans import shown
    from meetkit.services import loans

    view = await loans.return_loan(db, OPERATOR, args.loan, args.on, args.note)
    assert view.loan.returned_on is not None
    message = _("Ausleihe {number}: {device} ist am {day} zurückgegeben.").format(
        number=view.loan.id, device=view.device.name, day=shown(view.loan.returned_on)
    )
    emit(args, loans.loan_json(view, local_today()), [message])
    return 0


async def cancel_loan(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Cancel a loan that has not begun."""
    from meetkit.services import loans

    view = await loans.cancel_loan(db, OPERATOR, args.loan)
    message = _("Ausleihe {number} ist abgesagt.").format(number=view.loan.id)
    emit(args, {"id": view.loan.id, "cancelled": True}, [message])
    return 0


async def write_form(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Write the loan form as PDF (rendered in this process: it is one page)."""
    from meetkit.services import loans
    from meetkit.services.loans import LoanView
    from meetkit.sheets.loan_form import LOAN_FORM_CSS, form_data, form_html
    from meetkit.sheets.pdf import render_page_pdf

    temporary = writable_target(args.output)
    view: LoanView = await loans.find_loan(db, OPERATOR, args.loan)
    html = form_html(form_data(view), args.lang)
    try:
        body = await asyncio.to_thread(render_page_pdf, html, str(LOAN_FORM_CSS))
        temporary.write_bytes(body)
        temporary.replace(args.output)
    finally:
        temporary.unlink(missing_ok=True)
    print(_("{path}: Leihschein der Ausleihe {number}").format(path=args.output, number=view.loan.id))
    return 0


async def tablet_pairing(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Print a pairing link that makes a tablet the group's tablet for this loan."""
    from meetkit.qr import qr_text
    from meetkit.services import group_tablet

    view, token = await group_tablet.open_pairing(db, OPERATOR, args.loan)
    url = group_tablet.pairing_url(settings, token)
    lines = [
        _("Gruppen-Tablet für Ausleihe {number} ({group}), Kopplungslink (einmalig, 60 Minuten):").format(
            number=view.loan.id, group=view.group.name
        ),
        url,
    ]
    if not args.no_qr:
        lines += ["", qr_text(url)]
    emit(args, {"loan": view.loan.id, "pairing_url": url}, lines)
    return 0


async def loan_report(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Print the month's loan report (CSV, or JSON with --json)."""
    from meetkit.services import loan_reports

    found = await loan_reports.monthly(db, OPERATOR, args.month, args.contact_point)
    if args.json:
        json.dump(report_rules.report_json(found), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(loan_reports.report_csv(found))
    return 0
