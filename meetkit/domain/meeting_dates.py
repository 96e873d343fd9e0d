"""The meetings a schedule puts on the calendar: on which days, at which local times, and which come next."""

from __future__ import annotations

import calendar
import datetime as dt
import heapq
from collections.abc import Iterator
from dataclasses import dataclass

from meetkit.domain.schedules import LAST, TIMEZONE, Frequency, Schedule


@dataclass(frozen=True)
class Occurrence:
    """One meeting: its local day, start and end as aware local datetimes, and place."""

    day: dt.date
    start: dt.datetime
    end: dt.datetime
    place: str | None
    extra: bool = False

    def is_running(self, moment: dt.datetime) -> bool:
        """True while the meeting has started and not yet ended."""
        return self.start <= moment < self.end


def is_regular_day(schedule: Schedule, day: dt.date) -> bool:
    """True if the rule (without extras and cancellations) puts a meeting on this day."""
    if not schedule.has_rule or day.weekday() != schedule.weekday:
        return False
    if schedule.frequency is Frequency.WEEKLY:
        return True
    if schedule.frequency is Frequency.BIWEEKLY:
        assert schedule.anchor is not None
        return (day - schedule.anchor).days % 14 == 0
    assert schedule.nth is not None
    return nth_weekday(day.year, day.month, schedule.weekday, schedule.nth) == day


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date | None:
    """The n-th (1..5, or LAST) given weekday of a month, or None when the month has no such day."""
    days_in_month = calendar.monthrange(year, month)[1]
    if nth == LAST:
        last = dt.date(year, month, days_in_month)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    day_number = 1 + (weekday - first.weekday()) % 7 + 7 * (nth - 1)
    if day_number > days_in_month:
        return None
    return dt.date(year, month, day_number)


def occurrence_on(schedule: Schedule, day: dt.date, *, extra: bool = False) -> Occurrence:
    """The meeting of this schedule on a given local day (no check whether it is a meeting day)."""
    own = schedule.time_of(day)
    naive = dt.datetime.combine(day, own.start)
    # Round-trip through UTC: a non-existent spring-forward time moves forward by the gap.
    start = naive.replace(tzinfo=TIMEZONE).astimezone(dt.UTC).astimezone(TIMEZONE)
    end = (start.astimezone(dt.UTC) + dt.timedelta(minutes=own.duration_minutes)).astimezone(TIMEZONE)
    return Occurrence(day=day, start=start, end=end, place=schedule.place, extra=extra)


def _regular_days(schedule: Schedule, first: dt.date) -> Iterator[dt.date]:
    """The rule's meeting days from `first` on, in order, without end (only the dates, no per-day scan)."""
    if not schedule.has_rule:
        return
    assert schedule.weekday is not None
    if schedule.frequency is Frequency.MONTHLY:
        assert schedule.nth is not None
        year, month = first.year, first.month
        while True:
            day = nth_weekday(year, month, schedule.weekday, schedule.nth)
            if day is not None and day >= first:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    day = first + dt.timedelta(days=(schedule.weekday - first.weekday()) % 7)
    step = 7
    if schedule.frequency is Frequency.BIWEEKLY:
        assert schedule.anchor is not None
        step = 14
        if (day - schedule.anchor).days % 14:
            day += dt.timedelta(days=7)
    while True:
        yield day
        day += dt.timedelta(days=step)


def _meeting_days(schedule: Schedule, first: dt.date) -> Iterator[tuple[dt.date, bool]]:
    """(day, is_extra) of every meeting from `first` on, in order: rule plus extras, minus cancellations."""
    extras = sorted(d for d in schedule.extra_dates if d >= first)
    merged = heapq.merge(((d, False) for d in _regular_days(schedule, first)), ((d, True) for d in extras))
    previous = None
    for day, extra in merged:
        if day == previous or day in schedule.cancelled_dates:
            continue
        previous = day
        yield day, extra


def occurrences_between(schedule: Schedule, first: dt.date, last: dt.date) -> list[Occurrence]:
    """All meetings on the local days first..last (both included), in order."""
    result = []
    for day, extra in _meeting_days(schedule, first):
        if day > last:
            break
        result.append(occurrence_on(schedule, day, extra=extra))
    return result


def occurrences_in(schedule: Schedule, start: dt.datetime, end: dt.datetime) -> list[Occurrence]:
    """Meetings that start at or after `start` and before `end` (aware datetimes)."""
    require_aware(start)
    require_aware(end)
    first = start.astimezone(TIMEZONE).date() - dt.timedelta(days=1)
    last = end.astimezone(TIMEZONE).date() + dt.timedelta(days=1)
    return [o for o in occurrences_between(schedule, first, last) if start <= o.start < end]


def next_occurrences(
    schedule: Schedule, moment: dt.datetime, count: int, *, horizon_days: int = 800
) -> list[Occurrence]:
    """The next `count` meetings not yet ended at `moment` (a running one counts), within the horizon."""
    require_aware(moment)
    result: list[Occurrence] = []
    if count <= 0:
        return result
    first = moment.astimezone(TIMEZONE).date() - dt.timedelta(days=1)  # a meeting may run past midnight
    last = first + dt.timedelta(days=horizon_days)
    for day, extra in _meeting_days(schedule, first):
        if day > last:
            break
        occ = occurrence_on(schedule, day, extra=extra)
        if occ.end > moment:
            result.append(occ)
            if len(result) == count:
                break
    return result


def todays_occurrences(schedule: Schedule, moment: dt.datetime) -> list[Occurrence]:
    """Meetings on the local day of `moment` (Europe/Berlin), whether past, running or ahead."""
    require_aware(moment)
    today = moment.astimezone(TIMEZONE).date()
    return occurrences_between(schedule, today, today)


def require_aware(moment: dt.datetime) -> None:
    """Raise ValueError unless `moment` is an aware datetime."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an aware datetime is required")
