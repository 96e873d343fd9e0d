"""Staff sign-in in a real headless Chromium (Debian's, driven by Playwright), at 390 px and 1280 px.

Sign-in with and without the second factor, sign-out, a forged form, the cookie flags, target sizes, and
axe-core (from npm, installed by `scripts/setup --test` into .axe/) on every staff page: no WCAG 2.2 A/AA
violation.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyotp
import pytest

from meetkit.config import Settings, load_settings, with_secret
from meetkit.domain.scope import OPERATOR
from meetkit.domain.sealing import SecretBox
from meetkit.services import accounts, directory
from meetkit.services.passwords import PasswordHasher
from meetkit.storage.database import database_for
from meetkit.web.app import create_app
from tests.conftest import free_port
from tests.served import served
from tests.staff import GOOD_PASSWORD
from tests.test_kiosk_browser import CHROMIUM, CHROMIUM_ARGS, shot

playwright_api = pytest.importorskip("playwright.sync_api")

AXE = Path(__file__).resolve().parent.parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = [390, 1280]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@dataclass
class Site:
    """meetkit on loopback with an admin, a staff member and one with the second factor."""

    url: str
    settings: Settings
    totp_secret: str
    setup_path: str


async def _seed(settings: Settings) -> tuple[str, str]:
    db = database_for(settings.database_url)
    await db.open()
    hasher = PasswordHasher()
    try:
        await directory.add_contact_point(db, OPERATOR, "KISS Nord", slug="kiss-nord")
        await directory.add_contact_point(db, OPERATOR, "KISS Süd", slug="kiss-sued")
        for login, admin, cps in (
            ("admin@example.org", True, []),
            ("nord@example.org", False, ["kiss-nord"]),
            ("zwei@example.org", False, ["kiss-sued"]),
        ):
            _, link = await accounts.add_account(
                db, settings, OPERATOR, login, None, admin=admin, contact_point_slugs=cps
            )
            token = link.url.rsplit("/", 1)[1]
            await accounts.complete_setup(db, hasher, token, GOOD_PASSWORD, GOOD_PASSWORD)
        zwei = next(a for a in await accounts.list_accounts(db, OPERATOR) if a.login == "zwei@example.org")
        box = SecretBox(settings.secret, "totp")  # as the server seals TOTP secrets
        secret, _ = await accounts.begin_second_factor(db, box, zwei)
        await accounts.confirm_second_factor(db, box, zwei, pyotp.TOTP(secret).at(time.time() - 30))
        _, link = await accounts.add_account(
            db, settings, OPERATOR, "neu@example.org", None, admin=True, contact_point_slugs=[]
        )
        return secret, link.url.removeprefix(settings.public_url)
    finally:
        hasher.close()
        await db.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """meetkit in a background thread; the public URL is https, as in production (cookies are Secure)."""
    tmp = tmp_path_factory.mktemp("staff-browser")
    port = free_port()
    env = {"MEETKIT_PUBLIC_URL": "https://treffen.example.org", "MEETKIT_DATA_DIR": str(tmp / "data")}
    settings = with_secret(load_settings(env, env_file=tmp / "no.env"))
    secret, setup_path = asyncio.run(_seed(settings))
    with served((lambda: create_app(settings), port)):
        yield Site(f"http://127.0.0.1:{port}", settings, secret, setup_path)


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    """One headless Debian Chromium for the module."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (scripts/setup --test installs it)")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _page(browser: Any, width: int, bypass_csp: bool = False) -> Any:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="de-DE", bypass_csp=bypass_csp
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.problems = problems
    return page


def _sign_in(page: Any, site: Site, login: str) -> None:
    page.goto(site.url + "/staff/login")
    page.get_by_label("Anmeldename").fill(login)
    page.get_by_label("Passwort").fill(GOOD_PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


def _assert_targets_and_fit(page: Any, width: int) -> None:
    for element in page.query_selector_all(
        "main button, main input:not([type=hidden]), .staff-nav a, .staff-nav button, .lang-switch a"
    ):
        if not element.is_visible():
            continue
        box = element.bounding_box()
        is_box = element.get_attribute("type") in ("checkbox", "radio")
        minimum = 24 if is_box else 48  # a checkbox sits in a 48 px label
        assert box["height"] >= minimum and box["width"] >= minimum, (
            element.evaluate("e => e.outerHTML"),
            box,
        )
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    assert page.evaluate(ROWS_OUT_OF_LINE) == []  # buttons side by side stand on one line
    assert page.evaluate(WORDS_BROKEN_IN_TABLES) == []  # no "Kon/tak/tst/elle" in a squeezed column


# Words in a table cell that the browser broke over two lines (a column too narrow for them).
WORDS_BROKEN_IN_TABLES = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(`${word[0]} (table.${cell.closest("table").className})`);
      }
    }
  }
  return broken;
}"""


# Buttons of one .staff-actions row that sit side by side (their heights overlap) but not at the same top.
ROWS_OUT_OF_LINE = """() => [...document.querySelectorAll('main .staff-actions')].flatMap(row => {
  const boxes = [...row.querySelectorAll('button, a')].filter(e => e.offsetParent !== null)
    .map(e => [e.textContent.trim(), e.getBoundingClientRect()]);
  return boxes.flatMap(([a, p], i) => boxes.slice(i + 1)
    .filter(([, q]) => q.top < p.bottom && p.top < q.bottom && Math.abs(q.top - p.top) > 1)
    .map(([b, q]) => `${a} (${p.top}) / ${b} (${q.top})`));
})"""


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_in_and_out_without_second_factor(browser: Any, site: Site, width: int) -> None:
    page = _page(browser, width)
    _sign_in(page, site, "nord@example.org")
    assert page.url == site.url + "/staff/", (page.inner_text("main"), page.context.cookies())
    assert "KISS Nord" in page.inner_text("main") and "KISS Süd" not in page.inner_text("main")
    _assert_targets_and_fit(page, width)
    cookie = next(c for c in page.context.cookies() if c["name"] == "meetkit_staff")
    assert (
        cookie["httpOnly"]
        and cookie["secure"]
        and cookie["sameSite"] == "Lax"
        and cookie["path"] == "/staff/"
    )
    assert page.evaluate("document.cookie") == ""  # HttpOnly: scripts cannot read it
    shot(page, f"staff-home-{width}")

    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_load_state()
    assert page.url.endswith("/staff/login?out=1") and "Sie sind abgemeldet." in page.inner_text("main")
    page.goto(site.url + "/staff/")
    assert page.url.startswith(site.url + "/staff/login")
    assert [p for p in page.problems if "Content Security Policy" in p or "Refused" in p] == []
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_in_with_second_factor(browser: Any, site: Site, width: int) -> None:
    page = _page(browser, width)
    _sign_in(page, site, "zwei@example.org")
    assert page.url.startswith(site.url + "/staff/login")
    code = page.get_by_label("Einmal-Code")
    _assert_targets_and_fit(page, width)
    shot(page, f"staff-code-{width}")
    code.fill(pyotp.TOTP(site.totp_secret).at(time.time() + (30 if width == 1280 else 0)))
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_load_state()
    assert page.url == site.url + "/staff/" and "KISS Süd" in page.inner_text("main")
    page.context.close()


def test_forged_form_is_refused(browser: Any, site: Site) -> None:
    page = _page(browser, 1280)
    _sign_in(page, site, "nord@example.org")
    page.goto(site.url + "/staff/account")
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_load_state()
    assert "nicht von dieser Seite abgeschickt" in page.inner_text("main")
    page.goto(site.url + "/staff/")
    assert page.url == site.url + "/staff/"  # still signed in: the forged sign-out did nothing
    page.context.close()


def _axe_violations(page: Any) -> list[str]:
    if not AXE.exists():
        if os.environ.get("CI"):
            raise AssertionError("axe-core is missing: run scripts/setup --test")
        pytest.skip("axe-core is not installed (scripts/setup --test installs it into .axe/)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in result["violations"]]


def _assert_audit_log_reads_whole(page: Any) -> None:
    """Every time in the audit log on one line, every action in whole words, and nothing to scroll sideways."""
    lines = page.evaluate(
        """sel => [...document.querySelectorAll(sel)].map(e => {
            const range = document.createRange(); range.selectNodeContents(e);
            return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; })""",
        ".staff-log .staff-when",
    )
    assert lines and set(lines) == {1}, lines
    words = page.evaluate(
        """() => [...document.querySelectorAll('.staff-log .staff-words')].every(e => {
            const range = document.createRange(); range.selectNodeContents(e);
            const tops = [...range.getClientRects()].map(r => Math.round(r.top));
            return e.textContent.trim().split(/\\s+/).length >= new Set(tops).size; })"""
    )
    assert words  # no more lines than words: no word broken in two
    region = page.locator(".staff-table-wrap")
    assert region.evaluate("e => e.scrollWidth <= e.clientWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_staff_page_is_axe_clean(browser: Any, site: Site, width: int) -> None:
    page = _page(browser, width, bypass_csp=True)  # axe is injected as a script: only this test lifts the CSP
    page.goto(site.url + site.setup_path)
    assert _axe_violations(page) == []
    page.goto(site.url + "/staff/login?lang=en")
    assert _axe_violations(page) == []
    _sign_in(page, site, "admin@example.org")
    for path in ("/staff/", "/staff/admin/accounts", "/staff/admin/audit", "/staff/account"):
        page.goto(site.url + path)
        assert _axe_violations(page) == [], path
        _assert_targets_and_fit(page, width)
        if path == "/staff/admin/audit":
            _assert_audit_log_reads_whole(page)
        shot(page, f"staff-admin-{path.strip('/').replace('/', '-')}-{width}")
    start = page.get_by_role("button", name="Zwei-Faktor-Anmeldung einrichten")
    if start.count():  # the first width's run started it already
        start.click()
        page.wait_for_load_state()
    assert page.locator(".staff-qr svg").count() == 1
    assert _axe_violations(page) == []
    shot(page, f"staff-account-qr-{width}")
    page.get_by_label("Code aus der App").fill("000000")
    page.get_by_role("button", name="Einschalten").click()
    page.wait_for_load_state()
    assert re.search("Der Code stimmt nicht", page.inner_text("main"))
    assert _axe_violations(page) == []
    page.context.close()
