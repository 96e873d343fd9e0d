"""The sheet's cards page (`?layout=cards`) in headless Chromium: on a phone (390 and 320 px) one card under
the other without sideways scrolling, axe clean, in German, English and Leichte Sprache; a wide window and
print keep the four A6 cards on an A4 page (the PDF itself: tests/test_sheets_pdf.py)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_kiosk_browser import shot
from tests.test_public_a11y_browser import CHECK_CONTROLS, CONTROLS, OUTSIDE_THE_SCREEN, Site
from tests.test_public_a11y_browser import site as site  # the public pages, served once for the module
from tests.test_staff_browser import _axe_violations
from tests.test_staff_browser import browser as browser  # the module-scoped Chromium fixture

pytest.importorskip("playwright.sync_api")

LANGUAGES = ["de", "en", "ls"]
PHONES = [390, 320]
MM = 96 / 25.4  # CSS pixels per millimetre
# Each card's left and right edge and its top, in CSS pixels.
CARD_BOXES = """() => [...document.querySelectorAll("article.card")].map(card => {
  const box = card.getBoundingClientRect();
  return [box.left, box.right, box.top];
})"""


def _cards_url(site: Site, lang: str) -> str:
    return f"{site.url}{site.pages.paths['sheet']}?lang={lang}&layout=cards"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_cards_page_fits_a_phone_without_scrolling_sideways(browser: Any, site: Site, lang: str) -> None:
    context = browser.new_context(
        viewport={"width": PHONES[0], "height": 800}, locale="de-DE", bypass_csp=True, has_touch=True
    )
    page = context.new_page()
    response = page.goto(_cards_url(site, lang))
    assert response.status == 200 and page.locator("article.card").count() == 4
    assert page.evaluate("document.documentElement.lang") == ("en" if lang == "en" else "de")
    for width in PHONES:
        page.set_viewport_size({"width": width, "height": 800})
        scrolled = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        assert scrolled[0] <= scrolled[1], (lang, width, scrolled)
        assert page.evaluate(OUTSIDE_THE_SCREEN) == [], (lang, width)
        boxes = page.evaluate(CARD_BOXES)
        assert all(left >= 0 and right <= width for left, right, _ in boxes), (lang, width, boxes)
        assert [top for _, _, top in boxes] == sorted({top for _, _, top in boxes}), (lang, width)  # a column
        page.evaluate("scrollTo(0, 0)")
        shot(page, f"sheet-cards-{lang}-{width}")
        assert _axe_violations(page) == [], (lang, width)
        assert page.evaluate(CHECK_CONTROLS, CONTROLS) == [], (lang, width)
    context.close()


def test_a_wide_window_and_print_keep_four_cards_on_the_a4_page(browser: Any, site: Site) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
    page = context.new_page()
    page.goto(_cards_url(site, "de"))
    for media, width in (("screen", 1280), ("print", 390)):  # print ignores the phone's column
        page.emulate_media(media=media)
        page.set_viewport_size({"width": width, "height": 900})
        (left1, _, top1), (left2, _, top2), (left3, _, top3), _ = page.evaluate(CARD_BOXES)
        assert top1 == top2 and abs(left2 - left1 - 105 * MM) < 1, media  # side by side, 105 mm apart
        assert left3 == left1 and abs(top3 - top1 - 148 * MM) < 1, media  # the second row 148 mm lower
    context.close()
