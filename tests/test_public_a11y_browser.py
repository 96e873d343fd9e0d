"""Every public page in headless Chromium, in German, English and Leichte Sprache, at 390 and 1280 px (issue 15).

One load per page, language and width; on each: axe-core (WCAG 2.2 A/AA, no violation), targets of at least
48 px, a visible focus ring (4 px) on every control, the privacy link in the page's language; at 390 px also
no sideways scrolling at 320 px. axe's results per page go to `axe-results.json` beside the screenshots.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from meetkit.config import Settings, load_settings, with_secret
from meetkit.domain.scope import OPERATOR
from meetkit.services import attendance
from meetkit.storage.database import database_for
from meetkit.web.app import create_app
from tests.conftest import free_port
from tests.public_pages import PublicPages, seed_public_pages
from tests.served import served
from tests.test_kiosk_browser import SCREENSHOTS, shot
from tests.test_staff_browser import WCAG_TAGS, _axe_violations
from tests.test_staff_browser import browser as browser  # the module-scoped Chromium fixture

playwright_api = pytest.importorskip("playwright.sync_api")

LANGUAGES = ["de", "en", "ls"]
WIDTHS = [390, 1280]
CONTROLS = "a[href], button, input:not([type=hidden]), select, summary, [tabindex]"
# Each visible control: its target (a checkbox's or radio's is its label) and its outline when focused.
CHECK_CONTROLS = """selector => {
  const problems = [];
  for (const element of document.querySelectorAll(selector)) {
    if (!element.checkVisibility({ visibilityProperty: true })) continue;
    const boxed = ["checkbox", "radio"].includes(element.type);
    const target = boxed ? element.closest("label") || element : element;
    const rect = target.getBoundingClientRect();
    if (rect.height < 48) problems.push(`${element.outerHTML.slice(0, 80)}: ${rect.height} px high`);
    element.focus({ focusVisible: true });
    const style = getComputedStyle(element);
    if (style.outlineStyle === "none" || parseFloat(style.outlineWidth) < 2) {
      problems.push(`${element.outerHTML.slice(0, 80)}: outline ${style.outlineStyle} ${style.outlineWidth}`);
    }
    element.blur();
  }
  return problems;
}"""

# Visible elements reaching past the right edge, and boxes that scroll sideways inside (like the kiosk's
# panel); only a region made for it (the report's wide table, keyboard-reachable) may scroll on its own.
OUTSIDE_THE_SCREEN = """() => [...document.querySelectorAll("body *")].filter(element => {
  if (!element.checkVisibility({ visibilityProperty: true }) || element.closest(".visually-hidden")) return false;
  if (element.closest("[role=region][tabindex]")) return false;
  const field = element.matches("input, textarea, select");  // a long link in a field scrolls as fields do
  if (!field && element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== "visible") return true;
  for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
    if (getComputedStyle(up).overflowX !== "visible") return false;
  }
  return element.getBoundingClientRect().right > innerWidth + 0.5;
}).map(element => element.outerHTML.slice(0, 80))"""


@dataclass
class Site:
    """meetkit on loopback with one of each public page, and the month's report as a file."""

    url: str
    pages: PublicPages
    reports: dict[str, Path]


async def _seed(settings: Settings, folder: Path) -> tuple[PublicPages, dict[str, Path]]:
    db = database_for(settings.database_url)
    await db.open()
    try:
        pages = await seed_public_pages(db, settings)
        report = await attendance.monthly_report(db, OPERATOR, pages.report_month)
        files = {}
        for lang in LANGUAGES:
            files[lang] = folder / f"report-{lang}.html"
            files[lang].write_text(attendance.report_html(report, lang), encoding="utf-8")
        return pages, files
    finally:
        await db.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """meetkit in a background thread (the kiosk pages need no Jitsi until a meeting is joined)."""
    tmp = tmp_path_factory.mktemp("public-a11y")
    port = free_port()
    env = {"MEETKIT_PUBLIC_URL": f"http://127.0.0.1:{port}", "MEETKIT_DATA_DIR": str(tmp / "data")}
    settings = with_secret(load_settings(env, env_file=tmp / "no.env"))
    pages, reports = asyncio.run(_seed(settings, tmp))
    with served((lambda: create_app(settings), port)):
        yield Site(f"http://127.0.0.1:{port}", pages, reports)


def _results(page: Any) -> dict[str, Any]:
    """axe's verdict in short: violations, and how many rules passed or ask for a person's review."""
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return {
        "violations": [v["id"] for v in result["violations"]],
        "review": sorted({v["id"] for v in result["incomplete"]}),
        "passes": len(result["passes"]),
    }


def _check(page: Any, name: str, lang: str, width: int) -> dict[str, Any]:
    """The checks of one loaded page; returns axe's summary."""
    assert page.evaluate("document.documentElement.lang") == ("en" if lang == "en" else "de"), name
    if name == "kiosk":  # the meeting controls (+/-, end) come into view when a meeting opens
        page.evaluate("document.getElementById('session').hidden = false")
    if name == "sheet":  # the printed sheet: no page footer, its privacy line links the notice
        assert page.locator('a.printed-link[href*="/datenschutz"]').count() == 1, lang
    elif name != "report":
        notice = "/datenschutz" if lang == "de" else f"/datenschutz?lang={lang}"
        assert page.locator(f'footer a[href="{notice}"]').count() == 1, (name, lang)
        switch = page.locator("footer .lang-switch a")
        assert switch.count() == 2, (name, lang)
    assert _axe_violations(page) == [], (name, lang, width)
    summary = _results(page)
    assert page.evaluate(CHECK_CONTROLS, CONTROLS) == [], (name, lang, width)
    shot(page, f"public-{name}-{lang}-{width}")
    if width == WIDTHS[0]:
        page.set_viewport_size({"width": 320, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, (name, lang)
        assert page.evaluate(OUTSIDE_THE_SCREEN) == [], (name, lang)  # also what is fixed, like the kiosk's
    return summary


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_public_page_is_accessible(browser: Any, site: Site, lang: str) -> None:
    found: dict[str, Any] = {}
    for width in WIDTHS:
        context = browser.new_context(
            viewport={"width": width, "height": 800}, locale="de-DE", bypass_csp=True, has_touch=True
        )
        page = context.new_page()
        for name, path in site.pages.paths.items():
            page.set_viewport_size({"width": width, "height": 800})
            response = page.goto(f"{site.url}{path}?lang={lang}")
            assert response.status == (404 if name == "error" else 200), (name, lang)
            found[f"{name} {lang} {width}"] = _check(page, name, lang, width)
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(site.reports[lang].as_uri())
        found[f"report {lang} {width}"] = _check(page, "report", lang, width)
        average = {"de": "3,5", "en": "3.5", "ls": "3,5"}[lang]  # German decimals with a comma
        assert average in page.inner_text("table"), lang
        assert page.locator('svg rect[role=img][aria-label$=": 2"]').count() == 1, (
            lang
        )  # 2 meetings this week
        context.close()
    if SCREENSHOTS:
        out = Path(SCREENSHOTS) / f"axe-results-{lang}.json"
        out.write_text(json.dumps(found, indent=1, ensure_ascii=False), encoding="utf-8")
