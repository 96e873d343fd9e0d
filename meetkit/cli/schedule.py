"""`meetkit group schedule GROUP ...`: a group's meeting rule, single extra and cancelled dates."""

from __future__ import annotations

import argparse
from typing import Any

from meetkit.cli.common import add_json_flag, emit
from meetkit.config import Settings
from meetkit.domain import schedules as sched
from meetkit.domain.errors import InvalidInput
from meetkit.services import schedules
from meetkit.services.schedules import ScheduleView
from meetkit.storage.database import Database

EPILOG = """\
examples:
  meetkit group schedule 12 --weekly do 19:00 --duration 90 --place "Raum 2"
  meetkit group schedule 12 --biweekly 2026-04-02 18:30      every 2nd week, counted from that date
  meetkit group schedule 12 --monthly 1 mi 19:00             1st Wednesday of each month
  meetkit group schedule 12 --monthly last fr 17:00          last Friday of each month
  meetkit group schedule 12 --place "Raum 3"                 change only the place (or --duration, --time)
  meetkit group schedule 12 --cancel 2026-04-09              cancel one date (repeatable)
  meetkit group schedule 12 --add 2026-04-13                 one extra date, or undo a cancellation
  meetkit group schedule 12                                  show the schedule and the next dates
  meetkit group schedule 12 --clear                          remove the schedule

Weekdays: mo di mi do fr sa so (or monday ... sunday). Times are local (Europe/Berlin): a meeting at
19:00 stays at 19:00 across daylight-saving changes. A 5th weekday is skipped in months that have only four.
"""


def register(subparsers: Any) -> None:
    """Add `schedule` to the existing `group` command (register this module after cli.groups)."""
    group_parser = subparsers.choices["group"]
    commands = next(a for a in group_parser._actions if isinstance(a, argparse._SubParsersAction))
    parser = commands.add_parser(
        "schedule",
        help="set or show a group's meeting dates",
        description="Set or show when a group meets; prints the next dates.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("group", metavar="GROUP", help="group number or unique name")
    rule = parser.add_mutually_exclusive_group()
    rule.add_argument(
        "--weekly", nargs=2, metavar=("WEEKDAY", "TIME"), help="every week, e.g. --weekly do 19:00"
    )
    rule.add_argument(
        "--biweekly", nargs=2, metavar=("DATE", "TIME"), help="every second week from DATE (a meeting day)"
    )
    rule.add_argument(
        "--monthly",
        nargs=3,
        metavar=("N", "WEEKDAY", "TIME"),
        help="the N-th (1-5 or last) WEEKDAY of each month",
    )
    rule.add_argument("--clear", action="store_true", help="remove the schedule and its single dates")
    parser.add_argument("--time", metavar="HH:MM", help="change only the start time")
    parser.add_argument("--duration", metavar="MINUTES", help="length, e.g. 90 or 1:30 (default 90)")
    parser.add_argument("--place", metavar="TEXT", help='room at the contact point; "" removes it')
    parser.add_argument(
        "--cancel", action="append", default=[], metavar="DATE", help="cancel the meeting on DATE"
    )
    parser.add_argument("--add", action="append", default=[], metavar="DATE", help="add a meeting on DATE")
    parser.add_argument(
        "--next", type=int, default=5, metavar="N", help="how many next dates to show (default 5)"
    )
    add_json_flag(parser)
    parser.set_defaults(handler=schedule_command)


def _rule(args: argparse.Namespace) -> dict[str, Any]:
    """The rule parts of the arguments, parsed (empty when no rule flag was given)."""
    if args.weekly:
        weekday, time = args.weekly
        return {
            "frequency": "weekly",
            "weekday": sched.parse_weekday(weekday),
            "start": sched.parse_time(time),
        }
    if args.biweekly:
        day, time = args.biweekly
        anchor = sched.parse_date(day)
        return {
            "frequency": "biweekly",
            "weekday": anchor.weekday(),
            "anchor": anchor,
            "start": sched.parse_time(time),
        }
    if args.monthly:
        nth, weekday, time = args.monthly
        return {
            "frequency": "monthly",
            "nth": sched.parse_nth(nth),
            "weekday": sched.parse_weekday(weekday),
            "start": sched.parse_time(time),
        }
    return {}


async def schedule_command(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Apply the requested changes in order (rule, cancellations, additions), then show the result."""
    if not 0 <= args.next <= 100:
        raise InvalidInput("--next: 0 bis 100.")
    count = args.next
    rule = _rule(args)
    if args.time:
        if rule:
            raise InvalidInput(
                "--time nur ohne --weekly/--biweekly/--monthly (dort steht die Uhrzeit schon)."
            )
        rule["start"] = sched.parse_time(args.time)
    if args.duration is not None:
        rule["duration_minutes"] = sched.parse_duration(args.duration)
    if args.place is not None:
        rule["place"] = args.place
    if args.clear:
        if rule or args.cancel or args.add:
            raise InvalidInput("--clear lässt sich mit nichts anderem verbinden.")
        cleared = await schedules.clear_schedule(db, args.group)
        emit(args, schedules.view_json(cleared), [f"Gruppe {cleared.group.id}: Termin-Rhythmus entfernt."])
        return 0
    view = None
    if rule:
        view = await schedules.set_schedule(db, args.group, count=count, **rule)
    cancel_days = [sched.parse_date(d) for d in args.cancel]
    add_days = [sched.parse_date(d) for d in args.add]
    for day in cancel_days:
        view = await schedules.cancel_date(db, args.group, day, count=count)
    for day in add_days:
        view = await schedules.add_date(db, args.group, day, count=count)
    if view is None:
        view = await schedules.get_schedule(db, args.group, count=count)
    emit(args, schedules.view_json(view), _lines(view))
    return 0


def _lines(view: ScheduleView) -> list[str]:
    if view.schedule is None:
        return [
            f"Gruppe {view.group.id} hat keinen Termin-Rhythmus (setzen mit --weekly/--biweekly/--monthly)."
        ]
    lines = [f"Gruppe {view.group.id}: {sched.describe(view.schedule)}"]
    if view.schedule.cancelled_dates:
        lines.append("abgesagt: " + ", ".join(f"{d:%d.%m.%Y}" for d in sorted(view.schedule.cancelled_dates)))
    if view.schedule.extra_dates:
        lines.append("zusätzlich: " + ", ".join(f"{d:%d.%m.%Y}" for d in sorted(view.schedule.extra_dates)))
    if view.upcoming:
        lines.append("nächste Termine:")
        for occ in view.upcoming:
            weekday = sched.WEEKDAY_NAMES_DE[occ.day.weekday()][:2]
            place = f"  {occ.place}" if occ.place else ""
            extra = "  (zusätzlich)" if occ.extra else ""
            lines.append(f"  {weekday} {occ.start:%d.%m.%Y %H:%M}–{occ.end:%H:%M}{place}{extra}")
    else:
        lines.append("keine kommenden Termine")
    return lines
