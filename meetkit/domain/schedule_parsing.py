"""Read the weekdays, times, dates and durations staff type for a schedule (CLI, forms and API share these)."""

from __future__ import annotations

import datetime as dt
import re

from meetkit.domain.errors import InvalidInput
from meetkit.domain.numbers import is_ascii_number
from meetkit.domain.schedules import LAST, WEEKDAY_NAMES_DE, WEEKDAY_NAMES_EN

_WEEKDAY_ALIASES = {
    **{name.lower(): i for i, name in enumerate(WEEKDAY_NAMES_DE)},
    **{name.lower(): i for i, name in enumerate(WEEKDAY_NAMES_EN)},
    **{name.lower()[:2]: i for i, name in enumerate(WEEKDAY_NAMES_DE)},
    **{name.lower()[:3]: i for i, name in enumerate(WEEKDAY_NAMES_DE)},
    **{name.lower()[:3]: i for i, name in enumerate(WEEKDAY_NAMES_EN)},
}
_NTH_ALIASES = {"last": LAST, "letzter": LAST, "letzte": LAST, "letzten": LAST, "-1": LAST}


def parse_weekday(text: str) -> int:
    """Weekday from "mo", "Montag", "monday", "mon" or 1..7 (1 = Monday); raises InvalidInput."""
    key = text.strip().lower().rstrip(".")
    if is_ascii_number(key) and len(key) <= 2 and 1 <= int(key) <= 7:
        return int(key) - 1
    if key in _WEEKDAY_ALIASES:
        return _WEEKDAY_ALIASES[key]
    raise InvalidInput(f"Unbekannter Wochentag „{text}“: z. B. mo, di, mi, do, fr, sa, so.")


def parse_nth(text: str) -> int:
    """Which weekday of the month: 1..5 or "last"/"letzter"; raises InvalidInput."""
    key = text.strip().lower().rstrip(".")
    if key in _NTH_ALIASES:
        return LAST
    if is_ascii_number(key) and len(key) <= 2 and 1 <= int(key) <= 5:
        return int(key)
    raise InvalidInput(f"„{text}“: der wievielte Wochentag im Monat ist 1 bis 5 oder „last“.")


def parse_time(text: str) -> dt.time:
    """Local wall time from "19:30", "19.30" or "19"; raises InvalidInput."""
    match = re.fullmatch(r"\s*([0-9]{1,2})(?:[:.]([0-9]{2}))?\s*(?:uhr)?\s*", text, re.IGNORECASE)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour <= 23 and minute <= 59:
            return dt.time(hour, minute)
    raise InvalidInput(f"Ungültige Uhrzeit „{text}“: bitte als 19:30 angeben.")


def parse_date(text: str) -> dt.date:
    """A date as 2026-04-02 or 02.04.2026; raises InvalidInput."""
    value = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise InvalidInput(f"Ungültiges Datum „{text}“: bitte als 2026-04-02 oder 02.04.2026 angeben.")


def parse_duration(text: str) -> int:
    """Minutes from "90", "90m", "1:30", "1h30" or "2h"; raises InvalidInput."""
    value = text.strip().lower().replace(" ", "")
    match = re.fullmatch(r"([0-9]{1,6})(?:min|m)?", value)
    if match:
        return int(match.group(1))
    match = re.fullmatch(r"([0-9]{1,4})(?:h|:)([0-9]{1,2})?(?:min|m)?", value)
    if match:
        return int(match.group(1)) * 60 + int(match.group(2) or 0)
    raise InvalidInput(f"Ungültige Dauer „{text}“: Minuten (90) oder Stunden:Minuten (1:30).")
