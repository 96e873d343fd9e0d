"""Meeting days and times in words, one format per language for pages and sheets alike.

Times are on the 24-hour clock in every language ("19:00"): members in Germany read times that way on every
timetable, and the member page, the kiosk and the sheet must say the same.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date

EASY_READ_LOCALE = "de"  # Leichte Sprache is German: it writes dates the German way


def babel_locale(lang: str) -> str:
    """The locale Babel formats in: Leichte Sprache is German."""
    return lang if lang in ("de", "en") else EASY_READ_LOCALE


def meeting_day(when: dt.date | dt.datetime, lang: str) -> str:
    """A day in full words: "Donnerstag, 3. Dezember 2026" or "Thursday, December 3, 2026"."""
    day = when.date() if isinstance(when, dt.datetime) else when
    return _day_in_words(day, babel_locale(lang))


def clock(when: dt.datetime | dt.time) -> str:
    """A time of day as it stands in `when`, on the 24-hour clock in every language: "19:00"."""
    return f"{when.hour:02d}:{when.minute:02d}"


@lru_cache(maxsize=4096)  # member pages render the same few weeks' days over and over
def _day_in_words(day: dt.date, locale: str) -> str:
    return format_date(day, "full", locale=locale)


def format_meeting(when: dt.datetime, lang: str, tz: str, *, with_time: bool = True) -> str:
    """A meeting in full words, e.g. "Donnerstag, 3. Dezember 2026, 19:00 Uhr" (the day alone without time)."""
    if when.tzinfo is not None:
        when = when.astimezone(ZoneInfo(tz))
    day = meeting_day(when, lang)
    if not with_time:
        return day
    if babel_locale(lang) == "de":
        return f"{day}, {clock(when)} Uhr"
    return f"{day}, {clock(when)}"


def month_in_words(month: str, lang: str) -> str:
    """A month given as `YYYY-MM` in words: "November 2026" (as it is when it is no such month)."""
    try:
        first = dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        return month
    return str(format_date(first, "LLLL y", locale=babel_locale(lang)))
