"""SQL for group schedules and their single extra and cancelled dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from meetkit.domain.schedules import Frequency, OwnTime, Schedule
from meetkit.storage.connection import Connection, Row, in_list
from meetkit.storage.database import utc_now

_COLUMNS = "group_id, frequency, weekday, start_time, duration_minutes, place, anchor_date, nth"


def _own_time(row: Row) -> OwnTime | None:
    if row["start_time"] is None:
        return None
    return OwnTime(dt.time.fromisoformat(row["start_time"]), row["duration_minutes"])


def _build(row: Row, exceptions: list[Row]) -> Schedule:
    extras = [e for e in exceptions if e["kind"] == "extra"]
    own_times = {dt.date.fromisoformat(e["day"]): _own_time(e) for e in extras}
    return Schedule(
        frequency=Frequency(row["frequency"]),
        weekday=row["weekday"],
        start=dt.time.fromisoformat(row["start_time"]) if row["start_time"] else None,
        duration_minutes=row["duration_minutes"],
        place=row["place"],
        anchor=dt.date.fromisoformat(row["anchor_date"]) if row["anchor_date"] else None,
        nth=row["nth"],
        extra_dates=frozenset(own_times),
        cancelled_dates=frozenset(
            dt.date.fromisoformat(e["day"]) for e in exceptions if e["kind"] == "cancelled"
        ),
        extra_times={day: own for day, own in own_times.items() if own is not None},
    )


def get(conn: Connection, group_id: int) -> Schedule | None:
    """Return a group's schedule with its exceptions, if it has one."""
    return for_groups(conn, [group_id]).get(group_id)


def for_groups(conn: Connection, group_ids: Iterable[int]) -> dict[int, Schedule]:
    """Return the schedules of these groups (those without one are missing from the result)."""
    ids = sorted(set(group_ids))
    if not ids:
        return {}
    marks, values = in_list(ids)
    rows = conn.execute(f"SELECT {_COLUMNS} FROM schedules WHERE group_id IN {marks}", values).fetchall()
    exceptions: dict[int, list[Row]] = {}
    for e in conn.execute(
        f"SELECT group_id, day, kind, start_time, duration_minutes FROM schedule_exceptions"
        f" WHERE group_id IN {marks}",
        values,
    ):
        exceptions.setdefault(e["group_id"], []).append(e)
    return {row["group_id"]: _build(row, exceptions.get(row["group_id"], [])) for row in rows}


def put(conn: Connection, group_id: int, schedule: Schedule) -> None:
    """Insert or replace a group's rule; its extra and cancelled dates stay as they are."""
    values = (
        schedule.frequency.value,
        schedule.weekday,
        schedule.start.strftime("%H:%M") if schedule.start else None,
        schedule.duration_minutes,
        schedule.place,
        schedule.anchor.isoformat() if schedule.anchor else None,
        schedule.nth,
        utc_now(),
    )
    updated = conn.execute(
        "UPDATE schedules SET frequency = ?, weekday = ?, start_time = ?, duration_minutes = ?, place = ?,"
        " anchor_date = ?, nth = ?, updated_at = ? WHERE group_id = ?",
        (*values, group_id),
    )
    if updated.rowcount == 0:
        conn.execute(
            "INSERT INTO schedules (frequency, weekday, start_time, duration_minutes, place, anchor_date,"
            " nth, updated_at, group_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*values, group_id),
        )


def put_with_dates(conn: Connection, group_id: int, schedule: Schedule) -> None:
    """Insert or replace a group's rule together with all its extra and cancelled dates."""
    put(conn, group_id, schedule)
    conn.execute("DELETE FROM schedule_exceptions WHERE group_id = ?", (group_id,))
    for day in sorted(schedule.extra_dates):
        set_exception(conn, group_id, day, "extra", schedule.extra_times.get(day))
    for day in sorted(schedule.cancelled_dates):
        set_exception(conn, group_id, day, "cancelled")


def delete(conn: Connection, group_id: int) -> bool:
    """Remove a group's schedule and all its exceptions; return whether there was one."""
    conn.execute("DELETE FROM schedule_exceptions WHERE group_id = ?", (group_id,))
    return conn.execute("DELETE FROM schedules WHERE group_id = ?", (group_id,)).rowcount == 1


def set_exception(
    conn: Connection, group_id: int, day: dt.date, kind: str, own: OwnTime | None = None
) -> None:
    """Mark a day as an extra meeting (with its own time, if given) or a cancelled one (replacing what
    the day had)."""
    conn.execute(
        "DELETE FROM schedule_exceptions WHERE group_id = ? AND day = ?", (group_id, day.isoformat())
    )
    conn.execute(
        "INSERT INTO schedule_exceptions (group_id, day, kind, start_time, duration_minutes)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            group_id,
            day.isoformat(),
            kind,
            own.start.strftime("%H:%M") if own else None,
            own.duration_minutes if own else None,
        ),
    )


def remove_exception(conn: Connection, group_id: int, day: dt.date) -> bool:
    """Forget a day's exception; return whether there was one."""
    cursor = conn.execute(
        "DELETE FROM schedule_exceptions WHERE group_id = ? AND day = ?", (group_id, day.isoformat())
    )
    return cursor.rowcount == 1
