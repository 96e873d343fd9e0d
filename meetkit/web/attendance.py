"""Attendance on the web: the leader's headcount form and the staff API's monthly report."""

from __future__ import annotations

from aiohttp import web

from meetkit.domain import attendance as rules
from meetkit.domain.errors import InvalidInput
from meetkit.domain.numbers import parse_count
from meetkit.services import attendance
from meetkit.web.api import PREFIX as API_PREFIX
from meetkit.web.forms import read_form
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE
from meetkit.web.lookups import leader_view
from meetkit.web.pages import show_headcount_errors_on_leader_page

routes = web.RouteTableDef()


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
    day = rules.parse_date_field(entered["date"])
    in_room = rules.parse_count_field(entered["in_room"], "Die Anzahl im Raum")
    phone = rules.parse_count_field(entered["phone"], "Die Anzahl am Telefon")
    if in_room is None and phone is None:
        raise InvalidInput("Bitte tragen Sie mindestens eine Zahl ein.")
    await attendance.record_headcount(db, view.group.id, day, in_room, phone, "leader")
    lang = request_language(request)
    raise web.HTTPSeeOther(f"/l/{token}?lang={lang}&counted=1#attendance")


def _min_count(text: str | None) -> int | None:
    if text is None or text == "":
        return None
    return parse_count(text, "min_count", low=1, high=100)


@routes.get(API_PREFIX + "/reports/attendance", name="api_attendance_report")
async def attendance_report(request: web.Request) -> web.Response:
    """The anonymous monthly report as JSON (default) or CSV (`?format=csv`)."""
    query = request.query
    month = query.get("month")
    if not month:
        raise InvalidInput("Der Parameter month fehlt (z. B. month=2026-11).")
    report = await attendance.monthly_report(
        request.app[DATABASE], month, query.get("contact_point"), _min_count(query.get("min_count"))
    )
    fmt = query.get("format", "json")
    if fmt == "csv":
        return web.Response(text=attendance.report_csv(report), content_type="text/csv", charset="utf-8")
    if fmt != "json":
        raise InvalidInput("format muss json oder csv sein.")
    return web.json_response(rules.report_json(report))


_ERROR = {"$ref": "#/components/responses/Error"}

openapi_paths: dict[str, object] = {
    "/reports/attendance": {
        "get": {
            "summary": "Anonymous monthly attendance report: meetings and participants per group and contact point",
            "description": (
                "Counts only. A meeting is a group on one local day; it counts with at least 2 participants "
                "and, without a hand count, lasts at least 10 minutes (start to end, rounded to 5 minutes). "
                "participants = online + in_room + phone. With min_count (1 to 100, for state-wide exports), "
                "a line with a people count from 1 to min_count-1, or from which one could be worked out, "
                "has all its people figures null and suppressed true (CSV: '.'). See docs/attendance.md."
            ),
            "parameters": [
                {
                    "name": "month",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                },
                {"name": "contact_point", "in": "query", "schema": {"type": "string"}},
                {
                    "name": "min_count",
                    "in": "query",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                },
                {"name": "format", "in": "query", "schema": {"enum": ["json", "csv"], "default": "json"}},
            ],
            "responses": {
                "200": {
                    "description": "The report",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/AttendanceReport"}},
                        "text/csv": {"schema": {"type": "string"}},
                    },
                },
                "400": _ERROR,
                "404": _ERROR,
            },
        }
    }
}

_COUNT = {"type": ["integer", "null"], "description": "null when the line is suppressed (min_count)"}
_TOTALS = {
    "type": "object",
    "properties": {
        "meetings": {"type": "integer"},
        "participants": _COUNT,
        "average_participants": {"type": ["number", "null"]},
        "online": _COUNT,
        "in_room": _COUNT,
        "phone": _COUNT,
        "suppressed": {"type": "boolean", "description": "people figures withheld under min_count"},
    },
}

openapi_schemas: dict[str, object] = {
    "AttendanceTotals": _TOTALS,
    "AttendanceReport": {
        "type": "object",
        "properties": {
            "month": {"type": "string"},
            "suppressed_below": {"type": ["integer", "null"]},
            "rules": {"type": "object"},
            "contact_points": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "slug": {"type": ["string", "null"]},
                        "name": {"type": ["string", "null"]},
                        "groups": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/AttendanceTotals"},
                        },
                        "totals": {"$ref": "#/components/schemas/AttendanceTotals"},
                    },
                },
            },
            "totals": {"$ref": "#/components/schemas/AttendanceTotals"},
            "weeks": {"type": "array", "items": {"$ref": "#/components/schemas/AttendanceTotals"}},
        },
    },
}
