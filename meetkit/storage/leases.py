"""SQL for job leases: which process runs a background job that must run once across all of them."""

from __future__ import annotations

from meetkit.storage.connection import Connection


def acquire(conn: Connection, job: str, holder: str, now: int, seconds: int) -> bool:
    """Take or renew the lease on `job` for `holder` until now + seconds, unless another holds it."""
    conn.execute(
        "INSERT INTO job_leases (job, holder, expires_at) VALUES (?, ?, ?)"
        " ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at"
        " WHERE job_leases.holder = excluded.holder OR job_leases.expires_at <= ?",
        (job, holder, now + seconds, now),
    )
    row = conn.execute("SELECT holder FROM job_leases WHERE job = ?", (job,)).fetchone()
    return row is not None and row[0] == holder


def release(conn: Connection, job: str, holder: str) -> None:
    """Give up `holder`'s lease on `job`, so another process may take it at once."""
    conn.execute("DELETE FROM job_leases WHERE job = ? AND holder = ?", (job, holder))
