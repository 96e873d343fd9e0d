"""The loan rules without storage: days typed by people, overlaps, returns, overdue loans, calendar, report."""

from __future__ import annotations

import datetime as dt

import pytest

from meetkit.domain import loan_report
from meetkit.domain.devices import clean_serial
from meetkit.domain.errors import Conflict, InvalidInput
from meetkit.domain.loans import Loan, check_free, check_period, check_return, month_calendar, parse_day
from meetkit.domain.months import parse_month

TODAY = dt.date(2026, 11, 18)


def loan(
    number: int, start: str, end: str, returned: str | None = None, device: int = 1, group: int = 1
) -> Loan:
    return Loan(
        id=number,
        device_id=device,
        group_id=group,
        contact_point_id=1,
        starts_on=dt.date.fromisoformat(start),
        ends_on=dt.date.fromisoformat(end),
        notes=None,
        returned_on=dt.date.fromisoformat(returned) if returned else None,
        return_note=None,
        created_at="2026-11-01T10:00:00Z",
    )


def test_days_are_typed_as_iso_or_german_and_anything_else_is_named() -> None:
    assert parse_day(" 2026-05-04 ", "Beginn") == dt.date(2026, 5, 4)
    assert parse_day("4.5.2026", "Beginn") == dt.date(2026, 5, 4)
    for wrong in ("2026-02-30", "04/05/2026", "morgen", "２０２６-05-04", "2026-5-4x"):
        with pytest.raises(InvalidInput, match=r"Beginn: „.*“ ist kein Datum"):
            parse_day(wrong, "Beginn")
    with pytest.raises(InvalidInput, match="Ende: bitte ein Datum angeben"):
        parse_day("  ", "Ende")
    with pytest.raises(InvalidInput, match="vor ihrem Beginn"):
        check_period(dt.date(2026, 5, 4), dt.date(2026, 5, 3))
    with pytest.raises(InvalidInput, match="höchstens 366 Tage"):
        check_period(dt.date(2026, 1, 1), dt.date(2027, 1, 2))
    assert clean_serial(" SN-4711/b ") == "SN-4711/b" and clean_serial("") is None
    for personal in ("Erika Mustermann", "erika@example.org", "Mustermann"):
        with pytest.raises(InvalidInput, match="Seriennummer"):
            clean_serial(personal)


def test_a_device_is_away_until_it_is_back() -> None:
    others = [
        loan(1, "2026-11-02", "2026-11-06", returned="2026-11-05"),  # back early: free from the 5th
        loan(2, "2026-11-10", "2026-11-20"),  # running
        loan(3, "2026-10-01", "2026-10-31", device=2),  # overdue since November 1st
    ]
    same_device = others[:2]
    check_free(dt.date(2026, 11, 5), dt.date(2026, 11, 9), same_device, TODAY)
    check_free(dt.date(2026, 11, 21), dt.date(2026, 11, 30), same_device, TODAY)
    with pytest.raises(Conflict, match=r"vom 10\.11\.2026 bis 20\.11\.2026 schon verliehen \(Ausleihe 2\)"):
        check_free(dt.date(2026, 11, 20), dt.date(2026, 11, 22), same_device, TODAY)
    with pytest.raises(Conflict, match="noch nicht zurückgegeben"):
        check_free(dt.date(2026, 11, 18), dt.date(2026, 11, 19), [others[2]], TODAY)
    check_free(dt.date(2026, 11, 19), dt.date(2026, 11, 19), [others[2]], TODAY)  # it may be back by then
    assert [o.status(TODAY) for o in others] == ["returned", "active", "overdue"]
    with pytest.raises(InvalidInput, match="vor dem Beginn"):
        check_return(others[1], dt.date(2026, 11, 9), TODAY)
    with pytest.raises(InvalidInput, match="in der Zukunft"):
        check_return(others[1], dt.date(2026, 11, 19), TODAY)
    with pytest.raises(Conflict, match=r"schon am 05\.11\.2026"):
        check_return(others[0], TODAY, TODAY)


def test_month_calendar_and_report_count_days_devices_groups_and_overdue_returns() -> None:
    month = parse_month("2026-11")
    lent = [
        loan(1, "2026-10-28", "2026-11-03", returned="2026-11-03", device=1, group=1),  # 3 days in November
        loan(2, "2026-11-10", "2026-11-20", device=1, group=2),  # 11 days
        loan(3, "2026-10-01", "2026-10-31", device=2, group=2),  # overdue: away Nov 1st to today, 18 days
        loan(4, "2026-12-01", "2026-12-03", device=3, group=3),  # next month: not counted
    ]
    weeks = month_calendar(month, lent[:2], TODAY)  # a calendar is one device's
    days = {d.day: d for week in weeks for d in week}
    assert weeks[0][0].day == dt.date(2026, 10, 26) and not weeks[0][0].in_month  # Monday first
    assert days[dt.date(2026, 11, 2)].state == "returned" and days[dt.date(2026, 11, 3)].state == "free"
    assert days[dt.date(2026, 11, 12)].loan == lent[1] and days[dt.date(2026, 11, 12)].state == "active"
    assert days[dt.date(2026, 11, 19)].state == "planned" and days[dt.date(2026, 11, 21)].state == "free"
    found = loan_report.report(month, [("kiss-nord", "KISS Nord", lent)], TODAY, state_wide=True)
    row = found.rows[0]
    assert (row.devices_lent, row.loans, row.loan_days, row.groups_reached, row.overdue) == (2, 3, 32, 2, 1)
    assert found.total is not None and found.total.loan_days == 32
    assert loan_report.report_rows(found)[-1] == ("2026-11", "", "(landesweit)", 2, 3, 32, 2, 1)
    october = loan_report.figures("k", "K", lent, parse_month("2026-10"), TODAY)
    assert (october.loan_days, october.overdue) == (4 + 31, 0)  # overdue only after its end
