"""The second factor, admin pages, the audit log and the `meetkit user`/`audit` commands."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pyotp
import pytest

from meetkit.audit_words import ACTION_LABELS
from meetkit.config import Settings
from tests import dbtools
from tests.conftest import CliResult, free_port
from tests.staff import GOOD_PASSWORD, ISO_MOMENT, NBSP, Client, Page, StaffBrowser, shown_time


async def _turn_on_second_factor(browser: StaffBrowser) -> tuple[pyotp.TOTP, list[str]]:
    await browser.get("/staff/account")
    assert (await browser.post("/staff/account/second-factor")).status == 303
    page = await browser.get("/staff/account")
    assert "<svg viewBox=" in page.text
    found = re.search(r'<code class="staff-secret">([A-Z2-7]+)</code>', page.text)
    assert found
    totp = pyotp.TOTP(found.group(1))
    wrong = await browser.post("/staff/account/second-factor/confirm", {"code": "000000"})
    assert wrong.status == 400 and "Der Code stimmt nicht" in (wrong.alert() or "")
    done = await browser.post("/staff/account/second-factor/confirm", {"code": totp.now()})
    assert done.status == 200
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", done.text)
    assert len(codes) == 10
    return totp, codes


async def test_second_factor_sign_in_with_code_and_recovery_code(seeded: Client, settings: Settings) -> None:
    browser = StaffBrowser(seeded)
    await browser.sign_in("nord@example.org")
    totp, codes = await _turn_on_second_factor(browser)
    stored = dbtools.rows(settings, "SELECT code_hash FROM staff_recovery_codes")
    assert len(stored) == 10 and not {r["code_hash"] for r in stored} & set(codes)  # kept hashed
    (sealed,) = dbtools.rows(settings, "SELECT totp_secret FROM staff_accounts WHERE totp_secret IS NOT NULL")
    assert sealed["totp_secret"].startswith("sealed1:") and totp.secret not in sealed["totp_secret"]
    assert totp.secret.encode() not in dbtools.database_bytes(settings)  # not in the database in any form
    await browser.get("/staff/")
    await browser.post("/staff/logout")

    step_one = await browser.sign_in("nord@example.org")
    assert step_one.location == "/staff/login"
    pending_cookie = browser.cookies["meetkit_staff"]
    assert (await browser.get("/staff/")).location is not None  # not signed in before the code
    code_form = await browser.get("/staff/login")
    assert 'name="code"' in code_form.text
    replay = await browser.post("/staff/login/code", {"code": totp.now()})  # the code used to turn it on
    assert replay.status == 401 and "schon benutzt" in (replay.alert() or "")
    empty = await browser.post("/staff/login/code", {"code": " "})
    assert empty.status == 400
    inside = await browser.post("/staff/login/code", {"code": totp.at(time.time() + 30)})
    assert inside.status == 303 and inside.location == "/staff/"
    assert browser.cookies["meetkit_staff"] != pending_cookie  # a new session id once signed in
    assert (await browser.get("/staff/")).status == 200
    await browser.post("/staff/logout")

    await browser.sign_in("nord@example.org")
    await browser.get("/staff/login")
    assert (await browser.post("/staff/login/code", {"code": codes[0].upper()})).status == 303
    await browser.get("/staff/")
    await browser.post("/staff/logout")
    await browser.sign_in("nord@example.org")
    await browser.get("/staff/login?lang=en")
    replayed = await browser.post("/staff/login/code?lang=en", {"code": codes[0]})
    assert (
        replayed.status == 401
        and replayed.alert() == "The code is wrong or was used already. Please enter the current code."
    )


async def test_compulsory_second_factor(seeded: Client) -> None:
    admin = StaffBrowser(seeded)
    await admin.sign_in("admin@example.org")
    await admin.get("/staff/admin/accounts")
    assert (await admin.post("/staff/admin/settings", {"second_factor_required": "yes"})).status == 303
    # the admin has no second factor either: sent to set it up
    assert (await admin.get("/staff/")).location == "/staff/account"

    staff = StaffBrowser(seeded)
    await staff.sign_in("nord@example.org")
    assert (await staff.get("/staff/")).location == "/staff/account"
    page = await staff.get("/staff/account")
    assert "Die Zwei-Faktor-Anmeldung ist vorgeschrieben" in page.text
    await _turn_on_second_factor(staff)
    assert (await staff.get("/staff/")).status == 200
    await staff.get("/staff/account")
    off = await staff.post("/staff/account/second-factor/off", {"password": GOOD_PASSWORD})
    assert off.status == 400 and "vorgeschrieben" in (off.alert() or "")


async def test_only_admins_reach_admin_pages(seeded: Client, settings: Settings) -> None:
    staff = StaffBrowser(seeded)
    await staff.sign_in("nord@example.org")
    assert (await staff.get("/staff/admin/accounts")).status == 404
    assert (await staff.get("/staff/admin/audit")).status == 404
    await staff.get("/staff/")
    refused = await staff.post("/staff/admin/accounts", {"login": "x@example.org", "role": "admin"})
    assert refused.status == 404
    assert len(dbtools.rows(settings, "SELECT id FROM staff_accounts")) == 2

    admin = StaffBrowser(seeded)
    await admin.sign_in("admin@example.org")
    page = await admin.get("/staff/admin/accounts")
    assert page.status == 200 and "nord@example.org" in page.text
    words = " ".join(re.sub(r"<[^>]+>", "", page.text).split())
    assert (
        "Admin-Zugang · aktiv" in words and "Kontaktstellen: KISS Nord · aktiv" in words
    )  # a space each side
    bad = await admin.post("/staff/admin/accounts", {"login": "neu@example.org", "role": "staff"})
    assert bad.status == 400 and "Kontaktstelle" in (bad.alert() or "")
    await admin.get("/staff/admin/accounts")
    made = await admin.post(
        "/staff/admin/accounts", {"login": "neu@example.org", "role": "staff", "contact_point": "kiss-sued"}
    )
    assert made.status == 200 and "https://treffen.example.org/staff/setup/" in made.text
    (link,) = dbtools.rows(
        settings,
        "SELECT l.expires_at FROM staff_setup_links l JOIN staff_accounts a ON a.id = l.account_id"
        " WHERE a.login = 'neu@example.org'",
    )
    assert (
        f"Er gilt einmal, bis {shown_time(link['expires_at'])}:" in made.text
    )  # local time, as people read it
    assert "(UTC)" not in made.text and not ISO_MOMENT.search(made.text)
    nord_id = dbtools.rows(settings, "SELECT id FROM staff_accounts WHERE login = 'nord@example.org'")[0][
        "id"
    ]
    await admin.get("/staff/admin/accounts")
    assert (await admin.post(f"/staff/admin/accounts/{nord_id}/disable")).status == 303
    assert (await staff.get("/staff/")).location == "/staff/login?ended=1"
    whats = [what for _when, _who, what, _on in _audit_rows(await admin.get("/staff/admin/audit"))]
    assert {"Zugang angelegt", "Angemeldet", "Zugang gesperrt"} <= set(whats)
    for lang, status in (("de", "KISS Nord · Zugang gesperrt"), ("en", "KISS Nord · Account disabled")):
        listed = await admin.get(f"/staff/admin/accounts?lang={lang}")
        assert status in " ".join(re.sub(r"<[^>]+>", "", listed.text).split()), lang  # not "withheld"


def _audit_rows(page: Page) -> list[tuple[str, ...]]:
    """The audit table's rows: when, who, what, on what (as shown)."""
    body = page.text.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [
        tuple(html.unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row))
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)
    ]


async def test_audit_log_in_local_time_and_words(seeded: Client, settings: Settings) -> None:
    admin = StaffBrowser(seeded)
    await admin.sign_in("admin@example.org")
    add = "INSERT INTO audit_log (at, actor, action, target) VALUES (?, ?, ?, ?)"
    dbtools.execute(settings, add, "2026-07-01T22:05:00Z", "nord@example.org", "second_factor_on", None)
    dbtools.execute(settings, add, "2026-11-30T14:31:34Z", "admin@example.org", "report_mailed", "x")
    (signed_in,) = dbtools.rows(settings, "SELECT at FROM audit_log WHERE action = 'login'")

    german = await admin.get("/staff/admin/audit")
    rows = _audit_rows(german)
    assert rows[:2] == [
        (f"30.11.2026, 15:31{NBSP}Uhr", "admin@example.org", "report_mailed", "x"),  # unknown: as it is
        (f"02.07.2026, 00:05{NBSP}Uhr", "nord@example.org", "Zwei-Faktor-Anmeldung eingeschaltet", ""),
    ]
    assert (shown_time(signed_in["at"]), "admin@example.org", "Angemeldet", "") in rows
    assert not {what for _when, _who, what, _on in rows} & set(ACTION_LABELS)  # no machine word
    assert not ISO_MOMENT.search(german.text) and "UTC" not in german.text
    assert 'role="columnheader">Wann</th>' in german.text

    english = _audit_rows(await admin.get("/staff/admin/audit?lang=en"))
    assert english[:2] == [
        (f"30{NBSP}Nov{NBSP}2026, 15:31", "admin@example.org", "report_mailed", "x"),
        (f"2{NBSP}Jul{NBSP}2026, 00:05", "nord@example.org", "Two-factor sign-in turned on", ""),
    ]
    assert (shown_time(signed_in["at"], "en"), "admin@example.org", "Signed in", "") in english
    # the seeded accounts were made on the command line: no person, so said in the page's words
    assert ("(Kommandozeile)", "Zugang angelegt") in {(who, what) for _when, who, what, _on in rows}
    assert ("(command line)", "Account created") in {(who, what) for _when, who, what, _on in english}


def test_cli_user_commands_and_audit(cli: Callable[..., CliResult]) -> None:
    assert cli("contact-point", "add", "KISS Beispielstadt").returncode == 0
    made = cli(
        "user",
        "add",
        "beratung@kiss-beispielstadt.de",
        "--name",
        "Beratung",
        "--contact-point",
        "kiss-beispielstadt",
        "--json",
    )
    assert made.returncode == 0, made.stderr
    data = made.json()
    assert data["login"] == "beratung@kiss-beispielstadt.de" and data["role"] == "staff"
    assert data["setup_url"].startswith("https://treffen.example.org/staff/setup/")
    admin = cli("user", "add", "admin", "--admin", "--json").json()
    assert admin["role"] == "admin"

    unknown = cli("user", "add", "x@example.org", "--contact-point", "gibt-es-nicht")
    assert unknown.returncode == 2 and "gibt-es-nicht" in unknown.stderr
    taken = cli("user", "add", "ADMIN", "--admin")
    assert taken.returncode == 2 and "gibt es schon" in taken.stderr
    empty = cli("user", "add", " ", "--admin")
    assert empty.returncode == 2 and "Anmeldenamen" in empty.stderr
    listed = cli("user", "list", "--json").json()["users"]
    assert [u["login"] for u in listed] == ["admin", "beratung@kiss-beispielstadt.de"]
    assert listed[1]["contact_points"] == ["kiss-beispielstadt"]

    reset = cli("user", "reset", "admin", "--json").json()
    assert reset["setup_url"] != admin["setup_url"]
    assert cli("user", "disable", "admin").returncode == 0
    assert cli("user", "list", "--json").json()["users"][0]["disabled"] is True
    assert cli("user", "disable", "niemand").returncode == 2

    entries = cli("audit", "--json").json()["audit"]
    assert [e["action"] for e in entries][:4] == [
        "account_disabled",
        "account_reset",
        "account_created",
        "account_created",
    ]
    assert all(set(e) == {"at", "actor", "action", "target"} for e in entries)


@pytest.fixture
def smtp_receiver() -> Iterator[tuple[int, list[Any]]]:
    """A local SMTP server on loopback that keeps what it receives."""
    from aiosmtpd.controller import Controller

    received: list[Any] = []

    class Keep:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(envelope)
            return "250 OK"

    port = free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()


def test_setup_link_by_email(cli: Callable[..., CliResult], smtp_receiver: tuple[int, list[Any]]) -> None:
    port, received = smtp_receiver
    smtp = {"MEETKIT_SMTP_URL": f"smtp://127.0.0.1:{port}?from=meetkit@kiss.example"}
    made = cli("user", "add", "beratung@kiss.example", "--admin", "--json", extra_env=smtp).json()
    assert made["setup_url"] is None and made["emailed_to"] == "beratung@kiss.example"
    assert len(received) == 1 and received[0].rcpt_tos == ["beratung@kiss.example"]
    body = received[0].content.decode()
    assert "https://treffen.example.org/staff/setup/" in body and "From: meetkit@kiss.example" in body

    down = {"MEETKIT_SMTP_URL": f"smtp://127.0.0.1:{free_port()}"}
    shown = cli("user", "add", "zweite@kiss.example", "--admin", "--json", extra_env=down).json()
    assert shown["setup_url"].startswith("https://treffen.example.org/staff/setup/")  # handed over instead


async def test_admins_create_contact_points_in_the_browser(seeded: Client, settings: Settings) -> None:
    admin = StaffBrowser(seeded)
    await admin.sign_in("admin@example.org")
    await admin.get("/staff/")
    made = await admin.post(
        "/staff/admin/contact-points",
        {"name": "KISS West", "phone": "0911 123456", "hide_group_names": "yes"},
    )
    assert made.status == 303 and made.location == "/staff/"
    home = await admin.get("/staff/")
    assert "KISS West" in home.text and "kiss-west" in home.text
    (stored,) = dbtools.rows(
        settings, "SELECT name, phone, show_group_names FROM contact_points WHERE slug = 'kiss-west'"
    )
    assert stored["phone"] == "0911 123456" and not stored["show_group_names"]
    audited = dbtools.rows(
        settings, "SELECT actor, target FROM audit_log WHERE action = 'contact_point_created'"
    )
    assert audited[-1] == {"actor": "admin@example.org", "target": "kiss-west"}

    again = await admin.post("/staff/admin/contact-points", {"name": "KISS West Zwei", "slug": "kiss-west"})
    assert again.status == 409 and "kiss-west" in (again.alert() or "")
    assert 'value="KISS West Zwei"' in again.text  # what was typed stays in the form
    empty = await admin.post("/staff/admin/contact-points", {"name": "  "})
    assert empty.status == 400 and empty.alert()
    assert len(dbtools.rows(settings, "SELECT id FROM contact_points")) == 3  # nothing half-written


async def test_a_domain_message_with_values_reads_in_english_on_an_english_page(seeded: Client) -> None:
    admin = StaffBrowser(seeded)
    await admin.sign_in("admin@example.org")
    await admin.get("/staff/?lang=en")
    taken = await admin.post(
        "/staff/admin/contact-points?lang=en", {"name": "Noch eine", "slug": "kiss-nord"}
    )
    assert taken.status == 409
    assert taken.alert() == "A contact point with the slug 'kiss-nord' exists already."
