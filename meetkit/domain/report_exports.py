"""A monthly report as exported: one JSON document (CLI, staff API) or CSV rows, withheld figures marked."""

from __future__ import annotations

from meetkit.domain.attendance import MIN_MINUTES, MIN_PARTICIPANTS
from meetkit.domain.monthly_report import Report
from meetkit.domain.report_lines import Totals


def totals_json(totals: Totals, withheld: bool = False) -> dict[str, object]:
    """The JSON shape of a sum; a withheld line's people figures and average are null (`suppressed`
    says so; an average is also null for a line without meetings)."""
    if withheld:
        people: dict[str, object] = dict.fromkeys(
            ("participants", "average_participants", "online", "in_room", "phone")
        )
    else:
        people = {
            "participants": totals.participants,
            "average_participants": totals.average,
            "online": totals.online,
            "in_room": totals.in_room,
            "phone": totals.phone,
        }
    return {"meetings": totals.meetings, **people, "suppressed": withheld}


def report_json(report: Report) -> dict[str, object]:
    """The report as one JSON document (CLI --format json and the staff API)."""
    hidden = report.hidden
    return {
        "month": str(report.month),
        "suppressed_below": report.min_count,
        "rules": {
            "min_participants": MIN_PARTICIPANTS,
            "min_minutes": MIN_MINUTES,
            "sessions_not_counted": report.not_counted,
        },
        "contact_points": [
            {
                "slug": cp.slug,
                "name": cp.name,
                "groups": [
                    {
                        "id": line.group.id,
                        "name": line.group.name,
                        **totals_json(line.totals, line.group.id in hidden.groups),
                    }
                    for line in cp.groups
                ],
                "totals": totals_json(cp.totals, index in hidden.contact_points),
            }
            for index, cp in enumerate(report.contact_points)
        ],
        "totals": totals_json(report.total, hidden.total),
        "weeks": [
            {
                "week": week.label,
                "monday": week.monday.isoformat(),
                **totals_json(week.totals, week.monday in hidden.weeks),
            }
            for week in report.weeks
        ],
    }


CSV_HEADER = (
    "level",
    "contact_point",
    "group_id",
    "group",
    "meetings",
    "participants",
    "average_participants",
    "online",
    "in_room",
    "phone",
)
WITHHELD = "."  # as in official statistics tables: "geheim zu halten"


def report_rows(report: Report) -> list[tuple[object, ...]]:
    """The report as CSV rows (after CSV_HEADER): groups, then each contact point's total, then the total.

    A withheld figure is WITHHELD; an average without meetings is empty.
    """
    hidden = report.hidden

    def cells(totals: Totals, withheld: bool) -> tuple[object, ...]:
        values = totals_json(totals, withheld)
        keys = ("participants", "average_participants", "online", "in_room", "phone")
        shown = tuple(WITHHELD if withheld else values[key] for key in keys)
        return (totals.meetings, *shown)

    rows: list[tuple[object, ...]] = []
    for index, cp in enumerate(report.contact_points):
        for line in cp.groups:
            withheld = line.group.id in hidden.groups
            rows.append(
                ("group", cp.slug or "", line.group.id, line.group.name, *cells(line.totals, withheld))
            )
        rows.append(
            (
                "contact_point",
                cp.slug or "",
                "",
                cp.name or "",
                *cells(cp.totals, index in hidden.contact_points),
            )
        )
    rows.append(("total", "", "", "", *cells(report.total, hidden.total)))
    return rows
