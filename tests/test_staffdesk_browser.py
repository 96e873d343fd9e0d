"""The staff desk in a real headless Chromium at 390 px and 1280 px: import a list, a batch of sheets with its
progress bar and download; axe-core finds no WCAG 2.2 A/AA violation on these pages."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from meetkit.config import load_settings, with_secret
from meetkit.domain.scope import OPERATOR
from meetkit.services import accounts, directory
from meetkit.services.passwords import PasswordHasher
from meetkit.storage.database import database_for
from meetkit.web.app import create_app
from tests.conftest import free_port
from tests.served import served
from tests.staff import GOOD_PASSWORD
from tests.test_kiosk_browser import shot
from tests.test_staff_browser import (
    WIDTHS,
    _assert_targets_and_fit,
    _axe_violations,
    _page,
    _sign_in,
    browser,  # noqa: F401 - the module's Chromium (uses this module's `site`)
)


@dataclass
class Site:
    """meetkit on loopback with a staff member of kiss-nord, which has 40 groups."""

    url: str


async def _seed(settings: Any) -> None:
    db = database_for(settings.database_url)
    await db.open()
    hasher = PasswordHasher()
    try:
        await directory.add_contact_point(db, OPERATOR, "KISS Nord", slug="kiss-nord")
        for n in range(40):
            await directory.add_group(db, settings, OPERATOR, f"Gesprächskreis {n:02d}", "kiss-nord")
        _, link = await accounts.add_account(
            db, settings, OPERATOR, "nord@example.org", None, admin=False, contact_point_slugs=["kiss-nord"]
        )
        await accounts.complete_setup(db, hasher, link.url.rsplit("/", 1)[1], GOOD_PASSWORD, GOOD_PASSWORD)
    finally:
        hasher.close()
        await db.close()


IMPORTED: list[int] = []  # the widths whose run imported a group into this process's module-scoped site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """meetkit in a background thread (https public URL, as in production)."""
    tmp = tmp_path_factory.mktemp("staffdesk-browser")
    port = free_port()
    env = {"MEETKIT_PUBLIC_URL": "https://treffen.example.org", "MEETKIT_DATA_DIR": str(tmp / "data")}
    settings = with_secret(load_settings(env, env_file=tmp / "no.env"))
    asyncio.run(_seed(settings))
    with served((lambda: create_app(settings), port)):
        yield Site(f"http://127.0.0.1:{port}")


@pytest.mark.parametrize("width", WIDTHS)
def test_import_and_batch_with_progress(browser: Any, site: Site, width: int, tmp_path: Path) -> None:  # noqa: F811
    page = _page(browser, width, bypass_csp=False)
    _sign_in(page, site, "nord@example.org")
    page.get_by_role("link", name="Gruppen aus einer Liste übernehmen (CSV, Excel)").click()
    page.wait_for_load_state()
    _assert_targets_and_fit(page, width)
    listing = tmp_path / "liste.csv"
    listing.write_text(f"Gruppe;Telefon\nNeue Gruppe {width};0911 1\nGesprächskreis 01;\n", encoding="utf-8")
    page.get_by_label("Datei (CSV oder .xlsx)").set_input_files(str(listing))
    page.get_by_role("button", name="Vorschau zeigen").click()
    page.wait_for_load_state()
    assert "1 neue Gruppen, 1 Zeilen werden übersprungen" in page.inner_text("main")
    _assert_targets_and_fit(page, width)
    shot(page, f"staffdesk-import-preview-{width}")
    page.get_by_role("button", name="1 Gruppe anlegen").click()
    page.wait_for_load_state()
    assert "1 Gruppe angelegt" in page.inner_text("main")
    IMPORTED.append(width)  # this process's site now has one more group (widths may run in other workers)

    page.goto(site.url + "/staff/")
    page.get_by_role("link", name="Einladungsblätter vieler Gruppen als ein PDF").click()
    page.wait_for_load_state()
    _assert_targets_and_fit(page, width)
    page.get_by_role("button", name="PDF erstellen").click()
    page.wait_for_load_state()
    assert "/staff/sheets/" in page.url
    bar = page.locator("#batch-progress")
    assert bar.is_visible()
    seen = {int(bar.get_attribute("value") or 0)}
    download_link = page.get_by_role("link", name="PDF herunterladen")
    for _ in range(1200):  # the script updates the bar without reloading the page
        seen.add(int(bar.get_attribute("value") or 0))
        if download_link.is_visible():
            break
        page.wait_for_timeout(100)
    assert download_link.is_visible(), page.inner_text("main")
    seen.add(int(bar.get_attribute("value") or 0))  # the script may set 100 and show the link in one step
    assert f"Fertig: {40 + len(IMPORTED)} Blätter in einem PDF." in page.inner_text("#batch-status")
    assert 100 in seen and len(seen) >= 2, seen  # it moved while we watched
    _assert_targets_and_fit(page, width)
    shot(page, f"staffdesk-batch-done-{width}")
    with page.expect_download() as fetched:
        download_link.click()
    assert fetched.value.suggested_filename.endswith(".pdf")
    assert Path(fetched.value.path()).read_bytes().startswith(b"%PDF")
    assert [p for p in page.problems if "Content Security Policy" in p or "Refused" in p] == []
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_staffdesk_pages_are_axe_clean(browser: Any, site: Site, width: int, tmp_path: Path) -> None:  # noqa: F811
    page = _page(browser, width, bypass_csp=True)  # axe is injected as a script
    _sign_in(page, site, "nord@example.org")
    for path in ("/staff/", "/staff/import", "/staff/sheets", "/staff/sheets?lang=en"):
        page.goto(site.url + path)
        assert _axe_violations(page) == [], path
    page.goto(site.url + "/staff/import")
    listing = tmp_path / "kaputt.xlsx"
    listing.write_bytes(b"PK\x03\x04kaputt")
    page.get_by_label("Datei (CSV oder .xlsx)").set_input_files(str(listing))
    page.get_by_role("button", name="Vorschau zeigen").click()
    page.wait_for_load_state()
    assert "lässt sich nicht lesen" in page.inner_text("#import-file-error")
    assert _axe_violations(page) == []
    listing = tmp_path / "liste.csv"
    listing.write_text("Name\nGesprächskreis 02\nNoch eine\n\n", encoding="utf-8")
    page.get_by_label("Datei (CSV oder .xlsx)").set_input_files(str(listing))
    page.get_by_role("button", name="Vorschau zeigen").click()
    page.wait_for_load_state()
    assert _axe_violations(page) == []
    page.goto(site.url + "/staff/sheets")
    page.get_by_role("button", name="PDF erstellen").click()
    page.wait_for_load_state()
    assert _axe_violations(page) == []
    page.context.close()
