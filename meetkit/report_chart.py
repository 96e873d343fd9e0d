"""A monthly report's weekly bar chart (meetings or participants) laid out as SVG geometry: presentation."""

from __future__ import annotations

from dataclasses import dataclass

from meetkit.domain.monthly_report import Report


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a weekly chart, in SVG user units; value None means suppressed (no bar)."""

    x: float
    y: float
    width: float
    height: float
    value: int | None
    label: str
    week: int  # the ISO calendar week, for the bar's accessible name


@dataclass(frozen=True, slots=True)
class Chart:
    """Geometry of one weekly bar chart (meetings or participants), scaled to its own largest value."""

    kind: str
    width: int
    height: int
    baseline: float
    bars: list[Bar]


def weekly_chart(report: Report, kind: str, width: int = 640, height: int = 200) -> Chart:
    """Lay out "meetings" or "participants" per week as bars."""
    top, bottom = 22.0, 30.0
    plot = height - top - bottom
    weeks = report.weeks
    values: list[int | None] = [
        week.totals.meetings
        if kind == "meetings"
        else None
        if week.monday in report.hidden.weeks
        else week.totals.participants
        for week in weeks
    ]
    most = max([v or 0 for v in values] + [1])
    slot = width / max(len(weeks), 1)
    bars = []
    for i, (week, value) in enumerate(zip(weeks, values, strict=True)):
        bar_height = plot * (value or 0) / most
        bars.append(
            Bar(
                i * slot + slot * 0.2,
                top + plot - bar_height,
                slot * 0.6,
                bar_height,
                value,
                week.label,
                week.monday.isocalendar().week,
            )
        )
    return Chart(kind, width, height, top + plot, bars)
