"""`meetkit report --month YYYY-MM`: the anonymous attendance report as CSV, JSON or an HTML page."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from meetkit.config import Settings
from meetkit.domain.attendance import report_json
from meetkit.services import attendance
from meetkit.storage.database import Database


def register(subparsers: Any) -> None:
    """Add the `report` command."""
    parser = subparsers.add_parser(
        "report",
        help="anonymous monthly attendance report (counts only)",
        description=(
            "Meetings and participants (online + in room + phone) per group and contact point for one month. "
            "Counts only, never names. For a state-wide export use --min-count 3: people counts from 1 to 2 "
            "are then left out, with every figure they could be worked out from (docs/attendance.md)."
        ),
    )
    parser.add_argument("--month", required=True, metavar="YYYY-MM", help="the month, e.g. 2026-11")
    parser.add_argument("--contact-point", metavar="SLUG", help="only this contact point's groups")
    parser.add_argument(
        "--format",
        choices=("csv", "json", "html"),
        default="csv",
        help="csv (default), json, or html: a page with a weekly chart to open in a browser",
    )
    parser.add_argument("--json", action="store_true", help="same as --format json")
    parser.add_argument(
        "--min-count", type=int, metavar="N", help="suppress people counts below N (state-wide export)"
    )
    parser.add_argument("--lang", choices=("de", "en"), default="de", help="language of the HTML page")
    parser.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    parser.set_defaults(handler=report)


async def report(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Print or write the report."""
    found = await attendance.monthly_report(db, args.month, args.contact_point, args.min_count)
    fmt = "json" if args.json else args.format
    if fmt == "json":
        text = json.dumps(report_json(found), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "html":
        text = attendance.report_html(found, args.lang)
    else:
        text = attendance.report_csv(found)
    if args.output:
        path = Path(args.output)
        await asyncio.to_thread(path.write_text, text, encoding="utf-8")
        if not args.json:
            print(f"report for {args.month} written to {path}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
