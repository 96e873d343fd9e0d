"""Use cases for group schedules: set, change, cancel and add dates, next dates, iCalendar feed."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from meetkit.config import Settings
from meetkit.domain import extra_dates, ical, meeting_dates, schedule_description_de
from meetkit.domain import schedules as sched
from meetkit.domain.errors import InvalidInput, NotFound
from meetkit.domain.meeting_dates import Occurrence
from meetkit.domain.models import Group
from meetkit.domain.schedules import Frequency, OwnTime, Schedule
from meetkit.domain.scope import Scope
from meetkit.services import directory
from meetkit.storage import schedules as storage
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

NEXT_DATES = 3
DEFAULT_DURATION = 90


@dataclass(frozen=True, slots=True)
class ScheduleView:
    """A group with its schedule (None if it has none) and its next dates."""

    group: Group
    schedule: Schedule | None
    upcoming: tuple[Occurrence, ...]


def now_utc() -> dt.datetime:
    """The current moment, aware."""
    return dt.datetime.now(dt.UTC)


def occurrence_json(occ: Occurrence) -> dict[str, object]:
    """The JSON shape of one meeting date."""
    return {
        "date": occ.day.isoformat(),
        "start": occ.start.isoformat(),
        "end": occ.end.isoformat(),
        "place": occ.place,
        "extra": occ.extra,
    }


def schedule_json(schedule: Schedule | None) -> dict[str, object] | None:
    """The JSON shape of a schedule (weekday as an English name, nth -1 meaning the last)."""
    if schedule is None:
        return None
    return {
        "frequency": schedule.frequency.value,
        "weekday": None if schedule.weekday is None else sched.WEEKDAY_NAMES_EN[schedule.weekday],
        "start": schedule.start.strftime("%H:%M") if schedule.start else None,
        "duration_minutes": schedule.duration_minutes,
        "place": schedule.place,
        "anchor": schedule.anchor.isoformat() if schedule.anchor else None,
        "nth": "last" if schedule.nth == sched.LAST else schedule.nth,
        "timezone": sched.TIMEZONE.key,
        "description": schedule_description_de.describe(schedule),
        "extra_dates": sorted(d.isoformat() for d in schedule.extra_dates),
        "cancelled_dates": sorted(d.isoformat() for d in schedule.cancelled_dates),
        "own_times": [
            {
                "date": day.isoformat(),
                "start": own.start.strftime("%H:%M"),
                "duration_minutes": own.duration_minutes,
            }
            for day, own in sorted(schedule.extra_times.items())
        ],
    }


def view_json(view: ScheduleView) -> dict[str, object]:
    """The JSON shape of a group's schedule with its next dates, for the CLI and the API."""
    return {
        "group_id": view.group.id,
        "schedule": schedule_json(view.schedule),
        "next": [occurrence_json(o) for o in view.upcoming],
    }


async def get_schedule(
    db: Database,
    scope: Scope,
    reference: str | int,
    *,
    count: int = NEXT_DATES,
    now: dt.datetime | None = None,
) -> ScheduleView:
    """Return a group's schedule and next `count` dates."""
    group = await directory.find_group(db, scope, reference)
    schedule = await db.read(lambda conn: storage.get(conn, group.id))
    return _view(group, schedule, count, now)


async def set_schedule(
    db: Database,
    scope: Scope,
    reference: str | int,
    *,
    frequency: str | None = None,
    weekday: int | None = None,
    start: dt.time | None = None,
    duration_minutes: int | None = None,
    place: str | None = None,
    anchor: dt.date | None = None,
    nth: int | None = None,
    count: int = NEXT_DATES,
    now: dt.datetime | None = None,
) -> ScheduleView:
    """Set a group's rule; with no frequency, change only the given parts of the existing one.

    A place of "" removes the place. Extra and cancelled dates are kept; "dates" (single dates) keeps the
    extra dates with their times and drops the rule's other dates and its cancellations.
    """
    group = await directory.find_group(db, scope, reference)

    def change(conn: Connection) -> Schedule:
        current = storage.get(conn, group.id)
        if frequency == Frequency.DATES.value or (frequency is None and current and not current.has_rule):
            if weekday is not None or start is not None or duration_minutes is not None or anchor or nth:
                raise InvalidInput(
                    "Bei einzelnen Terminen hat jeder Termin seine eigene Uhrzeit und Dauer: "
                    "bitte beim Hinzufügen des Termins angeben."
                )
            storage.put_with_dates(conn, group.id, extra_dates.as_single_dates(current, place))
        elif frequency is None:
            if current is None:
                raise InvalidInput(
                    "Die Gruppe hat noch keinen Termin-Rhythmus: "
                    "bitte --weekly, --biweekly oder --monthly angeben."
                )
            if weekday is not None or anchor is not None or nth is not None:
                raise InvalidInput(
                    "Wochentag, Ankerdatum und n-ter Wochentag nur zusammen mit dem Rhythmus ändern."
                )
            updated = sched.make_schedule(
                current.frequency,
                current.weekday,
                start if start is not None else current.start,
                duration_minutes if duration_minutes is not None else current.duration_minutes,
                place=place if place is not None else current.place,
                anchor=current.anchor,
                nth=current.nth,
            )
            storage.put(conn, group.id, updated)
        else:
            if weekday is None or start is None:
                raise InvalidInput("Für einen Rhythmus fehlen Wochentag und Uhrzeit.")
            default_duration = (current.duration_minutes if current else None) or DEFAULT_DURATION
            default_place = current.place if current else None
            updated = sched.make_schedule(
                frequency,
                weekday,
                start,
                duration_minutes if duration_minutes is not None else default_duration,
                place=place if place is not None else default_place,
                anchor=anchor,
                nth=nth,
            )
            storage.put(conn, group.id, updated)
        result = storage.get(conn, group.id)
        assert result is not None
        return result

    return _view(group, await db.write(change), count, now)


async def preview_schedule(
    db: Database,
    scope: Scope,
    reference: str | int,
    *,
    frequency: str,
    weekday: int | None = None,
    start: dt.time | None = None,
    duration_minutes: int | None = None,
    place: str | None = None,
    anchor: dt.date | None = None,
    nth: int | None = None,
    count: int = NEXT_DATES,
    now: dt.datetime | None = None,
) -> ScheduleView:
    """The next dates a rule would give the group (with its extra and cancelled dates), without saving it."""
    group = await directory.find_group(db, scope, reference)
    current = await db.read(lambda conn: storage.get(conn, group.id))
    if frequency == Frequency.DATES.value:
        return _view(group, extra_dates.as_single_dates(current, place), count, now)
    rule = sched.make_schedule(
        frequency,
        weekday,
        start,
        duration_minutes,
        place=place,
        anchor=anchor,
        nth=nth,
        extra_dates=current.extra_dates if current else (),
        cancelled_dates=current.cancelled_dates if current else (),
        extra_times=current.extra_times if current else None,
    )
    return _view(group, rule, count, now)


async def clear_schedule(db: Database, scope: Scope, reference: str | int) -> ScheduleView:
    """Remove a group's schedule with all its extra and cancelled dates."""
    group = await directory.find_group(db, scope, reference)
    if not await db.write(lambda conn: storage.delete(conn, group.id)):
        raise NotFound("Diese Gruppe hat keinen Termin-Rhythmus.")
    return ScheduleView(group, None, ())


async def cancel_date(
    db: Database,
    scope: Scope,
    reference: str | int,
    day: dt.date,
    *,
    count: int = NEXT_DATES,
    now: dt.datetime | None = None,
) -> ScheduleView:
    """Cancel the meeting on `day` (a regular or an extra one)."""
    group = await directory.find_group(db, scope, reference)
    moment = now or now_utc()
    _not_in_past(day, moment)

    def change(conn: Connection) -> Schedule:
        schedule = _require(storage.get(conn, group.id))
        if day in schedule.cancelled_dates:
            raise InvalidInput(f"Das Treffen am {_de(day)} ist schon abgesagt.")
        if meeting_dates.is_regular_day(schedule, day):
            storage.set_exception(conn, group.id, day, "cancelled")
        elif day in schedule.extra_dates:
            storage.remove_exception(conn, group.id, day)
        else:
            raise InvalidInput(
                f"Am {_de(day)} ist kein Treffen geplant ({schedule_description_de.describe(schedule)})."
            )
        return _require(storage.get(conn, group.id))

    return _view(group, await db.write(change), count, moment)


async def add_date(
    db: Database,
    scope: Scope,
    reference: str | int,
    day: dt.date,
    *,
    own: OwnTime | None = None,
    count: int = NEXT_DATES,
    now: dt.datetime | None = None,
) -> ScheduleView:
    """Add a single meeting on `day` (at its own time, if given), or take back the cancellation of a
    regular one. A group without a schedule gets one of single dates."""
    group = await directory.find_group(db, scope, reference)
    moment = now or now_utc()
    own = sched.check_own_time(own) if own is not None else None

    def change(conn: Connection) -> Schedule:
        stored = storage.get(conn, group.id)
        schedule = stored or extra_dates.single_dates()
        extra_dates.check_new_date(schedule, day, own, moment)
        if stored is None:
            storage.put(conn, group.id, schedule)
        if day in schedule.cancelled_dates:
            storage.remove_exception(conn, group.id, day)
            if own is not None or not meeting_dates.is_regular_day(schedule, day):
                storage.set_exception(conn, group.id, day, "extra", own)
        elif meeting_dates.is_regular_day(schedule, day) or day in schedule.extra_dates:
            raise InvalidInput(f"Am {_de(day)} ist schon ein Treffen geplant.")
        else:
            sched.check_exception_count(len(schedule.extra_dates) + len(schedule.cancelled_dates) + 1)
            storage.set_exception(conn, group.id, day, "extra", own)
        return _require(storage.get(conn, group.id))

    return _view(group, await db.write(change), count, moment)


async def next_dates(
    db: Database, group_id: int, *, count: int = NEXT_DATES, now: dt.datetime | None = None
) -> list[Occurrence]:
    """The next `count` meetings of a group (a running one included); empty without a schedule."""
    schedule = await db.read(lambda conn: storage.get(conn, group_id))
    if schedule is None:
        return []
    return meeting_dates.next_occurrences(schedule, now or now_utc(), count)


def uid_stem(settings: Settings, group_id: int) -> str:
    """A stable, meaningless identifier for a group's calendar entries (no id, name or room in it)."""
    return hashlib.sha256(f"meetkit-calendar:{settings.secret}:{group_id}".encode()).hexdigest()[:20]


async def calendar_feed(
    db: Database, settings: Settings, member_code: str, *, now: dt.datetime | None = None
) -> str:
    """The iCalendar feed behind a member link: its dates, the display name only if allowed."""
    view = await directory.group_for_member_code(db, member_code)
    schedule = await db.read(lambda conn: storage.get(conn, view.group.id))
    summary = view.display_name or ical.NEUTRAL_SUMMARY
    moment = now or now_utc()
    if schedule is None:
        return ical.render_calendar([], name=summary, stamp=moment)
    return ical.schedule_feed(
        schedule, summary=summary, uid_stem=uid_stem(settings, view.group.id), now=moment
    )


def _view(group: Group, schedule: Schedule | None, count: int, now: dt.datetime | None) -> ScheduleView:
    if schedule is None:
        return ScheduleView(group, None, ())
    return ScheduleView(
        group, schedule, tuple(meeting_dates.next_occurrences(schedule, now or now_utc(), count))
    )


def _require(schedule: Schedule | None) -> Schedule:
    if schedule is None:
        raise InvalidInput("Die Gruppe hat noch keinen Termin-Rhythmus: bitte zuerst einen festlegen.")
    return schedule


def _not_in_past(day: dt.date, moment: dt.datetime) -> None:
    if day < moment.astimezone(sched.TIMEZONE).date():
        raise InvalidInput(f"Der {_de(day)} liegt in der Vergangenheit.")


def _de(day: dt.date) -> str:
    return f"{sched.WEEKDAY_NAMES_DE[day.weekday()]}, {day:%d.%m.%Y}"
