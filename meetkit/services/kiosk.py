"""Use cases of the tablet kiosk: today's meetings of one contact point, joining one, the in-room count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetkit.config import Settings
from meetkit.domain import meeting_dates
from meetkit.domain.devices import Device
from meetkit.domain.errors import InvalidInput, NotFound
from meetkit.domain.headcounts import MAX_HEADCOUNT
from meetkit.domain.meeting_dates import Occurrence
from meetkit.domain.models import ContactPoint, Group
from meetkit.jitsi.tokens import mint_moderator_token
from meetkit.services import attendance
from meetkit.storage import groups
from meetkit.storage import schedules as schedule_storage
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

GRACE_MINUTES = 30  # the kiosk leaves a meeting this long after its slot ends
HEADCOUNT_SOURCE = "kiosk"
NEUTRAL_TITLE = "Gruppentreffen"


@dataclass(frozen=True, slots=True)
class KioskMeeting:
    """One of today's meetings as the kiosk lists it."""

    group: Group
    title: str
    occurrence: Occurrence
    state: str  # "ended", "running", "next" or "later"

    @property
    def highlighted(self) -> bool:
        """The one meeting the kiosk puts first: running now, or the next to start."""
        return self.state in ("running", "next")


@dataclass(frozen=True, slots=True)
class JoinInfo:
    """What the kiosk page needs to join a group's room as the room device."""

    group: Group
    occurrence: Occurrence
    jwt: str | None
    display_name: str
    leave_at: dt.datetime


def now_utc() -> dt.datetime:
    """The current moment, aware."""
    return dt.datetime.now(dt.UTC)


def title_for(group: Group, contact_point: ContactPoint) -> str:
    """The group's name if the contact point shows names, else a neutral title."""
    return group.name if contact_point.show_group_names else NEUTRAL_TITLE


def room_display_name(contact_point: ContactPoint, occurrence: Occurrence) -> str:
    """How the tablet appears in the meeting: "Raum: <place>", or the contact point's name."""
    return f"Raum: {occurrence.place}" if occurrence.place else contact_point.name


def leave_time(occurrence: Occurrence, now: dt.datetime) -> dt.datetime:
    """When the kiosk leaves by itself: slot end plus grace (at least the grace from now)."""
    grace = dt.timedelta(minutes=GRACE_MINUTES)
    return max(occurrence.end + grace, now + grace)


def _todays(
    conn: Connection, contact_point: ContactPoint, moment: dt.datetime
) -> list[tuple[Group, Occurrence]]:
    found = groups.all_(conn, contact_point.id)
    by_id = {g.id: g for g in found}
    plans = schedule_storage.for_groups(conn, by_id)
    pairs = [
        (by_id[gid], occ)
        for gid, plan in plans.items()
        for occ in meeting_dates.todays_occurrences(plan, moment)
    ]
    pairs.sort(key=lambda pair: (pair[1].start, pair[0].name, pair[0].id))
    return pairs


async def todays_meetings(
    db: Database, contact_point: ContactPoint, *, now: dt.datetime | None = None
) -> list[KioskMeeting]:
    """Today's meetings (Europe/Berlin) of this contact point's groups, in order, the next one marked."""
    moment = now or now_utc()
    pairs = await db.read(lambda conn: _todays(conn, contact_point, moment))
    result = []
    marked = False
    for group, occ in pairs:
        if occ.end <= moment:
            state = "ended"  # still listed and joinable: some groups run over
        elif occ.start <= moment:
            state = "running"
        elif not marked:
            state = "next"
        else:
            state = "later"
        marked = marked or state in ("running", "next")
        result.append(KioskMeeting(group, title_for(group, contact_point), occ, state))
    return result


async def todays_meeting(
    db: Database, contact_point: ContactPoint, group_id: int, *, now: dt.datetime | None = None
) -> KioskMeeting:
    """The meeting of one of this contact point's groups today; NotFound for any other group."""
    moment = now or now_utc()
    meetings = [m for m in await todays_meetings(db, contact_point, now=moment) if m.group.id == group_id]
    if not meetings:
        raise NotFound("Diese Gruppe trifft sich heute nicht an dieser Kontaktstelle.")
    live = [m for m in meetings if m.state != "ended"]
    return (live or meetings)[0]


async def join(
    db: Database,
    settings: Settings,
    device: Device,
    contact_point: ContactPoint,
    group_id: int,
    *,
    now: dt.datetime | None = None,
) -> JoinInfo:
    """Everything to join a group's room from the tablet, with a moderator JWT for that room only."""
    assert device.contact_point_id == contact_point.id
    moment = now or now_utc()
    meeting = await todays_meeting(db, contact_point, group_id, now=moment)
    return JoinInfo(
        group=meeting.group,
        occurrence=meeting.occurrence,
        jwt=mint_moderator_token(settings, meeting.group.room, now=moment.timestamp()),
        display_name=room_display_name(contact_point, meeting.occurrence),
        leave_at=leave_time(meeting.occurrence, moment),
    )


def check_headcount(value: object) -> int:
    """A plausible number of people in the room, or InvalidInput."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_HEADCOUNT:
        raise InvalidInput(f"Die Anzahl im Raum muss eine ganze Zahl von 0 bis {MAX_HEADCOUNT} sein.")
    return value


async def record_in_room(
    db: Database,
    device: Device,
    contact_point: ContactPoint,
    group_id: int,
    in_room: object,
    *,
    now: dt.datetime | None = None,
) -> KioskMeeting:
    """Save the in-room headcount of today's meeting of one of this contact point's groups."""
    assert device.contact_point_id == contact_point.id
    count = check_headcount(in_room)
    meeting = await todays_meeting(db, contact_point, group_id, now=now)
    await attendance.record_headcount(
        db, meeting.group.id, meeting.occurrence.day, count, None, HEADCOUNT_SOURCE
    )
    return meeting
