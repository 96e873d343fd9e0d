"""Small counts in exports: which lines of a report withhold their people figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetkit.domain.report_lines import ContactPointLine, Totals, WeekLine


@dataclass(frozen=True, slots=True)
class Hidden:
    """The lines of a report whose people figures are withheld (the small-counts rule in domain/attendance.py)."""

    groups: frozenset[int] = frozenset()  # group ids
    contact_points: frozenset[int] = frozenset()  # positions in Report.contact_points
    total: bool = False
    weeks: frozenset[dt.date] = frozenset()  # Mondays


def _people(totals: Totals) -> tuple[int, int, int, int]:
    return totals.participants, totals.online, totals.in_room, totals.phone


def _small(totals: Totals, n: int) -> bool:
    """Whether a line shows a people count from 1 to n-1."""
    return any(0 < value < n for value in _people(totals))


def _unsafe_figures(withheld: list[Totals], n: int) -> int:
    """How many figures of the withheld lines' sum, which a shown total above them gives away, single
    somebody out: all of them for a lone line, else each sum from 1 to n-1."""
    if not withheld:
        return 0
    sums = [sum(column) for column in zip(*(_people(t) for t in withheld), strict=True)]
    if len(withheld) == 1:
        return len(sums)
    return sum(1 for value in sums if 0 < value < n)


def _withhold_siblings(lines: list[Totals], withheld: set[int], n: int) -> bool:
    """Withhold more of these lines until their shown total gives nothing away; False when it cannot.

    Each step takes the line that leaves the fewest unsafe figures, the smallest first.
    """
    while _unsafe_figures([lines[i] for i in withheld], n):
        candidates = [i for i, line in enumerate(lines) if i not in withheld and line.participants > 0]
        if not candidates:
            return False
        withheld.add(
            min(
                candidates,
                key=lambda i: (
                    _unsafe_figures([lines[j] for j in withheld | {i}], n),
                    lines[i].participants,
                    i,
                ),
            )
        )
    return True


def hide_small_counts(
    contact_points: list[ContactPointLine], total: Totals, weeks: list[WeekLine], min_count: int | None
) -> Hidden:
    """Decide which lines withhold their people figures (rules in the docstring of domain/attendance.py)."""
    if min_count is None:
        return Hidden()
    n = min_count
    groups: set[int] = set()
    hidden_points: set[int] = set()
    exposed: list[Totals] = []  # withheld groups of withheld contact points: the month's total adds them up
    for index, point in enumerate(contact_points):
        lines = [line.totals for line in point.groups]
        small = {i for i, line in enumerate(lines) if _small(line, n)}
        protected = set(small)
        if _small(point.totals, n) or not _withhold_siblings(lines, protected, n):
            hidden_points.add(index)
            exposed += [lines[i] for i in small]
            protected = small
        groups |= {point.groups[i].group.id for i in protected}
    hide_total = _small(total, n) or _unsafe_figures(exposed, n) > 0
    week_lines = [week.totals for week in weeks]
    hidden_weeks = {i for i, line in enumerate(week_lines) if _small(line, n)}
    if hide_total or not _withhold_siblings(week_lines, hidden_weeks, n):
        # they would add up to the withheld total (weeks without anybody give nothing away)
        hidden_weeks = {i for i, line in enumerate(week_lines) if line.participants > 0}
    return Hidden(
        frozenset(groups),
        frozenset(hidden_points),
        hide_total,
        frozenset(weeks[i].monday for i in hidden_weeks),
    )
