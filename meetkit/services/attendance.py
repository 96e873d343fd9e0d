"""Attendance use cases: hand counts, counts from Jitsi (webhooks, census), a group's meetings, reports."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import functools
import io
import time
from collections.abc import Sequence
from dataclasses import dataclass

from meetkit.domain.attendance import RETIRED_ROOM_SECONDS, Observation
from meetkit.domain.attendance_times import iso_utc, local_today, parse_iso_utc, retired_room_counts_until
from meetkit.domain.count_sources import HEADCOUNT_SOURCES, source_bit
from meetkit.domain.errors import InvalidInput, NotFound
from meetkit.domain.headcounts import check_headcount, check_meeting_date
from meetkit.domain.meeting_figures import Figures, MeetingRecord, counts_as_meeting, figures
from meetkit.domain.monthly_report import Report, build_report
from meetkit.domain.months import parse_month
from meetkit.domain.report_exports import CSV_HEADER, report_json, report_rows
from meetkit.domain.retention import DEFAULT_RETENTION_MONTHS
from meetkit.domain.schedules import TIMEZONE
from meetkit.domain.scope import Scope
from meetkit.jitsi.census import CensusRoom
from meetkit.rendering import environment
from meetkit.report_chart import weekly_chart
from meetkit.services import directory
from meetkit.storage import census_counts, groups, report_groups, retention, room_owners, room_sessions
from meetkit.storage import meetings as meeting_storage
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

LEADER_PAGE_MEETINGS = 8
STATE_WIDE_MIN_COUNT = 3  # the staff app's state-wide view withholds people counts below this
SMALL_BATCH = 16  # webhook batches smaller than this are a trickle: the next one waits for company


async def record_headcount(
    db: Database,
    group_id: int,
    meeting_date: dt.date,
    in_room: int | None,
    phone: int | None,
    source: str,
    *,
    retention_months: int = DEFAULT_RETENTION_MONTHS,
) -> None:
    """Record hand counts for a group's meeting on a local date; a count given replaces the stored one.

    `in_room` and `phone` are the people counted in the room and on the phone; None means "not counted
    here" and keeps what another source recorded. Calling again replaces counts (last write wins), it
    never adds up. `source` is "leader", "kiosk" or "staff". Days whose meetings retention
    (`retention_months`, MEETKIT_RETENTION_MONTHS) has already summed up take no more counts.
    """
    in_room = check_headcount(in_room, "Die Anzahl im Raum")
    phone = check_headcount(phone, "Die Anzahl am Telefon")
    check_meeting_date(meeting_date, local_today(), retention_months)
    bit = source_bit(source)
    if source not in HEADCOUNT_SOURCES:
        raise InvalidInput(f"'{source}' zählt nicht von Hand.")

    def change(conn: Connection) -> None:
        if groups.by_id(conn, group_id) is None:
            raise NotFound(f"Keine Gruppe mit der Nummer {group_id}.")
        meeting_storage.set_headcount(conn, group_id, meeting_date, in_room, phone, bit)

    await db.write(change, invalidates_cache=False)  # no cached answer shows counts


async def last_meetings(db: Database, group_id: int, limit: int = 10) -> list[MeetingRecord]:
    """Return a group's latest meetings (and sessions that did not count), newest first."""
    return await db.read(lambda conn: meeting_storage.last_meetings(conn, group_id, limit))


# --- Counts from Jitsi ------------------------------------------------------------------------------------


def _counting_group(owner: tuple[int, str | None] | None, at: int) -> int | None:
    """The group an observation at `at` of a room counts for: its owner, if the room is current, or retired
    recently enough (RETIRED_ROOM_SECONDS)."""
    if owner is None:
        return None
    group_id, retired_at = owner
    if retired_at is not None and at > retired_room_counts_until(retired_at):
        return None
    return group_id


def _ingest_rooms(conn: Connection, observed: Sequence[tuple[str, Observation]], source: str) -> list[bool]:
    """Apply observations of rooms by name, in order; rooms of no group are ignored. Returns which counted."""
    owners = room_owners.room_owners(conn, list(dict.fromkeys(room for room, _ in observed)))
    bit = source_bit(source)
    groups_ = [_counting_group(owners.get(room), obs.at) for room, obs in observed]
    items = [
        room_sessions.RoomObservation(gid, obs, bit)
        for gid, (_, obs) in zip(groups_, observed, strict=True)
        if gid is not None
    ]
    room_sessions.apply_observations(conn, items)
    return [gid is not None for gid in groups_]


class RoomDirectory:
    """Room name → group for the census poller, read again only when groups were added, removed or renewed.

    A renewal gives the group a new room and retires the old one, which still counts for the group for
    RETIRED_ROOM_SECONDS; (groups, highest id, retired rooms) tells when the map changed.
    """

    def __init__(self) -> None:
        self._key: tuple[int, int, int] | None = None
        self._current: dict[str, int] = {}
        self._retired: dict[str, tuple[int, str]] = {}

    def refresh(self, conn: Connection) -> None:
        """Read the map again if it changed (call on the writer thread, inside the transaction that uses it)."""
        key = room_owners.rooms_fingerprint(conn)
        if key != self._key:
            since = iso_utc(int(time.time()) - RETIRED_ROOM_SECONDS - 24 * 3600)
            self._current = room_owners.group_ids_by_room(conn)
            self._retired = room_owners.retired_room_owners(conn, since)
            self._key = key

    def group_id(self, room: str, at: int) -> int | None:
        """The group an observation of `room` at `at` counts for, if any."""
        current = self._current.get(room)
        if current is not None:
            return current
        return _counting_group(self._retired.get(room), at)


async def ingest_census(
    db: Database, rooms: Sequence[CensusRoom], at: int, directory: RoomDirectory | None = None
) -> int:
    """Record one census taken at `at` (unix s); known rooms no longer listed have ended. Returns matches."""
    directory = directory or RoomDirectory()

    def change(conn: Connection) -> int:
        directory.refresh(conn)
        counts = []
        for room in rooms:
            gid = directory.group_id(room.room, at)
            if gid is not None:
                counts.append((gid, room.occupants, room.created_at))
        census_counts.apply_census(conn, at, counts, source_bit("census"))
        return len({gid for gid, _, _ in counts})

    return await db.write(change, invalidates_cache=False)


class EventIngestor:
    """Commits webhook observations in batches on the writer thread; each caller returns after its commit.

    While one batch is being written, new events queue up for the next, so a flood shares each commit's
    fsync and thread hop by itself. A trickle would not (at 100 webhooks/s each event comes after the last
    commit ended), so after a small batch the next one starts `gather_seconds` (20 ms) after its first
    event: about three events per transaction instead of one. Nothing is acknowledged before the
    transaction holding it committed.
    """

    def __init__(self, db: Database, max_batch: int = 2000, gather_seconds: float = 0.02) -> None:
        self._db = db
        self._max_batch = max_batch
        self._gather_seconds = gather_seconds
        self._last_batch = 0
        self._queue: list[tuple[str, Observation, asyncio.Future[bool]]] = []
        self._worker: asyncio.Task[None] | None = None
        self.events = 0  # committed, since start
        self.transactions = 0

    async def submit(self, room: str, observation: Observation) -> bool:
        """Queue one observation and wait until it is committed; return whether the room is meetkit's."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._queue.append((room, observation, future))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._drain())
        return await future

    async def close(self) -> None:
        """Finish what is queued."""
        if self._worker is not None:
            await self._worker

    async def _drain(self) -> None:
        while self._queue:
            if self._last_batch < SMALL_BATCH and len(self._queue) < SMALL_BATCH:
                await asyncio.sleep(self._gather_seconds)  # a trickle: let the next few share the commit
            batch = self._queue[: self._max_batch]
            del self._queue[: self._max_batch]
            observed = [(room, obs) for room, obs, _ in batch]
            try:
                known = await self._db.write(
                    functools.partial(_ingest_rooms, observed=observed, source="events"),
                    invalidates_cache=False,
                )
            except Exception as error:
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            self.events += len(batch)
            self.transactions += 1
            self._last_batch = len(batch)
            for (_, _, future), is_known in zip(batch, known, strict=True):
                if not future.done():
                    future.set_result(is_known)


# --- Reports and the leader page -------------------------------------------------------------------------


async def monthly_report(
    db: Database,
    scope: Scope,
    month: str,
    contact_point_slug: str | None = None,
    min_count: int | None = None,
) -> Report:
    """Build the anonymous report of a month: state-wide (admins), the scope's or one contact point's."""
    parsed = parse_month(month)
    if min_count is not None and not 1 <= min_count <= 100:
        raise InvalidInput("--min-count muss eine Zahl von 1 bis 100 sein.")

    def query(conn: Connection) -> Report:
        contact_point_id = directory.contact_point_id(conn, scope, contact_point_slug)
        covered = scope.contact_point_ids if contact_point_id is None else frozenset({contact_point_id})
        groups_ = report_groups.report_groups(conn, covered)
        ids = [g.id for g in groups_] if covered is not None else None
        meetings = meeting_storage.meetings_between(conn, parsed.first, parsed.last, ids)
        archived = retention.archived_weeks(conn, str(parsed), ids)  # what retention deleted, summed up
        return build_report(parsed, groups_, meetings, min_count, archived)

    # A month of a state-wide deployment is tens of thousands of rows: read on the writer thread, so the
    # event loop keeps serving pages meanwhile.
    return await db.write(query, invalidates_cache=False)


async def staff_report(
    db: Database, scope: Scope, month: str, contact_point_slug: str | None = None
) -> Report:
    """The staff app's report: one's contact points in full; an admin's state-wide view with small counts
    withheld (STATE_WIDE_MIN_COUNT), one contact point's in full."""
    state_wide = scope.is_admin and contact_point_slug is None
    min_count = STATE_WIDE_MIN_COUNT if state_wide else None
    return await monthly_report(db, scope, month, contact_point_slug, min_count)


@dataclass(frozen=True, slots=True)
class MeetingLine:
    """One of a group's meetings as the leader page lists it."""

    day: dt.date
    start: str | None
    end: str | None
    people: Figures
    counted: bool
    has_headcount: bool


def meeting_line(meeting: MeetingRecord) -> MeetingLine:
    """Local times (HH:MM) and figures of a stored meeting."""

    def local(text: str | None) -> str | None:
        return None if text is None else parse_iso_utc(text).astimezone(TIMEZONE).strftime("%H:%M")

    return MeetingLine(
        meeting.meeting_date,
        local(meeting.started_at),
        local(meeting.ended_at),
        figures(meeting),
        counts_as_meeting(meeting),
        meeting.has_headcount,
    )


async def leader_context(db: Database, group_id: int) -> dict[str, object]:
    """What the leader page shows about attendance: the last meetings and today's date for the form."""
    meetings = await last_meetings(db, group_id, LEADER_PAGE_MEETINGS)
    return {
        "attendance_meetings": [meeting_line(m) for m in meetings],
        "attendance_today": local_today(),
    }


def report_csv(report: Report) -> str:
    """The report as CSV text with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(report_rows(report))
    return buffer.getvalue()


def report_html(report: Report, lang: str = "de") -> str:
    """The report as one self-contained HTML page with an inline SVG chart (nothing loaded from anywhere)."""
    template = environment().get_template("attendance_report.html")
    return template.render(
        lang=lang,
        report=report,
        data=report_json(report),
        charts=[weekly_chart(report, "meetings"), weekly_chart(report, "participants")],
    )
