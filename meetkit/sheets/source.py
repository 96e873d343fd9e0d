"""SheetData for stored groups: group, contact point, member link, dial-in, PIN and next dates."""

from __future__ import annotations

from meetkit.config import Settings
from meetkit.domain import meeting_dates
from meetkit.domain import schedules as sched
from meetkit.domain.group_rules import rule_lines
from meetkit.domain.links import member_url, practice_url
from meetkit.domain.scope import Scope
from meetkit.schedule_words import meeting_rule
from meetkit.services import directory, schedules
from meetkit.services.directory import GroupView
from meetkit.services.sheet_language import checked_language
from meetkit.sheets.data import DialInNumber, Lang, SheetData
from meetkit.storage import schedules as schedule_storage
from meetkit.storage import sheet_language
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database


async def sheet_data(db: Database, settings: Settings, view: GroupView, lang: Lang | None) -> SheetData:
    """What one group's sheet shows, in `lang` or else the group's own sheet language; the name only when
    its contact point allows it."""
    group_id = view.group.id

    def query(conn: Connection) -> tuple[sched.Schedule | None, str]:
        return schedule_storage.get(conn, group_id), sheet_language.for_groups(conn, [group_id])[group_id]

    schedule, own_lang = await db.read(query)
    dial_in = settings.dialin_enabled and view.group.pin is not None
    upcoming = (
        meeting_dates.next_occurrences(schedule, schedules.now_utc(), schedules.NEXT_DATES)
        if schedule
        else []
    )
    contact_point = view.contact_point
    return SheetData(
        member_url=member_url(settings.public_url, view.group.member_code),
        group_name=view.display_name,
        dial_in_numbers=tuple(DialInNumber(n.country_code, n.number) for n in settings.dialin_numbers)
        if dial_in
        else (),
        pin=view.group.pin if dial_in else None,
        next_meetings=tuple(occurrence.start for occurrence in upcoming),
        contact_point_name=contact_point.name if contact_point else None,
        help_phone=contact_point.phone if contact_point else None,
        lang=lang or checked_language(own_lang),
        rules=rule_lines(contact_point.rules_text if contact_point else None),
        rule=meeting_rule(schedule) if schedule is not None else None,
        practice_url=practice_url(settings.public_url, contact_point.slug)
        if contact_point is not None and contact_point.practice_on_sheet
        else None,
    )


async def group_sheet(
    db: Database, settings: Settings, scope: Scope, reference: str, lang: Lang | None
) -> SheetData:
    """The sheet of the group named by number or unique name (NotFound/InvalidInput otherwise)."""
    group = await directory.find_group(db, scope, reference)
    return await sheet_data(db, settings, await directory.group_view(db, group.id), lang)


async def contact_point_sheets(
    db: Database, settings: Settings, scope: Scope, contact_point_slug: str | None, lang: Lang | None
) -> list[SheetData]:
    """The sheets of every group of a contact point (of all groups in the scope without one), by number."""
    found = await directory.list_groups(db, scope, contact_point_slug)
    return [
        await sheet_data(db, settings, await directory.group_view(db, group.id), lang)
        for group in sorted(found, key=lambda g: g.id)
    ]
