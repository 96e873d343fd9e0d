"""`meetkit check-jitsi`: check the configured Jitsi deployment and explain what is wrong."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from meetkit.cli.common import add_json_flag
from meetkit.cli.language import N_, _
from meetkit.config import Settings

# The check's statuses (meetkit.jitsi.check_report.OK ...) as people read them. The checks themselves
# (aiohttp, PyJWT) are imported when the command runs, not when it is registered.
LABELS = {
    "ok": N_("ok"),
    "warning": N_("Warnung"),
    "skipped": N_("übergangen"),
    "problem": N_("PROBLEM"),
}
DEFAULT_TIMEOUT = 10.0  # seconds per request, passed to meetkit.jitsi.check.run


def register(subparsers: Any) -> None:
    """Add the `check-jitsi` command."""
    parser = subparsers.add_parser(
        "check-jitsi",
        help=_("das eingestellte Jitsi prüfen und erklären, was nicht stimmt"),
        description=_(
            "Prüft die config.js unter JITSI_URL, den Raum-Zensus und meetkits Tokens; eine Zeile je "
            "Prüfung. Endet mit Status 1, wenn etwas Nötiges nicht stimmt."
        ),
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar=_("SEKUNDEN"),
        help=_("jede Anfrage nach so vielen Sekunden aufgeben (Vorgabe: {seconds})").format(
            seconds=f"{DEFAULT_TIMEOUT:g}"
        ),
    )
    add_json_flag(parser)
    parser.set_defaults(handler=check_jitsi, needs_database=False)


def check_jitsi(args: argparse.Namespace, settings: Settings) -> int:
    """Run the checks, print them, and return 1 if any found a problem."""
    from meetkit.jitsi import check, check_report

    if not 0 < args.timeout <= 300:
        message = _("--timeout muss zwischen 0 und 300 Sekunden liegen.")
        print(_("meetkit: Fehler: {message}").format(message=message), file=sys.stderr)
        return 2
    results = check.run(settings, args.timeout)
    failed = check_report.has_problems(results)
    if args.json:
        document = {
            "ok": not failed,
            "jitsi_url": settings.jitsi_url,
            "checks": [result.as_json() for result in results],
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for result in results:
            line = f"{_(LABELS[result.status]):<10} {result.name}: {result.message}"
            if result.fix and result.status != check_report.OK:
                line += " " + _("Abhilfe: {fix}").format(fix=result.fix)
            print(line)
        counts = {status: sum(r.status == status for r in results) for status in LABELS}
        print(
            _("{problems} Problem(e), {warnings} Warnung(en), {ok} ok, {skipped} übergangen.").format(
                problems=counts[check_report.PROBLEM],
                warnings=counts[check_report.WARNING],
                ok=counts[check_report.OK],
                skipped=counts[check_report.SKIPPED],
            )
        )
    return 1 if failed else 0
