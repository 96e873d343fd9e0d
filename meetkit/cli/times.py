"""Times and dates as people read them: local Europe/Berlin, German or English (`--json` keeps ISO 8601)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from meetkit.cli.language import _, cli_language

TIMEZONE = ZoneInfo("Europe/Berlin")


def local_time(value: str | dt.datetime | None) -> str:
    """Return a stored UTC time (ISO 8601) as local time: "30.11.2026, 14:05 Uhr" / "30 Nov 2026, 14:05"."""
    if value is None:
        return "–"
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    local = moment.astimezone(TIMEZONE)
    return _("{date}, {time} Uhr").format(date=local_date(local.date()), time=f"{local:%H:%M}")


def local_date(day: dt.date) -> str:
    """Return a date as "30.11.2026" (German) or "30 Nov 2026" (English)."""
    if cli_language() == "en":
        from babel.dates import format_date  # loaded only for English: German needs no locale data

        return format_date(day, "d MMM y", locale="en")
    return f"{day:%d.%m.%Y}"


def weekday_date(day: dt.date) -> str:
    """Return a date with its short weekday: "Do 30.11.2026" / "Thu 30 Nov 2026"."""
    from babel.dates import format_date

    pattern = "EEE" if cli_language() == "en" else "EEEEEE"
    return f"{format_date(day, pattern, locale=cli_language()).rstrip('.')} {local_date(day)}"


def month_name(month: str) -> str:
    """Return `YYYY-MM` as "November 2026" in the command line's language."""
    from babel.dates import format_date

    first = dt.date.fromisoformat(f"{month}-01")
    return format_date(first, "LLLL y", locale=cli_language())
