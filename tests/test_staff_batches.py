"""Sheets for many groups: a background batch with progress and a download; `meetkit sheets` on a terminal."""

from __future__ import annotations

import asyncio

import pypdfium2 as pdfium

from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory
from meetkit.web.keys import DATABASE
from tests.dbtools import rows
from tests.staff import Client, StaffBrowser


async def _wait_until_done(browser: StaffBrowser, path: str) -> dict[str, object]:
    seen = []
    for _ in range(600):
        response = await browser.client.get(path + ".json", headers={"Cookie": _cookie(browser)})
        assert response.status == 200, await response.text()
        data = await response.json()
        seen.append(data["done"])
        if data["state"] != "running":
            assert seen == sorted(seen)  # progress only grows
            return data  # type: ignore[no-any-return]
        await asyncio.sleep(0.1)
    raise AssertionError("the batch did not finish")


def _cookie(browser: StaffBrowser) -> str:
    return "; ".join(f"{k}={v}" for k, v in browser.cookies.items())


async def test_batch_with_progress_and_download(seeded: Client, settings: Settings) -> None:
    db = seeded.app[DATABASE]
    nord_ids = [
        (await directory.add_group(db, settings, OPERATOR, f"Nord {n}", "kiss-nord")).group.id
        for n in range(30)
    ]
    sued_id = (await directory.add_group(db, settings, OPERATOR, "Süd", "kiss-sued")).group.id
    nord, admin = StaffBrowser(seeded), StaffBrowser(seeded)
    assert (await nord.sign_in("nord@example.org")).status == 303
    assert (await admin.sign_in("admin@example.org")).status == 303

    form = await nord.get("/staff/sheets")
    assert form.status == 200 and form.text.count('name="group"') == 30 and "Süd" not in form.text
    # a group of another contact point in the selection: 404, no batch
    foreign = await nord.post("/staff/sheets", [("contact_point", "kiss-nord"), ("group", str(sued_id))])
    assert foreign.status == 404
    assert rows(settings, "SELECT id FROM sheet_batches") == []

    # two staff start batches at once: all 30 of kiss-nord (A4) and two of them as cards, in English
    await admin.get("/staff/sheets?contact_point=kiss-nord")
    started = await asyncio.gather(
        nord.post("/staff/sheets", {"contact_point": "kiss-nord", "lang": "de", "layout": "a4"}),
        admin.post(
            "/staff/sheets",
            [("contact_point", "kiss-nord"), ("lang", "en"), ("layout", "cards")]
            + [("group", str(i)) for i in nord_ids[:2]],
        ),
    )
    assert [p.status for p in started] == [303, 303]
    nord_path, admin_path = (p.location or "" for p in started)
    page = await nord.get(nord_path)
    assert page.status == 200 and 'id="batch-progress"' in page.text
    if 'data-state="running"' in page.text:  # without JavaScript the page refreshes itself
        assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    # the other contact point's member cannot see or fetch it; nor can the admin's be reached by a stranger
    assert (await nord.get(admin_path)).status == 200  # same contact point: same batches
    done, other = await asyncio.gather(_wait_until_done(nord, nord_path), _wait_until_done(admin, admin_path))
    assert (done["state"], done["done"], done["total"], done["percent"]) == ("done", 30, 30, 100)
    assert other["state"] == "done" and other["total"] == 2
    page = await nord.get(nord_path + "?lang=en")
    assert "Done: 30 sheets in one PDF." in page.text and 'id="batch-download" hidden' not in page.text
    download = await seeded.get(nord_path + ".pdf", headers={"Cookie": _cookie(nord)})
    assert download.status == 200 and download.headers["Content-Type"] == "application/pdf"
    body = await download.read()
    assert len(pdfium.PdfDocument(body)) == 30
    cards = await (await seeded.get(admin_path + ".pdf", headers={"Cookie": _cookie(admin)})).read()
    assert len(pdfium.PdfDocument(cards)) == 2  # one A4 page of four cards per group
    audit = rows(settings, "SELECT actor, target FROM audit_log WHERE action = 'sheets_batch' ORDER BY id")
    assert sorted(a["actor"] for a in audit) == ["admin@example.org", "nord@example.org"]

    # a batch of kiss-sued is not there for kiss-nord's member: page, progress and PDF answer 404
    await admin.get("/staff/sheets?contact_point=kiss-sued")
    sued = await admin.post("/staff/sheets", {"contact_point": "kiss-sued"})
    sued_path = sued.location or ""
    await _wait_until_done(admin, sued_path)
    for suffix in ("", ".json", ".pdf"):
        refused = await seeded.get(sued_path + suffix, headers={"Cookie": _cookie(nord)})
        assert refused.status == 404, suffix
    missing = await nord.get("/staff/sheets/99999.json")
    assert missing.status == 404 and "Keinen Druckauftrag mit der Nummer 99999." in missing.text
    # a contact point without groups: the form again with a clear message
    await directory.add_contact_point(db, OPERATOR, "KISS Leer", slug="kiss-leer")
    empty = await admin.post("/staff/sheets", {"contact_point": "kiss-leer"})
    assert empty.status == 400 and "es gibt nichts zu drucken" in empty.text
