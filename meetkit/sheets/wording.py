"""Meeting times in words for the sheet, in German, English and Leichte Sprache (one clock for all: 24 hours).

English uses the 24-hour clock too ("every Thursday, 19:00 to 20:30"), as the member page does: members in
Germany read times that way on every timetable, and page and sheet must say the same.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from babel.dates import format_date

from meetkit.domain.accounts import N_
from meetkit.rendering import EASY_READ, gettext_for
from meetkit.sheets.data import MeetingRule

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
AT_TIME = N_("%(day)s, %(time)s Uhr")


def babel_locale(lang: str) -> str:
    """The locale Babel formats dates in: Leichte Sprache is German."""
    return "de" if lang == EASY_READ else lang


def clock(moment: dt.time | dt.datetime) -> str:
    """A time of day on the 24-hour clock, e.g. "19:00"."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def rule_in_words(rule: MeetingRule, lang: str) -> str | None:
    """The meeting rule as a phrase ("jeden Donnerstag, 19:00 bis 20:30 Uhr"); None for an unknown rule."""
    if rule.frequency == "weekly":
        message = WEEKLY
    elif rule.frequency == "biweekly":
        message = BIWEEKLY
    elif rule.frequency == "monthly" and rule.nth in MONTHLY:
        message = MONTHLY[rule.nth]
    else:
        return None  # a kind of schedule this sheet has no words for: the next dates say it all
    if not 0 <= rule.weekday < len(WEEKDAYS):
        return None
    _ = gettext_for(lang)
    words: str = _(message) % {
        "weekday": _(WEEKDAYS[rule.weekday]),
        "start": clock(rule.start),
        "end": clock(rule.end),
    }
    return words


def meeting_in_words(when: dt.datetime, lang: str, tz: str, *, with_time: bool = True) -> str:
    """One meeting's day and time, e.g. "Donnerstag, 3. Dezember 2026, 19:00 Uhr" (without the time when the
    rule in words already says it: every meeting, extra ones too, starts at the rule's time)."""
    if when.tzinfo is not None:
        when = when.astimezone(ZoneInfo(tz))
    day = format_date(when, "full", locale=babel_locale(lang))
    if not with_time:
        return day
    return str(gettext_for(lang)(AT_TIME) % {"day": day, "time": clock(when)})
