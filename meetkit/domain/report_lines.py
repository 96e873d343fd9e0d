"""The lines of a monthly attendance report: groups, contact points and weeks with their summed figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetkit.domain.meeting_figures import Figures


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """What a report shows of a group."""

    id: int
    name: str
    contact_point_slug: str | None
    contact_point_name: str | None


@dataclass(slots=True)
class Totals:
    """Meetings and participants summed up."""

    meetings: int = 0
    participants: int = 0
    online: int = 0
    in_room: int = 0
    phone: int = 0

    def add(self, people: Figures) -> None:
        """Count one meeting."""
        self.meetings += 1
        self.participants += people.total
        self.online += people.online
        self.in_room += people.in_room
        self.phone += people.phone

    def merge(self, other: Totals) -> None:
        """Add another sum to this one."""
        self.meetings += other.meetings
        self.participants += other.participants
        self.online += other.online
        self.in_room += other.in_room
        self.phone += other.phone

    @property
    def average(self) -> float | None:
        """Participants per meeting, one decimal; None without meetings."""
        return round(self.participants / self.meetings, 1) if self.meetings else None


@dataclass(frozen=True, slots=True)
class GroupLine:
    """One group's month."""

    group: GroupInfo
    totals: Totals


@dataclass(frozen=True, slots=True)
class ContactPointLine:
    """One contact point's month, with its groups."""

    slug: str | None
    name: str | None
    groups: list[GroupLine]
    totals: Totals


@dataclass(frozen=True, slots=True)
class WeekLine:
    """Meetings and participants in one ISO week (only days inside the month)."""

    monday: dt.date
    totals: Totals

    @property
    def label(self) -> str:
        """Calendar week as Germans write it: KW 45."""
        return f"KW {self.monday.isocalendar().week}"
