"""The checks of the moderator tokens meetkit mints: settings, secret length, and what Prosody will accept."""

from __future__ import annotations

import time
import warnings
from typing import Any

import jwt

from meetkit.config import Settings
from meetkit.jitsi import tokens
from meetkit.jitsi.check_report import OK, PROBLEM, SKIPPED, WARNING, Check
from meetkit.jitsi.configjs import lookup
from meetkit.jitsi.configjs_values import MISSING

CHECK_ROOM = "meetkit-check-jitsi"  # only used to mint a token that is inspected and thrown away
MIN_SECRET_LENGTH = 32
PERSONAL_CLAIMS = ("name", "email", "avatar", "avatarUrl", "id")


def token_checks(settings: Settings, config: dict[str, Any] | None) -> list[Check]:
    """Check the JWT settings and a token minted with them (`config` gives Jitsi's XMPP domain, if read)."""
    name = "moderator token"
    app_id, secret = settings.jwt_app_id, settings.jwt_secret
    if not app_id and not secret:
        return [
            Check(
                name,
                SKIPPED,
                "JITSI_JWT_APP_ID and JITSI_JWT_SECRET are not set: meetkit mints no moderator tokens.",
                "Set them to docker-jitsi-meet's JWT_APP_ID and JWT_APP_SECRET (token auth on).",
            )
        ]
    if not app_id or not secret:
        missing = "JITSI_JWT_SECRET" if app_id else "JITSI_JWT_APP_ID"
        return [
            Check(
                name,
                PROBLEM,
                f"{missing} is not set, so meetkit mints no tokens although the other JWT setting is set.",
                "Set JITSI_JWT_APP_ID and JITSI_JWT_SECRET to Jitsi's JWT_APP_ID and JWT_APP_SECRET.",
            )
        ]
    checks = [_claims_check(settings, config)]
    if len(secret) < MIN_SECRET_LENGTH:
        checks.append(
            Check(
                "token secret",
                WARNING,
                f"JITSI_JWT_SECRET has only {len(secret)} characters; an HS256 secret should be at least "
                f"{MIN_SECRET_LENGTH} random characters.",
                "Generate one with `openssl rand -hex 32` and set it as JWT_APP_SECRET (Jitsi) and "
                "JITSI_JWT_SECRET (meetkit).",
            )
        )
    else:
        checks.append(Check("token secret", OK, f"JITSI_JWT_SECRET has {len(secret)} characters."))
    return checks


def _claims_check(settings: Settings, config: dict[str, Any] | None) -> Check:
    name = "moderator token"
    with warnings.catch_warnings():  # a short key is reported by the "token secret" check instead
        warnings.simplefilter("ignore")
        token = tokens.mint_moderator_token(settings, CHECK_ROOM)
        assert token is not None and settings.jwt_secret is not None
        now = time.time()
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(
            token,
            settings.jwt_secret,
            algorithms=["HS256"],
            audience=settings.jwt_audience,
            issuer=settings.jwt_app_id,
            options={"require": ["exp", "iss", "aud", "sub", "room"]},
        )
    wrong = []
    if header.get("alg") != "HS256":
        wrong.append(f"alg is {header.get('alg')}, Prosody's default is HS256")
    if header.get("typ") != "JWT":
        wrong.append("typ is not JWT, Prosody rejects such tokens")
    if not isinstance(claims.get("aud"), str):
        wrong.append("aud is not a single string, Prosody compares it as one")
    if not claims.get("sub"):
        wrong.append("sub is empty, current Prosody requires it")
    if claims.get("room") != CHECK_ROOM:
        wrong.append("room is not bound to the one room the token is for")
    lifetime = claims["exp"] - now
    if not 0 < lifetime <= settings.jwt_ttl_minutes * 60 + 60:
        wrong.append("exp is not within MEETKIT_JWT_TTL_MINUTES from now")
    if "nbf" in claims and claims["nbf"] > now:
        wrong.append("nbf lies in the future")
    user = claims.get("context", {}).get("user", {}) if isinstance(claims.get("context"), dict) else {}
    personal = [key for key in PERSONAL_CLAIMS if key in claims or (isinstance(user, dict) and key in user)]
    if personal:
        wrong.append(f"carries personal claims ({', '.join(personal)})")
    if wrong:
        return Check(
            name,
            PROBLEM,
            "a token minted by meetkit " + "; ".join(wrong) + ".",
            "Check JITSI_JWT_* and MEETKIT_JWT_TTL_MINUTES; report a meetkit bug if the settings are right.",
        )
    summary = (
        f"HS256, typ JWT, iss {claims['iss']}, aud {claims['aud']}, sub {claims['sub']}, bound to one room, "
        f"expires after {round(lifetime / 60)} minutes, no name or e-mail."
    )
    domain = lookup(config, "hosts.domain") if config is not None else MISSING
    if isinstance(domain, str) and claims["sub"] not in (domain, "*"):
        return Check(
            name,
            WARNING,
            summary + f" But sub {claims['sub']} is not Jitsi's XMPP domain {domain}: Prosody rejects the "
            "token when domain verification is on (JWT_ENABLE_DOMAIN_VERIFICATION).",
            f"Set JITSI_JWT_SUBJECT={domain}.",
        )
    return Check(
        name,
        OK,
        summary + f" Prosody must accept iss {claims['iss']} (JWT_ACCEPTED_ISSUERS) and aud {claims['aud']} "
        "(JWT_ACCEPTED_AUDIENCES).",
    )
