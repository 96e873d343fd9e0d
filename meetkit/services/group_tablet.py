"""The group's tablet: a lent tablet paired to its loan, showing only that group, working only while it runs."""

from __future__ import annotations

import datetime as dt

from meetkit.config import Settings
from meetkit.domain import ids
from meetkit.domain.attendance_times import local_today
from meetkit.domain.devices import PAIRING_MINUTES, pairing_expiry, pairing_open
from meetkit.domain.errors import InvalidInput, LoanNotRunning, NotFound
from meetkit.domain.loans import shown
from meetkit.domain.scope import Scope
from meetkit.jitsi.tokens import mint_moderator_token
from meetkit.jitsi.urls import room_url
from meetkit.services.audit import record_in
from meetkit.services.loans import LoanView, scoped_loan, view_of
from meetkit.storage import loans
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

PAIRING_INVALID = (
    "Dieser Kopplungslink gilt nicht (mehr): er ist abgelaufen oder wurde schon benutzt. "
    "Bitte in der Kontaktstelle einen neuen erstellen lassen."
)
TABLET_UNKNOWN = "Dieses Tablet ist nicht (mehr) gekoppelt. Bitte in der Kontaktstelle neu koppeln lassen."
LOAN_OVER = (
    "Die Ausleihe dieses Tablets ist beendet. Bitte bringen Sie es der Kontaktstelle zurück, "
    "falls das noch nicht geschehen ist."
)


def loan_not_begun(starts_on: dt.date) -> str:
    """Why a group's tablet does not work before its loan's first day (the day it will)."""
    return (
        f"Die Ausleihe dieses Tablets beginnt am {shown(starts_on)}. "
        "Ab dann kommen Sie hier zu Ihrem Gruppentreffen."
    )


def now_utc() -> dt.datetime:
    """The current moment, aware."""
    return dt.datetime.now(dt.UTC)


def pairing_url(settings: Settings, pairing_token: str) -> str:
    """The link that makes a tablet the group's tablet: `{public}/tablet/pair/{token}`."""
    return f"{settings.public_url}/tablet/pair/{pairing_token}"


async def open_pairing(
    db: Database, scope: Scope, reference: str | int, *, now: dt.datetime | None = None
) -> tuple[LoanView, str]:
    """A one-time link (60 minutes) that pairs a tablet as this loan's group tablet; an older one stops."""
    moment = now or now_utc()
    token = ids.new_secret_token()

    def change(conn: Connection) -> LoanView:
        loan = scoped_loan(conn, scope, reference)
        view = view_of(conn, loan)
        if loan.status(local_today(moment)) in ("returned", "overdue"):
            raise InvalidInput(
                f"Die Ausleihe {loan.id} ist beendet; ein Gruppen-Tablet gibt es nur während sie läuft."
            )
        if not view.device.pairable:
            raise InvalidInput(
                f"Nur Tablets und Laptops werden gekoppelt, kein Gerät der Art '{view.device.kind}'."
            )
        expires = pairing_expiry(moment, PAIRING_MINUTES)
        loans.open_tablet_pairing(conn, loan.id, ids.hash_secret(token), expires)
        record_in(conn, scope.actor, "loan_tablet_pairing_opened", f"#{loan.id} device #{loan.device_id}")
        return view

    return await db.write(change), token


def _pairing(conn: Connection, pairing_token: str, moment: dt.datetime) -> LoanView:
    found = loans.by_tablet_pairing_hash(conn, ids.hash_secret(pairing_token))
    if found is None or not pairing_open(found[1], moment):
        raise NotFound(PAIRING_INVALID)
    return view_of(conn, found[0])


async def pairing_loan(db: Database, pairing_token: str, *, now: dt.datetime | None = None) -> LoanView:
    """The loan an unused, unexpired pairing link belongs to, without using it up."""
    moment = now or now_utc()
    return await db.read(lambda conn: _pairing(conn, pairing_token, moment))


async def pair(db: Database, pairing_token: str, *, now: dt.datetime | None = None) -> tuple[LoanView, str]:
    """Use up a pairing link: the loan and the group's tablet's new token (shown only now)."""
    moment = now or now_utc()
    device_token = ids.new_secret_token()

    def change(conn: Connection) -> LoanView:
        view = _pairing(conn, pairing_token, moment)
        loans.pair_tablet(conn, view.loan.id, ids.hash_secret(device_token))
        return view

    return await db.write(change), device_token


async def tablet_loan(db: Database, device_token: str) -> LoanView:
    """The loan behind a group's tablet token (running or not); NotFound for an unknown token."""

    def query(conn: Connection) -> LoanView:
        loan = loans.by_tablet_token_hash(conn, ids.hash_secret(device_token))
        if loan is None:
            raise NotFound(TABLET_UNKNOWN)
        return view_of(conn, loan)

    return await db.read(query)


def check_running(view: LoanView, today: dt.date) -> None:
    """LoanNotRunning unless the loan runs today: before its first day, or once it ended or was returned."""
    status = view.loan.status(today)
    if status == "planned":
        raise LoanNotRunning(loan_not_begun(view.loan.starts_on), begun=False)
    if status != "active":
        raise LoanNotRunning(LOAN_OVER, begun=True)


async def join_url(
    db: Database, settings: Settings, device_token: str, lang: str, *, now: dt.datetime | None = None
) -> str:
    """The group's room with a moderator token for that room only, while the loan runs."""
    moment = now or now_utc()
    view = await tablet_loan(db, device_token)
    check_running(view, local_today(moment))
    jwt = mint_moderator_token(settings, view.group.room, now=moment.timestamp())
    return room_url(settings, view.group.room, jwt=jwt, lang=lang)
