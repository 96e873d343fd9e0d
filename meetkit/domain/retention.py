"""Retention rules: how long meetkit keeps what, and what a purge removes (issue 16).

- Meetings (counts and rounded times) are deleted once their local date lies more than
  MEETKIT_RETENTION_MONTHS (default 24) calendar months back; their monthly totals are kept first
  (meetkit/domain/monthly_report.archive_weeks), so reports of those months do not change.
- Audit log entries of staff actions are kept AUDIT_MONTHS (12) months.
- What has expired goes: staff setup links and tablet pairing links LINK_GRACE_DAYS after their expiry (until
  then whoever opens one is told it expired, not that it never existed), staff sessions that ran out (idle or
  too old), and per-login sign-in failures LOGIN_FAILURE_HOURS after the last.
- `meetkit serve` purges FIRST_RUN_SECONDS after it starts, then daily (one process of all, by a lease).
- A purge deletes in batches of at most BATCH_ROWS rows per transaction, so that it never holds the writer
  long (bench/retention.py measures it).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from meetkit.domain.accounts import SESSION_ABSOLUTE_HOURS, iso
from meetkit.domain.schedules import TIMEZONE

DEFAULT_RETENTION_MONTHS = 24
MAX_RETENTION_MONTHS = 1200
AUDIT_MONTHS = 12
LOGIN_FAILURE_HOURS = 24
LINK_GRACE_DAYS = 7
FIRST_RUN_SECONDS = 300.0  # not at every start: a restart loop or a test run never races the purge
BATCH_ROWS = 200
JOB_NAME = "retention"
RUN_EVERY_SECONDS = 24 * 3600


class Kind(StrEnum):
    """What a purge removes, in the order it removes it."""

    MEETINGS = "meetings"
    AUDIT_ENTRIES = "audit_entries"
    SETUP_LINKS = "setup_links"
    PAIRING_LINKS = "pairing_links"
    STAFF_SESSIONS = "staff_sessions"
    LOGIN_FAILURES = "login_failures"


def months_back(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True, slots=True)
class Cutoffs:
    """The moments before which each kind of data goes (dates as YYYY-MM-DD, times as stored ISO UTC)."""

    meetings_before: str
    audit_before: str
    links_expired_before: str
    sessions_idle_before: str
    sessions_created_before: str
    login_failures_before: str


def cutoffs(now: dt.datetime, retention_months: int, idle_minutes: int) -> Cutoffs:
    """The cut-offs of a purge at `now` (aware) under these settings."""
    seconds = now.timestamp()
    today = now.astimezone(TIMEZONE).date()
    audit_day = months_back(now.astimezone(dt.UTC).date(), AUDIT_MONTHS)
    audit_moment = dt.datetime.combine(audit_day, now.astimezone(dt.UTC).time(), dt.UTC)
    return Cutoffs(
        meetings_before=months_back(today, retention_months).isoformat(),
        audit_before=iso(audit_moment.timestamp()),
        links_expired_before=iso(seconds - LINK_GRACE_DAYS * 24 * 3600),
        sessions_idle_before=iso(seconds - idle_minutes * 60),
        sessions_created_before=iso(seconds - SESSION_ABSOLUTE_HOURS * 3600),
        login_failures_before=iso(seconds - LOGIN_FAILURE_HOURS * 3600),
    )
