"""Calendar months: YYYY-MM as reports and loan lists take them."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from meetkit.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Month:
    """A calendar month."""

    year: int
    month: int

    @property
    def first(self) -> dt.date:
        """Its first day."""
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        """Its last day."""
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def parse_month(text: str) -> Month:
    """Parse YYYY-MM."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
        raise InvalidInput(f"Der Monat muss die Form JJJJ-MM haben (z. B. 2026-11), nicht '{text}'.")
    return Month(int(match[1]), int(match[2]))
