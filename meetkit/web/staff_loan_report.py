"""The monthly loan report for staff: a page and CSV, per contact point, state-wide for admins."""

from __future__ import annotations

from aiohttp import web

from meetkit.domain.attendance_times import local_today
from meetkit.services import loan_reports
from meetkit.web.keys import DATABASE
from meetkit.web.staff_session import render, scope

routes = web.RouteTableDef()


def _month(request: web.Request) -> str:
    return request.query.get("month") or local_today().strftime("%Y-%m")


@routes.get("/staff/loans/report", name="staff_loan_report")
async def report_page(request: web.Request) -> web.StreamResponse:
    """Devices lent, loan days, groups reached and overdue returns of a month (this month unless ?month=)."""
    slug = request.query.get("contact_point") or None
    found = await loan_reports.monthly(request.app[DATABASE], scope(request), _month(request), slug)
    return render(request, "loan_report.html", report=found, slug=slug)


@routes.get("/staff/loans/report.csv", name="staff_loan_report_csv")
async def report_csv(request: web.Request) -> web.StreamResponse:
    """The same report as CSV, for the funder."""
    slug = request.query.get("contact_point") or None
    found = await loan_reports.monthly(request.app[DATABASE], scope(request), _month(request), slug)
    return web.Response(
        text=loan_reports.report_csv(found),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="ausleihen-{found.month}.csv"'},
    )
