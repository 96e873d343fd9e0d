"""Staff make, print, e-mail and withdraw leader invitations (staff page and `meetkit leader-invite`)."""

from __future__ import annotations

import email
import re
from collections.abc import Callable
from email.policy import default
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest

from meetkit.config import Settings, load_settings, with_secret
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory
from meetkit.web.app import create_app
from meetkit.web.keys import DATABASE
from tests import dbtools
from tests.conftest import CliResult
from tests.dbtools import rows
from tests.staff import ISO_MOMENT, Client, StaffBrowser, ready_account, shown_time
from tests.test_staff_accounts import smtp_receiver  # noqa: F401 - the fixture


async def test_staff_make_print_and_withdraw_invitations(seeded: Client, settings: Settings) -> None:
    staff = StaffBrowser(seeded)
    assert (await staff.sign_in("nord@example.org")).status == 303
    page = await staff.get("/staff/invitations")
    assert page.status == 200 and "KISS Nord" in page.text and "KISS Süd" not in page.text
    bad = await staff.post("/staff/invitations", {"contact_point": "kiss-nord", "valid_days": "0"})
    assert bad.status == 400 and bad.alert() == "Eine Einladung gilt 1 bis 90 Tage."
    made = await staff.post("/staff/invitations", {"contact_point": "kiss-nord", "valid_days": "7"})
    found = re.search(r"<code>https://treffen\.example\.org/invite/([^<]+)</code>", made.text)
    assert made.status == 200 and found is not None and "<svg" in made.text
    token = found.group(1)
    letter = await staff.request(
        "POST", "/staff/invitations/letter", {"invite_token": token, "csrf_token": made.csrf()}
    )
    assert letter.status == 200 and letter.headers["Content-Type"] == "application/pdf"
    listed = await staff.get("/staff/invitations")
    invitation_id = re.search(r"/staff/invitations/(\d+)/withdraw", listed.text)
    assert invitation_id is not None
    (expiry,) = rows(settings, "SELECT expires_at FROM leader_invitations")
    assert f"offen bis {shown_time(expiry['expires_at'])}" in listed.text  # local time, as people read it
    assert "(UTC)" not in listed.text and not ISO_MOMENT.search(listed.text)
    in_english = await staff.get("/staff/invitations?lang=en")
    assert f"open until {shown_time(expiry['expires_at'], 'en')}" in in_english.text
    withdrawn = await staff.post(f"/staff/invitations/{invitation_id.group(1)}/withdraw")
    assert withdrawn.status == 303
    dead = await seeded.get(f"/invite/{token}")
    assert dead.status == 404 and "zurückgezogen" in await dead.text()
    assert {r["action"] for r in rows(settings, "SELECT action FROM audit_log")} >= {
        "leader_invited",
        "leader_invitation_withdrawn",
    }


@pytest.mark.sqlite_only  # the command line's part; the services run on both backends above
def test_leader_invite_on_the_command_line(
    cli: Callable[..., CliResult],
    tmp_path: Path,
    smtp_receiver: tuple[int, list[Any]],  # noqa: F811
) -> None:
    assert (
        cli("contact-point", "add", "KISS Nord", "--slug", "kiss-nord", "--phone", "0911 234567").returncode
        == 0
    )
    letter = tmp_path / "brief.pdf"
    made = cli("leader-invite", "--contact-point", "kiss-nord", "--letter", str(letter), "--json")
    assert made.returncode == 0, made.stderr
    data = made.json()
    assert data["invite_url"].startswith("https://treffen.example.org/invite/") and data["emailed_to"] is None
    pdf = pdfium.PdfDocument(letter.read_bytes())
    text = pdf[0].get_textpage().get_text_range()
    assert "KISS Nord" in text and data["invite_url"].removeprefix("https://")[:30] in text.replace(
        "\r\n", ""
    )
    pdf.close()
    for args, message in (
        (("--valid-days", "0"), "meetkit: Fehler: Eine Einladung gilt 1 bis 90 Tage."),
        (
            ("--contact-point", "gibt-es-nicht"),
            "meetkit: Fehler: Keine Kontaktstelle mit der Kurzbezeichnung 'gibt-es-nicht'.",
        ),
        (
            ("--email", "keine-adresse"),
            "meetkit: Fehler: Diese E-Mail-Adresse sieht nicht richtig aus. Bitte prüfen Sie sie.",
        ),
    ):
        refused = cli("leader-invite", "--contact-point", "kiss-nord", *args)
        assert refused.returncode == 2 and refused.stderr.strip() == message
    port, received = smtp_receiver
    smtp = {"MEETKIT_SMTP_URL": f"smtp://127.0.0.1:{port}?from=meetkit@kiss.example"}
    mailed = cli(
        "leader-invite",
        "--contact-point",
        "kiss-nord",
        "--email",
        "leitung@example.org",
        "--json",
        extra_env=smtp,
    )
    assert mailed.json()["emailed_to"] == "leitung@example.org"
    body = email.message_from_bytes(received[0].content, policy=default).get_body().get_content()  # type: ignore[union-attr]
    assert mailed.json()["invite_url"] in body and "0911 234567" in body
    english = cli(
        "leader-invite", "--contact-point", "kiss-nord", "--no-qr", extra_env={"LANG": "en_GB.UTF-8"}
    )
    assert english.stdout.startswith("Invitation 3 for KISS Nord, valid once until")
    listed = cli("group", "list", "--json").json()["groups"]
    assert listed == []  # nothing but invitations was made


@pytest.fixture
def mailing_env(env: dict[str, str], smtp_receiver: tuple[int, list[Any]]) -> dict[str, str]:  # noqa: F811
    """The installation with MEETKIT_SMTP_URL pointing at the local receiver."""
    return {**env, "MEETKIT_SMTP_URL": f"smtp://127.0.0.1:{smtp_receiver[0]}?from=meetkit@kiss.example"}


@pytest.mark.sqlite_only  # the mail path; the invitation rules run on both backends above
async def test_staff_send_an_invitation_by_e_mail_and_keep_no_address(
    mailing_env: dict[str, str],
    smtp_receiver: tuple[int, list[Any]],  # noqa: F811
    aiohttp_client: Any,
) -> None:
    settings = with_secret(load_settings(mailing_env, env_file="/nonexistent"))
    client = await aiohttp_client(create_app(settings))
    await directory.add_contact_point(client.app[DATABASE], OPERATOR, "KISS Nord", slug="kiss-nord")
    await ready_account(client, settings, "nord@example.org", contact_points=("kiss-nord",))
    staff = StaffBrowser(client)
    await staff.sign_in("nord@example.org")
    await staff.get("/staff/invitations")
    sent = await staff.post(
        "/staff/invitations",
        {"contact_point": "kiss-nord", "valid_days": "14", "email": "leitung@example.org"},
    )
    assert sent.status == 200 and "leitung@example.org" in sent.text
    _, received = smtp_receiver  # the staff member's own setup link went out first, by mail too
    (invitation,) = [m for m in received if m.rcpt_tos == ["leitung@example.org"]]
    body = email.message_from_bytes(invitation.content, policy=default).get_body().get_content()  # type: ignore[union-attr]
    assert "https://treffen.example.org/invite/" in body
    assert b"leitung@example.org" not in dbtools.database_bytes(settings)  # used for sending, never stored
