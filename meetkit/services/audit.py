"""The audit log of staff actions: who, what, when (never member data); only admins read it."""

from __future__ import annotations

from meetkit.domain.scope import Scope
from meetkit.storage import audit
from meetkit.storage.audit import AuditEntry
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

DEFAULT_LIMIT = 200


def record_in(conn: Connection, actor: str | None, action: str, target: str | None = None) -> None:
    """Record an action inside the transaction that does it (so both happen or neither)."""
    audit.add(conn, actor, action, target)


async def record(db: Database, actor: str | None, action: str, target: str | None = None) -> None:
    """Record an action on its own (sign-ins, failed sign-ins); no cached answer shows the log."""
    await db.write(lambda conn: audit.add(conn, actor, action, target), invalidates_cache=False)


async def latest(db: Database, scope: Scope, limit: int = DEFAULT_LIMIT) -> list[AuditEntry]:
    """The latest entries, newest first (admins only)."""
    scope.require_admin()
    return await db.read(lambda conn: audit.latest(conn, limit))


def entry_json(entry: AuditEntry) -> dict[str, object]:
    """The JSON shape of one entry."""
    return {"at": entry.at, "actor": entry.actor, "action": entry.action, "target": entry.target}
