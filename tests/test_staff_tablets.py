"""The staff tablets page through the test client: list, add, pair by the shown link, last seen, revoke."""

from __future__ import annotations

import datetime as dt
import html
import re

from meetkit.config import Settings
from meetkit.domain.devices import timestamp
from meetkit.domain.scope import OPERATOR
from meetkit.services import devices, inventory
from meetkit.web.keys import DATABASE
from tests.dbtools import execute, rows
from tests.staff import ISO_MOMENT, Client, StaffBrowser, shown_time


def _pairing_path(text: str) -> str:
    found = re.search(r'<code id="pairing-link">https?://[^/]+(/kiosk/pair/[^<]+)</code>', text)
    assert found, text[:2000]
    return html.unescape(found.group(1))


async def test_staff_add_pair_see_and_revoke_a_tablet(seeded: Client, settings: Settings) -> None:
    db = seeded.app[DATABASE]
    await devices.add_device(db, OPERATOR, "Tablet Süd", "kiss-sued")
    member = StaffBrowser(seeded)
    await member.sign_in("nord@example.org")
    page = await member.get("/staff/tablets")
    assert page.status == 200 and "Noch keine Tablets." in page.text and "Tablet Süd" not in page.text
    assert 'href="/staff/tablets"' in (await member.get("/staff/")).text  # in the staff nav

    # A name that is only blanks: a clear message next to the field, what was typed is kept, nothing stored.
    await member.get("/staff/tablets")
    bad = await member.post("/staff/tablets", {"name": "  ", "contact_point": "kiss-nord"})
    assert bad.status == 400 and 'aria-invalid="true"' in bad.text
    assert "Name des Tablets" in (bad.alert() or "")
    assert rows(settings, "SELECT id FROM devices WHERE contact_point_id = 1") == []
    foreign = await member.post("/staff/tablets", {"name": "Fremd", "contact_point": "kiss-sued"})
    assert foreign.status == 404 and len(rows(settings, "SELECT id FROM devices")) == 1

    added = await member.post("/staff/tablets", {"name": "Tablet Raum 2", "contact_point": "kiss-nord"})
    assert added.status == 200 and 'id="pairing-qr"' in added.text and "<svg" in added.text
    assert "wartet auf Kopplung" in added.text and "noch nie" in added.text
    (opened,) = rows(settings, "SELECT pairing_expires_at FROM devices WHERE name = 'Tablet Raum 2'")
    assert f"Der Link gilt einmal, bis {shown_time(opened['pairing_expires_at'])}. " in added.text
    pair = _pairing_path(added.text)
    kiosk = await seeded.post(pair, allow_redirects=False)
    assert kiosk.status == 303 and kiosk.headers["Location"].startswith("/kiosk/")
    kiosk_path = kiosk.headers["Location"]
    assert (await seeded.get(kiosk_path)).status == 200
    listed = await member.get("/staff/tablets")
    assert "gekoppelt" in listed.text and "noch nie" not in listed.text
    (seen,) = rows(settings, "SELECT last_seen_at FROM devices WHERE name = 'Tablet Raum 2'")
    shown = f'data-label="Zuletzt gesehen">{shown_time(seen["last_seen_at"])}</td>'
    assert shown in listed.text and not ISO_MOMENT.search(listed.text)
    in_english = await member.get("/staff/tablets?lang=en")
    assert f'data-label="Last seen">{shown_time(seen["last_seen_at"], "en")}</td>' in in_english.text

    # "Last seen" is written at most once a minute: a visit 30 s later keeps it, one 2 min later moves it.
    recent, old = _ago(30), _ago(120)
    execute(settings, "UPDATE devices SET last_seen_at = ? WHERE name = 'Tablet Raum 2'", recent)
    await seeded.get(kiosk_path)
    (kept,) = rows(settings, "SELECT last_seen_at FROM devices WHERE name = 'Tablet Raum 2'")
    assert kept["last_seen_at"] == recent
    execute(settings, "UPDATE devices SET last_seen_at = ? WHERE name = 'Tablet Raum 2'", old)
    await seeded.get(kiosk_path)
    (moved,) = rows(settings, "SELECT last_seen_at FROM devices WHERE name = 'Tablet Raum 2'")
    assert moved["last_seen_at"] > recent

    (tablet,) = rows(settings, "SELECT id FROM devices WHERE name = 'Tablet Raum 2'")
    number = tablet["id"]
    renewed = await member.post(f"/staff/tablets/{number}/pairing")
    assert renewed.status == 200 and _pairing_path(renewed.text) != pair

    confirm = await member.get(f"/staff/tablets/{number}/revoke")
    assert confirm.status == 200 and "„Tablet Raum 2“ abmelden?" in html.unescape(confirm.text)
    unticked = await member.post(f"/staff/tablets/{number}/revoke", {})
    assert unticked.status == 400 and "bestätigen" in unticked.text
    assert rows(settings, f"SELECT revoked FROM devices WHERE id = {number}")[0]["revoked"] in (0, False)
    done = await member.post(f"/staff/tablets/{number}/revoke", {"confirm": "yes"})
    assert done.status == 303 and done.location == "/staff/tablets?done=revoked"
    assert (await seeded.get(kiosk_path)).status == 403
    after = await member.get("/staff/tablets?done=revoked")
    assert "Das Tablet ist abgemeldet." in after.text and "abgemeldet" in after.text
    actions = [r["action"] for r in rows(settings, "SELECT action FROM audit_log ORDER BY id")]
    assert actions[-3:] == ["device_added", "device_pairing_opened", "device_revoked"]


async def test_admin_filters_tablets_by_contact_point_in_english(seeded: Client) -> None:
    db = seeded.app[DATABASE]
    await devices.add_device(db, OPERATOR, "Tablet Nord", "kiss-nord")
    await devices.add_device(db, OPERATOR, "Tablet Süd", "kiss-sued")
    await inventory.add_item(db, OPERATOR, "kiss-sued", "Kamera Süd", "camera")  # no kiosk: not listed
    admin = StaffBrowser(seeded)
    await admin.sign_in("admin@example.org")
    both = await admin.get("/staff/tablets?lang=en")
    assert "Tablet Nord" in both.text and "Tablet Süd" in both.text and "Your tablets" in both.text
    one = await admin.get("/staff/tablets?contact_point=kiss-sued")
    assert "Tablet Süd" in one.text and "Tablet Nord" not in one.text and "Kamera Süd" not in one.text
    unknown = await admin.get("/staff/tablets?contact_point=gibt-es-nicht")
    assert unknown.status == 404 and "gibt-es-nicht" in html.unescape(unknown.text)
    assert (await admin.get("/staff/tablets/999/revoke")).status == 404


def _ago(seconds: int) -> str:
    return timestamp(dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds))
