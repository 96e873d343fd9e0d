"""Meeting days and times in words, one format per language for pages and sheets alike."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

EASY_READ_LOCALE = "de"  # Leichte Sprache is German: it writes dates the German way


def _locale(lang: str) -> str:
    return lang if lang in ("de", "en") else EASY_READ_LOCALE


def meeting_day(when: dt.date | dt.datetime, lang: str) -> str:
    """A day in full words: "Donnerstag, 3. Dezember 2026" or "Thursday, December 3, 2026"."""
    day = when.date() if isinstance(when, dt.datetime) else when
    return _day_in_words(day, _locale(lang))


def clock(when: dt.datetime | dt.time, lang: str) -> str:
    """A time of day as it stands in `when`: "19:00" in German, "7:00 PM" in English."""
    return _clock(when.hour, when.minute, _locale(lang))


@lru_cache(maxsize=4096)  # member pages render the same few weeks' days over and over
def _day_in_words(day: dt.date, locale: str) -> str:
    return format_date(day, "full", locale=locale)


@lru_cache(maxsize=4096)
def _clock(hour: int, minute: int, locale: str) -> str:
    if locale == "de":
        return format_time(dt.time(hour, minute), "HH:mm", locale="de")
    return format_time(dt.time(hour, minute), "short", locale=locale)


def format_meeting(when: dt.datetime, lang: str, tz: str) -> str:
    """A meeting time in full words, e.g. "Donnerstag, 3. Dezember 2026, 19:00 Uhr"."""
    if when.tzinfo is not None:
        when = when.astimezone(ZoneInfo(tz))
    if _locale(lang) == "de":
        return f"{meeting_day(when, lang)}, {clock(when, lang)} Uhr"
    return f"{meeting_day(when, lang)}, {clock(when, lang)}"
