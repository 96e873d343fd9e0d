"""The staff group pages in a real headless Chromium (Debian's, through Playwright), at 390 px and 1280 px.

Create a group, copy its member link, edit its schedule (preview, then save), print its sheet; target sizes
and no sideways scrolling; axe-core finds no WCAG 2.2 A/AA violation on the list, a group's page (also with a
mistake shown next to its field), the delete confirmation and the contact point settings.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_kiosk_browser import shot
from tests.test_staff_browser import (
    WIDTHS,
    Site,
    _assert_targets_and_fit,
    _axe_violations,
    _page,
    _sign_in,
    browser,
    site,
)

__all__ = ["browser", "site"]  # the module's fixtures: one server and one Chromium for these tests
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.mark.parametrize("width", WIDTHS)
def test_create_a_group_edit_its_schedule_and_print_its_sheet(browser: Any, site: Site, width: int) -> None:
    page = _page(browser, width)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _sign_in(page, site, "nord@example.org")
    page.get_by_role("link", name="Gruppen", exact=True).first.click()
    page.wait_for_load_state()
    name = f"Gesprächskreis Depression {width}"
    page.get_by_label("Name der Gruppe").fill(name)
    page.get_by_role("button", name="Gruppe anlegen").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Dieser Link wird nur jetzt angezeigt." in main and name in main
    assert page.locator(".staff-issued svg").count() == 1
    _assert_targets_and_fit(page, width)
    shot(page, f"staff-group-created-{width}")

    copy = page.locator("button[data-copy='member-link']")
    assert copy.inner_text() == "Link kopieren"
    copy.click()  # the script showed the button; it copies the read-only field's link
    member_link = page.get_by_role("textbox", name="Link für Mitglieder").input_value()
    playwright_api.expect(copy).to_have_text("Kopiert")  # shown once the clipboard took the link

    page.get_by_label("jede Woche").check()
    page.get_by_label("Wochentag").select_option(label="Donnerstag")
    page.get_by_label("Beginn (Uhrzeit, z. B. 19:00; nicht bei einzelnen Terminen)").fill("19:30")
    page.get_by_label("Dauer in Minuten").fill("abc")
    page.get_by_label("Ort (freiwillig, z. B. Raum 2)").fill("Raum 2")
    page.get_by_role("button", name="Nächste Termine zeigen").click()
    page.wait_for_load_state()
    assert page.locator("#duration-error").inner_text().startswith("Ungültige Dauer „abc“")
    assert page.get_by_label("Ort (freiwillig, z. B. Raum 2)").input_value() == "Raum 2"  # kept as typed
    page.get_by_label("Dauer in Minuten").fill("90")
    page.get_by_role("button", name="Nächste Termine zeigen").click()
    page.wait_for_load_state()
    assert "Vorschau" in page.inner_text("main") and page.locator(".staff-dates li").count() == 3
    page.get_by_role("button", name="Termine speichern").click()
    page.wait_for_load_state()
    assert "Jetzt gespeichert: jeden Donnerstag, 19:30 bis 21:00 Uhr · Ort: Raum 2" in page.inner_text("main")
    _assert_targets_and_fit(page, width)
    shot(page, f"staff-group-schedule-{width}")

    page.get_by_role("link", name="Blatt DIN A4, Deutsch").click()
    page.wait_for_load_state()
    assert page.locator("article.sheet .qr svg").count() == 1 and name in page.inner_text("body")
    assert member_link.removeprefix("https://") in page.inner_text("body")
    shot(page, f"staff-group-sheet-{width}")
    pdf = page.request.get(page.url.replace("/sheet?", "/sheet.pdf?"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert [p for p in page.problems if "Content Security Policy" in p or "Refused" in p] == []
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_group_pages_are_axe_clean(browser: Any, site: Site, width: int) -> None:
    page = _page(browser, width, bypass_csp=True)  # axe is injected as a script: only this test lifts the CSP
    _sign_in(page, site, "admin@example.org")
    page.goto(site.url + "/staff/groups")
    page.get_by_label("Name der Gruppe").fill(f"Angehörige {width}")
    page.get_by_label("Kontaktstelle", exact=True).last.select_option(label="KISS Süd")
    page.get_by_role("button", name="Gruppe anlegen").click()
    page.wait_for_load_state()
    group_path = page.evaluate("document.querySelector('form[action$=\"/rename\"]').getAttribute('action')")
    group_path = group_path.removesuffix("/rename")
    assert _axe_violations(page) == []
    # sheet language (issue 15): choose Leichte Sprache; the group's sheet page then comes in it
    page.get_by_label("Leichte Sprache").check()
    page.get_by_role("button", name="Sprache speichern").click()
    page.wait_for_load_state()
    assert page.get_by_label("Leichte Sprache").is_checked() and page.get_by_role("status").count() == 1
    shot(page, f"staff-group-sheet-language-{width}")
    page.goto(site.url + group_path + "/sheet")
    assert page.locator("h2").first.inner_text() == "Mitmachen über das Internet"
    assert page.get_attribute("html", "lang") == "de" and _axe_violations(page) == [], "the sheet in ls"
    shot(page, f"sheet-leichte-sprache-{width}")
    page.goto(site.url + group_path)
    page.get_by_label("Beginn (Uhrzeit, z. B. 19:00; nicht bei einzelnen Terminen)").fill("halb acht")
    page.get_by_role("button", name="Termine speichern").click()
    page.wait_for_load_state()
    assert page.locator("#start-error").count() == 1
    assert _axe_violations(page) == [], "a mistake next to its field"
    for path in (
        "/staff/groups",
        "/staff/groups?lang=en",
        "/staff/groups?archived=1",
        group_path + "/delete",
        "/staff/contact-points/kiss-sued/settings",
    ):
        page.goto(site.url + path)
        assert _axe_violations(page) == [], path
        _assert_targets_and_fit(page, width)
    shot(page, f"staff-settings-{width}")
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_schedule_editor_shows_the_next_dates_as_you_type(browser: Any, site: Site, width: int) -> None:
    expect = playwright_api.expect
    page = _page(browser, width)
    _sign_in(page, site, "nord@example.org")
    page.goto(site.url + "/staff/groups")
    page.get_by_label("Name der Gruppe").fill(f"Vorschau {width}")
    page.get_by_role("button", name="Gruppe anlegen").click()
    page.wait_for_load_state()
    group_url = page.url
    group_path = page.locator("form[data-preview-url]").get_attribute("action").removesuffix("/schedule")
    dates = page.locator("#schedule-preview li")
    expect(dates).to_have_count(0)  # nothing saved yet: no dates
    page.get_by_label("Wochentag").select_option(label="Montag")
    page.get_by_label("Beginn (Uhrzeit, z. B. 19:00; nicht bei einzelnen Terminen)").fill(
        "20:15"
    )  # typed, not submitted
    expect(dates.first).to_contain_text("Montag, ")
    expect(dates.first).to_contain_text("20:15 bis 21:45 Uhr")
    expect(page.locator("#schedule-preview")).to_contain_text("Vorschau")
    assert dates.count() == 3 and page.url == group_url  # the page stayed: only the list changed
    assert page.locator("#schedule-preview").get_attribute("aria-live") == "polite"
    page.get_by_label("Beginn (Uhrzeit, z. B. 19:00; nicht bei einzelnen Terminen)").fill("25:00")
    expect(page.locator("#start-error")).to_have_text("Ungültige Uhrzeit „25:00“: bitte als 19:30 angeben.")
    assert (
        page.get_by_label("Beginn (Uhrzeit, z. B. 19:00; nicht bei einzelnen Terminen)").get_attribute(
            "aria-invalid"
        )
        == "true"
    )
    expect(dates).to_have_count(0)
    _assert_targets_and_fit(page, width)
    shot(page, f"staff-schedule-preview-mistake-{width}")
    page.get_by_label("Beginn (Uhrzeit, z. B. 19:00; nicht bei einzelnen Terminen)").fill("18:00")
    expect(page.locator("#start-error")).to_have_count(0)
    expect(dates.first).to_contain_text("Montag, ")
    expect(dates.first).to_contain_text("18:00 bis 19:30 Uhr")
    _assert_targets_and_fit(page, width)
    shot(page, f"staff-schedule-preview-{width}")
    assert "Noch kein Termin-Rhythmus gespeichert." in page.inner_text("main")  # a preview saves nothing
    assert [p for p in page.problems if "Content Security Policy" in p or "Refused" in p] == []
    page.context.close()

    page = _page(browser, width, bypass_csp=True)  # axe is injected as a script: only this page lifts the CSP
    _sign_in(page, site, "nord@example.org")
    page.goto(site.url + group_path)
    page.get_by_label("Dauer in Minuten").fill("900")
    expect(page.locator("#duration-error")).to_have_count(1)
    assert _axe_violations(page) == [], "a mistake shown as you type"
    page.get_by_label("Dauer in Minuten").fill("60")
    expect(page.locator("#schedule-preview li").first).to_contain_text("19:00 bis 20:00 Uhr")
    assert _axe_violations(page) == [], "the next dates as you type"
    page.context.close()
