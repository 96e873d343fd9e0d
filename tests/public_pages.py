"""One of each public page (leader, guest, hand-over, invitation, kiosk, group tablet, errors), seeded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetkit.config import Settings
from meetkit.domain.attendance_times import local_today
from meetkit.domain.scope import OPERATOR
from meetkit.services import (
    attendance,
    devices,
    directory,
    group_tablet,
    inventory,
    invitations,
    leader_links,
    loans,
    schedules,
)
from meetkit.storage.database import Database


@dataclass(frozen=True)
class PublicPages:
    """The path of each public page; `report_group_ids` have meetings today (3 and 4 people: 3.5 average)."""

    paths: dict[str, str]
    report_month: str


async def seed_public_pages(db: Database, settings: Settings) -> PublicPages:
    """A contact point with two groups meeting today, a kiosk tablet, a lent group tablet and open links."""
    await directory.add_contact_point(db, OPERATOR, "KISS Mitte", slug="kiss-mitte", phone="0911 234567")
    first = await directory.add_group(db, settings, OPERATOR, "Gesprächskreis Dienstag", "kiss-mitte")
    second = await directory.add_group(db, settings, OPERATOR, "Angehörige", "kiss-mitte")
    today = local_today()
    for issued, people in ((first, 3), (second, 4)):
        await schedules.set_schedule(
            db,
            OPERATOR,
            issued.group.id,
            frequency="weekly",
            weekday=today.weekday(),
            start=dt.time(23, 0),
            duration_minutes=60,
            place="Raum 2",
        )
        await attendance.record_headcount(db, issued.group.id, today, people, None, "leader")
    guest = await leader_links.create_guest_link(db, first.group.id, today + dt.timedelta(days=7))
    handover, _ = await leader_links.open_handover(db, second.group.id)
    invitation = await invitations.create_invitation(db, settings, OPERATOR, "kiss-mitte")
    kiosk = await devices.add_device(db, OPERATOR, "Tablet Saal", "kiss-mitte")
    _, kiosk_token = await devices.pair_device(db, kiosk.pairing_token)
    waiting = await devices.add_device(db, OPERATOR, "Tablet Flur", "kiss-mitte")
    tablet = await inventory.add_item(db, OPERATOR, "kiss-mitte", "Leihtablet 1", "tablet", "SN-1")
    loan = await loans.lend(db, OPERATOR, tablet.id, first.group.id, str(today), str(today + dt.timedelta(6)))
    _, tablet_pairing = await group_tablet.open_pairing(db, OPERATOR, loan.loan.id)
    _, tablet_token = await group_tablet.pair(db, tablet_pairing)
    _, open_pairing = await group_tablet.open_pairing(db, OPERATOR, loan.loan.id)
    return PublicPages(
        paths={
            "leader": f"/l/{first.leader_token}",
            "sheet": f"/l/{first.leader_token}/sheet",
            "leader-card": f"/l/{first.leader_token}/card",
            "guest": f"/g/{guest}",
            "handover": f"/handover/{handover}",
            "invite": f"/invite/{invitation.token}",
            "error": "/diese-seite-gibt-es-nicht",
            "privacy": "/datenschutz",
            "kiosk": f"/kiosk/{kiosk_token}",
            "kiosk-pair": f"/kiosk/pair/{waiting.pairing_token}",
            "kiosk-unpaired": "/kiosk",
            "tablet": f"/tablet/{tablet_token}",
            "tablet-pair": f"/tablet/pair/{open_pairing}",
            "tablet-unpaired": "/tablet",
        },
        report_month=today.strftime("%Y-%m"),
    )
