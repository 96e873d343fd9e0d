"""What member-facing pages show beyond the group: dates in words, today's meeting, help phone, languages."""

from __future__ import annotations

from dataclasses import dataclass

from meetkit.dates import clock, meeting_day
from meetkit.domain.meeting_dates import Occurrence
from meetkit.domain.meeting_today import Today
from meetkit.rendering import DEFAULT_LANGUAGE, EASY_READ


@dataclass(frozen=True, slots=True)
class DateLine:
    """One meeting as the page lists it: the day in words, start and end, and the place."""

    day: str
    start: str
    end: str
    place: str | None


@dataclass(frozen=True, slots=True)
class TodayLine:
    """What the page says about today: `state` (now, later, over, none) and the meeting's times."""

    state: str
    start: str
    end: str


def date_line(occurrence: Occurrence, lang: str) -> DateLine:
    """A meeting in the page's language, with the day written as the sheet writes it."""
    return DateLine(
        meeting_day(occurrence.start, lang),
        clock(occurrence.start),
        clock(occurrence.end),
        occurrence.place,
    )


def today_line(today: Today | None) -> TodayLine | None:
    """Today's state in words for the page; None without a schedule."""
    if today is None:
        return None
    if today.meeting is None:
        return TodayLine(today.state.value, "", "")
    return TodayLine(today.state.value, clock(today.meeting.start), clock(today.meeting.end))


def tel_href(phone: str | None) -> str | None:
    """A `tel:` link for a phone number as staff typed it (`0911 234567` -> `tel:0911234567`)."""
    if not phone:
        return None
    return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")


def unbroken(text: str | None) -> str | None:
    """`text` with no-break spaces, so that a phone number never breaks across lines."""
    return None if text is None else text.replace(" ", "\u00a0")


def jitsi_language(lang: str) -> str:
    """Jitsi has no Leichte Sprache: it shows German then."""
    return DEFAULT_LANGUAGE if lang == EASY_READ else lang
