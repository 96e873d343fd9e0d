"""The invitation flow and the leader page on a 390 px phone in Debian's Chromium: fit, targets, axe-core.

No JWT secret is configured here: the leader page must then say plainly what the leader can do (no jargon)
and the log tells the operator.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from meetkit.config import load_settings, with_secret
from meetkit.domain.schedules import TIMEZONE
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory, invitations
from meetkit.storage.database import database_for
from meetkit.web.app import create_app
from tests.conftest import free_port
from tests.served import served
from tests.test_kiosk_browser import CHROMIUM, CHROMIUM_ARGS, shot
from tests.test_staff_browser import _axe_violations

playwright_api = pytest.importorskip("playwright.sync_api")
PHONE = 390


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """meetkit on loopback (dial-in on, no JWT secret) and one open invitation: (url, invitation path)."""
    tmp = tmp_path_factory.mktemp("invites-browser")
    env = {
        "MEETKIT_PUBLIC_URL": "https://treffen.example.org",
        "MEETKIT_DATA_DIR": str(tmp / "data"),
        "JITSI_URL": "https://meet.example.org",
        "MEETKIT_DIALIN_NUMBERS": "DE:+49 89 1234567",
    }
    settings = with_secret(load_settings(env, env_file=tmp / "no.env"))

    async def seed() -> str:
        db = database_for(settings.database_url)
        await db.open()
        try:
            await directory.add_contact_point(
                db, OPERATOR, "KISS Nord", slug="kiss-nord", phone="0911 234567"
            )
            return (await invitations.create_invitation(db, settings, OPERATOR, "kiss-nord")).token
        finally:
            await db.close()

    token = asyncio.run(seed())
    port = free_port()
    with served((lambda: create_app(settings), port)):
        yield f"http://127.0.0.1:{port}", f"/invite/{token}"


@pytest.fixture(scope="module")
def browser(site: tuple[str, str]) -> Iterator[Any]:
    """One headless Debian Chromium for the module (after the site: its seeding runs its own event loop)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup --test installs it)")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _targets_and_fit(page: Any) -> None:
    """Every visible link, button and field is at least 48 px high; nothing scrolls sideways at 390 px."""
    for element in page.query_selector_all(
        "main a, main button, main input:not([type=hidden]), main select, main summary, footer a"
    ):
        if not element.is_visible():
            continue
        box = element.bounding_box()
        minimum = 24 if element.get_attribute("type") in ("checkbox", "radio") else 48  # in 48 px labels
        assert box["height"] >= minimum, (element.evaluate("e => e.outerHTML")[:200], box)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE


def test_a_leader_creates_the_group_on_a_phone_and_runs_it(
    browser: Any,
    site: tuple[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    url, invitation = site
    context = browser.new_context(
        viewport={"width": PHONE, "height": 800},
        locale="de-DE",
        bypass_csp=True,  # axe is injected as a script
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.goto(url + invitation)
    assert _axe_violations(page) == []
    _targets_and_fit(page)
    page.get_by_role("button", name="Weiter").click()  # empty: the browser asks for the name first
    assert "Schritt 1 von 3" in page.inner_text("main")
    page.get_by_label("Name der Gruppe").fill("Gesprächskreis Dienstag")
    page.get_by_role("button", name="Weiter").click()
    page.wait_for_load_state()
    assert "Schritt 2 von 3" in page.inner_text("main")
    assert _axe_violations(page) == []
    _targets_and_fit(page)
    shot(page, "invite-step2-390")
    page.get_by_role("button", name="Gruppe anlegen").click()  # no date: a clear message, nothing made
    page.wait_for_load_state()
    assert "Bitte geben Sie das Datum" in page.inner_text("main")
    assert _axe_violations(page) == []
    next_week = dt.datetime.now(TIMEZONE).date() + dt.timedelta(days=7)
    page.get_by_label("Jede zweite Woche").check()
    page.get_by_label("Datum des nächsten Treffens").fill(next_week.isoformat())
    page.get_by_label("Beginn (Uhrzeit)").fill("19:00")
    page.get_by_role("button", name="Gruppe anlegen").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Schritt 3 von 3" in main and "Ihre Gruppe ist angelegt." in main and "/l/" in main
    assert page.locator(".qr-box svg").count() == 1
    assert "Moderations-Schlüssel" not in main and "Sie betreten den Raum wie alle anderen." in main
    assert any("JITSI_JWT_SECRET" in r.getMessage() for r in caplog.records)  # the operator is told
    assert page.get_by_role("button", name="Link kopieren").is_visible()  # the script enabled it
    assert _axe_violations(page) == []
    _targets_and_fit(page)
    shot(page, "leader-welcome-390")
    page.get_by_role("button", name="Link kopieren").click()
    page.get_by_role("button", name="Kopiert").wait_for()
    assert page.evaluate("navigator.clipboard.readText()").startswith("https://treffen.example.org/j/")

    page.get_by_label("Personen im Raum").fill("6")
    page.get_by_label("Personen am Telefon").fill("2")
    page.get_by_role("button", name="Zahlen speichern").click()
    page.wait_for_load_state()
    assert "Danke, die Zahlen sind gespeichert." in page.inner_text("main")
    _targets_and_fit(page)  # the last meetings fit too (a six-column table made the page 422-449 px wide)
    page.get_by_role("button", name="Gast-Link erstellen").click()
    page.wait_for_load_state()
    guest = page.get_by_role("textbox", name="Gast-Link", exact=True).input_value()
    assert guest.startswith("https://treffen.example.org/g/")
    assert _axe_violations(page) == []
    _targets_and_fit(page)
    member = page.locator("#member-link").input_value().replace("https://treffen.example.org", url)
    leader_path = "/l/" + page.url.split("/l/")[1].split("?")[0].split("/")[0]
    page.goto(url + leader_path + "/card")
    assert page.locator(".qr-box svg").count() == 1 and _axe_violations(page) == []
    page.goto(member)  # the member page's links (the tel: link was 31 px) are 48 px too
    assert page.locator("a.number").count() == 1 and _axe_violations(page) == []
    _targets_and_fit(page)
    page.goto(url + invitation)
    assert "schon benutzt" in page.inner_text("main") and "0911 234567" in page.inner_text("main")
    assert _axe_violations(page) == []
    _targets_and_fit(page)
    context.close()
