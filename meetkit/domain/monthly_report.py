"""Monthly attendance reports: a month's meetings (and retention's weekly sums) summed up per line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from meetkit.domain.meeting_figures import MeetingRecord, counts_as_meeting, figures
from meetkit.domain.months import Month
from meetkit.domain.report_lines import ContactPointLine, GroupInfo, GroupLine, Totals, WeekLine
from meetkit.domain.small_counts import Hidden, hide_small_counts


@dataclass(frozen=True, slots=True)
class Report:
    """An anonymous monthly attendance report."""

    month: Month
    contact_points: list[ContactPointLine]
    total: Totals
    weeks: list[WeekLine]
    min_count: int | None = None
    not_counted: int = 0  # sessions that did not count as meetings (rules in domain/attendance.py)
    hidden: Hidden = Hidden()  # noqa: RUF009 - frozen; lines withheld under min_count


@dataclass(frozen=True, slots=True)
class ArchivedWeek:
    """A group's meetings of one week inside one month, summed up before retention deleted them."""

    group_id: int
    month: str  # YYYY-MM
    monday: dt.date
    totals: Totals
    not_counted: int


def archive_weeks(meetings: Iterable[MeetingRecord]) -> list[ArchivedWeek]:
    """Sum meetings up per group, month and week as build_report() would count them (for retention)."""
    sums: dict[tuple[int, str, dt.date], tuple[Totals, list[int]]] = {}
    for meeting in meetings:
        day = meeting.meeting_date
        key = (meeting.group_id, f"{day.year:04d}-{day.month:02d}", day - dt.timedelta(days=day.weekday()))
        totals, not_counted = sums.setdefault(key, (Totals(), [0]))
        if counts_as_meeting(meeting):
            totals.add(figures(meeting))
        else:
            not_counted[0] += 1
    return [
        ArchivedWeek(gid, month, monday, totals, not_counted[0])
        for (gid, month, monday), (totals, not_counted) in sums.items()
    ]


def build_report(
    month: Month,
    groups: Iterable[GroupInfo],
    meetings: Iterable[MeetingRecord],
    min_count: int | None = None,
    archived: Iterable[ArchivedWeek] = (),
) -> Report:
    """Sum up a month per group, per contact point, per week and overall; groups without meetings show 0.

    `archived` holds the sums of meetings that retention deleted: they count exactly as the meetings did.
    """
    by_group: dict[int, Totals] = {}
    weeks: dict[dt.date, Totals] = {}
    day = month.first - dt.timedelta(days=month.first.weekday())
    while day <= month.last:
        weeks[day] = Totals()
        day += dt.timedelta(days=7)
    not_counted = 0
    for meeting in meetings:
        if not month.first <= meeting.meeting_date <= month.last:
            continue
        if not counts_as_meeting(meeting):
            not_counted += 1
            continue
        people = figures(meeting)
        by_group.setdefault(meeting.group_id, Totals()).add(people)
        monday = meeting.meeting_date - dt.timedelta(days=meeting.meeting_date.weekday())
        weeks[monday].add(people)
    for week in archived:
        if week.month != str(month) or week.monday not in weeks:
            continue
        not_counted += week.not_counted
        if week.totals.meetings:
            by_group.setdefault(week.group_id, Totals()).merge(week.totals)
            weeks[week.monday].merge(week.totals)
    lines: dict[str | None, ContactPointLine] = {}
    total = Totals()
    for group in sorted(groups, key=lambda g: (g.contact_point_name or "\uffff", g.name, g.id)):
        line = lines.get(group.contact_point_slug)
        if line is None:
            line = ContactPointLine(group.contact_point_slug, group.contact_point_name, [], Totals())
            lines[group.contact_point_slug] = line
        totals = by_group.get(group.id, Totals())
        line.groups.append(GroupLine(group, totals))
        line.totals.merge(totals)
        total.merge(totals)
    contact_points = list(lines.values())
    week_lines = [WeekLine(monday, totals) for monday, totals in weeks.items()]
    hidden = hide_small_counts(contact_points, total, week_lines, min_count)
    return Report(month, contact_points, total, week_lines, min_count, not_counted, hidden)
