"""The monthly loan report for funders: devices lent, loan days, groups reached, returns overdue (counts only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetkit.domain.loans import Loan
from meetkit.domain.months import Month

CSV_HEADER = ("month", "contact_point", "contact_point_name", "devices_lent", "loans", "loan_days",
              "groups_reached", "overdue")  # fmt: skip
STATE_WIDE = "(landesweit)"


@dataclass(frozen=True, slots=True)
class LoanFigures:
    """One contact point's month (or all of them together): numbers only, no group and no person."""

    slug: str
    name: str
    devices_lent: int
    loans: int
    loan_days: int
    groups_reached: int
    overdue: int


@dataclass(frozen=True, slots=True)
class LoanReport:
    """A month's figures per contact point, and the state-wide sum when the reader sees more than one."""

    month: Month
    rows: tuple[LoanFigures, ...]
    total: LoanFigures | None


def figures(slug: str, name: str, loans: list[Loan], month: Month, today: dt.date) -> LoanFigures:
    """Count one contact point's loans that kept a device away on a day of the month."""
    as_of = min(today, month.last)
    days = {loan.id: loan.loan_days(month.first, month.last, today) for loan in loans}
    lent = [loan for loan in loans if days[loan.id] > 0]
    return LoanFigures(
        slug=slug,
        name=name,
        devices_lent=len({loan.device_id for loan in lent}),
        loans=len(lent),
        loan_days=sum(days.values()),
        groups_reached=len({loan.group_id for loan in lent}),
        overdue=sum(1 for loan in loans if loan.starts_on <= as_of and loan.overdue_on(as_of)),
    )


def report(
    month: Month, points: list[tuple[str, str, list[Loan]]], today: dt.date, state_wide: bool
) -> LoanReport:
    """The report over (slug, name, loans) per contact point; with `state_wide` a total over all of them."""
    rows = tuple(figures(slug, name, loans, month, today) for slug, name, loans in points)
    total = None
    if state_wide:
        every = [loan for _, _, loans in points for loan in loans]
        total = figures("", STATE_WIDE, every, month, today)
    return LoanReport(month, rows, total)


def report_rows(found: LoanReport) -> list[tuple[object, ...]]:
    """The CSV rows: one per contact point, then the state-wide total."""
    rows = [*found.rows, *([found.total] if found.total else [])]
    return [
        (str(found.month), r.slug, r.name, r.devices_lent, r.loans, r.loan_days, r.groups_reached, r.overdue)
        for r in rows
    ]


def report_json(found: LoanReport) -> dict[str, object]:
    """The JSON shape of the report."""

    def one(r: LoanFigures) -> dict[str, object]:
        return {
            "slug": r.slug,
            "name": r.name,
            "devices_lent": r.devices_lent,
            "loans": r.loans,
            "loan_days": r.loan_days,
            "groups_reached": r.groups_reached,
            "overdue": r.overdue,
        }

    data: dict[str, object] = {"month": str(found.month), "contact_points": [one(r) for r in found.rows]}
    if found.total is not None:
        data["state_wide"] = {k: v for k, v in one(found.total).items() if k not in ("slug", "name")}
    return data
