"""Attendance use cases: hand counts, counts from Jitsi (webhooks, census), a group's meetings, reports."""

from __future__ import annotations

import datetime as dt
import sqlite3

from meetkit.domain import attendance as rules
from meetkit.domain.errors import InvalidInput, NotFound
from meetkit.storage import attendance as storage
from meetkit.storage import groups
from meetkit.storage.database import Database


async def record_headcount(
    db: Database,
    group_id: int,
    meeting_date: dt.date,
    in_room: int | None,
    phone: int | None,
    source: str,
) -> None:
    """Record hand counts for a group's meeting on a local date; a count given replaces the stored one.

    `in_room` and `phone` are the people counted in the room and on the phone; None means "not counted
    here" and keeps what another source recorded. Calling again replaces counts (last write wins), it
    never adds up. `source` is "leader", "kiosk" or "staff".
    """
    in_room = rules.check_headcount(in_room, "Die Anzahl im Raum")
    phone = rules.check_headcount(phone, "Die Anzahl am Telefon")
    rules.check_meeting_date(meeting_date, rules.local_today())
    bit = rules.source_bit(source)
    if source not in rules.HEADCOUNT_SOURCES:
        raise InvalidInput(f"'{source}' zählt nicht von Hand.")

    def change(conn: sqlite3.Connection) -> None:
        if groups.by_id(conn, group_id) is None:
            raise NotFound(f"Keine Gruppe mit der Nummer {group_id}.")
        storage.set_headcount(conn, group_id, meeting_date, in_room, phone, bit)

    await db.write(change)


async def last_meetings(db: Database, group_id: int, limit: int = 10) -> list[rules.MeetingRecord]:
    """Return a group's latest meetings (and sessions that did not count), newest first."""
    return await db.read(lambda conn: storage.last_meetings(conn, group_id, limit))
