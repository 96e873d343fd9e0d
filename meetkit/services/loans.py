"""Use cases for lending devices to groups: lend, list, return, cancel, overdue loans, a device's month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetkit.domain import loans as rules
from meetkit.domain.attendance_times import local_today
from meetkit.domain.devices import Device, clean_notes
from meetkit.domain.errors import InvalidInput, NotFound
from meetkit.domain.loans import CalendarDay, Loan
from meetkit.domain.models import ContactPoint, Group
from meetkit.domain.months import parse_month
from meetkit.domain.numbers import is_ascii_number, parse_id
from meetkit.domain.scope import Scope
from meetkit.services import directory
from meetkit.services.audit import record_in
from meetkit.services.devices import scoped_device
from meetkit.storage import contact_points, devices, groups, loans
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

STATUSES = ("planned", "active", "overdue", "returned")


@dataclass(frozen=True, slots=True)
class LoanView:
    """A loan with its device, group and contact point, as lists, pages and the form show it."""

    loan: Loan
    device: Device
    group: Group
    contact_point: ContactPoint

    def status(self, today: dt.date) -> str:
        """The loan's status on `today`."""
        return self.loan.status(today)


@dataclass(frozen=True, slots=True)
class DeviceMonth:
    """A device's calendar for one month, with the loans that appear in it."""

    device: Device
    contact_point: ContactPoint
    month: str
    previous: str
    following: str
    weeks: list[list[CalendarDay]]
    loans: list[LoanView]


def loan_json(view: LoanView, today: dt.date) -> dict[str, object]:
    """The JSON shape of a loan (a group, never a person)."""
    loan = view.loan
    return {
        "id": loan.id,
        "status": loan.status(today),
        "device_id": view.device.id,
        "device": view.device.name,
        "group_id": view.group.id,
        "group": view.group.name,
        "contact_point": view.contact_point.slug,
        "starts_on": loan.starts_on.isoformat(),
        "ends_on": loan.ends_on.isoformat(),
        "returned_on": loan.returned_on.isoformat() if loan.returned_on else None,
        "notes": loan.notes,
        "return_note": loan.return_note,
    }


def view_of(conn: Connection, loan: Loan) -> LoanView:
    """A stored loan with its device, group and contact point."""
    device = devices.by_id(conn, loan.device_id)
    group = groups.by_id(conn, loan.group_id)
    contact_point = contact_points.by_id(conn, loan.contact_point_id)
    assert device is not None and group is not None and contact_point is not None
    return LoanView(loan, device, group, contact_point)


def scoped_loan(conn: Connection, scope: Scope, reference: str | int) -> Loan:
    """The loan with this number; one outside the scope is reported exactly like a missing one."""
    text = str(reference).strip()
    missing = NotFound(f"Keine Ausleihe mit der Nummer {text}.")
    if not is_ascii_number(text):
        raise missing
    try:
        found = loans.by_id(conn, parse_id(text, "Ausleihe"))
    except NotFound:
        raise missing from None
    if found is None or not scope.allows(found.contact_point_id):
        raise missing
    return found


async def lend(
    db: Database,
    scope: Scope,
    device_reference: str | int,
    group_reference: str | int,
    starts_on: str,
    ends_on: str,
    notes: str | None = None,
    *,
    today: dt.date | None = None,
) -> LoanView:
    """Lend a device to a group of its contact point for these days, unless another loan keeps it away."""
    if not str(device_reference).strip():
        raise InvalidInput("Bitte wählen Sie das Gerät, das verliehen wird.")
    if not str(group_reference).strip():
        raise InvalidInput("Bitte wählen Sie die Gruppe, die das Gerät ausleiht.")
    first = rules.parse_day(starts_on, "Beginn")
    last = rules.parse_day(ends_on, "Ende")
    rules.check_period(first, last)
    cleaned_notes = clean_notes(notes)
    day = today or local_today()

    def insert(conn: Connection) -> LoanView:
        device = scoped_device(conn, scope, device_reference)
        group = directory.scoped_group(conn, scope, group_reference)
        if device.revoked:
            raise InvalidInput(f"Das Gerät {device.id} ist abgemeldet und wird nicht mehr verliehen.")
        if group.archived_at is not None:
            raise InvalidInput(
                f"Die Gruppe {group.id} ist archiviert: ihre Links gelten nicht mehr. "
                "Bitte holen Sie sie zuerst aus dem Archiv."
            )
        if group.contact_point_id != device.contact_point_id:
            raise InvalidInput(
                f"Die Gruppe {group.id} gehört nicht zur Kontaktstelle des Geräts {device.id}. "
                "Geräte werden nur an Gruppen ihrer eigenen Kontaktstelle verliehen."
            )
        rules.check_free(first, last, loans.of_device(conn, device.id), day)
        loan = loans.insert(conn, device.id, group.id, device.contact_point_id, first, last, cleaned_notes)
        record_in(conn, scope.actor, "loan_created", f"#{loan.id} device #{device.id} group #{group.id}")
        return view_of(conn, loan)

    return await db.write(insert)


async def find_loan(db: Database, scope: Scope, reference: str | int) -> LoanView:
    """The loan with this number within the scope."""
    return await db.read(lambda conn: view_of(conn, scoped_loan(conn, scope, reference)))


async def list_loans(
    db: Database,
    scope: Scope,
    contact_point_slug: str | None = None,
    status: str | None = None,
    *,
    today: dt.date | None = None,
) -> list[LoanView]:
    """The loans within the scope (or of one contact point), newest first; optionally of one status."""
    day = today or local_today()
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"Den Status '{status}' gibt es nicht; möglich: {', '.join(STATUSES)}.")

    def query(conn: Connection) -> list[LoanView]:
        chosen = directory.contact_point_id(conn, scope, contact_point_slug)
        ids = [chosen] if chosen is not None else scope_ids(scope)
        found = loans.of_contact_points(conn, ids)
        return [view_of(conn, loan) for loan in found if status is None or loan.status(day) == status]

    return await db.read(query)


def scope_ids(scope: Scope) -> list[int] | None:
    """The contact point ids a scope sees, as storage takes them (None: all)."""
    return None if scope.contact_point_ids is None else sorted(scope.contact_point_ids)


async def overdue_loans(db: Database, scope: Scope, *, today: dt.date | None = None) -> list[LoanView]:
    """Loans past their end whose device is not back, oldest end first."""
    found = await list_loans(db, scope, status="overdue", today=today)
    return sorted(found, key=lambda view: (view.loan.ends_on, view.loan.id))


async def return_loan(
    db: Database,
    scope: Scope,
    reference: str | int,
    returned_on: str | None = None,
    note: str | None = None,
    *,
    today: dt.date | None = None,
) -> LoanView:
    """Record that the device is back (today unless a day is given), with a note on its state."""
    day = today or local_today()
    back = rules.parse_day(returned_on, "Rückgabe") if returned_on and returned_on.strip() else day
    cleaned = clean_notes(note, "Die Notiz zum Zustand")

    def change(conn: Connection) -> LoanView:
        loan = scoped_loan(conn, scope, reference)
        rules.check_return(loan, back, day)
        loans.mark_returned(conn, loan.id, back, cleaned)
        record_in(conn, scope.actor, "loan_returned", f"#{loan.id} device #{loan.device_id}")
        found = loans.by_id(conn, loan.id)
        assert found is not None
        return view_of(conn, found)

    return await db.write(change)


async def cancel_loan(
    db: Database, scope: Scope, reference: str | int, *, today: dt.date | None = None
) -> LoanView:
    """Remove a loan that has not begun (a hand-over that does not take place)."""
    day = today or local_today()

    def change(conn: Connection) -> LoanView:
        loan = scoped_loan(conn, scope, reference)
        if loan.status(day) != "planned":
            raise InvalidInput(
                f"Die Ausleihe {loan.id} hat schon begonnen; bitte die Rückgabe eintragen statt abzusagen."
            )
        view = view_of(conn, loan)
        loans.delete(conn, loan.id)
        record_in(conn, scope.actor, "loan_cancelled", f"#{loan.id} device #{loan.device_id}")
        return view

    return await db.write(change)


async def device_month(
    db: Database,
    scope: Scope,
    device_reference: str | int,
    month_text: str | None = None,
    *,
    today: dt.date | None = None,
) -> DeviceMonth:
    """A device's month as a calendar (this month unless given), with its loans that touch it."""
    day = today or local_today()
    month = parse_month(month_text) if month_text else parse_month(day.strftime("%Y-%m"))

    def query(conn: Connection) -> DeviceMonth:
        device = scoped_device(conn, scope, device_reference)
        contact_point = contact_points.by_id(conn, device.contact_point_id)
        assert contact_point is not None
        found = loans.of_device(conn, device.id)
        weeks = rules.month_calendar(month, found, day)
        shown_ids = {d.loan.id for week in weeks for d in week if d.loan is not None and d.in_month}
        views = [view_of(conn, loan) for loan in found if loan.id in shown_ids]
        before = month.first - dt.timedelta(days=1)
        after = month.last + dt.timedelta(days=1)
        return DeviceMonth(
            device, contact_point, str(month), f"{before:%Y-%m}", f"{after:%Y-%m}", weeks, views
        )

    return await db.read(query)
