"""The admins' API token page through the test client: list with scope, create (shown once), revoke."""

from __future__ import annotations

import re

from meetkit.config import Settings
from tests.dbtools import rows
from tests.staff import Client, StaffBrowser


async def test_admin_creates_lists_and_revokes_an_api_token(seeded: Client, settings: Settings) -> None:
    member = StaffBrowser(seeded)
    await member.sign_in("nord@example.org")
    assert (await member.get("/staff/admin/tokens")).status == 404
    assert "/staff/admin/tokens" not in (await member.get("/staff/")).text
    admin = StaffBrowser(seeded)
    await admin.sign_in("admin@example.org")
    page = await admin.get("/staff/admin/tokens")
    assert page.status == 200 and "Noch keine API-Tokens." in page.text

    # Mistakes: a clear message, what was typed kept, nothing stored.
    nameless = await admin.post("/staff/admin/tokens", {"name": " ", "role": "admin"})
    assert nameless.status == 400 and 'aria-invalid="true"' in nameless.text
    unscoped = await admin.post("/staff/admin/tokens", {"name": "Statistik", "role": "contact_points"})
    assert unscoped.status == 400 and "mindestens eine Kontaktstelle" in (unscoped.alert() or "")
    assert 'value="Statistik"' in unscoped.text
    english = await admin.post("/staff/admin/tokens?lang=en", {"name": "Statistik", "role": "contact_points"})
    assert "at least one contact point" in (english.alert() or ""), english.alert()
    assert rows(settings, "SELECT id FROM api_tokens") == []

    made = await admin.post(
        "/staff/admin/tokens",
        {"name": "Statistik Nord", "role": "contact_points", "contact_point": "kiss-nord"},
    )
    assert made.status == 200
    found = re.search(r'<code id="new-token">(mk_[^<]+)</code>', made.text)
    assert found and "Statistik Nord" in made.text and "Kontaktstellen: KISS Nord" in made.text
    token = found.group(1)
    bearer = {"Authorization": f"Bearer {token}"}
    seen = await seeded.get("/api/v1/contact-points", headers=bearer)
    assert [c["slug"] for c in (await seen.json())["contact_points"]] == ["kiss-nord"]
    assert token not in (await admin.get("/staff/admin/tokens")).text  # shown once only

    (record,) = rows(settings, "SELECT id FROM api_tokens")
    done = await admin.post(f"/staff/admin/tokens/{record['id']}/revoke")
    assert done.status == 303 and done.location == "/staff/admin/tokens?done=revoked"
    assert (await seeded.get("/api/v1/contact-points", headers=bearer)).status == 401
    after = await admin.get("/staff/admin/tokens?done=revoked")
    assert (
        "widerrufen" in after.text
        and "Widerrufen" not in after.text.split("Alle API-Tokens")[1].split("Neues")[0]
    )
    assert "Kontaktstellen: KISS Nord · widerrufen" in " ".join(re.sub(r"<[^>]+>", "", after.text).split())
    assert (await admin.post(f"/staff/admin/tokens/{record['id']}/revoke")).status == 404
    actions = [r["action"] for r in rows(settings, "SELECT action FROM audit_log ORDER BY id")]
    assert actions[-2:] == ["api_token_created", "api_token_revoked"]
