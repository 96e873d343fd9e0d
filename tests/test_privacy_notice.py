"""The privacy notice `/datenschutz` (Art. 13 GDPR): from configuration, in German, English and Leichte
Sprache, linked from every public page and printed on the sheet; axe-clean in Chromium at 390 and 1280 px."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from meetkit.config import Settings, load_settings, with_secret
from meetkit.web.app import create_app
from tests.conftest import ClientFactory, SeededGroup, free_port
from tests.served import served
from tests.test_kiosk_browser import CHROMIUM, CHROMIUM_ARGS, shot
from tests.test_staff_browser import _axe_violations

OPERATOR = {
    "operator_name": "KISS Beispielstadt e. V.",
    "operator_contact": "Hauptstraße 1, 90402 Nürnberg, info@kiss.example",
    "dpo_contact": "Dr. Daten, datenschutz@kiss.example",
    "imprint_url": "https://kiss.example/impressum",
    "retention_months": 18,
}


def visible(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


async def test_the_notice_names_the_operator_and_is_linked_from_every_public_page(
    aiohttp_client: ClientFactory, settings: Settings, group: SeededGroup
) -> None:
    client = await aiohttp_client(create_app(dataclasses.replace(settings, **OPERATOR)))  # type: ignore[arg-type]
    german = await client.get("/datenschutz")
    assert german.status == 200 and german.headers["Content-Security-Policy"].startswith("default-src 'none'")
    text = visible(await german.text())
    for fact in [
        "KISS Beispielstadt e. V. Hauptstraße 1, 90402 Nürnberg, info@kiss.example",
        "Dr. Daten, datenschutz@kiss.example",
        "nach 18 Monaten",
        "Keine Namen, keine E-Mail-Adressen, keine IP-Adressen",
        "sieht die Telefonanlage des Betreibers Ihre Rufnummer",  # dial-in is configured
        "Art. 77 DSGVO",
        "English",
        "Leichte Sprache",
    ]:
        assert fact in text, fact
    english = visible(await (await client.get("/datenschutz?lang=en")).text())
    assert "Privacy notice" in english and "after 18 months" in english and "KISS Beispielstadt" in english
    easy_page = await (await client.get("/datenschutz?lang=ls")).text()
    assert '<html lang="de" class="easy-read">' in easy_page  # large type for Leichte Sprache
    easy = visible(easy_page)
    assert "Nach 18 Monaten löschen wir die Zahlen" in easy and "Wer ist zuständig?" in easy
    assert 'href="/datenschutz?lang=ls"' in easy_page  # the footer keeps the language
    # every public page links the notice and the imprint
    for path in (group.member_path, f"/l/{group.leader_token}", "/j/zzzzz-zzzzz"):
        page = await (await client.get(path)).text()
        assert 'href="/datenschutz"' in page and 'href="https://kiss.example/impressum"' in page, path
    leader_easy = await (await client.get(f"/l/{group.leader_token}?lang=ls")).text()
    assert '<html lang="de" class="easy-read">' in leader_easy  # every public page has Leichte Sprache now
    staff_easy = await (await client.get("/staff/login?lang=ls")).text()  # staff pages do not: German
    assert '<html lang="de">' in staff_easy and "Anmelden" in staff_easy
    sheet = visible(await (await client.get(f"/l/{group.leader_token}/sheet")).text())
    assert "Datenschutz: treffen.example.org/datenschutz" in sheet


async def test_without_operator_settings_the_notice_says_whom_to_ask_and_no_imprint_is_linked(
    client: Any, group: SeededGroup
) -> None:
    text = visible(await (await client.get("/datenschutz")).text())
    assert "Der Betreiber hat seinen Namen und seine Anschrift hier noch nicht eingetragen" in text
    assert "Hier ist kein Kontakt eingetragen" in text and "nach 24 Monaten" in text
    page = await (await client.get(group.member_path)).text()
    assert 'href="/datenschutz"' in page and "Impressum" not in page


# --- in Chromium, with axe-core ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """meetkit in a background thread, with the operator configured."""
    tmp = tmp_path_factory.mktemp("notice-browser")
    env = {
        "MEETKIT_PUBLIC_URL": "https://treffen.example.org",
        "MEETKIT_DATA_DIR": str(tmp / "data"),
        "MEETKIT_OPERATOR_NAME": OPERATOR["operator_name"],
        "MEETKIT_OPERATOR_CONTACT": OPERATOR["operator_contact"],
        "MEETKIT_DPO_CONTACT": OPERATOR["dpo_contact"],
        "MEETKIT_IMPRINT_URL": OPERATOR["imprint_url"],
    }
    settings = with_secret(load_settings(env, env_file=tmp / "no.env"))
    port = free_port()
    with served((lambda: create_app(settings), port)):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the module."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup --test installs it)")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_notice_is_axe_clean_and_fits_in_chromium(browser: Any, site: str, width: int) -> None:
    # axe is injected as a script: only this test lifts the CSP
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="de-DE", bypass_csp=True)
    page = context.new_page()
    for lang in ("de", "en", "ls"):
        page.goto(f"{site}/datenschutz?lang={lang}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, lang
        assert _axe_violations(page) == [], lang
        for link in page.query_selector_all(".lang-switch a, .legal-links a"):
            box = link.bounding_box()
            assert box["height"] >= 24, link.evaluate("e => e.outerHTML")
        shot(page, f"privacy-notice-{lang}-{width}")
    page.get_by_role("link", name="Deutsch").click()
    page.wait_for_load_state()
    assert page.url.endswith("/datenschutz?lang=de")
    assert page.locator("h1").inner_text() == "Datenschutzhinweise"
    context.close()
