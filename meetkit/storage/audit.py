"""SQL for the audit log of staff actions (who, what, when; never member data)."""

from __future__ import annotations

from dataclasses import dataclass

from meetkit.storage.connection import Connection
from meetkit.storage.database import utc_now


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One staff action: when, who (login name, or None for an unknown one), what, and on what."""

    id: int
    at: str
    actor: str | None
    action: str
    target: str | None


def add(conn: Connection, actor: str | None, action: str, target: str | None) -> None:
    """Record one action now."""
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, target) VALUES (?, ?, ?, ?)",
        (utc_now(), actor, action, target),
    )


def latest(conn: Connection, limit: int) -> list[AuditEntry]:
    """The latest `limit` entries, newest first."""
    rows = conn.execute(
        "SELECT id, at, actor, action, target FROM audit_log ORDER BY id DESC LIMIT ?", (limit,)
    ).fetchall()
    return [AuditEntry(int(r["id"]), r["at"], r["actor"], r["action"], r["target"]) for r in rows]
