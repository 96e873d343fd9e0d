"""A group's meeting rule in words for people, in German, English and Leichte Sprache: the one wording of
pages and sheets (the command line and the API keep domain/schedule_description_de.describe(), a German one-liner).

Days and times themselves come from meetkit/dates.py, the one format of pages and sheets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetkit.dates import clock
from meetkit.domain.accounts import N_
from meetkit.domain.schedules import Schedule
from meetkit.rendering import gettext_for

WEEKDAYS = (
    N_("Montag"),
    N_("Dienstag"),
    N_("Mittwoch"),
    N_("Donnerstag"),
    N_("Freitag"),
    N_("Samstag"),
    N_("Sonntag"),
)
WEEKLY = N_("jeden %(weekday)s, %(start)s bis %(end)s Uhr")
BIWEEKLY = N_("jeden zweiten %(weekday)s, %(start)s bis %(end)s Uhr")
MONTHLY = {
    1: N_("jeden ersten %(weekday)s im Monat, %(start)s bis %(end)s Uhr"),
    2: N_("jeden zweiten %(weekday)s im Monat, %(start)s bis %(end)s Uhr"),
    3: N_("jeden dritten %(weekday)s im Monat, %(start)s bis %(end)s Uhr"),
    4: N_("jeden vierten %(weekday)s im Monat, %(start)s bis %(end)s Uhr"),
    5: N_("jeden fünften %(weekday)s im Monat, %(start)s bis %(end)s Uhr"),
    -1: N_("jeden letzten %(weekday)s im Monat, %(start)s bis %(end)s Uhr"),
}
SINGLE_DATES = N_("einzelne Termine")  # a schedule without a rule: each date says its own time


@dataclass(frozen=True, slots=True)
class MeetingRule:
    """A group's repeated meeting rule as people read it (frequency as domain/schedules.Frequency)."""

    frequency: str  # "weekly", "biweekly", "monthly"; one without words here shows only the dates
    weekday: int  # 0 = Monday
    start: dt.time
    end: dt.time
    nth: int | None = None  # monthly: 1..5, or -1 for the last one
    place: str | None = None


def meeting_rule(schedule: Schedule) -> MeetingRule | None:
    """The schedule's rule: weekday, local start and end time, place (None for single dates, whose dates
    each say their own time)."""
    if schedule.weekday is None or schedule.start is None or schedule.duration_minutes is None:
        return None
    start = dt.datetime.combine(dt.date(2000, 1, 3), schedule.start)
    end = start + dt.timedelta(minutes=schedule.duration_minutes)
    return MeetingRule(
        frequency=str(schedule.frequency),
        weekday=schedule.weekday,
        start=schedule.start,
        end=end.time(),
        nth=schedule.nth,
        place=schedule.place,
    )


def rule_in_words(rule: MeetingRule, lang: str) -> str | None:
    """The meeting rule as a phrase ("jeden Donnerstag, 19:00 bis 20:30 Uhr"); None for an unknown rule."""
    if rule.frequency == "weekly":
        message = WEEKLY
    elif rule.frequency == "biweekly":
        message = BIWEEKLY
    elif rule.frequency == "monthly" and rule.nth in MONTHLY:
        message = MONTHLY[rule.nth]
    else:
        return None  # a kind of schedule without words here: the next dates say it all
    if not 0 <= rule.weekday < len(WEEKDAYS):
        return None
    _ = gettext_for(lang)
    words: str = _(message) % {
        "weekday": _(WEEKDAYS[rule.weekday]),
        "start": clock(rule.start),
        "end": clock(rule.end),
    }
    return words


def schedule_in_words(schedule: Schedule, lang: str) -> str:
    """A stored schedule in words for a page: its rule, or "einzelne Termine" (without the place)."""
    rule = meeting_rule(schedule)
    words = rule_in_words(rule, lang) if rule is not None else None
    if words is None:
        words = gettext_for(lang)(SINGLE_DATES)
    return words
