"""Leader invitations, the three-step flow, and the leader page's plan, guest and hand-over links (issue 12)."""

from __future__ import annotations

import datetime as dt
import re

from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain import ids
from meetkit.domain.schedules import TIMEZONE
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory, invitations, leader_links
from meetkit.web.keys import DATABASE
from tests.conftest import SeededGroup
from tests.dbtools import rows

Client = TestClient[web.Request, web.Application]


def _today() -> dt.date:
    return dt.datetime.now(TIMEZONE).date()


async def _invitation(client: Client, settings: Settings, **options: object) -> str:
    db = client.app[DATABASE]
    await directory.add_contact_point(db, OPERATOR, "KISS Nord", slug="kiss-nord", phone="0911 234567")
    return (await invitations.create_invitation(db, settings, OPERATOR, "kiss-nord", **options)).token  # type: ignore[arg-type]


def _alert(text: str) -> str | None:
    found = re.search(r'role="alert">([^<]+)<', text)
    return found.group(1) if found else None


async def test_an_invitation_creates_one_group_with_its_plan_and_is_then_used_up(
    client: Client, settings: Settings
) -> None:
    token = await _invitation(client, settings)
    assert len(token) >= 43  # 256 bits
    stored = rows(settings, "SELECT * FROM leader_invitations")
    assert stored[0]["token_hash"] == ids.hash_secret(token) and token not in str(stored)
    first = await client.get(f"/invite/{token}")
    assert first.status == 200 and "Schritt 1 von 3" in (page := await first.text())
    assert "Wählen Sie einen Namen, der niemanden bloßstellt" in page  # KISS Nord shows group names

    path = f"/invite/{token}"
    for name, message in (
        ("   ", "Bitte geben Sie Ihrer Gruppe einen Namen."),
        ("x" * 10_000, "Dieser Name ist zu lang: bitte höchstens 120 Zeichen."),
    ):
        answer = await client.post(path, data={"step": "name", "name": name})
        assert answer.status == 400 and _alert(await answer.text()) == message
    step_two = await client.post(path, data={"step": "name", "name": "  Gesprächskreis   Dienstag "})
    text = await step_two.text()
    assert step_two.status == 200 and "Schritt 2 von 3" in text
    submission = re.search(r'name="submission" value="([^"]+)"', text)
    assert submission is not None
    plan = {"step": "plan", "name": "Gesprächskreis Dienstag", "submission": submission.group(1)}

    yesterday = (_today() - dt.timedelta(days=1)).isoformat()
    past = await client.post(path, data={**plan, "rhythm": "weekly", "date": yesterday, "time": "19:00"})
    assert past.status == 400 and "in der Vergangenheit" in (_alert(await past.text()) or "")
    english = await client.post(
        path + "?lang=en", data={**plan, "rhythm": "weekly", "date": "", "time": "19:00"}
    )
    assert (
        _alert(await english.text()) == "Please enter the date of the next meeting (for example 14.05.2026)."
    )
    assert rows(settings, "SELECT id FROM support_groups") == []  # nothing half-written

    first_day = _today() + dt.timedelta(days=15)
    good = {**plan, "rhythm": "weekly", "date": first_day.isoformat(), "time": "19:30", "duration": "120"}
    created = await client.post(path, data=good, allow_redirects=False)
    again = await client.post(path, data=good, allow_redirects=False)  # a double click, a reload
    assert created.status == again.status == 303
    assert created.headers["Location"] == again.headers["Location"]
    [group] = rows(settings, "SELECT id, name, contact_point_id FROM support_groups")
    assert group["name"] == "Gesprächskreis Dienstag"
    [schedule] = rows(settings, "SELECT * FROM schedules")
    assert (schedule["frequency"], schedule["start_time"], schedule["duration_minutes"]) == (
        "weekly",
        "19:30",
        120,
    )
    cancelled = rows(settings, "SELECT day FROM schedule_exceptions WHERE kind = 'cancelled' ORDER BY day")
    assert [c["day"] for c in cancelled] == [
        (first_day - dt.timedelta(days=7 * n)).isoformat() for n in (2, 1)
    ]  # the rhythm's dates before the first meeting do not take place

    welcome = await client.get(created.headers["Location"])
    page = await welcome.text()
    leader_path = created.headers["Location"].split("?")[0]
    assert welcome.status == 200 and "Ihre Gruppe ist angelegt." in page
    assert f"https://treffen.example.org{leader_path}</p>" in page and "<svg" in page  # text and QR
    assert f"{first_day:%d.%m.%Y}" in page and "/card?" in page

    # A different submission, or any later visit, finds the invitation used: a friendly page with the phone.
    other = await client.post(path, data={**good, "submission": "another"}, allow_redirects=False)
    used = await client.get(path)
    used_text = await used.text()
    assert other.status == used.status == 404
    assert "schon benutzt" in used_text and 'href="tel:0911234567"' in used_text
    assert len(rows(settings, "SELECT id FROM support_groups")) == 1
    assert rows(settings, "SELECT action FROM audit_log WHERE action = 'group_created'") != []


async def test_expired_withdrawn_and_unknown_invitations(client: Client, settings: Settings) -> None:
    db = client.app[DATABASE]
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=3)
    old = await _invitation(client, settings, valid_days=1, now=long_ago)
    expired = await client.get(f"/invite/{old}?lang=en")
    assert expired.status == 404 and "This invitation has expired." in (text := await expired.text())
    assert "0911 234567" in text
    made = await invitations.create_invitation(db, settings, OPERATOR, "kiss-nord")
    await invitations.withdraw_invitation(db, OPERATOR, made.invitation.id)
    withdrawn = await client.get(f"/invite/{made.token}")
    assert withdrawn.status == 404 and "zurückgezogen" in await withdrawn.text()
    unknown = await client.get("/invite/" + "x" * 43)
    assert unknown.status == 404
    kinds = [r["kind"] for r in rows(settings, "SELECT kind FROM lookup_failures")]
    assert kinds.count("invitation") == 3  # every failed look-up counts against the budget


async def _leader_form(
    client: Client, group: SeededGroup, path: str, data: dict[str, str]
) -> tuple[int, str]:
    answer = await client.post(f"/l/{group.leader_token}{path}", data=data, allow_redirects=False)
    return answer.status, await answer.text()


async def test_the_leader_changes_the_plan_and_makes_guest_links(
    client: Client, group: SeededGroup, settings: Settings
) -> None:
    monday = _today() + dt.timedelta(days=7 - _today().weekday())
    status, _ = await _leader_form(
        client, group, "/plan", {"rhythm": "weekly", "date": monday.isoformat(), "time": "18:00"}
    )
    assert status == 303
    page = await (await client.get(f"/l/{group.leader_token}")).text()
    assert "jeden Montag, 18:00 bis 19:30 Uhr" in page
    assert (await _leader_form(client, group, "/plan/cancel", {"date": monday.isoformat()}))[0] == 303
    extra = monday + dt.timedelta(days=2)
    assert (await _leader_form(client, group, "/plan/add", {"date": extra.isoformat()}))[0] == 303
    days = {(r["day"], r["kind"]) for r in rows(settings, "SELECT day, kind FROM schedule_exceptions")}
    skipped = {(_today().isoformat(), "cancelled")} if _today().weekday() == 0 else set()  # before the first
    assert days == {(monday.isoformat(), "cancelled"), (extra.isoformat(), "extra")} | skipped
    status, text = await _leader_form(client, group, "/plan", {"rhythm": "monthly", "date": "31.02.2020"})
    assert status == 400 and _alert(text) == "Dieses Datum verstehe ich nicht. Bitte so eingeben: 14.05.2026."
    assert (await _leader_form(client, group, "/plan", {"rhythm": "none"}))[0] == 303
    # "no fixed time": single dates; the extra meeting stays at the time it had, the cancellations go
    assert [r["frequency"] for r in rows(settings, "SELECT frequency FROM schedules")] == ["dates"]
    kept = rows(settings, "SELECT day, kind, start_time, duration_minutes FROM schedule_exceptions")
    assert kept == [
        {"day": extra.isoformat(), "kind": "extra", "start_time": "18:00", "duration_minutes": 90}
    ]

    yesterday = (_today() - dt.timedelta(days=1)).isoformat()
    status, text = await _leader_form(client, group, "/guests", {"date": yesterday})
    assert status == 400 and "in der Vergangenheit" in (_alert(text) or "")
    status, text = await _leader_form(client, group, "/guests", {"date": _today().isoformat()})
    found = re.search(r'value="https://treffen\.example\.org(/g/[^"]+)"', text)
    assert status == 200 and found is not None
    guest_path = found.group(1)
    assert len(guest_path) >= len("/g/") + 43
    today_page = await (await client.get(guest_path)).text()
    assert f"https://meet.example.org/{group.room}" in today_page and "nur heute" in today_page
    tomorrow = _today() + dt.timedelta(days=1)
    _, text = await _leader_form(client, group, "/guests", {"date": tomorrow.isoformat()})
    later = re.search(r'value="https://treffen\.example\.org(/g/[^"]+)"', text)
    assert later is not None
    later_page = await (await client.get(later.group(1))).text()
    assert group.room not in later_page and f"{tomorrow:%d.%m.%Y}" in later_page
    db = client.app[DATABASE]
    two_days_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    old = await leader_links.create_guest_link(
        db, group.id, two_days_ago.astimezone(TIMEZONE).date(), two_days_ago
    )
    gone = await client.get(f"/g/{old}")
    assert gone.status == 404 and "vorbei" in await gone.text()
    # never on sheets, stored only hashed
    sheet = await (await client.get(f"/l/{group.leader_token}/sheet")).text()
    assert "/g/" not in sheet
    stored = rows(settings, "SELECT token_hash FROM guest_links")
    assert ids.hash_secret(guest_path.removeprefix("/g/")) in {r["token_hash"] for r in stored}
    leader_page = await (await client.get(f"/l/{group.leader_token}")).text()
    assert guest_path not in leader_page and "Offene Gast-Links" in leader_page
    link_id = re.search(r"/guests/(\d+)/withdraw", leader_page)
    assert link_id is not None
    assert (await _leader_form(client, group, f"/guests/{link_id.group(1)}/withdraw", {}))[0] == 303


async def test_a_hand_over_link_works_once_and_stops_the_old_leader_link(
    client: Client, group: SeededGroup, settings: Settings
) -> None:
    status, text = await _leader_form(client, group, "/handover", {})
    found = re.search(r'value="https://treffen\.example\.org(/handover/[^"]+)"', text)
    assert status == 200 and found is not None
    handover = found.group(1)
    confirm = await (await client.get(handover)).text()
    submission = re.search(r'name="submission" value="([^"]+)"', confirm)
    assert submission is not None and "Angehörige Sucht" in confirm
    taken = await client.post(handover, data={"submission": submission.group(1)}, allow_redirects=False)
    again = await client.post(handover, data={"submission": submission.group(1)}, allow_redirects=False)
    assert taken.status == again.status == 303 and taken.headers["Location"] == again.headers["Location"]
    new_page = await client.get(taken.headers["Location"])
    assert new_page.status == 200 and "Sie leiten jetzt diese Gruppe." in await new_page.text()
    old = await client.get(f"/l/{group.leader_token}")
    assert old.status == 404 and "erneuert" in await old.text()
    stranger = await client.post(handover, data={"submission": "other"}, allow_redirects=False)
    assert stranger.status == 404 and "Übergabe-Link gilt nicht mehr" in await stranger.text()
    assert [
        r["actor"] for r in rows(settings, "SELECT actor FROM audit_log WHERE action = 'leader_handed_over'")
    ] == ["(Übergabe-Link)"]
