"""Moderator JWTs for Prosody's token auth: HS256, bound to one room, always expiring, no personal data."""

from __future__ import annotations

import time

import jwt

from meetkit.config import Settings

NOT_BEFORE_SKEW_SECONDS = 60  # tolerate a Prosody clock running slightly behind


def moderator_claims(
    settings: Settings, room: str, now: float | None = None, *, moderator: bool = True
) -> dict[str, object]:
    """Return the claims of a moderator token (or, with moderator=False, a member's) for exactly `room`."""
    issued = int(time.time() if now is None else now)
    return {
        "iss": settings.jwt_app_id,
        "aud": settings.jwt_audience,
        "sub": settings.jwt_subject,
        "room": room,
        "iat": issued,
        "nbf": issued - NOT_BEFORE_SKEW_SECONDS,
        "exp": issued + settings.jwt_ttl_minutes * 60,
        "context": {"user": {"moderator": moderator}},
    }


def mint_moderator_token(settings: Settings, room: str, now: float | None = None) -> str | None:
    """Return a signed moderator JWT for `room`, or None when no JWT secret is configured."""
    if not settings.jwt_enabled:
        return None
    assert settings.jwt_secret is not None
    return jwt.encode(
        moderator_claims(settings, room, now), settings.jwt_secret, algorithm="HS256", headers={"typ": "JWT"}
    )


def mint_opener_token(settings: Settings, room: str, now: float | None = None) -> str | None:
    """A JWT that lets anyone open `room` without a leader, claiming no moderator rights; None without a secret."""
    if not settings.jwt_enabled:
        return None
    assert settings.jwt_secret is not None
    claims = moderator_claims(settings, room, now, moderator=False)
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256", headers={"typ": "JWT"})
