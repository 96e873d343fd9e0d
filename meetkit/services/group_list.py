"""The staff group list: one page of the groups in scope, searched on the server, with what staff look for."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from meetkit.domain import meeting_dates
from meetkit.domain import schedules as sched
from meetkit.domain.meeting_dates import Occurrence
from meetkit.domain.meeting_figures import Figures, MeetingRecord, figures
from meetkit.domain.models import ContactPoint, Group
from meetkit.domain.names import name_key
from meetkit.domain.scope import Scope
from meetkit.services import directory
from meetkit.storage import group_list, groups, meetings, schedules
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database
from meetkit.storage.group_list import GroupFilter

PAGE_SIZE = 50
MAX_SEARCH_LENGTH = 100
_NAME_KEY_BATCH = 500


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One line of the list: the group, its contact point, next and last meeting, whether its name repeats."""

    group: Group
    contact_point: ContactPoint | None
    next_meeting: Occurrence | None
    last_meeting: MeetingRecord | None
    duplicate: bool

    @property
    def last_people(self) -> Figures | None:
        """Who took part in the last meeting."""
        return figures(self.last_meeting) if self.last_meeting else None


@dataclass(frozen=True, slots=True)
class GroupListPage:
    """A page of the list and where it stands: `page` of `pages`, `total` groups found."""

    rows: list[GroupRow]
    total: int
    page: int
    pages: int
    search: str
    contact_point: ContactPoint | None
    archived: bool


def clean_search(text: str) -> str:
    """The search as typed, with spaces collapsed and cut to a sensible length."""
    return " ".join(text.split())[:MAX_SEARCH_LENGTH]


async def list_page(
    db: Database,
    scope: Scope,
    *,
    search: str = "",
    page: int = 1,
    contact_point_slug: str | None = None,
    archived: bool = False,
    now: dt.datetime | None = None,
) -> GroupListPage:
    """Page `page` (from 1; past the end: the last) of the groups in scope, or of one contact point."""
    search = clean_search(search)
    moment = now or dt.datetime.now(dt.UTC)

    def query(conn: Connection) -> GroupListPage:
        contact_point = (
            directory.scoped_contact_point(conn, scope, contact_point_slug) if contact_point_slug else None
        )
        points = scope.contact_point_ids if contact_point is None else (contact_point.id,)
        wanted = GroupFilter(points, archived, name_key(search) or None)
        total = group_list.count(conn, wanted)
        pages = max(1, -(-total // PAGE_SIZE))
        number = min(max(page, 1), pages)
        found = group_list.page(conn, wanted, PAGE_SIZE, (number - 1) * PAGE_SIZE)
        ids = [g.id for g, _ in found]
        rules = schedules.for_groups(conn, ids)
        last = meetings.latest_meetings(conn, ids)
        repeated = group_list.duplicated(conn, [g for g, _ in found])
        rows = [
            GroupRow(g, cp, _next(rules.get(g.id), moment), last.get(g.id), g.id in repeated)
            for g, cp in found
        ]
        return GroupListPage(rows, total, number, pages, search, contact_point, archived)

    return await db.read(query)


def _next(schedule: sched.Schedule | None, moment: dt.datetime) -> Occurrence | None:
    if schedule is None:
        return None
    upcoming = meeting_dates.next_occurrences(schedule, moment, 1)
    return upcoming[0] if upcoming else None


async def fill_name_keys(db: Database) -> int:
    """Give groups from before migration 0013 their search key; return how many (done once, at start)."""
    filled = 0
    while True:
        missing = await db.read(lambda conn: groups.missing_name_keys(conn, _NAME_KEY_BATCH))
        if not missing:
            return filled
        keys = [(group_id, name_key(name)) for group_id, name in missing]
        await db.write(functools.partial(groups.set_name_keys, keys=keys), invalidates_cache=False)
        filled += len(keys)
