"""`meetkit group schedule GROUP ...`: a group's meeting rule, single extra and cancelled dates."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from meetkit.cli.common import add_json_flag, emit
from meetkit.cli.language import N_, _, translate_message
from meetkit.cli.times import local_date, weekday_date
from meetkit.config import Settings
from meetkit.domain import schedule_description_de, schedule_parsing
from meetkit.domain import schedules as sched
from meetkit.domain.errors import InvalidInput
from meetkit.domain.scope import OPERATOR

DEFAULT_DURATION = 90  # as services.schedules.DEFAULT_DURATION (not imported: the CLI starts light)

if TYPE_CHECKING:
    from meetkit.services.schedules import ScheduleView
    from meetkit.storage.database import Database


EPILOG = N_("""\
Beispiele:
  meetkit group schedule 12 --weekly do 19:00 --duration 90 --place "Raum 2"
  meetkit group schedule 12 --biweekly 2026-04-02 18:30      jede zweite Woche, gezählt ab diesem Tag
  meetkit group schedule 12 --monthly 1 mi 19:00             1. Mittwoch jedes Monats
  meetkit group schedule 12 --monthly last fr 17:00          letzter Freitag jedes Monats
  meetkit group schedule 12 --place "Raum 3"                 nur den Ort ändern (oder --duration, --time)
  meetkit group schedule 12 --cancel 2026-04-09              einen Termin absagen (mehrfach möglich)
  meetkit group schedule 12 --add 2026-04-13                 ein Zusatztermin, oder eine Absage zurücknehmen
  meetkit group schedule 12 --dates                          einzelne Termine statt eines Rhythmus
  meetkit group schedule 12 --add 2026-04-13 --time 18:30 --duration 60
                                                             ein Termin mit eigener Uhrzeit und Dauer
  meetkit group schedule 12                                  Rhythmus und nächste Termine zeigen
  meetkit group schedule 12 --clear                          den Rhythmus entfernen

Wochentage: mo di mi do fr sa so (oder montag ... sonntag, monday ... sunday). Uhrzeiten gelten vor Ort
(Europe/Berlin): ein Treffen um 19:00 bleibt auch nach der Zeitumstellung um 19:00. Ein 5. Wochentag
entfällt in Monaten, die nur vier davon haben. Mit --add gelten --time und --duration für die
hinzugefügten Termine; einzelne Termine (--dates) brauchen dort immer eine Uhrzeit.
""")


def register(subparsers: Any) -> None:
    """Add `schedule` to the existing `group` command (register this module after cli.groups)."""
    group_parser = subparsers.choices["group"]
    commands = next(a for a in group_parser._actions if isinstance(a, argparse._SubParsersAction))
    parser = commands.add_parser(
        "schedule",
        help=_("die Termine einer Gruppe festlegen oder zeigen"),
        description=_("Legt fest oder zeigt, wann sich eine Gruppe trifft; zeigt die nächsten Termine."),
        epilog=_(EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("group", metavar=_("GRUPPE"), help=_("Nummer oder eindeutiger Name der Gruppe"))
    rule = parser.add_mutually_exclusive_group()
    rule.add_argument(
        "--weekly",
        nargs=2,
        metavar=(_("WOCHENTAG"), _("UHRZEIT")),
        help=_("jede Woche, z. B. --weekly do 19:00"),
    )
    rule.add_argument(
        "--biweekly",
        nargs=2,
        metavar=(_("DATUM"), _("UHRZEIT")),
        help=_("jede zweite Woche ab DATUM (ein Tag mit Treffen)"),
    )
    rule.add_argument(
        "--monthly",
        nargs=3,
        metavar=("N", _("WOCHENTAG"), _("UHRZEIT")),
        help=_("der N-te (1-5 oder last) WOCHENTAG jedes Monats"),
    )
    rule.add_argument(
        "--dates",
        action="store_true",
        help=_("einzelne Termine ohne festen Rhythmus, jeder mit eigener Uhrzeit (siehe --add)"),
    )
    rule.add_argument(
        "--clear", action="store_true", help=_("den Rhythmus und seine einzelnen Termine entfernen")
    )
    parser.add_argument(
        "--time", metavar="HH:MM", help=_("nur die Anfangszeit ändern; mit --add: die des neuen Termins")
    )
    parser.add_argument("--duration", metavar=_("MINUTEN"), help=_("Dauer, z. B. 90 oder 1:30 (Vorgabe: 90)"))
    parser.add_argument("--place", metavar=_("TEXT"), help=_('Raum in der Kontaktstelle; "" entfernt ihn'))
    parser.add_argument(
        "--cancel", action="append", default=[], metavar=_("DATUM"), help=_("das Treffen am DATUM absagen")
    )
    parser.add_argument(
        "--add", action="append", default=[], metavar=_("DATUM"), help=_("ein Treffen am DATUM hinzufügen")
    )
    parser.add_argument(
        "--next",
        type=int,
        default=5,
        metavar="N",
        help=_("wie viele nächste Termine gezeigt werden (Vorgabe: 5)"),
    )
    add_json_flag(parser)
    parser.set_defaults(handler=schedule_command)


def _rule(args: argparse.Namespace) -> dict[str, Any]:
    """The rule parts of the arguments, parsed (empty when no rule flag was given)."""
    if args.weekly:
        weekday, time = args.weekly
        return {
            "frequency": "weekly",
            "weekday": schedule_parsing.parse_weekday(weekday),
            "start": schedule_parsing.parse_time(time),
        }
    if args.biweekly:
        day, time = args.biweekly
        anchor = schedule_parsing.parse_date(day)
        return {
            "frequency": "biweekly",
            "weekday": anchor.weekday(),
            "anchor": anchor,
            "start": schedule_parsing.parse_time(time),
        }
    if args.monthly:
        nth, weekday, time = args.monthly
        return {
            "frequency": "monthly",
            "nth": schedule_parsing.parse_nth(nth),
            "weekday": schedule_parsing.parse_weekday(weekday),
            "start": schedule_parsing.parse_time(time),
        }
    if args.dates:
        return {"frequency": "dates"}
    return {}


def _own_time(args: argparse.Namespace) -> sched.OwnTime | None:
    """With --add: the added dates' own --time and --duration (None: the rule's time)."""
    if args.time is None:
        if args.duration is not None:
            raise InvalidInput("--duration mit --add nur zusammen mit --time (der Uhrzeit des Termins).")
        return None
    duration = (
        schedule_parsing.parse_duration(args.duration) if args.duration is not None else DEFAULT_DURATION
    )
    return sched.OwnTime(schedule_parsing.parse_time(args.time), duration)


async def schedule_command(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Apply the requested changes in order (rule, cancellations, additions), then show the result."""
    from meetkit.services import schedules

    if not 0 <= args.next <= 100:
        raise InvalidInput("--next: 0 bis 100.")
    count = args.next
    rule = _rule(args)
    own = _own_time(args) if args.add else None
    if args.time and not args.add:
        if rule:
            raise InvalidInput(
                "--time nur ohne --weekly/--biweekly/--monthly (dort steht die Uhrzeit schon)."
            )
        rule["start"] = schedule_parsing.parse_time(args.time)
    if args.duration is not None and not args.add:
        rule["duration_minutes"] = schedule_parsing.parse_duration(args.duration)
    if args.place is not None:
        rule["place"] = args.place
    if args.clear:
        if rule or args.cancel or args.add:
            raise InvalidInput("--clear lässt sich mit nichts anderem verbinden.")
        cleared = await schedules.clear_schedule(db, OPERATOR, args.group)
        emit(
            args,
            schedules.view_json(cleared),
            [_("Gruppe {number}: Termin-Rhythmus entfernt.").format(number=cleared.group.id)],
        )
        return 0
    view = None
    if rule:
        view = await schedules.set_schedule(db, OPERATOR, args.group, count=count, **rule)
    cancel_days = [schedule_parsing.parse_date(d) for d in args.cancel]
    add_days = [schedule_parsing.parse_date(d) for d in args.add]
    for day in cancel_days:
        view = await schedules.cancel_date(db, OPERATOR, args.group, day, count=count)
    for day in add_days:
        view = await schedules.add_date(db, OPERATOR, args.group, day, own=own, count=count)
    if view is None:
        view = await schedules.get_schedule(db, OPERATOR, args.group, count=count)
    emit(args, schedules.view_json(view), _lines(view))
    return 0


def _lines(view: ScheduleView) -> list[str]:
    if view.schedule is None:
        return [
            _(
                "Gruppe {number} hat keinen Termin-Rhythmus (setzen mit --weekly/--biweekly/--monthly/--dates)."
            ).format(number=view.group.id)
        ]
    describe = translate_message(schedule_description_de.describe(view.schedule))
    lines = [_("Gruppe {number}: {rule}").format(number=view.group.id, rule=describe)]
    if view.schedule.cancelled_dates:
        days = ", ".join(local_date(d) for d in sorted(view.schedule.cancelled_dates))
        lines.append(_("abgesagt: {days}").format(days=days))
    if view.schedule.extra_dates and view.schedule.has_rule:
        days = ", ".join(local_date(d) for d in sorted(view.schedule.extra_dates))
        lines.append(_("zusätzlich: {days}").format(days=days))
    if view.upcoming:
        lines.append(_("nächste Termine:"))
        for occ in view.upcoming:
            place = f"  {occ.place}" if occ.place else ""
            extra = "  " + _("(zusätzlich)") if occ.extra and view.schedule.has_rule else ""
            lines.append(f"  {weekday_date(occ.day)} {occ.start:%H:%M}–{occ.end:%H:%M}{place}{extra}")
    else:
        lines.append(_("keine kommenden Termine"))
    return lines
