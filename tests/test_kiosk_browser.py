"""The kiosk in a real headless Chromium (Debian's, driven by Playwright for Python).

meetkit runs in a thread on one loopback port; a second port plays the Jitsi deployment. Its
`external_api.js` is a STAND-IN for Jitsi's, written here: it records the options it was given on
`window.__jitsiCalls`, opens an iframe to `<JITSI_URL>/<roomName>` as the real one does, and lets the test
fire Jitsi's events. Every request the browser makes is recorded; only these two origins may appear.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import jwt as pyjwt
import pytest
import zxingcpp
from aiohttp import web
from PIL import Image

from meetkit.config import Settings, load_settings, with_secret
from meetkit.domain.links import member_url
from meetkit.domain.scope import OPERATOR
from meetkit.services import devices, directory, schedules
from meetkit.storage.database import database_for
from meetkit.web.app import create_app
from tests import dbtools
from tests.conftest import JWT_SECRET, free_port
from tests.served import served

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BERLIN = ZoneInfo("Europe/Berlin")
SCREENSHOTS = os.environ.get("MEETKIT_SCREENSHOTS")  # a folder to keep the screenshots in, for people

STANDIN_EXTERNAL_API = """
// STAND-IN for Jitsi's external_api.js, served by the test: same constructor, records what it was given.
window.__jitsiCalls = window.__jitsiCalls || [];
window.__jitsiListeners = {};
window.JitsiMeetExternalAPI = function (domain, options) {
  const recorded = Object.assign({}, options);
  delete recorded.parentNode;
  window.__jitsiCalls.push({ domain: domain, options: JSON.parse(JSON.stringify(recorded)) });
  const frame = document.createElement("iframe");
  frame.src = "http://" + domain + "/" + options.roomName + "#jwt=" + encodeURIComponent(JSON.stringify(options.jwt));
  frame.allow = "camera; microphone";
  frame.style.width = options.width;
  frame.style.height = options.height;
  options.parentNode.appendChild(frame);
  this.addListener = function (name, fn) { (window.__jitsiListeners[name] = window.__jitsiListeners[name] || []).push(fn); };
  this.dispose = function () { frame.remove(); window.__jitsiDisposed = true; };
};
window.__jitsiEmit = function (name) { (window.__jitsiListeners[name] || []).forEach(function (fn) { fn({}); }); };
"""


@dataclass
class Site:
    """meetkit and the stand-in Jitsi on loopback, with the seeded tablets and groups."""

    url: str
    jitsi_url: str
    settings: Settings
    nord_token: str
    sued_token: str
    nord_device: int
    groups: dict[str, int]
    rooms: dict[str, str]
    member_urls: dict[str, str]
    requests: list[str] = field(default_factory=list)

    def db_row(self, sql: str, *args: object) -> Any:
        found = dbtools.rows(self.settings, sql, *args)
        return tuple(found[0].values()) if found else None


def _standin_jitsi() -> web.Application:
    app = web.Application()

    async def external_api(request: web.Request) -> web.Response:
        return web.Response(text=STANDIN_EXTERNAL_API, content_type="application/javascript")

    async def room(request: web.Request) -> web.Response:
        return web.Response(
            text="<!doctype html><title>stand-in Jitsi room</title><p>room</p>", content_type="text/html"
        )

    app.router.add_get("/external_api.js", external_api)
    app.router.add_get("/{room}", room)
    return app


async def _seed(settings: Settings) -> dict[str, Any]:
    db = database_for(settings.database_url)
    await db.open()
    try:
        now = dt.datetime.now(BERLIN)
        start = max(
            (now - dt.timedelta(minutes=10)).replace(second=0, microsecond=0), now.replace(hour=0, minute=0)
        )
        if start.date() != now.date():
            start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        await directory.add_contact_point(db, OPERATOR, "KISS Nord", slug="nord")
        await directory.add_contact_point(db, OPERATOR, "KISS Süd", slug="sued", show_group_names=False)
        found: dict[str, int] = {}
        rooms: dict[str, str] = {}
        member_urls: dict[str, str] = {}
        for name, cp, place in (("Angehörige", "nord", "Raum 2"), ("Depression", "sued", "Saal")):
            issued = await directory.add_group(db, settings, OPERATOR, name, cp)
            found[name], rooms[name] = issued.group.id, issued.group.room
            member_urls[name] = member_url(settings.public_url, issued.group.member_code)
            await schedules.set_schedule(
                db,
                OPERATOR,
                str(issued.group.id),
                frequency="weekly",
                weekday=now.weekday(),
                start=start.time(),
                duration_minutes=120,
                place=place,
            )
        nord = await devices.add_device(db, OPERATOR, "Tablet Nord", "nord")
        nord_device, nord_token = await devices.pair_device(db, nord.pairing_token)
        sued = await devices.add_device(db, OPERATOR, "Tablet Süd", "sued")
        _, sued_token = await devices.pair_device(db, sued.pairing_token)
        return {
            "groups": found,
            "rooms": rooms,
            "member_urls": member_urls,
            "nord_token": nord_token,
            "sued_token": sued_token,
            "nord_device": nord_device.id,
        }
    finally:
        await db.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Start meetkit and the stand-in Jitsi in one background thread with its own event loop."""
    tmp = tmp_path_factory.mktemp("kiosk-browser")
    port, jitsi_port = free_port(), free_port()
    env = {
        "MEETKIT_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "MEETKIT_DATA_DIR": str(tmp / "data"),
        "JITSI_URL": f"http://127.0.0.1:{jitsi_port}",
        "JITSI_JWT_APP_ID": "meetkit",
        "JITSI_JWT_SECRET": JWT_SECRET,
    }
    settings = with_secret(load_settings(env, env_file=tmp / "no.env"))
    seeded = asyncio.run(_seed(settings))

    with served((lambda: create_app(settings), port), (_standin_jitsi, jitsi_port)):
        yield Site(
            url=f"http://127.0.0.1:{port}",
            jitsi_url=f"http://127.0.0.1:{jitsi_port}",
            settings=settings,
            **seeded,
        )


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    """One headless Debian Chromium for the whole module."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (scripts/setup --test installs it)")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, site: Site) -> Iterator[Any]:
    """A fresh tablet-sized page (10-inch landscape) that records every request and CSP complaint."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, has_touch=True, locale="de-DE")
    page = context.new_page()
    page.on("request", lambda request: site.requests.append(request.url))
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.problems = problems
    yield page
    context.close()
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []


def shot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


def join(page: Any, site: Site, title: str) -> dict[str, Any]:
    page.goto(f"{site.url}/kiosk/{site.nord_token}")
    page.get_by_role("button", name=title).click()
    page.wait_for_function("() => window.__jitsiCalls && window.__jitsiCalls.length === 1")
    page.wait_for_selector("#jitsi iframe")
    call: dict[str, Any] = page.evaluate("window.__jitsiCalls[0]")
    return call


def assert_min_size(page: Any, selector: str, minimum: float = 48, square: bool = False) -> None:
    for box in [el.bounding_box() for el in page.query_selector_all(selector)]:
        assert box is not None and box["width"] >= minimum and box["height"] >= minimum, (selector, box)
        if square:
            assert abs(box["width"] - box["height"]) < 1, (selector, box)


def test_list_join_options_and_layout(page: Any, site: Site) -> None:
    page.goto(f"{site.url}/kiosk/{site.nord_token}")
    assert page.locator(".meeting-title").all_inner_texts() == ["Angehörige"]
    assert "Depression" not in page.content() and "Saal" not in page.content()
    assert page.locator(".meeting-running").count() == 1
    assert (
        float(page.eval_on_selector(".meeting-title", "e => parseFloat(getComputedStyle(e).fontSize)")) >= 32
    )
    assert_min_size(page, ".meeting-join")
    shot(page, "kiosk-list-landscape")

    call = join(page, site, "Angehörige")
    assert call["domain"] == urlsplit(site.jitsi_url).netloc
    options = call["options"]
    assert options["roomName"] == site.rooms["Angehörige"]
    assert options["userInfo"] == {"displayName": "Raum: Raum 2"}
    config = options["configOverwrite"]
    assert config["prejoinConfig"]["enabled"] is False and config["deeplinking"]["disabled"] is True
    assert config["disableThirdPartyRequests"] is True and config["analytics"]["disabled"] is True
    claims = pyjwt.decode(options["jwt"], JWT_SECRET, algorithms=["HS256"], audience="jitsi")
    assert claims["room"] == site.rooms["Angehörige"] and claims["context"] == {"user": {"moderator": True}}
    assert "name" not in str(claims["context"]) and claims["exp"] > dt.datetime.now(dt.UTC).timestamp()
    frame_src = page.get_attribute("#jitsi iframe", "src")
    assert frame_src.startswith(f"{site.jitsi_url}/{site.rooms['Angehörige']}#")

    assert page.inner_text("#session-title") == "Angehörige"
    page.wait_for_function("() => document.getElementById('member-qr').naturalWidth > 0")
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(page.locator("#member-qr").screenshot())))
    assert [r.text for r in decoded] == [site.member_urls["Angehörige"]]  # latecomers scan the member link
    assert_min_size(page, ".headcount-button", square=True)
    assert_min_size(page, "#end")
    jitsi_box = page.locator("#jitsi").bounding_box()
    controls_box = page.locator(".kiosk-controls").bounding_box()
    assert jitsi_box["x"] + jitsi_box["width"] <= controls_box["x"] + 1  # side by side in landscape
    assert jitsi_box["width"] > 700
    shot(page, "kiosk-session-landscape")

    page.set_viewport_size({"width": 800, "height": 1280})  # the same tablet turned to portrait
    jitsi_box = page.locator("#jitsi").bounding_box()
    controls_box = page.locator(".kiosk-controls").bounding_box()
    assert jitsi_box["y"] + jitsi_box["height"] <= controls_box["y"] + 1  # video above the controls
    assert controls_box["y"] + controls_box["height"] <= 1280 + 1 and jitsi_box["height"] > 600
    assert_min_size(page, ".headcount-button", square=True)
    assert page.locator("#end").bounding_box()["y"] + 48 <= 1280
    shot(page, "kiosk-session-portrait")


def test_headcount_round_trip_and_clean_reset(page: Any, site: Site) -> None:
    page.goto(f"{site.url}/kiosk/{site.nord_token}")
    history_before = page.evaluate("history.length")
    join(page, site, "Angehörige")
    for button in ("+", "+", "+", "−"):
        page.get_by_role(
            "button", name="Eine Person mehr" if button == "+" else "Eine Person weniger"
        ).click()
    assert page.inner_text("#headcount") == "2"
    page.wait_for_function("() => document.getElementById('headcount-status').textContent === 'Gespeichert'")
    today = dt.datetime.now(BERLIN).date().isoformat()
    row = site.db_row(
        "SELECT in_room_count, sources FROM meeting_sessions WHERE group_id = ? AND meeting_date = ?",
        site.groups["Angehörige"],
        today,
    )
    assert row is not None and row[0] == 2 and row[1] & 8

    page.get_by_role("button", name="Eine Person mehr").click()  # not yet saved when "end" is tapped ...
    with page.expect_navigation():
        page.get_by_role("button", name="Treffen beenden").click()
    row = site.db_row(
        "SELECT in_room_count FROM meeting_sessions WHERE group_id = ? AND meeting_date = ?",
        site.groups["Angehörige"],
        today,
    )
    assert row[0] == 3  # ... and still saved before the page went away

    assert page.url == f"{site.url}/kiosk/{site.nord_token}"
    assert page.evaluate("history.length") == history_before  # location.replace: no history entry
    assert page.evaluate("typeof window.__jitsiCalls") == "undefined"  # a fresh page, the old one is gone
    assert page.query_selector("iframe") is None
    assert page.is_hidden("#session") and page.is_visible("#today")
    assert page.inner_text("#session-title") == "" and page.inner_text("#headcount") == "0"
    assert page.get_attribute("#member-qr", "src") is None
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    assert page.evaluate("document.cookie") == ""  # the device cookie (if any) is HttpOnly
    shot(page, "kiosk-after-reset")


def test_leaving_by_jitsi_event_and_by_slot_end(page: Any, site: Site) -> None:
    join(page, site, "Angehörige")
    with page.expect_navigation():
        page.evaluate("window.__jitsiEmit('readyToClose')")
    assert page.query_selector("iframe") is None and page.is_visible("#today")

    page.clock.install()
    join(page, site, "Angehörige")
    assert page.evaluate("window.__jitsiDisposed") is None
    with page.expect_navigation():
        page.clock.run_for(3 * 60 * 60 * 1000)  # past the slot end and its grace
    assert page.query_selector("iframe") is None and page.is_visible("#today")


def test_other_contact_point_and_revoked_device(page: Any, site: Site) -> None:
    page.goto(f"{site.url}/kiosk/{site.sued_token}")
    assert page.locator(".meeting-title").all_inner_texts() == ["Gruppentreffen"]
    assert "Angehörige" not in page.content() and "Depression" not in page.content()
    status = page.evaluate(
        """async (id) => (await fetch(location.pathname + '/join.json',
             {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({group_id: id})})).status""",
        site.groups["Angehörige"],
    )
    assert status == 404

    async def revoke() -> None:
        db = database_for(site.settings.database_url)
        await db.open()
        try:
            await devices.revoke_device(db, OPERATOR, str(site.nord_device))
        finally:
            await db.close()

    worker = threading.Thread(
        target=asyncio.run, args=(revoke(),)
    )  # Playwright's sync API owns this thread's loop
    worker.start()
    worker.join(30)
    response = page.goto(f"{site.url}/kiosk/{site.nord_token}")
    assert response is not None and response.status == 403
    assert page.get_by_role("heading").inner_text() == "Dieses Tablet wurde abgemeldet."
    assert page.query_selector(".meeting") is None
    shot(page, "kiosk-revoked")


def test_no_request_leaves_meetkit_and_jitsi(page: Any, site: Site) -> None:
    """Everything the browser asked for, here and in this worker's other tests, went to the two test origins."""
    # On its own too (xdist may give it a worker of its own): the Süd tablet, which no test revokes, joins.
    page.goto(f"{site.url}/kiosk/{site.sued_token}")
    page.get_by_role("button", name="Gruppentreffen").click()
    page.wait_for_selector("#jitsi iframe")
    allowed = {urlsplit(site.url).netloc, urlsplit(site.jitsi_url).netloc}
    assert site.requests, "no browser test recorded requests"
    origins = {urlsplit(url).netloc for url in site.requests if not url.startswith(("data:", "about:"))}
    assert origins <= allowed, origins
    assert any(url.startswith(site.jitsi_url + "/external_api.js") for url in site.requests)
