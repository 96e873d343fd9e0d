"""SQL for staff data rights: everything stored about one account, and deleting it with an anonymous trace."""

from __future__ import annotations

from typing import Any

from meetkit.storage.connection import Connection, plain_rows

_ACCOUNT_KEYS = (
    "id",
    "login",
    "display_name",
    "role",
    "has_password",
    "has_second_factor",
    "second_factor_pending",
    "disabled_at",
    "created_at",
)


def account_row(conn: Connection, account_id: int) -> dict[str, Any]:
    """The account's row without its secrets (password hash, second factor keys), plus its contact points."""
    row = conn.execute(
        "SELECT id, login, display_name, role, password_hash IS NOT NULL AS has_password,"
        " totp_secret IS NOT NULL AS has_second_factor, totp_pending_secret IS NOT NULL AS second_factor_pending,"
        " disabled_at, created_at FROM staff_accounts WHERE id = ?",
        (account_id,),
    ).fetchone()
    found: dict[str, Any] = {key: row[key] for key in _ACCOUNT_KEYS}
    for flag in ("has_password", "has_second_factor", "second_factor_pending"):
        found[flag] = bool(found[flag])
    found["contact_points"] = [
        slug
        for (slug,) in plain_rows(
            conn,
            "SELECT c.slug FROM staff_memberships m JOIN contact_points c ON c.id = m.contact_point_id"
            " WHERE m.account_id = ? ORDER BY c.slug",
            (account_id,),
        )
    ]
    return found


def counts(conn: Connection, account_id: int, login_hash: str) -> dict[str, int]:
    """How many sessions, unused recovery codes, open setup links and counted sign-in failures it has."""
    row = plain_rows(
        conn,
        "SELECT (SELECT count(*) FROM staff_sessions WHERE account_id = :id),"
        " (SELECT count(*) FROM staff_recovery_codes WHERE account_id = :id AND used_at IS NULL),"
        " (SELECT count(*) FROM staff_setup_links WHERE account_id = :id AND used_at IS NULL),"
        " (SELECT COALESCE(max(failures), 0) FROM staff_login_failures WHERE login_hash = :hash)",
        {"id": account_id, "hash": login_hash},
    )[0]
    return {
        "sessions": int(row[0]),
        "unused_recovery_codes": int(row[1]),
        "open_setup_links": int(row[2]),
        "failed_sign_ins_in_a_row": int(row[3]),
    }


def audit_entries(conn: Connection, login: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Audit entries by the account (its login as actor), and entries about it (its login as the target)."""
    by = plain_rows(conn, "SELECT at, action, target FROM audit_log WHERE actor = ? ORDER BY id", (login,))
    about = [
        row
        for row in plain_rows(
            conn,
            "SELECT at, actor, action, target FROM audit_log WHERE target LIKE ? ORDER BY id",
            (f"%{login}%",),
        )
        if names(row[3], login)
    ]
    return (
        [{"at": at, "action": action, "target": target} for at, action, target in by],
        [
            {"at": at, "actor": actor, "action": action, "target": target}
            for at, actor, action, target in about
        ],
    )


def names(target: str | None, login: str) -> bool:
    """Whether an audit target names this login: the login itself, or `login (role)`."""
    return target is not None and (target == login or target.startswith(login + " ("))


def delete_account(conn: Connection, account_id: int, login: str, login_hash: str, reference: str) -> int:
    """Delete the account (sessions, links, codes and memberships go with it) and its sign-in failures; its
    audit entries keep `reference` where they named it. Returns how many audit entries were rewritten."""
    rewritten = conn.execute("UPDATE audit_log SET actor = ? WHERE actor = ?", (reference, login)).rowcount
    targets = plain_rows(conn, "SELECT id, target FROM audit_log WHERE target LIKE ?", (f"%{login}%",))
    changed = [
        (reference + target[len(login) :], entry_id) for entry_id, target in targets if names(target, login)
    ]
    conn.executemany("UPDATE audit_log SET target = ? WHERE id = ?", changed)
    conn.execute("DELETE FROM staff_login_failures WHERE login_hash = ?", (login_hash,))
    conn.execute("DELETE FROM staff_accounts WHERE id = ?", (account_id,))
    return int(rewritten) + len(changed)
