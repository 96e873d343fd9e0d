"""The group's tablet and the loan pages in a real headless Chromium (Debian's, driven by Playwright).

The group's tablet at tablet size (768 x 1024) and phone width (390 px): paired through its one-time link,
one big button joins the group's room (a stand-in Jitsi on a second port), a smaller one below it leads to
the practice page in the tablet's language, and once the loan is returned, or its last day has passed, or
before its first day, the page says so and the buttons are gone; a join sent anyway joins nothing. axe-core
finds no WCAG 2.2 A/AA violation on the new staff pages and the tablet's pages.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import jwt as pyjwt
import pytest

from meetkit.config import Settings, load_settings, with_secret
from meetkit.domain.attendance_times import local_today
from meetkit.domain.scope import OPERATOR
from meetkit.services import accounts, directory, group_tablet, inventory, loans
from meetkit.services.passwords import PasswordHasher
from meetkit.storage.database import database_for
from meetkit.web.app import create_app
from tests.conftest import JWT_SECRET, free_port
from tests.lent_tablets import lent_tablet
from tests.served import served
from tests.staff import GOOD_PASSWORD
from tests.test_kiosk_browser import CHROMIUM, CHROMIUM_ARGS, _standin_jitsi, shot
from tests.test_staff_browser import _assert_targets_and_fit, _axe_violations, _sign_in

playwright_api = pytest.importorskip("playwright.sync_api")

SIZES = [(768, 1024), (390, 844)]
PRACTICE = {
    "de": "Technik ausprobieren",
    "en": "Try out camera and sound",
    "ls": "Kamera und Ton ausprobieren",
}
OPEN_PRACTICE_ROOM = {"de": "Übungsraum öffnen", "en": "Open the practice room", "ls": "Übungs-Raum öffnen"}


@dataclass
class Site:
    """meetkit and a stand-in Jitsi on loopback; one running loan of a tablet per tablet size."""

    url: str
    jitsi_url: str
    settings: Settings
    room: str
    loans: dict[int, int]  # width -> loan number
    tablets: dict[str, str]  # "running", "ended" (yesterday), "not_begun" (in two days) -> the tablet's path

    def run(self, work: Any) -> Any:
        """Run `work(db)` against the site's database from the test's thread."""

        async def go() -> Any:
            db = database_for(self.settings.database_url)
            await db.open()
            try:
                return await work(db)
            finally:
                await db.close()

        with ThreadPoolExecutor(1) as thread:  # Playwright's sync API runs an event loop in this thread
            return thread.submit(asyncio.run, go()).result()


async def _seed(settings: Settings) -> tuple[str, dict[int, int], dict[str, str]]:
    db = database_for(settings.database_url)
    await db.open()
    hasher = PasswordHasher()
    try:
        await directory.add_contact_point(db, OPERATOR, "KISS Nord", slug="kiss-nord", phone="0911 234567")
        group = await directory.add_group(db, settings, OPERATOR, "Angehörige Nord", "kiss-nord")
        _, link = await accounts.add_account(
            db, settings, OPERATOR, "admin@example.org", None, admin=True, contact_point_slugs=[]
        )
        await accounts.complete_setup(db, hasher, link.url.rsplit("/", 1)[1], GOOD_PASSWORD, GOOD_PASSWORD)
        today = local_today()
        made = {}
        for width, _ in SIZES:
            tablet = await inventory.add_item(db, OPERATOR, "kiss-nord", f"Tablet {width}", "tablet", "SN-1")
            view = await loans.lend(
                db, OPERATOR, tablet.id, group.group.id, str(today), str(today + dt.timedelta(days=6))
            )
            made[width] = view.loan.id
        tablets = {
            "running": await lent_tablet(db, group.group.id, "Tablet Übung", 0, 6, "SN-2"),
            "ended": await lent_tablet(db, group.group.id, "Tablet alt", -7, -1, "SN-2"),
            "not_begun": await lent_tablet(db, group.group.id, "Tablet neu", 2, 5, "SN-2"),
        }
        return group.group.room, made, tablets
    finally:
        hasher.close()
        await db.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """meetkit and the stand-in Jitsi in one background thread."""
    tmp = tmp_path_factory.mktemp("loans-browser")
    port, jitsi_port = free_port(), free_port()
    env = {
        "MEETKIT_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "MEETKIT_DATA_DIR": str(tmp / "data"),
        "JITSI_URL": f"http://127.0.0.1:{jitsi_port}",
        "JITSI_JWT_APP_ID": "meetkit",
        "JITSI_JWT_SECRET": JWT_SECRET,
    }
    settings = with_secret(load_settings(env, env_file=tmp / "no.env"))
    room, made, tablets = asyncio.run(_seed(settings))
    with served((lambda: create_app(settings), port), (_standin_jitsi, jitsi_port)):
        yield Site(
            f"http://127.0.0.1:{port}", f"http://127.0.0.1:{jitsi_port}", settings, room, made, tablets
        )


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    """One headless Debian Chromium for the module."""
    import shutil
    from pathlib import Path

    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (scripts/setup --test installs it)")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _context(browser: Any, width: int, height: int, bypass_csp: bool = False) -> Any:
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=True, locale="de-DE", bypass_csp=bypass_csp
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.problems = problems
    return page


def _practice(page: Any) -> Any:
    """The practice page's button on the tablet's page."""
    return page.locator("main a.group-tablet-secondary")


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_groups_tablet_joins_its_room_and_stops_when_the_loan_is_returned(
    browser: Any, site: Site, width: int, height: int
) -> None:
    loan = site.loans[width]
    _, token = site.run(lambda db: group_tablet.open_pairing(db, OPERATOR, loan))
    page = _context(browser, width, height)
    page.goto(f"{site.url}/tablet/pair/{token}")
    page.get_by_role("button", name="Dieses Tablet koppeln").click()
    page.wait_for_load_state()
    assert "/tablet/" in page.url and "/pair/" not in page.url
    tablet_url = page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Angehörige Nord"
    join = page.get_by_role("button", name="Zum Gruppentreffen")
    box = join.bounding_box()
    assert box["height"] >= 96 and box["width"] >= width * 0.8  # one big button
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)") >= 32
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("main button").count() == 1  # only this group: one button, and the practice link
    assert page.locator("main a").count() == 1 and _practice(page).get_attribute("href") == "/ueben/kiss-nord"
    shot(page, f"group-tablet-{width}")

    join.click()
    page.wait_for_url(f"{site.jitsi_url}/{site.room}#*")
    fragment = dict(part.split("=", 1) for part in page.url.split("#", 1)[1].split("&"))
    claims = pyjwt.decode(
        json.loads(unquote(fragment["jwt"])), JWT_SECRET, algorithms=["HS256"], audience="jitsi"
    )
    assert claims["room"] == site.room and claims["context"]["user"] == {"moderator": True}

    page.goto(tablet_url)
    site.run(lambda db: loans.return_loan(db, OPERATOR, loan, note="vollständig"))
    page.get_by_role("button", name="Zum Gruppentreffen").click()  # the page from before the return
    page.wait_for_load_state()
    assert page.url == tablet_url + "/join" and "Ausleihe beendet" in page.inner_text("h1")  # not Jitsi
    page.goto(f"{site.url}/tablet")  # plain /tablet finds the tablet's page through its cookie
    assert page.url == tablet_url
    assert "Ausleihe beendet" in page.inner_text("main") and page.locator("main button").count() == 0
    assert _practice(page).count() == 0
    shot(page, f"group-tablet-ended-{width}")
    response = page.request.post(tablet_url + "/join", max_redirects=0)
    assert response.status == 403 and "Ausleihe dieses Tablets ist beendet" in response.text()
    assert [p for p in page.problems if "Content Security Policy" in p or "Refused" in p] == []
    page.context.close()


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("lang", ["de", "ls", "en"])
def test_the_practice_button_leads_to_the_practice_page_in_the_tablets_language(
    browser: Any, site: Site, width: int, height: int, lang: str
) -> None:
    query = "" if lang == "de" else f"?lang={lang}"
    page = _context(browser, width, height)  # the page's own strict CSP
    page.goto(site.url + site.tablets["running"] + query)
    join, practice = page.locator("main button.group-tablet-join"), _practice(page)
    assert practice.is_visible() and practice.inner_text() == PRACTICE[lang]
    big, small = join.bounding_box(), practice.bounding_box()
    assert small["height"] >= 48 and small["width"] >= 48  # an easy target
    assert small["y"] >= big["y"] + big["height"]  # below the big button
    assert small["height"] < big["height"]  # and clearly the second one
    assert practice.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 24  # large type
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    shot(page, f"group-tablet-practice-{lang}-{width}")
    practice.click()
    page.wait_for_url(f"{site.url}/ueben/kiss-nord{query}")
    assert page.inner_text("h1") == PRACTICE[lang]  # the practice page, in the same language
    assert page.evaluate("document.documentElement.lang") == ("en" if lang == "en" else "de")
    assert (
        page.get_by_role("link", name=OPEN_PRACTICE_ROOM[lang]).count() == 1
    )  # its own button into the room
    assert [p for p in page.problems if "Content Security Policy" in p or "Refused" in p] == []
    page.context.close()


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize(
    ("name", "heading", "message"),
    [
        ("ended", "Ausleihe beendet", "Die Ausleihe dieses Tablets ist beendet."),
        ("not_begun", "Die Ausleihe hat noch nicht begonnen", "Die Ausleihe dieses Tablets beginnt am"),
    ],
)
def test_outside_its_loan_the_tablet_refuses_the_page_and_the_join(
    browser: Any, site: Site, width: int, height: int, name: str, heading: str, message: str
) -> None:
    tablet_url = site.url + site.tablets[name]
    page = _context(browser, width, height)
    response = page.goto(tablet_url)
    assert response.status == 403 and page.inner_text("h1") == heading
    assert message in page.inner_text("main") and "0911 234567" in page.inner_text("main")
    assert page.locator("main button").count() == 0 and page.locator("main a").count() == 0  # no practice
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"group-tablet-{name}-{width}")
    # a join sent anyway (an old page, a bookmark): the same message, and no way into the room
    page.evaluate(
        """url => { const form = document.createElement("form"); form.method = "post"; form.action = url;
                    document.body.append(form); form.submit(); }""",
        tablet_url + "/join",
    )
    page.wait_for_url(tablet_url + "/join")
    assert page.inner_text("h1") == heading and message in page.inner_text("main")
    assert page.locator("main a, main button").count() == 0
    posted = page.request.post(tablet_url + "/join", max_redirects=0)
    assert posted.status == 403 and "location" not in posted.headers and site.room not in posted.text()
    assert [p for p in page.problems if "Content Security Policy" in p or "Refused" in p] == []
    page.context.close()


@pytest.mark.parametrize("width", [390, 768])
def test_the_tablets_pages_are_axe_clean(browser: Any, site: Site, width: int) -> None:
    page = _context(browser, width, 1024, bypass_csp=True)  # axe is injected as a script
    for name in ("running", "ended", "not_begun"):
        for query in ("", "?lang=en", "?lang=ls"):
            page.goto(site.url + site.tablets[name] + query)
            assert _axe_violations(page) == [], (name, query)
            _assert_targets_and_fit(page, width)
            for link in page.query_selector_all("main a"):
                box = link.bounding_box()
                assert box["height"] >= 48 and box["width"] >= 48, (name, query)
    page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_loan_pages_are_axe_clean(browser: Any, site: Site, width: int) -> None:
    page = _context(browser, width, 900, bypass_csp=True)  # axe is injected as a script
    _sign_in(page, site, "admin@example.org")  # type: ignore[arg-type]
    first = min(site.loans.values())
    for path in (
        "/staff/",
        "/staff/inventory",
        "/staff/devices/1",
        "/staff/loans",
        f"/staff/loans/{first}",
        "/staff/loans/report",
        "/staff/loans/report?lang=en",
    ):
        page.goto(site.url + path)
        assert _axe_violations(page) == [], path
        _assert_targets_and_fit(page, width)
        shot(page, f"loans{path.replace('/', '-').replace('?', '-')}-{width}")
    page.goto(site.url + "/staff/loans/report")  # the form's button does not touch the report below it
    button = page.get_by_role("button", name="Anzeigen").bounding_box()
    assert page.locator("section.card").first.bounding_box()["y"] >= button["y"] + button["height"] + 12
    page.goto(site.url + "/staff/devices/1")
    page.get_by_label("Bezeichnung").fill("Kamera 1")  # a bad serial number: the form again, with its message
    page.get_by_label("Seriennummer (freiwillig)").fill("keine Nummer")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state()
    assert "Seriennummer" in page.get_by_role("alert").inner_text()
    assert _axe_violations(page) == []
    start = local_today() + dt.timedelta(days=20 if width == 390 else 30)
    planned = site.run(
        lambda db: loans.lend(db, OPERATOR, 1, 1, str(start), str(start + dt.timedelta(days=2)))
    )
    _, token = site.run(lambda db: group_tablet.open_pairing(db, OPERATOR, planned.loan.id))
    page.goto(f"{site.url}/tablet/pair/{token}")
    assert _axe_violations(page) == []
    page.goto(f"{site.url}/tablet")
    assert _axe_violations(page) == []
    page.context.close()
