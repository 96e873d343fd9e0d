"""Loans of a contact point's devices to groups: dates, overlaps, returns, overdue loans, the month calendar.

A loan refers to a group, never to a person. Its days are local calendar days (Europe/Berlin), the last one
included. A device is away from its first day until it is back: an unreturned loan keeps it past its end
(overdue) until the return is recorded; a returned loan frees it from the day of return.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from meetkit.domain.errors import Conflict, InvalidInput
from meetkit.domain.months import Month

MAX_LOAN_DAYS = 366
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_GERMAN_DAY = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")


@dataclass(frozen=True, slots=True)
class Loan:
    """A device lent to a group for a period of days (no person's name anywhere)."""

    id: int
    device_id: int
    group_id: int
    contact_point_id: int
    starts_on: dt.date
    ends_on: dt.date
    notes: str | None
    returned_on: dt.date | None
    return_note: str | None
    created_at: str
    tablet_paired_at: str | None = None

    def status(self, today: dt.date) -> str:
        """One of "returned", "planned" (not begun), "active" or "overdue" (past its end, not back)."""
        if self.returned_on is not None:
            return "returned"
        if today < self.starts_on:
            return "planned"
        return "active" if today <= self.ends_on else "overdue"

    def runs_on(self, today: dt.date) -> bool:
        """Whether the group has the device by this loan today (begun, not ended, not returned)."""
        return self.returned_on is None and self.starts_on <= today <= self.ends_on

    def away(self, today: dt.date) -> tuple[dt.date, dt.date] | None:
        """The days the device is away by this loan (None when it was returned on its first day)."""
        if self.returned_on is not None:
            last = self.returned_on - dt.timedelta(days=1)
            return (self.starts_on, last) if last >= self.starts_on else None
        return self.starts_on, max(self.ends_on, today) if self.starts_on <= today else self.ends_on

    def loan_days(self, first: dt.date, last: dt.date, today: dt.date) -> int:
        """Days between `first` and `last` on which the group had the device (the day of return counts)."""
        end = self.returned_on if self.returned_on is not None else (self.away(today) or (first, first))[1]
        start, stop = max(self.starts_on, first), min(end, last)
        return max(0, (stop - start).days + 1)

    def overdue_on(self, day: dt.date) -> bool:
        """Whether at the end of `day` the loan had ended and the device was not yet back."""
        return self.ends_on < day and (self.returned_on is None or self.returned_on > day)


def shown(day: dt.date) -> str:
    """A day as people read it in German: 04.05.2026."""
    return day.strftime("%d.%m.%Y")


def parse_day(text: str, label: str) -> dt.date:
    """A day typed as 2026-05-04 (what date fields send) or 04.05.2026; InvalidInput names the field."""
    value = text.strip()
    iso, german = _ISO_DAY.fullmatch(value), _GERMAN_DAY.fullmatch(value)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if german:
            return dt.date(int(german[3]), int(german[2]), int(german[1]))
    except ValueError:
        pass
    if not value:
        raise InvalidInput(f"{label}: bitte ein Datum angeben, z. B. 2026-05-04 oder 04.05.2026.")
    raise InvalidInput(f"{label}: „{value}“ ist kein Datum. Bitte wie 2026-05-04 oder 04.05.2026 angeben.")


def check_period(starts_on: dt.date, ends_on: dt.date) -> None:
    """A loan's period: it ends on or after its first day and lasts at most MAX_LOAN_DAYS."""
    if ends_on < starts_on:
        raise InvalidInput(
            f"Die Ausleihe endet am {shown(ends_on)}, vor ihrem Beginn am {shown(starts_on)}. "
            "Bitte die Daten prüfen."
        )
    if (ends_on - starts_on).days + 1 > MAX_LOAN_DAYS:
        raise InvalidInput(
            f"Eine Ausleihe dauert höchstens {MAX_LOAN_DAYS} Tage; bitte verlängern Sie danach."
        )


def check_free(starts_on: dt.date, ends_on: dt.date, others: list[Loan], today: dt.date) -> None:
    """Raise Conflict when another loan of the device keeps it away on any of these days."""
    for other in sorted(others, key=lambda loan: loan.starts_on):
        away = other.away(today)
        if away is None or away[1] < starts_on or ends_on < away[0]:
            continue
        if other.status(today) == "overdue":
            raise Conflict(
                f"Das Gerät ist noch nicht zurückgegeben (Ausleihe {other.id} bis {shown(other.ends_on)}). "
                "Bitte erst die Rückgabe eintragen."
            )
        raise Conflict(
            f"Das Gerät ist vom {shown(other.starts_on)} bis {shown(other.ends_on)} schon verliehen "
            f"(Ausleihe {other.id}). Bitte einen anderen Zeitraum oder ein anderes Gerät wählen."
        )


def check_return(loan: Loan, returned_on: dt.date, today: dt.date) -> None:
    """A return is recorded once, not before the loan's first day and not in the future."""
    if loan.returned_on is not None:
        raise Conflict(f"Die Ausleihe {loan.id} ist schon am {shown(loan.returned_on)} zurückgegeben worden.")
    if returned_on < loan.starts_on:
        raise InvalidInput(
            f"Die Rückgabe am {shown(returned_on)} läge vor dem Beginn der Ausleihe am "
            f"{shown(loan.starts_on)}. Eine Ausleihe, die nicht stattfindet, bitte absagen."
        )
    if returned_on > today:
        raise InvalidInput(f"Die Rückgabe am {shown(returned_on)} liegt in der Zukunft.")


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One day of a device's month: the loan that keeps the device away that day, if any."""

    day: dt.date
    in_month: bool
    loan: Loan | None
    state: str  # "free", or the loan's status that day: "planned", "active", "overdue", "returned"


def month_calendar(month: Month, loans: list[Loan], today: dt.date) -> list[list[CalendarDay]]:
    """The month's weeks (Monday first), each day with the loan that keeps the device away."""
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        days = []
        for day in week:
            loan = next((loan for loan in loans if _away_on(loan, day, today)), None)
            days.append(CalendarDay(day, day.month == month.month, loan, _state(loan, day, today)))
        weeks.append(days)
    return weeks


def _away_on(loan: Loan, day: dt.date, today: dt.date) -> bool:
    away = loan.away(today)
    return away is not None and away[0] <= day <= away[1]


def _state(loan: Loan | None, day: dt.date, today: dt.date) -> str:
    if loan is None:
        return "free"
    if loan.returned_on is not None:
        return "returned"
    if day > loan.ends_on:
        return "overdue"
    return "planned" if day > today else "active"
