"""The member page (de, en, Leichte Sprache) and the practice room page in headless Chromium at 320, 390 and
1280 px: no sideways scrolling, every link at least 48 px high, a visible focus outline, and axe-core with no
WCAG 2.2 A/AA violation (issue 15)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from meetkit.config import load_settings, with_secret
from meetkit.domain.schedules import TIMEZONE
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory, schedules
from meetkit.storage.database import database_for
from meetkit.web.app import create_app
from tests.conftest import free_port
from tests.served import served
from tests.test_kiosk_browser import shot
from tests.test_staff_browser import _axe_violations, browser  # noqa: F401 - the module's browser fixture

WIDTHS = [320, 390, 1280]
PRACTICE = "/ueben/kiss-nord"


@dataclass
class Site:
    """meetkit on loopback with one group whose meeting runs now."""

    url: str
    member_path: str


async def _seed(env: dict[str, str], tmp: Any) -> str:
    settings = with_secret(load_settings(env, env_file=tmp / "no.env"))
    db = database_for(settings.database_url)
    await db.open()
    try:
        await directory.add_contact_point(db, OPERATOR, "KISS Nord", slug="kiss-nord", phone="0911 234567")
        issued = await directory.add_group(db, settings, OPERATOR, "Angehörige Sucht", "kiss-nord")
        now = dt.datetime.now(TIMEZONE)
        start = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)
        await schedules.set_schedule(
            db, OPERATOR, issued.group.id, frequency="weekly", weekday=now.weekday(), start=start.time(),
            duration_minutes=90, place="Raum 2, Gesundheitshaus",
        )  # fmt: skip
        return f"/j/{issued.group.member_code}"
    finally:
        await db.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp = tmp_path_factory.mktemp("member-browser")
    env = {
        "MEETKIT_PUBLIC_URL": "https://treffen.example.org",
        "MEETKIT_DATA_DIR": str(tmp / "data"),
        "JITSI_URL": "https://meet.example.org",
        "MEETKIT_DIALIN_NUMBERS": "DE:+49 89 1234567;DE:+49 911 7654321",
    }
    member_path = asyncio.run(_seed(env, tmp))
    settings = with_secret(load_settings(env, env_file=tmp / "no.env"))
    port = free_port()
    with served((lambda: create_app(settings), port)):
        yield Site(f"http://127.0.0.1:{port}", member_path)


def _check_fit_targets_and_focus(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    links = [e for e in page.query_selector_all("a, button") if e.is_visible()]
    assert len(links) >= 5
    for element in links:
        box = element.bounding_box()
        assert box["height"] >= 48, (element.evaluate("e => e.outerHTML"), box)
    for _ in links:  # every link in keyboard order shows a strong outline when focused
        page.keyboard.press("Tab")
        style = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
        )
        assert style[0] == "A" and style[1] == "solid" and style[2] >= 3, style


@pytest.mark.parametrize("width", WIDTHS)
def test_member_and_practice_pages_fit_have_big_targets_visible_focus_and_pass_axe(
    browser: Any,  # noqa: F811
    site: Site,
    width: int,
) -> None:
    pages = [
        (site.member_path, "member-de"),
        (site.member_path + "?lang=en", "member-en"),
        (site.member_path + "?lang=ls", "member-ls"),
        (PRACTICE, "practice-de"),
        (PRACTICE + "?lang=ls", "practice-ls"),
    ]
    plain = browser.new_context(viewport={"width": width, "height": 900}, locale="de-DE")
    with_axe = browser.new_context(viewport={"width": width, "height": 900}, locale="de-DE", bypass_csp=True)
    try:
        page, axe_page = plain.new_page(), with_axe.new_page()
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
        for path, name in pages:
            page.goto(site.url + path)
            shot(page, f"{name}-{width}")
            _check_fit_targets_and_focus(page, width)
            axe_page.goto(site.url + path)
            assert _axe_violations(axe_page) == [], path
        missing_icon = [e for e in errors if e.endswith("/favicon.ico") or "Failed to load resource" in e]
        assert errors == missing_icon  # the strict CSP refused nothing; CSS and fonts all loaded
        page.goto(site.url + site.member_path)
        assert "Das Treffen läuft gerade" in page.inner_text(".today")
    finally:
        plain.close()
        with_axe.close()
