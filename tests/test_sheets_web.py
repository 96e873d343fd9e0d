"""Sheets through the web app: the leader's printable page and PDF, and the staff API batch download."""

from __future__ import annotations

import re
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory
from meetkit.web.keys import DATABASE
from tests.conftest import SeededGroup
from tests.test_sheets_pdf import decode_pages, page_count, pdf_text

Client = TestClient[web.Request, web.Application]
PUBLIC = "https://treffen.example.org"


async def test_leader_sheet_page_is_printable_html_from_the_sheet_template(
    client: Client, group: SeededGroup
) -> None:
    response = await client.get(f"/l/{group.leader_token}/sheet")
    assert response.status == 200
    assert response.content_type == "text/html"
    html = (await response.text()).replace("\u00a0", " ")  # dates and numbers are kept on one line
    assert '<article id="sheet-0" class="sheet' in html
    # the QR code: a labelled image for screen readers, its SVG hidden from them (the <title> is the PDF's /Alt)
    assert '<div class="qr" role="img" aria-label="QR-Code mit der Adresse unserer Gruppe">' in html
    assert '<svg aria-hidden="true" focusable="false" viewBox=' in html
    assert "<title>QR-Code mit der Adresse unserer Gruppe</title>" in html
    assert re.search(r'<ol class="steps">\s*<li class="item">1\. Halten Sie', html)
    assert re.search(r'<ul class="rule-list">\s*<li class="item">• Wir nennen', html)
    assert "Angehörige Sucht" in html and "KISS Beispielstadt" in html and "0911 234567" in html
    assert group.pin is not None
    assert f"{group.pin[:3]} {group.pin[3:6]} {group.pin[6:]} #" in html
    assert "treffen.example.org" in html and group.member_path.removeprefix("/j/") in html
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)
    assert stylesheets == ["/static/sheet-fonts.css", "/static/sheet.css"]
    for path in stylesheets:
        css = await client.get(path)
        assert css.status == 200
        text = await css.text()
        for font in re.findall(r'url\("(/static/fonts/[^"]+)"\)', text):
            assert (await client.get(font)).status == 200
    sheet_css = await (await client.get("/static/sheet.css")).text()
    assert "@page { size: A4" in sheet_css and "@media screen" in sheet_css
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


async def test_leader_sheet_page_in_english_and_as_cards(client: Client, group: SeededGroup) -> None:
    html = await (await client.get(f"/l/{group.leader_token}/sheet?lang=en&layout=cards")).text()
    assert html.count('class="card card-') == 4 and "Scan the code or type the address:" in html
    bad = await client.get(f"/l/{group.leader_token}/sheet?layout=poster")
    assert bad.status == 400


async def test_leader_sheet_pdf_scans_to_the_member_link(
    client: Client, group: SeededGroup, tmp_path: Path
) -> None:
    response = await client.get(f"/l/{group.leader_token}/sheet.pdf")
    assert response.status == 200
    assert response.content_type == "application/pdf"
    assert response.headers["Content-Disposition"] == 'inline; filename="einladung.pdf"'
    pdf = await response.read()
    member_url = PUBLIC + group.member_path
    assert decode_pages(pdf, 150) == [[member_url]]
    assert decode_pages(pdf, 72) == [[member_url]]
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert group.pin is not None
    assert f"{group.pin[:3]} {group.pin[3:6]} {group.pin[6:]} #" in text
    assert "+49 89 1234567" in text and "+49 911 7654321" in text and "Angehörige Sucht" in text

    cards = await (await client.get(f"/l/{group.leader_token}/sheet.pdf?layout=cards&lang=en")).read()
    assert decode_pages(cards, 72) == [[member_url] * 4]


async def test_unknown_leader_token_gets_the_calm_error_page(client: Client) -> None:
    response = await client.get("/l/not-a-real-token/sheet.pdf")
    assert response.status == 404
    assert response.content_type == "text/html"


async def test_leader_page_links_the_sheets(client: Client, group: SeededGroup) -> None:
    html = await (await client.get(f"/l/{group.leader_token}")).text()
    # without ?lang= the sheet comes in the language staff chose for the group
    assert f'href="/l/{group.leader_token}/sheet"' in html
    assert f'href="/l/{group.leader_token}/sheet.pdf?layout=cards"' in html


async def test_hidden_group_names_stay_off_the_sheet(
    client: Client, settings: Settings, tmp_path: Path
) -> None:
    db = client.app[DATABASE]
    await directory.add_contact_point(db, OPERATOR, "Diskrete Stelle", show_group_names=False)
    issued = await directory.add_group(db, settings, OPERATOR, "Geheimes Thema", "diskrete-stelle")
    pdf = await (await client.get(f"/l/{issued.leader_token}/sheet.pdf")).read()
    text = pdf_text(pdf, tmp_path)
    assert "Geheimes Thema" not in text and "Unsere Selbsthilfegruppe" in text


async def test_staff_api_downloads_a_contact_points_sheets(
    client: Client, settings: Settings, api_token: str, tmp_path: Path
) -> None:
    db = client.app[DATABASE]
    await directory.add_contact_point(db, OPERATOR, "KISS Nord", phone="040 123456")
    urls = []
    for i in range(3):
        issued = await directory.add_group(db, settings, OPERATOR, f"Gruppe Nord {i}", "kiss-nord")
        urls.append(f"{PUBLIC}/j/{issued.group.member_code[:5]}-{issued.group.member_code[5:]}")
    await directory.add_group(db, settings, OPERATOR, "Andere Stelle", None)
    auth = {"Authorization": f"Bearer {api_token}"}

    response = await client.get("/api/v1/contact-points/kiss-nord/sheets.pdf", headers=auth)
    assert response.status == 200 and response.content_type == "application/pdf"
    pdf = await response.read()
    assert page_count(pdf) == 3
    assert decode_pages(pdf, 72) == [[u] for u in urls]

    assert (await client.get("/api/v1/contact-points/kiss-nord/sheets.pdf")).status == 401
    missing = await client.get("/api/v1/contact-points/nirgendwo/sheets.pdf", headers=auth)
    assert missing.status == 404 and "nirgendwo" in (await missing.json())["error"]
    bad = await client.get("/api/v1/contact-points/kiss-nord/sheets.pdf?lang=fr", headers=auth)
    assert bad.status == 400

    spec = await (await client.get("/api/v1/openapi.json")).json()
    operation = spec["paths"]["/contact-points/{slug}/sheets.pdf"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]
