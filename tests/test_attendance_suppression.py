"""Small counts in exports: nothing from 1 to min_count-1 can be read off or worked out from a report.

`leaks()` is an outside check, written without the rules' code: it looks at a report's JSON the way a
reader with a calculator would (a line's figures add up; a shown total minus the shown lines under it is
the sum of the withheld ones) and lists every small count it can work out.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import random
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain.attendance_times import local_today
from meetkit.domain.meeting_figures import MeetingRecord
from meetkit.domain.monthly_report import build_report
from meetkit.domain.months import parse_month
from meetkit.domain.report_exports import report_json, report_rows
from meetkit.domain.report_lines import GroupInfo
from meetkit.domain.scope import OPERATOR
from meetkit.services import attendance, directory
from meetkit.storage.database import database_for
from meetkit.web.keys import DATABASE
from tests.conftest import SeededGroup
from tests.test_attendance_domain import meeting

Client = TestClient[web.Request, web.Application]
PEOPLE = ("participants", "online", "in_room", "phone")
MONTH = parse_month("2026-11")


def leaks(data: dict[str, Any], n: int) -> list[str]:
    """Every small count (1 to n-1) a reader can read off or work out from a report's JSON."""
    found: list[str] = []

    def line(where: str, figures: dict[str, Any]) -> None:
        for key in PEOPLE:
            value = figures[key]
            if value is not None and 0 < value < n:
                found.append(f"{where}: {key} {value} is shown")
        missing = [key for key in PEOPLE if figures[key] is None]
        if len(missing) == 1:  # participants = online + in room + phone
            found.append(f"{where}: {missing[0]} follows from the other figures of the line")
        if figures["participants"] is None and figures["average_participants"] is not None:
            found.append(f"{where}: the average times the meetings gives the participants")

    def under(where: str, total: dict[str, Any], lines: list[dict[str, Any]]) -> None:
        if total["participants"] is None:
            return
        for key in PEOPLE:
            if total[key] is None:
                continue
            withheld = [x for x in lines if x[key] is None]
            rest = total[key] - sum(x[key] for x in lines if x[key] is not None)
            if len(withheld) == 1:
                found.append(f"{where}: the one withheld {key} is {rest}")
            elif withheld and 0 < rest < n:
                found.append(f"{where}: the withheld {key} add up to {rest}")

    points = data["contact_points"]
    for point in points:
        for group in point["groups"]:
            line(f"group {group['name']}", group)
        line(f"contact point {point['slug']}", point["totals"])
        under(f"contact point {point['slug']}", point["totals"], point["groups"])
    line("total", data["totals"])
    for week in data["weeks"]:
        line(week["week"], week)
    # the month's total over the contact points, and through a withheld contact point down to its groups
    units = [
        g for p in points for g in (p["groups"] if p["totals"]["participants"] is None else [p["totals"]])
    ]
    under("total", data["totals"], units)
    under("weeks", data["totals"], data["weeks"])
    if data["totals"]["participants"] is None and all(w["participants"] is not None for w in data["weeks"]):
        added = {key: sum(w[key] for w in data["weeks"]) for key in PEOPLE}  # the weeks add up to it
        under("total from the weeks", {**added, "participants": added["participants"]}, units)
    return found


def headcount(group_id: int, day: int, in_room: int = 0, phone: int = 0, online: int = 0) -> MeetingRecord:
    """A counted meeting on a November day: `online` people at home (plus the room's device)."""
    peak = online + phone + (1 if online and in_room else 0)
    return meeting(
        group_id=group_id, meeting_date=dt.date(2026, 11, day), peak_online=peak, in_room=in_room, phone=phone
    )


def test_the_line_from_the_issue_gives_nothing_away() -> None:
    """7 participants, 0 online, 5 in the room: the 2 on the phone were 7 - 0 - 5."""
    groups = [
        GroupInfo(1, "Angehörige", "kiss", "KISS"),
        GroupInfo(2, "Trauer", "kiss", "KISS"),
        GroupInfo(3, "Depression", "kiss", "KISS"),
    ]
    meetings = [
        headcount(1, 4, in_room=5, phone=2),
        headcount(2, 5, in_room=9, phone=3),
        headcount(3, 12, in_room=4),
    ]
    report = build_report(MONTH, groups, meetings, min_count=3)
    data: Any = report_json(report)
    first = data["contact_points"][0]["groups"][0]
    assert first["meetings"] == 1 and first["suppressed"] is True
    assert [first[key] for key in (*PEOPLE, "average_participants")] == [None] * 5
    assert leaks(data, 3) == []
    shown = report_json(build_report(MONTH, groups, meetings))
    assert data["totals"] == {**shown["totals"], "suppressed": False}  # true, and safe to show
    row = next(r for r in report_rows(report) if r[3] == "Angehörige")
    assert row[4:] == (1, ".", ".", ".", ".", ".")


def test_groups_without_meetings_have_no_average_rather_than_a_suppression_mark() -> None:
    groups = [GroupInfo(1, "Aktiv", "kiss", "KISS"), GroupInfo(2, "Ruhend", "kiss", "KISS")]
    report = build_report(MONTH, groups, [headcount(1, 4, in_room=6)], min_count=3)
    resting = next(r for r in report_rows(report) if r[3] == "Ruhend")
    assert resting[4:] == (0, 0, None, 0, 0, 0)  # csv writes None as an empty cell
    data: Any = report_json(report)
    assert data["contact_points"][0]["groups"][1]["average_participants"] is None
    assert data["contact_points"][0]["groups"][1]["suppressed"] is False
    assert "<3" not in report_rows(report)[1] and "." not in report_rows(report)[1]


def test_a_contact_point_with_one_small_group_does_not_give_it_away_through_the_total() -> None:
    groups = [GroupInfo(1, "Groß", "kiss", "KISS"), GroupInfo(2, "Klein", "nord", "Nord")]
    meetings = [headcount(1, 4, in_room=12), headcount(2, 12, in_room=2)]
    data: Any = report_json(build_report(MONTH, groups, meetings, min_count=3))
    assert data["totals"]["participants"] is None  # 14 - 12 would be the small group's 2
    weeks = data["weeks"]
    assert [w["participants"] for w in weeks if w["meetings"]] == [None, None]  # they add up to the total
    assert [w["participants"] for w in weeks if not w["meetings"]] == [0] * (len(weeks) - 2)
    assert data["contact_points"][0]["totals"]["participants"] == 12
    assert leaks(data, 3) == []


@pytest.mark.parametrize("n", [2, 3, 5])
def test_random_reports_give_nothing_away_and_show_only_true_sums(n: int) -> None:
    for seed in range(150):
        pick = random.Random(seed * 10 + n)
        groups, meetings = [], []
        for p in range(pick.randint(1, 4)):
            for _ in range(pick.randint(1, 6)):
                gid = len(groups) + 1
                groups.append(GroupInfo(gid, f"Gruppe {gid}", f"kp{p}", f"Kontaktstelle {p}"))
                for day in pick.sample(range(1, 31), pick.choice([0, 1, 1, 2, 4])):
                    meetings.append(
                        headcount(
                            gid,
                            day,
                            in_room=pick.choice([0, 0, 1, 2, 3, 5, 8]),
                            phone=pick.choice([0, 0, 0, 1, 2, 4]),
                            online=pick.choice([0, 0, 1, 2, 4, 7]),
                        )
                    )
        data: Any = report_json(build_report(MONTH, groups, meetings, min_count=n))
        assert leaks(data, n) == [], seed
        plain: Any = report_json(build_report(MONTH, groups, meetings))
        assert plain["totals"]["participants"] == sum(
            p["totals"]["participants"] for p in plain["contact_points"]
        )
        for lines, truth in _lines(data, plain):
            for key in (*PEOPLE, "average_participants", "meetings"):
                assert lines[key] is None or lines[key] == truth[key], (seed, key)


def _lines(data: Any, plain: Any) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    pairs = [(data["totals"], plain["totals"])]
    pairs += list(zip(data["weeks"], plain["weeks"], strict=True))
    for point, truth in zip(data["contact_points"], plain["contact_points"], strict=True):
        pairs.append((point["totals"], truth["totals"]))
        pairs += list(zip(point["groups"], truth["groups"], strict=True))
    return pairs


# --- the same report through the CLI (CSV, JSON, HTML) and the staff API ---------------------------------


def _seed(settings: Settings, month: dt.date) -> None:
    async def seed() -> None:
        db = database_for(settings.database_url)
        await db.open()
        await directory.add_contact_point(db, OPERATOR, "KISS Beispielstadt")
        ids = [
            (await directory.add_group(db, settings, OPERATOR, name, "kiss-beispielstadt")).group.id
            for name in ("Angehörige", "Trauer", "Depression", "Ruhend")
        ]
        await attendance.record_headcount(db, ids[0], month, 5, 2, "leader")  # 7 = 0 online + 5 + 2
        await attendance.record_headcount(db, ids[1], month, 9, 0, "leader")
        await attendance.record_headcount(db, ids[2], month + dt.timedelta(days=1), 4, 0, "leader")
        await db.close()

    asyncio.run(seed())


def test_the_cli_report_withholds_the_line_in_csv_json_and_html(
    cli: Any, settings: Settings, tmp_path: Path
) -> None:
    month = (local_today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    _seed(settings, month)
    ym = month.strftime("%Y-%m")
    result = cli("report", "--month", ym, "--min-count", "3")
    assert result.returncode == 0, result.stderr
    table = {row["group"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    first = table["Angehörige"]
    assert [first[key] for key in ("meetings", *PEOPLE)] == ["1", ".", ".", ".", "."]
    assert table["Ruhend"]["average_participants"] == ""  # no meetings, nothing withheld
    data = cli("report", "--month", ym, "--min-count", "3", "--json").json()
    assert leaks(data, 3) == []
    out = tmp_path / "bericht.html"
    assert (
        cli("report", "--month", ym, "--min-count", "3", "--format", "html", "-o", str(out)).returncode == 0
    )
    html = out.read_text()
    row = html.split("<td>Angehörige</td>", 1)[1].split("</tr>", 1)[0]
    assert row.count("gesperrt") == 5 and "7" not in row and "2" not in row
    resting = html.split("<td>Ruhend</td>", 1)[1].split("</tr>", 1)[0]
    assert "gesperrt" not in resting


async def test_the_staff_api_report_withholds_the_same_and_refuses_odd_min_counts(
    client: Client, group: SeededGroup, api_token: str, settings: Settings
) -> None:
    db = client.app[DATABASE]
    other = (await directory.add_group(db, settings, OPERATOR, "Trauer", "kiss-beispielstadt")).group.id
    today = local_today()
    await attendance.record_headcount(db, group.id, today, 5, 2, "leader")
    await attendance.record_headcount(db, other, today, 9, 0, "leader")
    headers = {"Authorization": f"Bearer {api_token}"}
    ym = today.strftime("%Y-%m")
    data = await (
        await client.get(f"/api/v1/reports/attendance?month={ym}&min_count=3", headers=headers)
    ).json()
    assert leaks(data, 3) == []
    assert data["contact_points"][0]["groups"][0]["phone"] is None
    as_csv = await client.get(
        f"/api/v1/reports/attendance?month={ym}&min_count=3&format=csv", headers=headers
    )
    first = next(csv.DictReader(io.StringIO(await as_csv.text())))
    assert [first[key] for key in ("meetings", *PEOPLE)] == ["1", ".", ".", ".", "."]
    for odd in ("²", "3.0", "-1", "0", "101", "99999999999999999999"):
        response = await client.get(f"/api/v1/reports/attendance?month={ym}&min_count={odd}", headers=headers)
        assert response.status == 400, odd
        assert "min_count" in (await response.json())["error"]
