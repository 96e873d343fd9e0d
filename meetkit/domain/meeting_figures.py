"""A stored meeting's figures: people counted once each, and whether it counts as a meeting at all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetkit.domain.attendance import MIN_MINUTES, MIN_PARTICIPANTS
from meetkit.domain.attendance_times import parse_iso_utc


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    """A stored meeting: counts and rounded times of the meeting, nothing about anyone in it."""

    group_id: int
    meeting_date: dt.date
    started_at: str | None
    ended_at: str | None
    peak_online: int
    in_room: int | None
    phone: int | None
    sources: int

    @property
    def has_headcount(self) -> bool:
        """Whether somebody counted by hand."""
        return self.in_room is not None or self.phone is not None

    @property
    def minutes(self) -> int:
        """Minutes from the stored (rounded) start to the stored end; 0 without an online part."""
        if self.started_at is None or self.ended_at is None:
            return 0
        return int((parse_iso_utc(self.ended_at) - parse_iso_utc(self.started_at)).total_seconds()) // 60


@dataclass(frozen=True, slots=True)
class Figures:
    """People at one meeting, by way of taking part."""

    online: int
    in_room: int
    phone: int

    @property
    def total(self) -> int:
        """All participants."""
        return self.online + self.in_room + self.phone


def figures(meeting: MeetingRecord) -> Figures:
    """Count people without counting anyone twice: the room's device and phone callers are occupants too."""
    in_room = meeting.in_room or 0
    phone = meeting.phone or 0
    online = meeting.peak_online
    if in_room > 0 and online > 0:
        online -= 1  # the tablet or laptop in the room is one occupant, not a person
    online = max(online - phone, 0)  # each phone caller is a Jitsi occupant (jigasi) already
    return Figures(online, in_room, phone)


def counts_as_meeting(meeting: MeetingRecord) -> bool:
    """The "not a meeting" rule: at least two people, and an online-only one at least MIN_MINUTES long."""
    if figures(meeting).total < MIN_PARTICIPANTS:
        return False
    return meeting.has_headcount or meeting.minutes >= MIN_MINUTES
