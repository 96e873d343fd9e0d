"""A group's schedule: its rule (weekly, every second week, monthly, or none for single dates) and dates."""

# What a schedule means (meeting_dates.py computes its meetings, extra_dates.py adds single dates).
# Rules, in one place:
#
# - Times are local wall times in Europe/Berlin. Across a daylight-saving change the wall time stays
#   (19:00 stays 19:00) and the UTC instant moves by an hour.
# - A wall time that does not exist on a spring-forward night (02:30 on the last Sunday of March) is moved
#   forward by the gap (03:30); one that exists twice on the autumn night takes its first (summer) instance.
# - "Monthly on the 5th Tuesday" skips every month that has only four Tuesdays: no meeting that month, and no
#   move to the 4th or the last one. Use ``nth=LAST`` for "the last Tuesday of every month".
# - Every second week counts fortnights from an anchor date (a meeting day), backwards and forwards.
# - Extra dates take the regular start time and duration unless they carry their own; they take the place.
#   A cancelled date removes every meeting of that day, extra ones included.
# - "Single dates" (``Frequency.DATES``) has no rule: no weekday, start or duration of its own. Its meetings
#   are its extra dates only, each with its own start and duration; cancelling one removes it.

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from zoneinfo import ZoneInfo

from meetkit.domain.errors import InvalidInput
from meetkit.domain.names import clean_name

TIMEZONE = ZoneInfo("Europe/Berlin")
LAST = -1
MAX_DURATION_MINUTES = 12 * 60
MAX_PLACE_LENGTH = 80
MAX_EXCEPTIONS = 500
WEEKDAY_NAMES_DE = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
WEEKDAY_NAMES_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


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


def check_exception_count(count: int) -> None:
    """Refuse a schedule with more than MAX_EXCEPTIONS extra and cancelled dates together."""
    if count > MAX_EXCEPTIONS:
        raise InvalidInput(f"Höchstens {MAX_EXCEPTIONS} einzelne Zusatz- und Ausfalltermine.")


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
    check_exception_count(len(extras) + len(cancelled))
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


def check_own_time(own: OwnTime) -> OwnTime:
    """Return a single date's own time if it is a wall time with a valid duration; raises InvalidInput."""
    if own.start.tzinfo is not None:
        raise InvalidInput("Die Anfangszeit ist eine Uhrzeit vor Ort, ohne Zeitzone.")
    check_duration(own.duration_minutes)
    return OwnTime(own.start.replace(second=0, microsecond=0), own.duration_minutes)


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
