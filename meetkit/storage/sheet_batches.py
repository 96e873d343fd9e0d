"""SQL for batches of sheets: progress while they render, the finished PDF (base64) for a short time."""

from __future__ import annotations

from dataclasses import dataclass

from meetkit.storage.connection import Connection, Row
from meetkit.storage.database import utc_now

_COLUMNS = "id, contact_point_id, actor, lang, layout, total, done, state, created_at, updated_at"


@dataclass(frozen=True, slots=True)
class BatchRow:
    """A batch as stored, without its PDF."""

    id: int
    contact_point_id: int
    actor: str | None
    lang: str
    layout: str
    total: int
    done: int
    state: str
    created_at: str
    updated_at: str


def _row(row: Row) -> BatchRow:
    return BatchRow(
        id=int(row["id"]),
        contact_point_id=int(row["contact_point_id"]),
        actor=row["actor"],
        lang=row["lang"],
        layout=row["layout"],
        total=int(row["total"]),
        done=int(row["done"]),
        state=row["state"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def insert(
    conn: Connection, contact_point_id: int, actor: str | None, lang: str, layout: str, total: int
) -> int:
    """Store a new running batch; return its id."""
    now = utc_now()
    cursor = conn.execute(
        "INSERT INTO sheet_batches (contact_point_id, actor, lang, layout, total, done, state, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, 0, 'running', ?, ?) RETURNING id",
        (contact_point_id, actor, lang, layout, total, now, now),
    )
    return int(cursor.fetchone()[0])


def by_id(conn: Connection, batch_id: int) -> BatchRow | None:
    """The batch with this id, if it is still kept."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM sheet_batches WHERE id = ?", (batch_id,)).fetchone()
    return _row(row) if row else None


def set_progress(conn: Connection, batch_id: int, done: int) -> None:
    """How many sheets are rendered so far."""
    conn.execute(
        "UPDATE sheet_batches SET done = CASE WHEN done < ? THEN ? ELSE done END, updated_at = ?"
        " WHERE id = ? AND state = 'running'",
        (done, done, utc_now(), batch_id),
    )


def finish(conn: Connection, batch_id: int, pdf_base64: str | None) -> None:
    """Mark a batch done with its PDF, or failed without one (None)."""
    state = "done" if pdf_base64 is not None else "failed"
    conn.execute(
        "UPDATE sheet_batches SET state = ?, pdf = ?, done = CASE WHEN ? = 'done' THEN total ELSE done END,"
        " updated_at = ? WHERE id = ?",
        (state, pdf_base64, state, utc_now(), batch_id),
    )


def pdf_of(conn: Connection, batch_id: int) -> str | None:
    """The finished batch's PDF as base64, if any."""
    row = conn.execute("SELECT pdf FROM sheet_batches WHERE id = ?", (batch_id,)).fetchone()
    return str(row["pdf"]) if row and row["pdf"] is not None else None


def delete_older_than(conn: Connection, moment: str) -> int:
    """Forget batches made before `moment` (ISO text); return how many."""
    return conn.execute("DELETE FROM sheet_batches WHERE created_at < ?", (moment,)).rowcount
