"""Input of the sheet renderer: plain, picklable data without personal details."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from meetkit.schedule_words import MeetingRule

Lang = Literal["de", "en", "ls"]  # "ls": Leichte Sprache (German in easy words)
Layout = Literal["a4", "cards"]
LANGS: tuple[Lang, ...] = ("de", "en", "ls")
LAYOUTS: tuple[Layout, ...] = ("a4", "cards")


@dataclass(frozen=True, slots=True)
class DialInNumber:
    """One dial-in number: ISO country code (e.g. "DE") and the number as people dial it."""

    country_code: str
    formatted_number: str


@dataclass(frozen=True, slots=True)
class SheetData:
    """Everything one invitation sheet shows; no names of people, no room name."""

    member_url: str
    group_name: str | None = None
    dial_in_numbers: tuple[DialInNumber, ...] = ()
    pin: str | None = None
    next_meetings: tuple[dt.datetime, ...] = ()
    contact_point_name: str | None = None
    help_phone: str | None = None
    lang: Lang = "de"
    timezone: str = "Europe/Berlin"
    rules: tuple[str, ...] = ()  # the contact point's own rules, one per line; empty: the default rules
    rule: MeetingRule | None = None  # how often the group meets, stated in words besides the next dates
    practice_url: str | None = None  # the contact point's practice room, where its staff want it printed

    @property
    def has_phone(self) -> bool:
        """True when members can dial in: at least one number and a PIN."""
        return bool(self.dial_in_numbers) and bool(self.pin)


def group_pin(pin: str) -> str:
    """Group a PIN in threes from the left, e.g. "1234567" -> "123 456 7"."""
    digits = "".join(ch for ch in pin if ch.isdigit())
    return " ".join(digits[i : i + 3] for i in range(0, len(digits), 3))
