"""Extra dates added by hand: a schedule of nothing else (single dates), and whether a new date may be added."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from meetkit.domain.errors import InvalidInput
from meetkit.domain.meeting_dates import occurrence_on, require_aware
from meetkit.domain.schedules import TIMEZONE, WEEKDAY_NAMES_DE, Frequency, OwnTime, Schedule, make_schedule


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


def check_new_date(schedule: Schedule, day: dt.date, own: OwnTime | None, moment: dt.datetime) -> None:
    """Refuse a new single date that is over already, or one without a time where the schedule has none."""
    require_aware(moment)
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
