"""Group schedules: weekly, every second week, monthly on the n-th weekday, or single dates, in local wall time.

Rules, in one place:

- Times are local wall times in Europe/Berlin. Across a daylight-saving change the wall time stays
  (19:00 stays 19:00) and the UTC instant moves by an hour.
- A wall time that does not exist on a spring-forward night (02:30 on the last Sunday of March) is moved
  forward by the gap (03:30); one that exists twice on the autumn night takes its first (summer) instance.
- "Monthly on the 5th Tuesday" skips every month that has only four Tuesdays: no meeting that month, and no
  move to the 4th or the last one. Use ``nth=LAST`` for "the last Tuesday of every month".
- Every second week counts fortnights from an anchor date (a meeting day), backwards and forwards.
- Extra dates take the regular start time and duration unless they carry their own; they take the place.
  A cancelled date removes every meeting of that day, extra ones included.
- "Single dates" (``Frequency.DATES``) has no rule: no weekday, start or duration of its own. Its meetings
  are its extra dates only, each with its own start and duration; cancelling one removes it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import heapq
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from zoneinfo import ZoneInfo

from meetkit.domain.errors import InvalidInput
from meetkit.domain.names import clean_name
from meetkit.domain.numbers import is_ascii_number

TIMEZONE = ZoneInfo("Europe/Berlin")
LAST = -1
MAX_DURATION_MINUTES = 12 * 60
MAX_PLACE_LENGTH = 80
MAX_EXCEPTIONS = 500
WEEKDAY_NAMES_DE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
WEEKDAY_NAMES_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ALIASES = {
    **{name.lower(): i for i, name in enumerate(WEEKDAY_NAMES_DE)},
    **{name.lower(): i for i, name in enumerate(WEEKDAY_NAMES_EN)},
    **{name.lower()[:2]: i for i, name in enumerate(WEEKDAY_NAMES_DE)},
    **{name.lower()[:3]: i for i, name in enumerate(WEEKDAY_NAMES_DE)},
    **{name.lower()[:3]: i for i, name in enumerate(WEEKDAY_NAMES_EN)},
}
_NTH_ALIASES = {"last": LAST, "letzter": LAST, "letzte": LAST, "letzten": LAST, "-1": LAST}


class Frequency(StrEnum):
    """How often a group meets."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    DATES = "dates"


@dataclass(frozen=True)
class OwnTime:
    """A single date's own start (local wall time) and duration."""

    start: dt.time
    duration_minutes: int


@dataclass(frozen=True)
class Schedule:
    """A group's meeting rule plus its single extra and cancelled dates; build it with make_schedule()."""

    frequency: Frequency
    weekday: int | None  # None (and start, duration None) for single dates only
    start: dt.time | None
    duration_minutes: int | None
    place: str | None = None
    anchor: dt.date | None = None
    nth: int | None = None
    extra_dates: frozenset[dt.date] = field(default_factory=frozenset)
    cancelled_dates: frozenset[dt.date] = field(default_factory=frozenset)
    extra_times: Mapping[dt.date, OwnTime] = field(default_factory=dict, hash=False)

    @property
    def has_rule(self) -> bool:
        """False for single dates: the schedule has no weekday, start or duration of its own."""
        return self.frequency is not Frequency.DATES

    def time_of(self, day: dt.date) -> OwnTime:
        """The start and duration of the meeting on `day`: the date's own, else the rule's."""
        own = self.extra_times.get(day)
        if own is not None:
            return own
        assert self.start is not None and self.duration_minutes is not None, "single dates carry own times"
        return OwnTime(self.start, self.duration_minutes)


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


def make_schedule(
    frequency: Frequency | str,
    weekday: int | None,
    start: dt.time | None,
    duration_minutes: int | None,
    *,
    place: str | None = None,
    anchor: dt.date | None = None,
    nth: int | None = None,
    extra_dates: Iterable[dt.date] = (),
    cancelled_dates: Iterable[dt.date] = (),
    extra_times: Mapping[dt.date, OwnTime] | None = None,
) -> Schedule:
    """Validate the parts of a schedule and return it; raises InvalidInput with a readable message."""
    try:
        freq = Frequency(frequency)
    except ValueError:
        raise InvalidInput(
            "Unbekannter Rhythmus: erlaubt sind weekly (jede Woche), biweekly (jede zweite Woche), "
            "monthly (monatlich am n-ten Wochentag) und dates (einzelne Termine)."
        ) from None
    extras = frozenset(extra_dates)
    cancelled = frozenset(cancelled_dates)
    own_times = dict(extra_times or {})
    if len(extras) + len(cancelled) > MAX_EXCEPTIONS:
        raise InvalidInput(f"Höchstens {MAX_EXCEPTIONS} einzelne Zusatz- und Ausfalltermine.")
    if not own_times.keys() <= extras:
        raise InvalidInput("Eine eigene Uhrzeit haben nur zusätzliche Termine.")
    for own in own_times.values():
        check_own_time(own)
    if freq is Frequency.DATES:
        return _single_dates(weekday, start, duration_minutes, place, anchor, nth, extras, own_times)
    if weekday is None or start is None or duration_minutes is None:
        raise InvalidInput("Für einen Rhythmus fehlen Wochentag, Uhrzeit und Dauer.")
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise InvalidInput("Der Wochentag muss zwischen 0 (Montag) und 6 (Sonntag) liegen.")
    if start.tzinfo is not None:
        raise InvalidInput("Die Anfangszeit ist eine Uhrzeit vor Ort, ohne Zeitzone.")
    start = start.replace(second=0, microsecond=0)
    check_duration(duration_minutes)
    if freq is Frequency.BIWEEKLY:
        if anchor is None:
            raise InvalidInput(
                "Für „jede zweite Woche“ fehlt ein Datum, an dem ein Treffen stattfindet (Ankerdatum)."
            )
        if anchor.weekday() != weekday:
            raise InvalidInput(
                f"Das Ankerdatum {anchor.isoformat()} ist ein {WEEKDAY_NAMES_DE[anchor.weekday()]}, "
                f"das Treffen aber am {WEEKDAY_NAMES_DE[weekday]}."
            )
    elif anchor is not None:
        raise InvalidInput("Ein Ankerdatum gibt es nur für „jede zweite Woche“.")
    if freq is Frequency.MONTHLY:
        if nth is None or not (nth == LAST or 1 <= nth <= 5):
            raise InvalidInput("Für „monatlich“ fehlt, der wievielte Wochentag: 1 bis 5 oder „letzter“.")
    elif nth is not None:
        raise InvalidInput("Der wievielte Wochentag gilt nur für „monatlich“.")
    return Schedule(
        frequency=freq,
        weekday=weekday,
        start=start,
        duration_minutes=duration_minutes,
        place=clean_place(place),
        anchor=anchor,
        nth=nth,
        extra_dates=extras,
        cancelled_dates=cancelled,
        extra_times=own_times,
    )


def _single_dates(
    weekday: int | None,
    start: dt.time | None,
    duration_minutes: int | None,
    place: str | None,
    anchor: dt.date | None,
    nth: int | None,
    extras: frozenset[dt.date],
    own_times: dict[dt.date, OwnTime],
) -> Schedule:
    """A schedule of single dates: no rule parts, each date with its own time; raises InvalidInput."""
    if weekday is not None or anchor is not None or nth is not None:
        raise InvalidInput("Einzelne Termine haben keinen Wochentag: jeder Termin hat sein eigenes Datum.")
    if start is not None or duration_minutes is not None:
        raise InvalidInput("Bei einzelnen Terminen hat jeder Termin seine eigene Uhrzeit und Dauer.")
    if own_times.keys() != extras:
        raise InvalidInput("Bei einzelnen Terminen braucht jeder Termin eine Uhrzeit und eine Dauer.")
    return Schedule(
        frequency=Frequency.DATES,
        weekday=None,
        start=None,
        duration_minutes=None,
        place=clean_place(place),
        extra_dates=extras,
        extra_times=own_times,
    )


def single_dates(place: str | None = None) -> Schedule:
    """A schedule of single dates with no date yet ("no fixed time")."""
    return make_schedule(Frequency.DATES, None, None, None, place=place)


def as_single_dates(current: Schedule | None, place: str | None = None) -> Schedule:
    """The schedule turned into single dates: its extra dates keep their times (a rule's time becomes
    their own), the rule's other dates and its cancellations go; `place` None keeps the place."""
    if current is None:
        return single_dates(place)
    return make_schedule(
        Frequency.DATES,
        None,
        None,
        None,
        place=current.place if place is None else place,
        extra_dates=current.extra_dates,
        extra_times={day: current.time_of(day) for day in current.extra_dates},
    )


def check_own_time(own: OwnTime) -> OwnTime:
    """Return a single date's own time if it is a wall time with a valid duration; raises InvalidInput."""
    if own.start.tzinfo is not None:
        raise InvalidInput("Die Anfangszeit ist eine Uhrzeit vor Ort, ohne Zeitzone.")
    check_duration(own.duration_minutes)
    return OwnTime(own.start.replace(second=0, microsecond=0), own.duration_minutes)


def check_new_date(schedule: Schedule, day: dt.date, own: OwnTime | None, moment: dt.datetime) -> None:
    """Refuse a new single date that is over already, or one without a time where the schedule has none."""
    _require_aware(moment)
    local_now = moment.astimezone(TIMEZONE)
    if day < local_now.date():
        named = f"{WEEKDAY_NAMES_DE[day.weekday()]}, {day:%d.%m.%Y}"
        raise InvalidInput(f"Der {named} liegt in der Vergangenheit.")
    if own is None and not schedule.has_rule:
        raise InvalidInput("Bitte geben Sie an, um wie viel Uhr das Treffen beginnt und wie lange es dauert.")
    time = own or schedule.time_of(day)
    meeting = occurrence_on(replace(schedule, extra_times={day: time}), day)
    if meeting.end <= moment:
        raise InvalidInput(f"Das Treffen am {day:%d.%m.%Y} um {time.start:%H:%M} Uhr wäre schon vorbei.")


def check_duration(duration_minutes: int) -> int:
    """Return the duration if it is 1 to MAX_DURATION_MINUTES minutes; raises InvalidInput."""
    if not isinstance(duration_minutes, int) or not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise InvalidInput(f"Die Dauer muss zwischen 1 und {MAX_DURATION_MINUTES} Minuten liegen.")
    return duration_minutes


def clean_place(place: str | None) -> str | None:
    """Clean the place (a room at the contact point); empty means none; raises InvalidInput."""
    if place is None or not place.strip():
        return None
    return clean_name(place, "Der Ort", MAX_PLACE_LENGTH)


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
    _require_aware(start)
    _require_aware(end)
    first = start.astimezone(TIMEZONE).date() - dt.timedelta(days=1)
    last = end.astimezone(TIMEZONE).date() + dt.timedelta(days=1)
    return [o for o in occurrences_between(schedule, first, last) if start <= o.start < end]


def next_occurrences(
    schedule: Schedule, moment: dt.datetime, count: int, *, horizon_days: int = 800
) -> list[Occurrence]:
    """The next `count` meetings not yet ended at `moment` (a running one counts), within the horizon."""
    _require_aware(moment)
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
    _require_aware(moment)
    today = moment.astimezone(TIMEZONE).date()
    return occurrences_between(schedule, today, today)


def _require_aware(moment: dt.datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("an aware datetime is required")


def describe(schedule: Schedule) -> str:
    """A short German description of the rule, e.g. "jeden 2. Dienstag im Monat, 19:00 (90 Min.)"."""
    if schedule.weekday is None or schedule.start is None:
        return f"einzelne Termine, {schedule.place}" if schedule.place else "einzelne Termine"
    weekday = WEEKDAY_NAMES_DE[schedule.weekday]
    if schedule.frequency is Frequency.WEEKLY:
        rule = f"jeden {weekday}"
    elif schedule.frequency is Frequency.BIWEEKLY:
        rule = f"jeden zweiten {weekday}"
    else:
        which = "letzten" if schedule.nth == LAST else f"{schedule.nth}."
        rule = f"jeden {which} {weekday} im Monat"
    text = f"{rule}, {schedule.start:%H:%M} Uhr ({schedule.duration_minutes} Min.)"
    if schedule.place:
        text += f", {schedule.place}"
    return text


# --- parsing of what staff type (CLI and API share these) ---


def parse_weekday(text: str) -> int:
    """Weekday from "mo", "Montag", "monday", "mon" or 1..7 (1 = Monday); raises InvalidInput."""
    key = text.strip().lower().rstrip(".")
    if is_ascii_number(key) and len(key) <= 2 and 1 <= int(key) <= 7:
        return int(key) - 1
    if key in _WEEKDAY_ALIASES:
        return _WEEKDAY_ALIASES[key]
    raise InvalidInput(f"Unbekannter Wochentag „{text}“: z. B. mo, di, mi, do, fr, sa, so.")


def parse_nth(text: str) -> int:
    """Which weekday of the month: 1..5 or "last"/"letzter"; raises InvalidInput."""
    key = text.strip().lower().rstrip(".")
    if key in _NTH_ALIASES:
        return LAST
    if is_ascii_number(key) and len(key) <= 2 and 1 <= int(key) <= 5:
        return int(key)
    raise InvalidInput(f"„{text}“: der wievielte Wochentag im Monat ist 1 bis 5 oder „last“.")


def parse_time(text: str) -> dt.time:
    """Local wall time from "19:30", "19.30" or "19"; raises InvalidInput."""
    match = re.fullmatch(r"\s*([0-9]{1,2})(?:[:.]([0-9]{2}))?\s*(?:uhr)?\s*", text, re.IGNORECASE)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour <= 23 and minute <= 59:
            return dt.time(hour, minute)
    raise InvalidInput(f"Ungültige Uhrzeit „{text}“: bitte als 19:30 angeben.")


def parse_date(text: str) -> dt.date:
    """A date as 2026-04-02 or 02.04.2026; raises InvalidInput."""
    value = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise InvalidInput(f"Ungültiges Datum „{text}“: bitte als 2026-04-02 oder 02.04.2026 angeben.")


def parse_duration(text: str) -> int:
    """Minutes from "90", "90m", "1:30", "1h30" or "2h"; raises InvalidInput."""
    value = text.strip().lower().replace(" ", "")
    match = re.fullmatch(r"([0-9]{1,6})(?:min|m)?", value)
    if match:
        return int(match.group(1))
    match = re.fullmatch(r"([0-9]{1,4})(?:h|:)([0-9]{1,2})?(?:min|m)?", value)
    if match:
        return int(match.group(1)) * 60 + int(match.group(2) or 0)
    raise InvalidInput(f"Ungültige Dauer „{text}“: Minuten (90) oder Stunden:Minuten (1:30).")
