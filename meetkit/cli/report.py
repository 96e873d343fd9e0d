"""`meetkit report --month YYYY-MM`: the anonymous attendance report as CSV, JSON or an HTML page."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meetkit.cli.language import _, cli_language
from meetkit.cli.times import month_name
from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR

if TYPE_CHECKING:
    from meetkit.storage.database import Database


def register(subparsers: Any) -> None:
    """Add the `report` command."""

    parser = subparsers.add_parser(
        "report",
        help=_("anonymer Monatsbericht der Teilnahme (nur Zahlen)"),
        description=_(
            "Treffen und Teilnehmende (online + im Raum + am Telefon) je Gruppe und Kontaktstelle in einem "
            "Monat. Nur Zahlen, nie Namen. Für eine landesweite Auswertung --min-count 3 verwenden: "
            "Personenzahlen von 1 bis 2 fallen dann weg, mit jeder Zahl, aus der sie sich errechnen ließen "
            "(docs/attendance.md)."
        ),
    )
    parser.add_argument("--month", required=True, metavar=_("JJJJ-MM"), help=_("der Monat, z. B. 2026-11"))
    parser.add_argument(
        "--contact-point", metavar=_("KURZNAME"), help=_("nur die Gruppen dieser Kontaktstelle")
    )
    parser.add_argument(
        "--format",
        choices=("csv", "json", "html"),
        default="csv",
        help=_("csv (Vorgabe), json oder html: eine Seite mit Wochen-Diagramm für den Browser"),
    )
    parser.add_argument("--json", action="store_true", help=_("wie --format json"))
    parser.add_argument(
        "--min-count",
        type=int,
        metavar="N",
        help=_("Personenzahlen unter N weglassen (landesweite Auswertung)"),
    )
    parser.add_argument(
        "--lang",
        choices=("de", "en", "ls"),
        help=_(
            "Sprache der HTML-Seite: de, en oder ls (Leichte Sprache); Vorgabe: die Sprache der Kommandozeile"
        ),
    )
    parser.add_argument(
        "-o", "--output", metavar=_("DATEI"), help=_("in DATEI schreiben statt auf die Standardausgabe")
    )
    parser.set_defaults(handler=report)


async def report(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Print or write the report."""
    from meetkit.domain.report_exports import report_json
    from meetkit.services import attendance

    found = await attendance.monthly_report(db, OPERATOR, args.month, args.contact_point, args.min_count)
    fmt = "json" if args.json else args.format
    if fmt == "json":
        text = json.dumps(report_json(found), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "html":
        text = attendance.report_html(found, args.lang or cli_language())
    else:
        text = attendance.report_csv(found)
    if args.output:
        path = Path(args.output)
        await asyncio.to_thread(path.write_text, text, encoding="utf-8")
        if not args.json:
            message = _("Bericht für {month} in {path} geschrieben.")
            print(message.format(month=month_name(str(found.month)), path=path), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
