"""The monthly loan report, per contact point and state-wide for admins: counts only, for the funder."""

from __future__ import annotations

import csv
import datetime as dt
import io

from meetkit.domain import loan_report as rules
from meetkit.domain.attendance_times import local_today
from meetkit.domain.months import parse_month
from meetkit.domain.scope import Scope
from meetkit.services import directory
from meetkit.storage import contact_points, loans
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database


async def monthly(
    db: Database,
    scope: Scope,
    month_text: str,
    contact_point_slug: str | None = None,
    *,
    today: dt.date | None = None,
) -> rules.LoanReport:
    """Devices lent, loans, loan days, groups reached and overdue returns of a month.

    One row per contact point in the scope (or the one named); admins asking for all also get the
    state-wide total."""
    month = parse_month(month_text)
    day = today or local_today()

    def query(conn: Connection) -> rules.LoanReport:
        chosen = directory.contact_point_id(conn, scope, contact_point_slug)
        points = [c for c in contact_points.all_(conn) if scope.allows(c.id) and chosen in (None, c.id)]
        touching = loans.touching(conn, month.first, month.last)
        rows = [
            (c.slug, c.name, [loan for loan in touching if loan.contact_point_id == c.id]) for c in points
        ]
        return rules.report(month, rows, day, state_wide=scope.is_admin and chosen is None)

    return await db.read(query)


def report_csv(found: rules.LoanReport) -> str:
    """The report as CSV text with a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(rules.CSV_HEADER)
    writer.writerows(rules.report_rows(found))
    return buffer.getvalue()
