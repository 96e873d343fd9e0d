"""Tablets, reports and API tokens in headless Chromium at 390 px and 1280 px: pair a tablet by the QR code on
the staff screen, read the month's report, make an API token; axe-core finds no WCAG 2.2 A/AA violation."""

from __future__ import annotations

import io
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from tests import test_staff_browser as staff_browser
from tests.test_kiosk_browser import shot
from tests.test_staff_browser import WIDTHS, Site, _assert_targets_and_fit, _axe_violations, _page, _sign_in

site = staff_browser.site  # this module's own server and browser, set up as for the sign-in tests
browser = staff_browser.browser


@pytest.mark.parametrize("width", WIDTHS)
def test_pair_a_tablet_by_its_qr_code(browser: Any, site: Site, width: int) -> None:
    page = _page(browser, width, bypass_csp=True)  # axe is injected as a script: the CSP is lifted here only
    _sign_in(page, site, "nord@example.org")
    page.get_by_role("link", name="Tablets").click()
    page.wait_for_load_state()
    assert _axe_violations(page) == []
    page.get_by_label("Name des Tablets").fill(f"Tablet {width}")
    page.get_by_role("button", name="Tablet anlegen und koppeln").click()
    page.wait_for_load_state()
    qr = page.locator("#pairing-qr")
    qr.scroll_into_view_if_needed()
    decoded = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))]
    assert decoded == [page.inner_text("#pairing-link")]
    assert decoded[0].startswith(site.settings.public_url + "/kiosk/pair/")
    assert _axe_violations(page) == []
    _assert_targets_and_fit(page, width)
    shot(page, f"staff-tablet-pairing-{width}")

    tablet = page.context.browser.new_context(viewport={"width": 1024, "height": 768}, locale="de-DE")
    kiosk = tablet.new_page()  # the tablet: a browser of its own, with the link the camera read
    kiosk.goto(site.url + decoded[0].removeprefix(site.settings.public_url))
    kiosk.get_by_role("button", name="Dieses Tablet koppeln").click()
    kiosk.wait_for_load_state()
    assert "/kiosk/" in kiosk.url and "Treffen heute" in kiosk.inner_text("main")
    assert "KISS Nord" in kiosk.inner_text("main")
    tablet.close()

    page.goto(site.url + "/staff/tablets")
    row = page.get_by_role("row", name=f"Tablet {width}")
    assert "gekoppelt" in row.inner_text() and "noch nie" not in row.inner_text()
    _assert_targets_and_fit(page, width)
    page.context.close()

    admin = _page(browser, width, bypass_csp=True)  # an admin's list has a column more: the contact point
    _sign_in(admin, site, "admin@example.org")
    admin.goto(site.url + "/staff/tablets")
    assert "Kontaktstelle" in admin.inner_text("table") and f"Tablet {width}" in admin.inner_text("table")
    assert _axe_violations(admin) == []
    _assert_targets_and_fit(admin, width)
    shot(admin, f"staff-tablets-admin-{width}")
    admin.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_read_the_months_report(browser: Any, site: Site, width: int) -> None:
    page = _page(browser, width, bypass_csp=True)  # axe is injected as a script: the CSP is lifted here only
    _sign_in(page, site, "admin@example.org")
    page.get_by_role("link", name="Berichte").click()
    page.wait_for_load_state()
    assert page.locator(".staff-report svg[role=group]").count() == 2  # the weekly bar charts, each bar named
    assert "KISS Nord" in page.inner_text("main") and "KISS Süd" in page.inner_text("main")
    assert _axe_violations(page) == []
    _assert_targets_and_fit(page, width)
    shot(page, f"staff-report-{width}")
    page.get_by_label("Monat (JJJJ-MM)").fill("11/2026")
    page.get_by_role("button", name="Anzeigen").click()
    page.wait_for_load_state()
    assert "Der Monat muss die Form JJJJ-MM haben" in page.inner_text("main")
    assert page.get_by_label("Monat (JJJJ-MM)").input_value() == "11/2026"
    assert _axe_violations(page) == []
    with page.expect_download() as download:
        page.goto(site.url + "/staff/reports")
        page.get_by_role("link", name="Als CSV herunterladen").click()
    assert download.value.suggested_filename.startswith("teilnahme-")

    page.get_by_role("link", name="API-Tokens").click()  # the admin's API tokens page, on the same visit
    page.get_by_label("Name (wofür das Token ist)").fill(f"Statistik {width}")
    page.get_by_label("KISS Süd").check()
    page.get_by_role("button", name="Token erstellen").click()
    page.wait_for_load_state()
    assert page.inner_text("#new-token").startswith("mk_")
    assert _axe_violations(page) == []
    _assert_targets_and_fit(page, width)
    shot(page, f"staff-api-token-{width}")
    page.context.close()
