"""Attendance on the web: the leader's headcount form and the staff API's monthly report."""

from __future__ import annotations

from aiohttp import web

from meetkit.domain.errors import InvalidInput
from meetkit.domain.headcounts import parse_count_field, parse_date_field
from meetkit.domain.report_exports import report_json
from meetkit.services import attendance
from meetkit.web.apimodels import AttendanceReport, ReportQuery
from meetkit.web.apiroutes import ApiRoutes, api_scope
from meetkit.web.forms import read_form
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.lookups import leader_view
from meetkit.web.pages import show_headcount_errors_on_leader_page

routes = web.RouteTableDef()
api_routes = ApiRoutes(routes)


@routes.post("/l/{token}/attendance", name="leader_attendance")
async def leader_attendance(request: web.Request) -> web.Response:
    """Save how many people were in the room and on the phone at one of the group's meetings."""
    db = request.app[DATABASE]
    token = request.match_info["token"]
    view = await leader_view(request)
    entered: dict[str, str] = {}
    show_headcount_errors_on_leader_page(request, view, entered)
    form = await read_form(request)
    entered.update((name, form.get(name, "")) for name in ("date", "in_room", "phone"))
    day = parse_date_field(entered["date"])
    in_room = parse_count_field(entered["in_room"], "Die Anzahl im Raum")
    phone = parse_count_field(entered["phone"], "Die Anzahl am Telefon")
    if in_room is None and phone is None:
        raise InvalidInput("Bitte tragen Sie mindestens eine Zahl ein.")
    await attendance.record_headcount(
        db,
        view.group.id,
        day,
        in_room,
        phone,
        "leader",
        retention_months=request.app[SETTINGS].retention_months,
    )
    lang = request_language(request, easy_read=True)
    raise web.HTTPSeeOther(f"/l/{token}?lang={lang}&counted=1#attendance")


REPORT_DESCRIPTION = (
    "Counts only. A meeting is a group on one local day; it counts with at least 2 participants "
    "and, without a hand count, lasts at least 10 minutes (start to end, rounded to 5 minutes). "
    "participants = online + in_room + phone. With min_count (1 to 100, for state-wide exports), "
    "a line with a people count from 1 to min_count-1, or from which one could be worked out, "
    "has all its people figures null and suppressed true (CSV: '.'). See docs/attendance.md."
)


@api_routes.get(
    "/reports/attendance",
    name="api_attendance_report",
    errors=(404,),
    description=REPORT_DESCRIPTION,
    other_content={"text/csv": {"schema": {"type": "string"}}},
)
async def attendance_report(request: web.Request, query: ReportQuery) -> AttendanceReport | web.Response:
    """Anonymous monthly attendance report: meetings and participants per group and contact point."""
    report = await attendance.monthly_report(
        request.app[DATABASE], api_scope(request), query.month, query.contact_point, query.min_count
    )
    if query.format == "csv":
        return web.Response(text=attendance.report_csv(report), content_type="text/csv", charset="utf-8")
    return AttendanceReport.model_validate(report_json(report))
