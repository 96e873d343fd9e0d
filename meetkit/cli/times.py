"""Times and dates as people read them: local Europe/Berlin, German or English (`--json` keeps ISO 8601).

The formats are the pages' (meetkit/dates.py), which loads Babel only for English.
"""

from __future__ import annotations

import datetime as dt

from meetkit import dates
from meetkit.cli.language import cli_language


def local_time(value: str | dt.datetime | None) -> str:
    """Return a stored UTC time (ISO 8601) as local time: "30.11.2026, 14:05 Uhr" / "30 Nov 2026, 14:05"."""
    if value is None:
        return "–"
    return dates.local_time(value, cli_language())


def local_date(day: dt.date) -> str:
    """Return a date as "30.11.2026" (German) or "30 Nov 2026" (English)."""
    return dates.short_date(day, cli_language())


def weekday_date(day: dt.date) -> str:
    """Return a date with its short weekday: "Do 30.11.2026" / "Thu 30 Nov 2026"."""
    from babel.dates import format_date

    pattern = "EEE" if cli_language() == "en" else "EEEEEE"
    return f"{format_date(day, pattern, locale=cli_language()).rstrip('.')} {local_date(day)}"


def month_name(month: str) -> str:
    """Return `YYYY-MM` as "November 2026" in the command line's language."""
    return dates.month_in_words(month, cli_language())
