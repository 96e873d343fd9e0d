"""A group's tablet lent and paired through the services, for tests of loans that run, ended or lie ahead."""

from __future__ import annotations

import datetime as dt

from meetkit.domain.attendance_times import local_today
from meetkit.domain.scope import OPERATOR
from meetkit.services import group_tablet, inventory, loans
from meetkit.storage.database import Database


async def lent_tablet(db: Database, group_id: int, label: str, first: int, last: int, serial: str) -> str:
    """The page of a tablet lent from `first` to `last` days from today, paired on its loan's first day (or today)."""
    shift = dt.timedelta(days=min(first, 0))  # a loan that ended: made and paired back when it ran
    today = local_today()
    tablet = await inventory.add_item(db, OPERATOR, "kiss-nord", label, "tablet", serial)
    starts, ends = today + dt.timedelta(days=first), today + dt.timedelta(days=last)
    view = await loans.lend(db, OPERATOR, tablet.id, group_id, str(starts), str(ends), today=today + shift)
    moment = dt.datetime.now(dt.UTC) + shift
    _, pairing = await group_tablet.open_pairing(db, OPERATOR, view.loan.id, now=moment)
    _, token = await group_tablet.pair(db, pairing, now=moment)
    return f"/tablet/{token}"
