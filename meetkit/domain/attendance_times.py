"""Attendance times: 5-minute rounding, moments as stored (UTC text), local days, retired rooms' last moment."""

from __future__ import annotations

import datetime as dt

from meetkit.domain.attendance import RETIRED_ROOM_SECONDS, ROUND_SECONDS
from meetkit.domain.schedules import TIMEZONE


def round_time(seconds: int) -> int:
    """Round unix seconds to the nearest 5 minutes (halves up)."""
    return (seconds + ROUND_SECONDS // 2) // ROUND_SECONDS * ROUND_SECONDS


def iso_utc(seconds: int) -> str:
    """Return unix seconds as stored: ISO 8601 UTC with a Z."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso_utc(text: str) -> dt.datetime:
    """Parse a stored UTC time back into an aware datetime."""
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def local_date(seconds: int) -> dt.date:
    """Return the local (Europe/Berlin) date of a moment given in unix seconds."""
    return dt.datetime.fromtimestamp(seconds, TIMEZONE).date()


def local_today(now: dt.datetime | None = None) -> dt.date:
    """Return today's local date."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(TIMEZONE).date()


def retired_room_counts_until(retired_at: str) -> int:
    """The last moment (unix s) at which a room retired at `retired_at` (as stored) still counts for its group."""
    return int(parse_iso_utc(retired_at).timestamp()) + RETIRED_ROOM_SECONDS
