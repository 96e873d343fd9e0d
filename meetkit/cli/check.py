"""`meetkit check-jitsi`: check the configured Jitsi deployment and explain what is wrong."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from meetkit.cli.common import add_json_flag
from meetkit.config import Settings
from meetkit.jitsi import check

LABELS = {check.OK: "ok", check.WARNING: "warning", check.SKIPPED: "skipped", check.PROBLEM: "PROBLEM"}


def register(subparsers: Any) -> None:
    """Add the `check-jitsi` command."""
    parser = subparsers.add_parser(
        "check-jitsi",
        help="check the configured Jitsi deployment and explain what is wrong",
        description="Check JITSI_URL's config.js, the room census and meetkit's tokens; one line per "
        "check. Exits 1 when something needed is wrong.",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=check.DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up on each request after this long (default {check.DEFAULT_TIMEOUT:g})",
    )
    add_json_flag(parser)
    parser.set_defaults(handler=check_jitsi, needs_database=False)


def check_jitsi(args: argparse.Namespace, settings: Settings) -> int:
    """Run the checks, print them, and return 1 if any found a problem."""
    if not 0 < args.timeout <= 300:
        print("meetkit: error: --timeout must be between 0 and 300 seconds", file=sys.stderr)
        return 2
    results = check.run(settings, args.timeout)
    failed = check.has_problems(results)
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
            line = f"{LABELS[result.status]:<8} {result.name}: {result.message}"
            if result.fix and result.status != check.OK:
                line += f" Fix: {result.fix}"
            print(line)
        counts = {status: sum(r.status == status for r in results) for status in LABELS}
        print(
            f"{counts[check.PROBLEM]} problem(s), {counts[check.WARNING]} warning(s), "
            f"{counts[check.OK]} ok, {counts[check.SKIPPED]} skipped."
        )
    return 1 if failed else 0
