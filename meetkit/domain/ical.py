"""iCalendar (RFC 5545) feed of a group's meeting dates, without any personal data.

The feed lists single events (no RRULE), so every calendar shows exactly the dates meetkit computes,
cancellations and DST included. Times are written in UTC, which needs no VTIMEZONE block; calendars
show them in their own local time. There is no ORGANIZER, ATTENDEE, CONTACT, URL or DESCRIPTION: only
summary (given by the caller), place and time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from meetkit.domain.meeting_dates import is_regular_day, occurrence_on, occurrences_between
from meetkit.domain.schedules import TIMEZONE, Schedule

PRODID = "-//meetkit//meetkit schedules//DE"
NEUTRAL_SUMMARY = "Gruppentreffen"
CANCELLED_PREFIX = "Fällt aus: "


@dataclass(frozen=True)
class FeedEvent:
    """One VEVENT: a stable uid, aware start and end, summary, optional location, cancelled flag."""

    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    location: str | None = None
    cancelled: bool = False


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 sequence (RFC 5545 3.1)."""
    parts: list[str] = []
    current = ""
    size = 0
    limit = 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = ch, width, 74  # continuation lines start with one space
        else:
            current += ch
            size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def render_calendar(events: Iterable[FeedEvent], *, name: str, stamp: dt.datetime) -> str:
    """The whole VCALENDAR text with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
        "X-PUBLISHED-TTL:PT12H",
    ]
    for event in events:
        summary = (CANCELLED_PREFIX + event.summary) if event.cancelled else event.summary
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART:{_utc(event.start)}",
            f"DTEND:{_utc(event.end)}",
            f"SUMMARY:{escape_text(summary)}",
        ]
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        lines += [
            f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
            "TRANSP:OPAQUE",
            "CLASS:PUBLIC",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def schedule_events(
    schedule: Schedule,
    *,
    summary: str,
    uid_stem: str,
    first: dt.date,
    last: dt.date,
) -> list[FeedEvent]:
    """Events for the days first..last; cancelled regular dates appear with STATUS:CANCELLED."""
    events = [
        FeedEvent(
            uid=f"{uid_stem}-{occ.day:%Y%m%d}@meetkit",
            start=occ.start,
            end=occ.end,
            summary=summary,
            location=occ.place,
        )
        for occ in occurrences_between(schedule, first, last)
    ]
    for day in sorted(schedule.cancelled_dates):
        if first <= day <= last and (is_regular_day(schedule, day) or day in schedule.extra_dates):
            occ = occurrence_on(schedule, day)
            events.append(
                FeedEvent(
                    uid=f"{uid_stem}-{day:%Y%m%d}@meetkit",
                    start=occ.start,
                    end=occ.end,
                    summary=summary,
                    location=occ.place,
                    cancelled=True,
                )
            )
    events.sort(key=lambda e: e.start)
    return events


def schedule_feed(
    schedule: Schedule,
    *,
    summary: str,
    uid_stem: str,
    now: dt.datetime,
    past_days: int = 60,
    future_days: int = 400,
) -> str:
    """The feed of a schedule from `past_days` before to `future_days` after `now`."""
    today = now.astimezone(TIMEZONE).date()
    events = schedule_events(
        schedule,
        summary=summary,
        uid_stem=uid_stem,
        first=today - dt.timedelta(days=past_days),
        last=today + dt.timedelta(days=future_days),
    )
    return render_calendar(events, name=summary, stamp=now)
