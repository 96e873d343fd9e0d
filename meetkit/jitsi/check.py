"""Check the configured Jitsi deployment against what meetkit needs, and say how to fix what is not."""

from __future__ import annotations

import asyncio
import json
import re
import ssl
import time
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
import jwt

from meetkit.config import Settings
from meetkit.domain.jsontext import InvalidJson, parse_json
from meetkit.jitsi import tokens
from meetkit.jitsi.bodies import BodyTooLarge, read_body
from meetkit.jitsi.configjs import MISSING, UNKNOWN, lookup, read_config

OK = "ok"
WARNING = "warning"
SKIPPED = "skipped"
PROBLEM = "problem"

DEFAULT_TIMEOUT = 10.0
MAX_BODY = 2_000_000  # bytes; Jitsi's config.js is about 100 kB
CHECK_ROOM = "meetkit-check-jitsi"  # only used to mint a token that is inspected and thrown away
MIN_SECRET_LENGTH = 32
PERSONAL_CLAIMS = ("name", "email", "avatar", "avatarUrl", "id")

# Hosts of Jitsi's and 8x8's hosted services and of the usual trackers; config.js must name none of them.
THIRD_PARTY_HOSTS = re.compile(
    r"(?<![\w-])(?:[\w-]+\.)*(?:jitsi\.net|8x8\.vc|8x8\.com|callstats\.io|amplitude\.com"
    r"|google-analytics\.com|googletagmanager\.com|gravatar\.com|giphy\.com)(?![\w-])",
    re.IGNORECASE,
)

CUSTOM_CONFIG_HINT = (
    "copy deploy/jitsi/web/custom-config.js to ${CONFIG}/web/custom-config.js (docs/deploy.md, step 5) "
    "and restart Jitsi's web container."
)


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one check: ok, warning, skipped or problem, and what to do about it."""

    name: str
    status: str
    message: str
    fix: str = ""

    def as_json(self) -> dict[str, str]:
        """Return the check as a JSON object."""
        return asdict(self)


class FetchError(Exception):
    """A request did not get an answer; the message says why in plain words."""


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer: status and body."""

    status: int
    body: bytes

    def text(self) -> str:
        """Return the body decoded as UTF-8 (invalid bytes replaced)."""
        return self.body.decode("utf-8", errors="replace")


async def fetch(session: aiohttp.ClientSession, url: str) -> Answer:
    """GET `url` within the session's timeout, reading the whole body up to MAX_BODY bytes, or raise FetchError."""
    try:
        async with session.get(url, allow_redirects=True) as response:
            return Answer(response.status, await read_body(response, MAX_BODY))
    except BodyTooLarge as error:
        raise FetchError(str(error)) from None
    except TimeoutError:
        raise FetchError(f"did not answer within {session.timeout.total:g} seconds") from None
    except aiohttp.ClientConnectorCertificateError as error:
        raise FetchError(f"has a TLS certificate that is not accepted ({error.certificate_error})") from None
    except aiohttp.ClientConnectorError as error:
        reason = error.os_error.strerror or str(error.os_error) or type(error.os_error).__name__
        raise FetchError(f"could not be reached ({reason})") from None
    except (aiohttp.ClientError, ssl.SSLError) as error:
        raise FetchError(f"failed ({type(error).__name__}: {error})") from None


async def check_jitsi(settings: Settings, seconds: float = DEFAULT_TIMEOUT) -> list[Check]:
    """Run every check against the deployment `settings` describe; network calls time out after `seconds`."""
    client_timeout = aiohttp.ClientTimeout(total=seconds, sock_connect=seconds)
    headers = {"User-Agent": "meetkit check-jitsi"}
    checks: list[Check] = []
    async with aiohttp.ClientSession(timeout=client_timeout, headers=headers) as session:
        config = await _config_checks(session, settings, checks)
        checks.append(await _census_check(session, settings))
        if config is not None:
            checks.append(await _census_not_public_check(session, settings))
    checks.extend(_token_checks(settings, config))
    return checks


def has_problems(checks: list[Check]) -> bool:
    """Whether any check found something that must be fixed."""
    return any(check.status == PROBLEM for check in checks)


# --- config.js ------------------------------------------------------------------------------------------


async def _config_checks(
    session: aiohttp.ClientSession, settings: Settings, checks: list[Check]
) -> dict[str, Any] | None:
    """Fetch and evaluate config.js, append the config checks, and return the config (or None)."""
    name = "Jitsi config.js"
    if not settings.jitsi_configured:
        checks.append(
            Check(
                name,
                PROBLEM,
                "JITSI_URL is not set, so meetkit sends members to a placeholder address.",
                "Set JITSI_URL to your Jitsi Meet's address, e.g. https://meet.example.org "
                "(docker: it defaults to PUBLIC_URL from docker-jitsi-meet's .env).",
            )
        )
        return None
    url = f"{settings.jitsi_url}/config.js"
    fix_reach = (
        f"Check JITSI_URL ({settings.jitsi_url}) and that Jitsi's web container runs "
        "(`docker compose ps web`); meetkit must be able to reach that address."
    )
    try:
        answer = await fetch(session, url)
    except FetchError as error:
        checks.append(Check(name, PROBLEM, f"{url} {error}.", fix_reach))
        return None
    if answer.status != 200:
        checks.append(Check(name, PROBLEM, f"{url} answered HTTP {answer.status}.", fix_reach))
        return None
    evaluated = read_config(answer.text())
    config = evaluated.config
    domain = lookup(config, "hosts.domain") if config is not None else MISSING
    if config is None or not isinstance(domain, str):
        checks.append(
            Check(
                name,
                PROBLEM,
                f"{url} answered, but not with a Jitsi config.js (no `config` object with hosts.domain).",
                "JITSI_URL must be the base address of Jitsi Meet, where meetings run, without a path.",
            )
        )
        return None
    checks.append(Check(name, OK, f"{url} is Jitsi's config.js (XMPP domain {domain})."))
    if evaluated.error:
        checks.append(
            Check(
                "config.js runs",
                PROBLEM,
                f"config.js stops with an error in the browser ({evaluated.error}); "
                "settings after that point do not apply.",
                "Fix ${CONFIG}/web/custom-config.js: create an object before setting its keys, "
                "e.g. `if (!config.hasOwnProperty('gravatar')) config.gravatar = {};`.",
            )
        )
    checks.extend(
        [
            _flag_check(
                config,
                "third-party requests",
                "disableThirdPartyRequests",
                "browsers may load avatars, analytics scripts, GIFs and videos from other services",
                "Set ENABLE_THIRD_PARTY_REQUESTS=false in docker-jitsi-meet's .env, or " + CUSTOM_CONFIG_HINT,
            ),
            _flag_check(
                config,
                "Gravatar",
                "gravatar.disabled",
                "browsers may ask gravatar.com for avatars",
                "Add `config.gravatar.disabled = true;`: " + CUSTOM_CONFIG_HINT,
            ),
            _analytics_check(config),
            _third_party_hosts_check(config),
            _deep_linking_check(config),
            _p2p_check(config),
            _dial_in_check(config, settings),
            _muc_check(config, settings),
            _guest_check(config, settings),
        ]
    )
    return config


def _describe(value: Any) -> str:
    if value is MISSING:
        return "not set"
    if value is UNKNOWN:
        return "computed in a way meetkit cannot evaluate"
    return json.dumps(value)


def _flag_check(config: dict[str, Any], name: str, path: str, risk: str, fix: str) -> Check:
    value = lookup(config, path)
    if value is True:
        return Check(name, OK, f"{path} is true.")
    if value is UNKNOWN:
        return Check(name, WARNING, f"{path} is {_describe(value)}; make sure it is true.", fix)
    return Check(name, PROBLEM, f"{path} is {_describe(value)} instead of true: {risk}.", fix)


def _analytics_check(config: dict[str, Any]) -> Check:
    disabled, rtcstats = lookup(config, "analytics.disabled"), lookup(config, "analytics.rtcstatsEnabled")
    fix = "Set analytics.disabled = true and analytics.rtcstatsEnabled = false: " + CUSTOM_CONFIG_HINT
    wrong = []
    if disabled is not True and disabled is not UNKNOWN:
        wrong.append(f"analytics.disabled is {_describe(disabled)} instead of true")
    if rtcstats not in (False, MISSING, UNKNOWN):
        wrong.append(f"analytics.rtcstatsEnabled is {_describe(rtcstats)} instead of false")
    if wrong:
        return Check("analytics", PROBLEM, "; ".join(wrong) + ": usage data may leave the server.", fix)
    if UNKNOWN in (disabled, rtcstats):
        return Check("analytics", WARNING, "the analytics settings cannot be evaluated.", fix)
    return Check("analytics", OK, "analytics and rtcstats are off.")


def _strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _third_party_hosts_check(config: dict[str, Any]) -> Check:
    found = [(path, text) for path, text in _strings(config) if THIRD_PARTY_HOSTS.search(text)]
    if not found:
        return Check("third-party servers", OK, "config.js names no server of jitsi.net, 8x8 or trackers.")
    listed = "; ".join(f"{path} = {text}" for path, text in found[:3])
    more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
    fixes = []
    if any("stun" in path.lower() for path, _ in found):
        fixes.append(
            "`config.p2p.stunServers = [];` (custom-config.js) and JVB_DISABLE_STUN=true with "
            "JVB_ADVERTISE_IPS in docker-jitsi-meet's .env"
        )
    fixes.append("remove the other entries; never set JAAS_APP_ID or ENABLE_JAAS_COMPONENTS")
    return Check(
        "third-party servers",
        PROBLEM,
        f"config.js makes browsers contact outside servers: {listed}{more}.",
        "Set " + "; ".join(fixes) + ".",
    )


def _deep_linking_check(config: dict[str, Any]) -> Check:
    new, old = lookup(config, "deeplinking.disabled"), lookup(config, "disableDeepLinking")
    fix = "Set DISABLE_DEEP_LINKING=true in docker-jitsi-meet's .env, or " + CUSTOM_CONFIG_HINT
    if True in (new, old):
        return Check("deep linking", OK, "deep linking (the app-store page) is off.")
    if UNKNOWN in (new, old):
        return Check("deep linking", WARNING, "deep linking settings cannot be evaluated.", fix)
    return Check(
        "deep linking",
        PROBLEM,
        "deeplinking.disabled and disableDeepLinking are not true: phones see a page pushing the Jitsi "
        "app with links to the app stores.",
        fix,
    )


def _p2p_check(config: dict[str, Any]) -> Check:
    enabled = lookup(config, "p2p.enabled")
    if enabled is False:
        return Check("peer-to-peer", OK, "peer-to-peer mode is off; media goes through the server.")
    return Check(
        "peer-to-peer",
        WARNING,
        f"p2p.enabled is {_describe(enabled)} (Jitsi's default is on): in a call of two, each sees the "
        "other's IP address.",
        "Set ENABLE_P2P=false in docker-jitsi-meet's .env, or " + CUSTOM_CONFIG_HINT,
    )


def _same_url(value: str, expected: str, base: str) -> bool:
    absolute = urljoin(base + "/", value)
    left, right = urlsplit(absolute), urlsplit(expected)
    return (left.scheme.lower(), left.netloc.lower(), left.path.rstrip("/")) == (
        right.scheme.lower(),
        right.netloc.lower(),
        right.path.rstrip("/"),
    )


def _dial_in_check(config: dict[str, Any], settings: Settings) -> Check:
    name = "dial-in"
    expected = {
        "dialInNumbersUrl": f"{settings.public_url}/jitsi/dial-in-numbers",
        "dialInConfCodeUrl": f"{settings.public_url}/jitsi/conference-mapper",
    }
    fix = (
        f"Set config.dialInNumbersUrl = '{expected['dialInNumbersUrl']}' and config.dialInConfCodeUrl = "
        f"'{expected['dialInConfCodeUrl']}': " + CUSTOM_CONFIG_HINT
    )
    values = {key: lookup(config, key) for key in expected}
    if UNKNOWN in values.values():
        return Check(name, WARNING, "the dial-in URLs in config.js cannot be evaluated.", fix)
    elsewhere = {
        key: value
        for key, value in values.items()
        if value is not MISSING
        and not (isinstance(value, str) and _same_url(value, expected[key], settings.jitsi_url))
    }
    if elsewhere:
        listed = "; ".join(f"{key} = {_describe(value)}" for key, value in elsewhere.items())
        return Check(
            name,
            PROBLEM,
            f"config.js sends dial-in look-ups (with the room name) elsewhere, not to meetkit at "
            f"{settings.public_url}: {listed}.",
            fix,
        )
    missing = [key for key, value in values.items() if value is MISSING]
    if not settings.dialin_enabled:
        state = "not set" if len(missing) == 2 else "meetkit's"
        return Check(
            name, OK, f"dial-in is off in meetkit (MEETKIT_DIALIN_NUMBERS unset); config.js URLs: {state}."
        )
    if missing:
        return Check(
            name,
            PROBLEM,
            f"config.js does not set {' and '.join(missing)}, so Jitsi shows no phone numbers and PINs.",
            fix,
        )
    return Check(
        name, OK, f"Jitsi asks meetkit for phone numbers and PINs ({settings.public_url}/jitsi/...)."
    )


def _muc_check(config: dict[str, Any], settings: Settings) -> Check:
    name = "conference domain"
    muc = lookup(config, "hosts.muc")
    severity = PROBLEM if settings.dialin_enabled else WARNING
    if isinstance(muc, str) and muc.lower() == settings.muc_domain:
        return Check(name, OK, f"Jitsi's conference domain {muc} matches JITSI_MUC_DOMAIN.")
    if isinstance(muc, str):
        return Check(
            name,
            severity,
            f"Jitsi's conference domain is {muc}, but meetkit uses JITSI_MUC_DOMAIN={settings.muc_domain}: "
            "PIN look-ups and room addresses would not match.",
            f"Set JITSI_MUC_DOMAIN={muc} (docker: it follows XMPP_MUC_DOMAIN).",
        )
    return Check(
        name,
        severity,
        f"hosts.muc in config.js is {_describe(muc)}; Jitsi turns dial-in off without it.",
        "Check XMPP_MUC_DOMAIN in docker-jitsi-meet's .env and the generated config.js.",
    )


def _guest_check(config: dict[str, Any], settings: Settings) -> Check:
    name = "guests and moderators"
    guest_domain = lookup(config, "hosts.anonymousdomain")
    auth_fix = (
        "Turn on token auth with guests in docker-jitsi-meet's .env: ENABLE_AUTH=1, AUTH_TYPE=jwt, "
        "ENABLE_GUESTS=1, JWT_ALLOW_EMPTY=0 (deploy/jitsi/docker-jitsi-meet.env)."
    )
    if isinstance(guest_domain, str) and settings.jwt_enabled:
        return Check(
            name,
            OK,
            f"members join without a token as guests ({guest_domain}) and wait until a leader with a "
            "meetkit token has opened the room.",
        )
    if isinstance(guest_domain, str):
        return Check(
            name,
            PROBLEM,
            f"Jitsi requires authentication (guests use {guest_domain}), but meetkit mints no tokens: "
            "leaders cannot open their rooms.",
            "Set JITSI_JWT_APP_ID and JITSI_JWT_SECRET to Jitsi's JWT_APP_ID and JWT_APP_SECRET.",
        )
    if settings.jwt_enabled:
        return Check(
            name,
            WARNING,
            "config.js has no hosts.anonymousdomain: either Jitsi runs without authentication (anybody "
            "can open rooms and become moderator, meetkit's tokens change nothing) or members without a "
            "token cannot join at all.",
            auth_fix,
        )
    return Check(
        name,
        WARNING,
        "Jitsi runs without authentication and meetkit mints no tokens: anybody can open rooms and "
        "become moderator.",
        auth_fix + " Then set JITSI_JWT_APP_ID and JITSI_JWT_SECRET to the same values.",
    )


# --- room census ----------------------------------------------------------------------------------------


def census_shape_error(data: Any) -> str | None:
    """Return why `data` is not a mod_muc_census answer, or None if it is one."""
    if not isinstance(data, dict) or "room_census" not in data:
        return "no room_census key"
    rooms = data["room_census"]
    if rooms == {}:  # Prosody's JSON encoder writes an empty Lua table as {} (not verified live)
        return None
    if not isinstance(rooms, list):
        return "room_census is not a list"
    for index, room in enumerate(rooms):
        if not isinstance(room, dict):
            return f"room_census[{index}] is not an object"
        if not isinstance(room.get("room_name"), str) or "@" not in room["room_name"]:
            return f"room_census[{index}].room_name is not a room address"
        participants = room.get("participants")
        if isinstance(participants, bool) or not isinstance(participants, int):
            return f"room_census[{index}].participants is not a whole number"
    return None


async def _census_check(session: aiohttp.ClientSession, settings: Settings) -> Check:
    name = "room census"
    module_fix = (
        "Load the module with GLOBAL_MODULES=muc_census in docker-jitsi-meet's .env and restart prosody."
    )
    if not settings.census_url:
        return Check(
            name,
            SKIPPED,
            "MEETKIT_CENSUS_URL is not set: meetkit does not poll attendance counts from Prosody.",
            "Set MEETKIT_CENSUS_URL=http://xmpp.meet.jitsi:5280/room-census (docker: the add-on's default). "
            + module_fix,
        )
    url = settings.census_url
    try:
        answer = await fetch(session, url)
    except FetchError as error:
        return Check(
            name,
            PROBLEM,
            f"{url} {error}.",
            "Check MEETKIT_CENSUS_URL: Prosody's HTTP port 5280 on the internal network "
            "(docker: http://xmpp.meet.jitsi:5280/room-census).",
        )
    if answer.status != 200:
        return Check(name, PROBLEM, f"{url} answered HTTP {answer.status}.", module_fix)
    try:
        data = parse_json(answer.body)
    except InvalidJson:
        return Check(name, PROBLEM, f"{url} did not answer with JSON.", module_fix)
    shape_error = census_shape_error(data)
    if shape_error is not None:
        return Check(
            name,
            PROBLEM,
            f"{url} answered, but not in the shape of Prosody's room census ({shape_error}).",
            "MEETKIT_CENSUS_URL must point at mod_muc_census's /room-census. " + module_fix,
        )
    rooms = data["room_census"]
    count = len(rooms) if isinstance(rooms, list) else 0
    rooms_open = "1 room" if count == 1 else f"{count} rooms"
    return Check(name, OK, f"{url} answers in the documented shape ({rooms_open} open).")


async def _census_not_public_check(session: aiohttp.ClientSession, settings: Settings) -> Check:
    name = "census not public"
    url = f"{settings.jitsi_url}/room-census"
    try:
        answer = await fetch(session, url)
        data = parse_json(answer.body) if answer.status == 200 else None
    except (FetchError, InvalidJson):
        data = None
    if census_shape_error(data) is None:
        return Check(
            name,
            PROBLEM,
            f"the room census is published at {url}: anybody can list the open rooms and their sizes.",
            "Remove whatever publishes Prosody's port 5280 or /room-census (a `ports:` entry, a proxy "
            "location); meetkit reads it on the internal network.",
        )
    return Check(name, OK, f"{url} does not publish the room census.")


# --- tokens ---------------------------------------------------------------------------------------------


def _token_checks(settings: Settings, config: dict[str, Any] | None) -> list[Check]:
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


def run(settings: Settings, seconds: float = DEFAULT_TIMEOUT) -> list[Check]:
    """Run the checks from synchronous code."""
    return asyncio.run(check_jitsi(settings, seconds))
