"""What a member page shows: the group behind a member code with its schedule, read for many pages at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from meetkit.domain import ids, meeting_dates
from meetkit.domain.errors import NotFound
from meetkit.domain.meeting_dates import Occurrence
from meetkit.domain.meeting_today import Today, meeting_today
from meetkit.domain.schedules import Schedule
from meetkit.services.directory import GroupView, renewed_or_unknown
from meetkit.storage import groups, schedules
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

NEXT_DATES = 3


@dataclass(frozen=True, slots=True)
class MemberPage:
    """A group with its contact point and its schedule (None without one)."""

    view: GroupView
    schedule: Schedule | None

    def next_dates(self, now: dt.datetime) -> tuple[Occurrence, ...]:
        """The next meetings not yet ended at `now` (a running one included); none without a schedule."""
        if self.schedule is None:
            return ()
        return tuple(meeting_dates.next_occurrences(self.schedule, now, NEXT_DATES))

    def today(self, now: dt.datetime) -> Today | None:
        """Whether the group meets today and is meeting now; None without a schedule."""
        return None if self.schedule is None else meeting_today(self.schedule, now)


async def member_page(db: Database, typed_code: str) -> MemberPage:
    """Return what the page behind a member link shows, or explain that the link was renewed or is unknown."""
    code = ids.normalize_member_code(typed_code)
    if code is None:
        raise NotFound("Diesen Link gibt es nicht.")
    found = await db.read_one(member_pages_by_code, code)
    if found is None:
        raise await db.read(lambda conn: renewed_or_unknown(conn, "member", ids.hash_secret(code)))
    return found


def member_pages_by_code(conn: Connection, codes: Sequence[str]) -> dict[str, MemberPage]:
    """The pages of these (normalised) member codes, with three statements however many codes there are."""
    found = groups.with_contact_points_by_member_codes(conn, codes)
    plans = schedules.for_groups(conn, [group.id for group, _ in found.values()])
    return {
        code: MemberPage(GroupView(group, contact_point), plans.get(group.id))
        for code, (group, contact_point) in found.items()
    }
