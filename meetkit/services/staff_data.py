"""Staff data rights (Art. 15 and 17 GDPR): export everything stored about an account, or delete it."""

from __future__ import annotations

from typing import Any

from meetkit.domain.accounts import clean_login
from meetkit.domain.errors import NotFound
from meetkit.domain.scope import Scope
from meetkit.services.audit import record_in
from meetkit.services.signin import login_key
from meetkit.storage import accounts, staff_data
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database, utc_now


def deleted_reference(account_id: int) -> str:
    """How audit entries name an account after it was deleted."""
    return f"(gelöschtes Konto #{account_id})"


def _account_id(conn: Connection, login: str) -> int:
    account = accounts.by_login(conn, login)
    if account is None:
        raise NotFound(f"Einen Zugang '{login}' gibt es nicht.")
    return account.id


async def export_account(db: Database, secret: str, scope: Scope, login: str) -> dict[str, Any]:
    """Everything stored about an account, without its secrets (admins only); the export is audited."""
    scope.require_admin()
    login = clean_login(login)

    def export(conn: Connection) -> dict[str, Any]:
        account_id = _account_id(conn, login)
        by, about = staff_data.audit_entries(conn, login)
        record_in(conn, scope.actor, "account_exported", login)
        return {
            "exported_at": utc_now(),
            "account": staff_data.account_row(conn, account_id),
            **staff_data.counts(conn, account_id, login_key(secret, login)),
            "audit_entries_by_account": by,
            "audit_entries_about_account": about,
        }

    return await db.write(export, invalidates_cache=False)


async def delete_account(db: Database, secret: str, scope: Scope, login: str) -> tuple[int, int]:
    """Delete an account and everything of it (admins only); its audit entries keep an anonymous reference.

    Returns the deleted account's id and how many audit entries now carry the reference. Its sessions end
    at once; the deletion is audited without the login name.
    """
    scope.require_admin()
    login = clean_login(login)

    def delete(conn: Connection) -> tuple[int, int]:
        account_id = _account_id(conn, login)
        reference = deleted_reference(account_id)
        rewritten = staff_data.delete_account(conn, account_id, login, login_key(secret, login), reference)
        record_in(conn, scope.actor, "account_deleted", reference)
        return account_id, rewritten

    deleted = await db.write(delete)  # its sessions end: cached ones too, in every process
    await db.erase_deleted()  # and its login and name are gone from the files, not only from the tables
    return deleted
