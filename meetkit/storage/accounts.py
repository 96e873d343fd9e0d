"""SQL for staff accounts, their contact points, setup links, recovery codes, sign-in failures and settings."""

from __future__ import annotations

from dataclasses import dataclass

from meetkit.domain.accounts import Role, StaffAccount
from meetkit.storage.connection import Connection, Row
from meetkit.storage.database import utc_now

_COLUMNS = (
    "id, login, display_name, role, password_hash IS NOT NULL AS has_password, "
    "totp_secret IS NOT NULL AS has_second_factor, disabled_at, created_at"
)


@dataclass(frozen=True, slots=True)
class Credentials:
    """What sign-in needs of an account: its record, password hash and TOTP state."""

    account: StaffAccount
    password_hash: str | None
    totp_secret: str | None
    totp_pending_secret: str | None
    totp_last_step: int


def _account(conn: Connection, row: Row) -> StaffAccount:
    return StaffAccount(
        id=row["id"],
        login=row["login"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        has_password=bool(row["has_password"]),
        has_second_factor=bool(row["has_second_factor"]),
        disabled=row["disabled_at"] is not None,
        created_at=row["created_at"],
        contact_point_ids=memberships(conn, row["id"]),
    )


def memberships(conn: Connection, account_id: int) -> tuple[int, ...]:
    """The ids of the contact points an account belongs to."""
    rows = conn.execute(
        "SELECT contact_point_id FROM staff_memberships WHERE account_id = ? ORDER BY contact_point_id",
        (account_id,),
    )
    return tuple(int(r[0]) for r in rows)


def insert(
    conn: Connection, login: str, display_name: str | None, role: Role, contact_point_ids: tuple[int, ...]
) -> StaffAccount:
    """Store a new account without a password; raises a unique violation when the login is taken."""
    cursor = conn.execute(
        "INSERT INTO staff_accounts (login, display_name, role, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        (login, display_name, role.value, utc_now()),
    )
    account_id = int(cursor.fetchone()[0])
    conn.executemany(
        "INSERT INTO staff_memberships (account_id, contact_point_id) VALUES (?, ?)",
        [(account_id, cp) for cp in contact_point_ids],
    )
    found = by_id(conn, account_id)
    assert found is not None
    return found


def by_id(conn: Connection, account_id: int) -> StaffAccount | None:
    """Return an account by id."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM staff_accounts WHERE id = ?", (account_id,)).fetchone()
    return None if row is None else _account(conn, row)


def by_login(conn: Connection, login: str) -> StaffAccount | None:
    """Return an account by its (cleaned) login name."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM staff_accounts WHERE login = ?", (login,)).fetchone()
    return None if row is None else _account(conn, row)


def all_(conn: Connection) -> list[StaffAccount]:
    """Every account, by login name."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM staff_accounts ORDER BY login").fetchall()
    return [_account(conn, row) for row in rows]


def credentials(conn: Connection, login: str) -> Credentials | None:
    """An account's sign-in data by login name."""
    account = by_login(conn, login)
    if account is None:
        return None
    row = conn.execute(
        "SELECT password_hash, totp_secret, totp_pending_secret, totp_last_step FROM staff_accounts WHERE id = ?",
        (account.id,),
    ).fetchone()
    return Credentials(
        account,
        row["password_hash"],
        row["totp_secret"],
        row["totp_pending_secret"],
        int(row["totp_last_step"]),
    )


def set_password(conn: Connection, account_id: int, password_hash: str) -> None:
    """Store a new password hash."""
    conn.execute("UPDATE staff_accounts SET password_hash = ? WHERE id = ?", (password_hash, account_id))


def clear_password(conn: Connection, account_id: int) -> None:
    """Remove the password: no sign-in until a setup link sets a new one."""
    conn.execute("UPDATE staff_accounts SET password_hash = NULL WHERE id = ?", (account_id,))


def set_disabled(conn: Connection, account_id: int) -> bool:
    """Disable an account; return whether it was enabled before."""
    cursor = conn.execute(
        "UPDATE staff_accounts SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL",
        (utc_now(), account_id),
    )
    return cursor.rowcount == 1


def set_pending_totp(conn: Connection, account_id: int, secret: str | None) -> None:
    """Keep a TOTP secret that waits for its first code (or forget it)."""
    conn.execute("UPDATE staff_accounts SET totp_pending_secret = ? WHERE id = ?", (secret, account_id))


def set_totp(conn: Connection, account_id: int, secret: str | None, last_step: int) -> None:
    """Turn the second factor on with `secret` (or off with None); the pending secret is used up."""
    conn.execute(
        "UPDATE staff_accounts SET totp_secret = ?, totp_pending_secret = NULL, totp_last_step = ? WHERE id = ?",
        (secret, last_step, account_id),
    )


def use_totp_step(conn: Connection, account_id: int, step: int) -> bool:
    """Record that a TOTP step was used; False when it (or a later one) already was (a replay)."""
    cursor = conn.execute(
        "UPDATE staff_accounts SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?",
        (step, account_id, step),
    )
    return cursor.rowcount == 1


def replace_recovery_codes(conn: Connection, account_id: int, code_hashes: list[str]) -> None:
    """Replace an account's recovery codes (an empty list removes them)."""
    conn.execute("DELETE FROM staff_recovery_codes WHERE account_id = ?", (account_id,))
    conn.executemany(
        "INSERT INTO staff_recovery_codes (account_id, code_hash) VALUES (?, ?)",
        [(account_id, h) for h in code_hashes],
    )


def use_recovery_code(conn: Connection, account_id: int, code_hash: str) -> bool:
    """Mark an unused recovery code as used; False when it is unknown or was used before."""
    cursor = conn.execute(
        "UPDATE staff_recovery_codes SET used_at = ? WHERE account_id = ? AND code_hash = ? AND used_at IS NULL",
        (utc_now(), account_id, code_hash),
    )
    return cursor.rowcount == 1


def unused_recovery_codes(conn: Connection, account_id: int) -> int:
    """How many recovery codes an account has left."""
    row = conn.execute(
        "SELECT COUNT(*) FROM staff_recovery_codes WHERE account_id = ? AND used_at IS NULL", (account_id,)
    ).fetchone()
    return int(row[0])


def add_setup_link(conn: Connection, account_id: int, token_hash: str, expires_at: str) -> None:
    """Store a one-time setup link; earlier unused links of the account stop working."""
    conn.execute("DELETE FROM staff_setup_links WHERE account_id = ? AND used_at IS NULL", (account_id,))
    conn.execute(
        "INSERT INTO staff_setup_links (token_hash, account_id, expires_at) VALUES (?, ?, ?)",
        (token_hash, account_id, expires_at),
    )


def setup_link(conn: Connection, token_hash: str) -> tuple[int, str, str | None] | None:
    """(account id, expires_at, used_at) of a setup link."""
    row = conn.execute(
        "SELECT account_id, expires_at, used_at FROM staff_setup_links WHERE token_hash = ?", (token_hash,)
    ).fetchone()
    return None if row is None else (int(row["account_id"]), row["expires_at"], row["used_at"])


def use_setup_link(conn: Connection, token_hash: str, now: str) -> bool:
    """Mark a setup link used if it is unused and unexpired; False otherwise (a second use loses)."""
    cursor = conn.execute(
        "UPDATE staff_setup_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        (now, token_hash, now),
    )
    return cursor.rowcount == 1


def login_failures(conn: Connection, login_hash: str) -> tuple[int, str] | None:
    """(failures in a row, last failure time) for a login name as typed."""
    row = conn.execute(
        "SELECT failures, last_failed_at FROM staff_login_failures WHERE login_hash = ?", (login_hash,)
    ).fetchone()
    return None if row is None else (int(row["failures"]), row["last_failed_at"])


def add_login_failure(conn: Connection, login_hash: str, now: str) -> int:
    """Count one more failed sign-in for a login name; return the count."""
    cursor = conn.execute(
        "INSERT INTO staff_login_failures (login_hash, failures, last_failed_at) VALUES (?, 1, ?) "
        "ON CONFLICT (login_hash) DO UPDATE SET failures = staff_login_failures.failures + 1, "
        "last_failed_at = excluded.last_failed_at RETURNING failures",
        (login_hash, now),
    )
    return int(cursor.fetchone()[0])


def clear_login_failures(conn: Connection, login_hash: str) -> None:
    """Forget a login name's failures after a successful sign-in."""
    conn.execute("DELETE FROM staff_login_failures WHERE login_hash = ?", (login_hash,))


def setting(conn: Connection, name: str) -> str | None:
    """One staff setting's value."""
    row = conn.execute("SELECT value FROM staff_settings WHERE name = ?", (name,)).fetchone()
    return None if row is None else str(row["value"])


def set_setting(conn: Connection, name: str, value: str) -> None:
    """Set one staff setting."""
    conn.execute(
        "INSERT INTO staff_settings (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        (name, value),
    )
