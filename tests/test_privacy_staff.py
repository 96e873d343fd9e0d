"""The privacy canary, staff side: names, e-mail addresses and IP addresses fed through login names, display
names, sign-in attempts and request headers end up nowhere they should not; after `user delete` the person's
login and name are in no row and no log line.

What a staff member typed but no account has (unknown login names, wrong passwords), addresses and browser
strings are never written at all: the raw database files (SQLite main file, -wal, -shm; PostgreSQL's dump)
and every log line are searched for them. A deleted account's own login and name were stored while it
existed, so for them every row of every table is searched (SQLite may keep the bytes of deleted rows in free
pages until they are reused; see the closing note of issue 16).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import logging

import pytest
from aiohttp.test_utils import TestServer

from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR
from meetkit.services import accounts, directory, staff_data
from meetkit.web.accesslog import PrivacyAccessLogger
from meetkit.web.app import create_app
from meetkit.web.keys import DATABASE
from tests import dbtools
from tests.conftest import ClientFactory
from tests.staff import GOOD_PASSWORD, StaffBrowser
from tests.test_privacy_attendance import assert_nowhere

LOGIN = "erika.mustermann@example.org"
NAME = "Erika Mustermann"
IPS = ["203.0.113.45", "198.51.100.23", "2001:db8::17"]
AGENT = "Mozilla/5.0 (Max Mustermann; max.mustermann@example.net)"
TYPED = ["max.mustermann@example.net", "Max Mustermann", "198.51.100.99", "Petra Beispiel"]
WRONG_PASSWORDS = ["Passwort von Max Mustermann", "falsch 203.0.113.46 falsch"]


def every_row(settings: Settings) -> str:
    """Every row of every table, as text."""
    tables = sorted({table for table, _ in dbtools.schema_columns(settings)})
    return "\n".join(repr(dbtools.rows(settings, f"SELECT * FROM {table}")) for table in tables)


async def test_staff_features_leave_no_addresses_typed_names_or_deleted_people_behind(
    aiohttp_client: ClientFactory,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    proxied = dataclasses.replace(settings, trusted_proxies=(ipaddress.ip_network("127.0.0.1/32"),))
    # served as `meetkit serve` serves it: with meetkit's access log, not aiohttp's (which names IPs and agents)
    server = TestServer(create_app(proxied))
    await server.start_server(
        access_log_class=PrivacyAccessLogger, access_log=logging.getLogger("meetkit.access")
    )
    client = await aiohttp_client(server)
    db = server.app[DATABASE]
    await directory.add_contact_point(db, OPERATOR, "KISS Nord", slug="kiss-nord")
    _, link = await accounts.add_account(
        db, settings, OPERATOR, LOGIN, NAME, admin=False, contact_point_slugs=["kiss-nord"]
    )
    browser = StaffBrowser(client)
    for n, ip in enumerate(IPS):
        headers = {"X-Real-IP": ip, "X-Forwarded-For": f"{ip}, {IPS[0]}", "User-Agent": AGENT,
                   "Referer": f"https://{TYPED[0]}/"}  # fmt: skip
        if n == 0:
            path = link.url.removeprefix(settings.public_url)
            await browser.get(path, **headers)
            page = await browser.post(
                path, {"password": GOOD_PASSWORD, "password_repeat": GOOD_PASSWORD}, **headers
            )
            assert page.status == 303, page.text
        await browser.get("/staff/login", **headers)
        for typed, password in zip(TYPED, WRONG_PASSWORDS * 2, strict=True):
            page = await browser.post("/staff/login", {"login": typed, "password": password}, **headers)
            assert page.status in (400, 401, 429), page.status
        page = await browser.post("/staff/login", {"login": LOGIN, "password": WRONG_PASSWORDS[1]}, **headers)
        assert page.status in (401, 429)
    assert dbtools.rows(settings, "SELECT count(*) AS n FROM audit_log WHERE actor = ?", LOGIN)[0]["n"] >= 3
    await staff_data.delete_account(db, settings.secret, OPERATOR, LOGIN)  # as the person asked
    await client.close()
    captured = capfd.readouterr()
    logs = [caplog.text, "\n".join(r.getMessage() for r in caplog.records), captured.out, captured.err]
    never_written = [
        *IPS,
        AGENT,
        "Max Mustermann",
        "max.mustermann",
        "Petra Beispiel",
        *WRONG_PASSWORDS,
        GOOD_PASSWORD,
    ]
    assert_nowhere(never_written, dbtools.database_bytes(settings), *logs)
    assert_nowhere([LOGIN, NAME, "erika.mustermann", "Mustermann"], every_row(settings), *logs)
