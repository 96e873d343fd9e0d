"""Links into the Jitsi deployment, carrying meetkit's privacy settings in the URL hash."""

from __future__ import annotations

import json
from urllib.parse import quote

from meetkit.config import Settings

# Whitelisted config keys (jitsi.md section 4) that every meetkit link sets. The hash never reaches a server.
PRIVACY_CONFIG: dict[str, object] = {
    "disableThirdPartyRequests": True,
    "analytics.disabled": True,
    "analytics.rtcstatsEnabled": False,
    "gravatar.disabled": True,
    "deeplinking.disabled": True,
    "disableDeepLinking": True,
    "doNotStoreRoom": True,
    "disableInviteFunctions": True,
}


def room_url(settings: Settings, room: str, jwt: str | None = None, lang: str | None = None) -> str:
    """Return `JITSI_URL/room` with the privacy config (and the JWT, if any) in the hash, not the query."""
    parts = []
    if jwt is not None:
        parts.append("jwt=" + quote(json.dumps(jwt), safe=""))
    parts.extend(f"config.{key}={quote(json.dumps(value), safe='')}" for key, value in PRIVACY_CONFIG.items())
    if lang is not None:
        parts.append("config.defaultLanguage=" + quote(json.dumps(lang), safe=""))
    return f"{settings.jitsi_url}/{room}#" + "&".join(parts)


def room_jid(settings: Settings, room: str) -> str:
    """Return the room's MUC address as Jitsi's dial-in look-ups use it: `room@muc.meet.jitsi`."""
    return f"{room}@{settings.muc_domain}"
