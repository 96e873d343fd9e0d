"""A leader's meeting plan as typed into a form: rhythm, the next date, time and length, or no fixed time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetkit.domain import meeting_dates, schedule_parsing
from meetkit.domain import schedules as sched
from meetkit.domain.accounts import N_
from meetkit.domain.errors import InvalidInput
from meetkit.domain.schedules import LAST, TIMEZONE, Frequency, OwnTime, Schedule

NO_FIXED_TIME = "none"
RHYTHMS = ("weekly", "biweekly", "monthly", NO_FIXED_TIME)
DURATIONS = (60, 90, 120, 150, 180)
DEFAULT_DURATION = 90

CHOOSE_RHYTHM = N_("Bitte wählen Sie, wie oft sich die Gruppe trifft, oder „Keine feste Zeit“.")
DATE_MISSING = N_("Bitte geben Sie das Datum des nächsten Treffens an (zum Beispiel 14.05.2026).")
TIME_MISSING = N_("Bitte geben Sie die Uhrzeit an, zu der das Treffen beginnt (zum Beispiel 19:00).")
DATE_PAST = N_("Dieses Treffen liegt in der Vergangenheit. Bitte wählen Sie ein kommendes Datum.")
DATE_FAR = N_("Das nächste Treffen darf höchstens ein Jahr entfernt sein.")
DURATION_WRONG = N_("Bitte wählen Sie eine der angebotenen Dauern.")
DATE_UNREADABLE = N_("Dieses Datum verstehe ich nicht. Bitte so eingeben: 14.05.2026.")
TIME_UNREADABLE = N_("Diese Uhrzeit verstehe ich nicht. Bitte so eingeben: 19:00.")


@dataclass(frozen=True, slots=True)
class MeetingPlan:
    """A regular rhythm whose next meeting is `first_day`; dates of the rhythm before it do not take place."""

    schedule: Schedule
    first_day: dt.date

    def skipped_days(self, today: dt.date) -> list[dt.date]:
        """Meeting days of the rhythm from `today` up to (not including) the first one: they are cancelled."""
        if self.first_day <= today:
            return []
        last = self.first_day - dt.timedelta(days=1)
        return [o.day for o in meeting_dates.occurrences_between(self.schedule, today, last)]


def read_plan(fields: dict[str, str], now: dt.datetime, place: str | None = None) -> MeetingPlan | None:
    """The plan in a form's fields (`rhythm`, `date`, `time`, `duration`); None for "no fixed time"."""
    rhythm = fields.get("rhythm", "")
    if rhythm not in RHYTHMS:
        raise InvalidInput(CHOOSE_RHYTHM)
    if rhythm == NO_FIXED_TIME:
        return None
    day = _date(fields.get("date", ""))
    start = _time(fields.get("time", ""))
    duration = _duration(fields.get("duration", ""))
    local_now = now.astimezone(TIMEZONE)
    if day < local_now.date() or (day == local_now.date() and start <= local_now.time()):
        raise InvalidInput(DATE_PAST)
    if day > local_now.date() + dt.timedelta(days=366):
        raise InvalidInput(DATE_FAR)
    frequency = Frequency(rhythm)
    nth = None
    if frequency is Frequency.MONTHLY:
        nth = (day.day - 1) // 7 + 1
        nth = LAST if nth == 5 else nth  # "the 5th Friday" means the last one to people
    schedule = sched.make_schedule(
        frequency,
        day.weekday(),
        start,
        duration,
        place=place,
        anchor=day if frequency is Frequency.BIWEEKLY else None,
        nth=nth,
    )
    return MeetingPlan(schedule, day)


def read_own_time(fields: dict[str, str]) -> OwnTime | None:
    """A single meeting's own time in a form's fields (`time`, `duration`); None when no time is typed
    (the regular time, where there is one)."""
    if not fields.get("time", "").strip():
        return None
    return OwnTime(_time(fields["time"]), _duration(fields.get("duration", "")))


def _date(text: str) -> dt.date:
    if not text.strip():
        raise InvalidInput(DATE_MISSING)
    try:
        return schedule_parsing.parse_date(text)
    except InvalidInput:
        raise InvalidInput(DATE_UNREADABLE) from None


def _time(text: str) -> dt.time:
    if not text.strip():
        raise InvalidInput(TIME_MISSING)
    try:
        return schedule_parsing.parse_time(text)
    except InvalidInput:
        raise InvalidInput(TIME_UNREADABLE) from None


def _duration(text: str) -> int:
    if not text.strip():
        return DEFAULT_DURATION
    if not text.strip().isascii() or not text.strip().isdigit() or int(text.strip()) not in DURATIONS:
        raise InvalidInput(DURATION_WRONG)
    return int(text.strip())
