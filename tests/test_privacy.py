"""The privacy rules of design.md, each tested: logs, headers/CSP, third-party resources, schema, JWTs."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import aiohttp
import jwt as pyjwt
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.jitsi.tokens import mint_moderator_token
from tests import dbtools
from tests.conftest import JWT_SECRET, SeededGroup

Client = TestClient[web.Request, web.Application]

PERSONAL_COLUMN = re.compile(r"(name|email|mail|ip|addr|agent|jid|nick|phone|user)", re.I)
ALLOWED_COLUMNS = {
    ("contact_points", "name"),  # an organisation, not a person
    ("contact_points", "show_group_names"),  # a setting
    ("contact_points", "phone"),  # the contact point's office number
    ("support_groups", "name"),  # the group's display name
    ("support_groups", "name_key"),  # the same name folded for sorting and search
    ("api_tokens", "name"),  # a label such as "Verwaltung"
    ("devices", "name"),  # a tablet's label such as "Tablet Raum 2"
    ("schema_migrations", "name"),
    ("staff_accounts", "display_name"),  # staff are employees, not members: their name may be stored
    ("staff_settings", "name"),  # a setting's name such as "second_factor_required"
    ("meeting_sessions", "phone_count"),  # how many joined by phone: a count, never a number
    ("monthly_totals", "participants"),  # kept totals of deleted meetings: counts ("ip" in participants)
    ("monthly_totals", "phone_count"),
}


async def test_access_log_names_routes_but_never_secrets_ips_or_agents(cli: Any, running_server: Any) -> None:
    """Requests with identifying headers and secrets in path and query against a real `meetkit serve`."""
    group = cli("group", "add", "Gruppe", "--json").json()
    cli("contact-point", "add", "KISS Kanal", "--slug", "kiss-kanal", "--phone", "0911 5550123")
    code_path = group["member_url"].removeprefix("https://treffen.example.org")
    leader_path = group["leader_url"].removeprefix("https://treffen.example.org")
    headers = {
        "User-Agent": "SecretBrowser/9.9",
        "Referer": "https://referrer.example/page",
        "X-Forwarded-For": "203.0.113.7",
    }
    async with aiohttp.ClientSession(running_server.url, headers=headers) as session:
        for method, path in [
            ("GET", code_path + "?lang=en&utm=tracking-value"),
            ("GET", leader_path),
            ("POST", leader_path + "/start"),
            ("GET", "/j/zzzzz-zzzzz"),
            ("GET", code_path + "?lang=ls"),  # the member page and the practice room (issue 15)
            ("GET", "/ueben/kiss-kanal?lang=ls"),
            ("GET", "/ueben/kiss-kanal/raum"),
        ]:
            async with session.request(method, path, allow_redirects=False) as response:
                assert response.status < 500
    running_server.process.terminate()
    running_server.process.wait(timeout=10)
    logged = running_server.log()
    assert "GET member_page 200" in logged and "POST leader_start 303" in logged
    assert "GET practice_page 200" in logged and "GET practice_room 303" in logged
    operator_warnings = [line for line in logged.splitlines() if "MEETKIT_OPERATOR_NAME" in line]
    assert len(operator_warnings) == 1 and "WARNING" in operator_warnings[0]  # no operator in BASE_ENV
    secrets = [
        code_path.removeprefix("/j/"),
        code_path.removeprefix("/j/").replace("-", ""),
        leader_path.removeprefix("/l/"),
        group["pin"],
        group["room"],
        "SecretBrowser",
        "referrer.example",
        "203.0.113.7",
        "127.0.0.1 [",
        "tracking-value",
        "zzzzz",
        "lang=en",
        "lang=ls",
        "kiss-kanal",
        "uebungsraum",
        "5550123",
    ]
    for secret in secrets:
        assert secret not in logged


async def test_every_response_has_security_headers_and_a_strict_csp(
    client: Client, group: SeededGroup
) -> None:
    for path in (
        group.member_path,
        f"/l/{group.leader_token}",
        "/j/zzzzz-zzzzz",
        "/healthz",
        "/static/meetkit.css",
    ):
        response = await client.get(path)
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "*" not in csp
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"


class _Resources(HTMLParser):
    """Collects every URL a page would load or link to."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.links: list[str] = []
        self.inline_scripts = 0
        self.inline_styles = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        for name in ("src", "srcset", "data"):
            if values.get(name):
                self.loaded.append(values[name] or "")
        if tag == "link" and values.get("href"):
            self.loaded.append(values["href"] or "")
        if tag == "script" and not values.get("src"):
            self.inline_scripts += 1
        if tag == "style" or values.get("style"):
            self.inline_styles += 1


async def test_pages_load_nothing_from_third_parties(client: Client, group: SeededGroup) -> None:
    for path in (group.member_path, f"/l/{group.leader_token}", "/j/zzzzz-zzzzz"):
        parser = _Resources()
        parser.feed(await (await client.get(path)).text())
        assert parser.loaded, path
        assert all(url.startswith("/") and not url.startswith("//") for url in parser.loaded), parser.loaded
        assert parser.inline_scripts == 0 and parser.inline_styles == 0
        external = [u for u in parser.links if u.startswith(("http:", "https:", "//"))]
        assert all(u.startswith("https://meet.example.org/") for u in external), external
    css = await (await client.get("/static/meetkit.css")).text()
    assert "http" not in css and "@import" not in css


async def test_schema_has_no_personal_data_columns(client: Client, settings: Settings) -> None:
    columns = dbtools.schema_columns(settings)
    assert ("support_groups", "room") in columns
    suspicious = [
        (table, column)
        for table, column in columns
        if PERSONAL_COLUMN.search(column) and (table, column) not in ALLOWED_COLUMNS
    ]
    assert suspicious == []


def test_jwts_carry_no_name_or_email_always_expire_and_bind_one_room(settings: Settings) -> None:
    token = mint_moderator_token(settings, "abcde-fghij-klmno-pqrst")
    assert token is not None
    claims = pyjwt.decode(token, JWT_SECRET, algorithms=["HS256"], audience="jitsi")
    assert claims["room"] == "abcde-fghij-klmno-pqrst" and claims["room"] != "*"
    assert "exp" in claims
    user = claims["context"]["user"]
    assert set(user) == {"moderator"}
    assert "name" not in str(claims) and "email" not in str(claims)


async def test_lookups_are_rate_limited_per_client(client: Client, group: SeededGroup) -> None:
    for n in range(20):
        assert (await client.get(f"/j/zzzzz-zzz{n:02d}".replace("0", "2").replace("1", "3"))).status == 404
    blocked = await client.get(group.member_path)
    assert blocked.status == 429 and "Zu viele" in await blocked.text()
