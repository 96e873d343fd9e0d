"""SQL for loans of devices to groups; the group's tablet token and its pairing link only as hashes."""

from __future__ import annotations

import datetime as dt

from meetkit.domain.loans import Loan
from meetkit.storage.connection import Connection, Row
from meetkit.storage.database import utc_now

_COLUMNS = (
    "id, device_id, group_id, contact_point_id, starts_on, ends_on, notes, returned_on, return_note,"
    " created_at, tablet_paired_at"
)


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _row(row: Row) -> Loan:
    starts_on, ends_on = _day(row["starts_on"]), _day(row["ends_on"])
    assert starts_on is not None and ends_on is not None
    return Loan(
        id=row["id"],
        device_id=row["device_id"],
        group_id=row["group_id"],
        contact_point_id=row["contact_point_id"],
        starts_on=starts_on,
        ends_on=ends_on,
        notes=row["notes"],
        returned_on=_day(row["returned_on"]),
        return_note=row["return_note"],
        created_at=row["created_at"],
        tablet_paired_at=row["tablet_paired_at"],
    )


def insert(
    conn: Connection,
    device_id: int,
    group_id: int,
    contact_point_id: int,
    starts_on: dt.date,
    ends_on: dt.date,
    notes: str | None,
) -> Loan:
    """Store a new loan."""
    cursor = conn.execute(
        "INSERT INTO loans (device_id, group_id, contact_point_id, starts_on, ends_on, notes, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (device_id, group_id, contact_point_id, starts_on.isoformat(), ends_on.isoformat(), notes, utc_now()),
    )
    found = by_id(conn, int(cursor.fetchone()[0]))
    assert found is not None
    return found


def by_id(conn: Connection, loan_id: int) -> Loan | None:
    """The loan with this id, if any."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM loans WHERE id = ?", (loan_id,)).fetchone()
    return _row(row) if row else None


def of_device(conn: Connection, device_id: int) -> list[Loan]:
    """Every loan of one device, oldest first."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM loans WHERE device_id = ? ORDER BY starts_on, id", (device_id,)
    )
    return [_row(r) for r in rows]


def of_contact_points(conn: Connection, contact_point_ids: list[int] | None) -> list[Loan]:
    """Every loan of these contact points (of all with None), newest first."""
    if contact_point_ids is None:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM loans ORDER BY starts_on DESC, id DESC")
        return [_row(r) for r in rows]
    if not contact_point_ids:
        return []
    marks = ", ".join("?" for _ in contact_point_ids)
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM loans WHERE contact_point_id IN ({marks}) ORDER BY starts_on DESC, id DESC",
        tuple(contact_point_ids),
    )
    return [_row(r) for r in rows]


def touching(conn: Connection, first: dt.date, last: dt.date) -> list[Loan]:
    """Loans that began by `last` and were not returned before `first` (a month's report reads these)."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM loans WHERE starts_on <= ? AND (returned_on IS NULL OR returned_on >= ?)"
        " ORDER BY id",
        (last.isoformat(), first.isoformat()),
    )
    return [_row(r) for r in rows]


def mark_returned(conn: Connection, loan_id: int, returned_on: dt.date, note: str | None) -> None:
    """Record the return; an open tablet pairing link goes (the tablet's page then says the loan ended)."""
    conn.execute(
        "UPDATE loans SET returned_on = ?, return_note = ?,"
        " tablet_pairing_hash = NULL, tablet_pairing_expires_at = NULL WHERE id = ? AND returned_on IS NULL",
        (returned_on.isoformat(), note, loan_id),
    )


def delete(conn: Connection, loan_id: int) -> None:
    """Remove a loan (one that has not begun)."""
    conn.execute("DELETE FROM loans WHERE id = ?", (loan_id,))


def open_tablet_pairing(conn: Connection, loan_id: int, pairing_hash: str, expires_at: str) -> None:
    """Give the loan a one-time pairing link for the group's tablet (replacing an unused one)."""
    conn.execute(
        "UPDATE loans SET tablet_pairing_hash = ?, tablet_pairing_expires_at = ? WHERE id = ?",
        (pairing_hash, expires_at, loan_id),
    )


def by_tablet_pairing_hash(conn: Connection, pairing_hash: str) -> tuple[Loan, str] | None:
    """The loan whose unused tablet pairing link has this hash, with the link's expiry."""
    row = conn.execute(
        f"SELECT {_COLUMNS}, tablet_pairing_expires_at FROM loans WHERE tablet_pairing_hash = ?",
        (pairing_hash,),
    ).fetchone()
    return (_row(row), row["tablet_pairing_expires_at"]) if row else None


def pair_tablet(conn: Connection, loan_id: int, token_hash: str) -> None:
    """Use up the pairing link and store the group's tablet token (a previous one stops working)."""
    conn.execute(
        "UPDATE loans SET tablet_token_hash = ?, tablet_paired_at = ?, tablet_pairing_hash = NULL,"
        " tablet_pairing_expires_at = NULL WHERE id = ?",
        (token_hash, utc_now(), loan_id),
    )


def by_tablet_token_hash(conn: Connection, token_hash: str) -> Loan | None:
    """The loan whose group's tablet has this token."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM loans WHERE tablet_token_hash = ?", (token_hash,)).fetchone()
    return _row(row) if row else None
