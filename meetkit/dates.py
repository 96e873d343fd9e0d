"""Meeting days and times in words, one format per language for pages, sheets and the command line alike.

Times are on the 24-hour clock in every language ("19:00"): members in Germany read times that way on every
timetable, and the member page, the kiosk and the sheet must say the same. Stored moments (UTC) are shown in
local time (`local_time`). Babel is imported only where a date needs its locale data, so the command line
can use this module without loading it for German (tests/test_cli_startup.py).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

EASY_READ_LOCALE = "de"  # Leichte Sprache is German: it writes dates the German way
TIMEZONE = ZoneInfo("Europe/Berlin")  # domain.schedules.TIMEZONE, repeated to stay light for the CLI
NO_BREAK_SPACE = "\u00a0"


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


def local_time(stored: str | dt.datetime, lang: str, *, unbroken: bool = False) -> str:
    """A stored UTC moment as people read it, in local time: "30.11.2026, 15:31 Uhr" or "30 Nov 2026, 15:31".

    `unbroken` (pages): no-break spaces keep the date and the time each on one line.
    """
    moment = dt.datetime.fromisoformat(stored) if isinstance(stored, str) else stored
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)  # stored moments are UTC
    local = moment.astimezone(TIMEZONE)
    day, time = short_date(local.date(), lang), _time_of_day(local, lang)
    if unbroken:
        day, time = day.replace(" ", NO_BREAK_SPACE), time.replace(" ", NO_BREAK_SPACE)
    return f"{day}, {time}"


def short_date(day: dt.date, lang: str) -> str:
    """A day in short: "30.11.2026" (German) or "30 Nov 2026" (English)."""
    if babel_locale(lang) == "de":
        return f"{day:%d.%m.%Y}"  # needs no locale data
    return _short_date_in(day, babel_locale(lang))


def _time_of_day(when: dt.datetime, lang: str) -> str:
    """The time of day as it is written after a date: "19:00 Uhr" (German) or "19:00"."""
    return f"{clock(when)} Uhr" if babel_locale(lang) == "de" else clock(when)


@lru_cache(maxsize=4096)  # member pages render the same few weeks' days over and over
def _day_in_words(day: dt.date, locale: str) -> str:
    from babel.dates import format_date  # once imported, a dictionary look-up; only on a cache miss

    return format_date(day, "full", locale=locale)


@lru_cache(maxsize=1024)
def _short_date_in(day: dt.date, locale: str) -> str:
    from babel.dates import format_date

    return format_date(day, "d MMM y", locale=locale)


def format_meeting(when: dt.datetime, lang: str, tz: str, *, with_time: bool = True) -> str:
    """A meeting in full words, e.g. "Donnerstag, 3. Dezember 2026, 19:00 Uhr" (the day alone without time)."""
    if when.tzinfo is not None:
        when = when.astimezone(ZoneInfo(tz))
    day = meeting_day(when, lang)
    return f"{day}, {_time_of_day(when, lang)}" if with_time else day


def month_in_words(month: str, lang: str) -> str:
    """A month given as `YYYY-MM` in words: "November 2026" (as it is when it is no such month)."""
    try:
        first = dt.date.fromisoformat(f"{month}-01")
    except ValueError:
        return month
    from babel.dates import format_date

    return str(format_date(first, "LLLL y", locale=babel_locale(lang)))
