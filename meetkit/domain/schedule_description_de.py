"""Describe a schedule's rule in a few German words."""

from __future__ import annotations

from meetkit.domain.schedules import LAST, WEEKDAY_NAMES_DE, Frequency, Schedule


def describe(schedule: Schedule) -> str:
    """A short German description of the rule, e.g. "jeden 2. Dienstag im Monat, 19:00 (90 Min.)"."""
    if schedule.weekday is None or schedule.start is None:
        return f"einzelne Termine, {schedule.place}" if schedule.place else "einzelne Termine"
    weekday = WEEKDAY_NAMES_DE[schedule.weekday]
    if schedule.frequency is Frequency.WEEKLY:
        rule = f"jeden {weekday}"
    elif schedule.frequency is Frequency.BIWEEKLY:
        rule = f"jeden zweiten {weekday}"
    else:
        which = "letzten" if schedule.nth == LAST else f"{schedule.nth}."
        rule = f"jeden {which} {weekday} im Monat"
    text = f"{rule}, {schedule.start:%H:%M} Uhr ({schedule.duration_minutes} Min.)"
    if schedule.place:
        text += f", {schedule.place}"
    return text
