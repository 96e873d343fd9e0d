"""What the leader page shows beyond the meeting start: its own link after a change, share, plan, guests."""

from __future__ import annotations

import datetime as dt
import logging

from aiohttp import web
from markupsafe import Markup

from meetkit.config import Settings
from meetkit.domain.links import leader_url
from meetkit.qr import qr_svg
from meetkit.schedule_words import schedule_in_words
from meetkit.services import leader_links, schedules
from meetkit.services.directory import GroupView
from meetkit.storage import schedules as schedule_storage
from meetkit.web.i18n import request_language
from meetkit.web.invitations import plan_choices
from meetkit.web.keys import DATABASE, SETTINGS

log = logging.getLogger("meetkit.leader")
NEXT_DATES_SHOWN = 6
_told_operator: set[str] = set()


def tell_operator_once(settings: Settings) -> None:
    """Log once per process what leaders miss without a JWT secret (the page itself speaks plainly)."""
    if not settings.jwt_enabled and "jwt" not in _told_operator:
        _told_operator.add("jwt")
        log.warning(
            "leaders start meetings without moderator rights: JITSI_JWT_APP_ID and JITSI_JWT_SECRET are not "
            "set (see `meetkit check-jitsi`)"
        )


async def leader_extras(request: web.Request, view: GroupView) -> dict[str, object]:
    """The leader page's plan, guest links, hand-over state, meeting-now state and (after a change) own link."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    tell_operator_once(settings)
    token = request.match_info["token"]
    now = dt.datetime.now(dt.UTC)
    group_id = view.group.id
    own_link_shown = any(request.query.get(k) == "1" for k in ("welcome", "renewed", "handed_over"))
    own_url = leader_url(settings.public_url, token)
    schedule = await db.read(lambda conn: schedule_storage.get(conn, group_id))
    lang = request_language(request, easy_read=True)
    return {
        "welcome": request.query.get("welcome") == "1",
        "handed_over": request.query.get("handed_over") == "1",
        "saved": request.query.get("saved", ""),
        "own_url": own_url if own_link_shown else None,
        "own_qr": Markup(qr_svg(own_url)) if own_link_shown else None,  # noqa: S704 - our own SVG
        "schedule": schedule,
        "schedule_text": schedule_in_words(schedule, lang) if schedule else None,
        "plan_dates": await schedules.next_dates(db, group_id, count=NEXT_DATES_SHOWN, now=now),
        "guest_links": await leader_links.guest_links(db, group_id, now),
        "handover_expires_at": await leader_links.open_handover_expiry(db, group_id),
        "now": await leader_links.meeting_now(db, group_id, now),
        "form_errors": {},
        "entered": {},
        **plan_choices(now),
    }
