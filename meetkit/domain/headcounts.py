"""Hand counts: plausible numbers and dates, and the form fields that carry them."""

from __future__ import annotations

import datetime as dt
import re

from meetkit.domain.errors import InvalidInput
from meetkit.domain.numbers import is_ascii_number
from meetkit.domain.retention import DEFAULT_RETENTION_MONTHS, months_back

MAX_HEADCOUNT = 500
HEADCOUNT_DAYS_BACK = 366


def check_headcount(value: int | None, what: str) -> int | None:
    """Return a plausible hand count (or None for "not counted"), else raise InvalidInput."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_HEADCOUNT:
        raise InvalidInput(f"{what} muss eine ganze Zahl von 0 bis {MAX_HEADCOUNT} sein.")
    return value


def check_meeting_date(
    day: dt.date, today: dt.date, retention_months: int = DEFAULT_RETENTION_MONTHS
) -> dt.date:
    """Return the date of a counted meeting if it is not in the future, not too old and not yet purged."""
    if day > today:
        raise InvalidInput("Das Datum liegt in der Zukunft.")
    if (today - day).days > HEADCOUNT_DAYS_BACK:
        raise InvalidInput("Das Datum liegt mehr als ein Jahr zurück.")
    # a purge kept this day's meetings only as monthly totals: a count now would be summed up a second time
    kept_from = months_back(today, retention_months)
    if day < kept_from:
        raise InvalidInput(
            f"Treffen vor dem {kept_from:%d.%m.%Y} werden nicht mehr einzeln aufbewahrt; "
            "für diesen Tag lässt sich nichts mehr nachtragen."
        )
    return day


def parse_count_field(text: str, what: str) -> int | None:
    """Parse a form field with a hand count: empty means "not counted"."""
    text = text.strip()
    if not text:
        return None
    if not is_ascii_number(text) or len(text) > 9:  # '²'.isdigit() is True, int('²') fails
        raise InvalidInput(f"{what} muss eine ganze Zahl von 0 bis {MAX_HEADCOUNT} sein.")
    return check_headcount(int(text), what)


def parse_date_field(text: str) -> dt.date:
    """Parse a date typed as 2026-11-23 or 23.11.2026."""
    text = text.strip()
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return dt.date.fromisoformat(text)
        match = re.fullmatch(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})", text)
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        pass
    raise InvalidInput("Bitte ein Datum wie 23.11.2026 angeben.")
