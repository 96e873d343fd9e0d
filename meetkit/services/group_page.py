"""What one group's staff page shows, and the leader letter of a link just issued."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from meetkit.config import Settings
from meetkit.domain import ids
from meetkit.domain.errors import InvalidInput
from meetkit.domain.links import leader_url
from meetkit.domain.scope import Scope
from meetkit.services import attendance, directory, schedules
from meetkit.services.attendance import MeetingLine, meeting_line
from meetkit.services.directory import GroupView
from meetkit.services.schedules import ScheduleView
from meetkit.sheets.data import Lang
from meetkit.sheets.leader_letter import LeaderLetter
from meetkit.storage import groups
from meetkit.storage.database import Database

RECENT_MEETINGS = 10
LETTER_EXPIRED = (
    "Dieser Leitungs-Link gilt nicht mehr (er wurde inzwischen erneuert). "
    "Bitte geben Sie einen neuen aus und drucken Sie dessen Brief."
)


@dataclass(frozen=True, slots=True)
class GroupDetails:
    """A group with its contact point, its schedule with the next dates, and its recent meetings."""

    view: GroupView
    schedule: ScheduleView
    meetings: list[MeetingLine]


async def group_details(db: Database, scope: Scope, group_id: int) -> GroupDetails:
    """Everything the group's page shows (NotFound outside the scope, as if it did not exist)."""
    group = await directory.find_group(db, scope, group_id)
    view = await directory.group_view(db, group.id)
    schedule = await schedules.get_schedule(db, scope, group.id)
    meetings = await attendance.last_meetings(db, group.id, RECENT_MEETINGS)
    return GroupDetails(view, schedule, [meeting_line(m) for m in meetings])


async def leader_letter(
    db: Database, settings: Settings, scope: Scope, group_id: int, leader_token: str, lang: Lang
) -> LeaderLetter:
    """The letter for a leader link just issued: only the group's current link is printed, nothing else."""
    group = await directory.find_group(db, scope, group_id)
    directory.require_active(group)
    stored = await db.read(lambda conn: groups.leader_token_hash_of(conn, group.id))
    if not hmac.compare_digest(stored, ids.hash_secret(leader_token)):
        raise InvalidInput(LETTER_EXPIRED)
    view = await directory.group_view(db, group.id)
    contact_point = view.contact_point
    return LeaderLetter(
        leader_url=leader_url(settings.public_url, leader_token),
        group_name=view.display_name,
        contact_point_name=contact_point.name if contact_point else None,
        help_phone=contact_point.phone if contact_point else None,
        lang=lang,
    )
