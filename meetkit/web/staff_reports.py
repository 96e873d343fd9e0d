"""The month's attendance report for staff: the page with the weekly charts, CSV and PDF downloads."""

from __future__ import annotations

from aiohttp import web

from meetkit.domain.attendance_times import local_today
from meetkit.domain.errors import InvalidInput
from meetkit.domain.monthly_report import Report
from meetkit.domain.report_exports import report_json
from meetkit.report_chart import weekly_chart
from meetkit.services import accounts, attendance
from meetkit.sheets.html import PACKAGE_DIR
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE, SHEET_RENDERER
from meetkit.web.staff_session import render, scope

routes = web.RouteTableDef()

REPORT_PRINT_CSS = PACKAGE_DIR / "static" / "report-print.css"


def _month(request: web.Request) -> str:
    return request.query.get("month") or local_today().strftime("%Y-%m")


def _slug(request: web.Request) -> str | None:
    return request.query.get("contact_point") or None


def _query(month: str, slug: str | None) -> str:
    return f"month={month}" + (f"&contact_point={slug}" if slug else "")


async def _report(request: web.Request) -> Report:
    return await attendance.staff_report(
        request.app[DATABASE], scope(request), _month(request), _slug(request)
    )


@routes.get("/staff/reports", name="staff_reports")
async def reports_page(request: web.Request) -> web.StreamResponse:
    """A month's attendance per group with the weekly charts (this month unless ?month=YYYY-MM)."""
    db, who = request.app[DATABASE], scope(request)
    month, slug = _month(request), _slug(request)
    points = await accounts.visible_contact_points(db, who)
    try:
        report = await _report(request)
    except InvalidInput as error:
        return render(
            request, "reports.html", error=error, field="month", month=month, slug=slug, contact_points=points
        )
    return render(
        request,
        "reports.html",
        month=str(report.month),
        slug=slug,
        contact_points=points,
        report=report,
        data=report_json(report),
        charts=[weekly_chart(report, "meetings"), weekly_chart(report, "participants")],
        download_query=_query(str(report.month), slug),
    )


@routes.get("/staff/reports.csv", name="staff_reports_csv")
async def report_csv(request: web.Request) -> web.StreamResponse:
    """The same report as CSV, for the funder."""
    report = await _report(request)
    return web.Response(
        text=attendance.report_csv(report),
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="teilnahme-{report.month}.csv"'},
    )


@routes.get("/staff/reports.pdf", name="staff_reports_pdf")
async def report_pdf(request: web.Request) -> web.StreamResponse:
    """The same report as PDF (rendered in the sheet worker pool), in the page's language."""
    report = await _report(request)
    html = attendance.report_html(report, request_language(request, easy_read=True))
    body = await request.app[SHEET_RENDERER].page_pdf(html, REPORT_PRINT_CSS)
    return web.Response(
        body=body,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="teilnahme-{report.month}.pdf"'},
    )
