"""The privacy notice for members (Art. 13 GDPR) at `/datenschutz`: German, English and Leichte Sprache."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from meetkit.domain.failure_budget import LONGEST_WINDOW
from meetkit.web.i18n import request_language
from meetkit.web.keys import SETTINGS

routes = web.RouteTableDef()


def footer_links(request: web.Request, page_path: str = "") -> dict[str, object]:
    """What every public page's footer links to: the privacy notice, the imprint where configured, and the
    page in other languages (`page_path`: the page's own address where a form's answer shows it elsewhere)."""
    return {"imprint_url": request.app[SETTINGS].imprint_url, "switch_path": page_path}


@routes.get("/datenschutz", name="privacy_notice")
@aiohttp_jinja2.template("privacy_notice.html")
async def privacy_notice(request: web.Request) -> dict[str, object]:
    """Who runs the service, what meetkit and Jitsi process, for how long, and the rights of data subjects."""
    settings = request.app[SETTINGS]
    return {
        "lang": request_language(request, easy_read=True),
        "settings": settings,
        "failure_minutes": int(LONGEST_WINDOW // 60),
        **footer_links(request),
    }
