"""The checks of what Jitsi's served config.js says: privacy settings, dial-in, conference domain, guests."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp

from meetkit.config import Settings
from meetkit.jitsi.check_fetch import FetchError, fetch
from meetkit.jitsi.check_report import OK, PROBLEM, WARNING, Check
from meetkit.jitsi.configjs import lookup, read_config
from meetkit.jitsi.configjs_values import MISSING, UNKNOWN

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


async def config_checks(
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
