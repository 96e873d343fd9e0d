"""One group's staff page: member link, leader link hand-over and letter, renewing links, schedule editor, sheets."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from meetkit.config import Settings
from meetkit.domain.attendance_times import local_today
from meetkit.domain.ids import format_member_code
from meetkit.domain.schedules import TIMEZONE
from meetkit.domain.scope import OPERATOR
from meetkit.services import attendance, directory
from meetkit.web.keys import DATABASE
from tests.dbtools import rows
from tests.staff import Client, StaffBrowser
from tests.test_sheets_pdf import decode_pages, pdf_text

PUBLIC = "https://treffen.example.org"


def _issued_leader_link(text: str) -> str:
    found = re.search(r'<code id="issued-link">https://treffen\.example\.org(/l/[^<]+)</code>', text)
    assert found, text[:3000]
    return found.group(1)


def _next_weekday(weekday: int, weeks: int = 1) -> dt.date:
    """A date `weeks` weeks ahead on Python `weekday` (0 = Monday)."""
    today = dt.datetime.now(TIMEZONE).date()
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


async def test_schedule_editor_previews_saves_and_keeps_what_was_typed(
    seeded: Client, settings: Settings
) -> None:
    issued = await directory.add_group(
        seeded.app[DATABASE], settings, OPERATOR, "Angst und Panik", "kiss-nord"
    )
    group_id = issued.group.id
    staff = StaffBrowser(seeded)
    await staff.sign_in("nord@example.org")
    page = await staff.get(f"/staff/groups/{group_id}")
    assert page.status == 200 and "Noch kein Termin-Rhythmus gespeichert." in page.text
    # the member link in a read-only field, its copy button hidden until the script shows it; the PIN folded
    assert f'value="{PUBLIC}/j/' in page.text and 'data-copy="member-link"' in page.text
    assert re.search(r'data-copy="member-link"[^>]*hidden>', page.text)
    assert '<script src="/static/staff-copy.js" defer></script>' in page.text
    assert re.search(r"<details class=\"staff-pin\">\s*<summary>Einwahl-PIN zeigen</summary>", page.text)

    typed = {"frequency": "weekly", "weekday": "4", "start": "25:00", "duration": "90", "place": "Raum 2"}
    wrong = await staff.post(f"/staff/groups/{group_id}/schedule", {**typed, "action": "save"})
    assert wrong.status == 400 and wrong.alert() == "Ungültige Uhrzeit „25:00“: bitte als 19:30 angeben."
    assert (
        'id="start-error"' in wrong.text and 'value="25:00"' in wrong.text and 'value="Raum 2"' in wrong.text
    )
    biweekly = await staff.post(
        f"/staff/groups/{group_id}/schedule", {**typed, "frequency": "biweekly", "start": "18:30"}
    )
    assert biweekly.status == 400 and 'id="anchor-error"' in biweekly.text and "Ankerdatum" in biweekly.text
    long = await staff.post(
        f"/staff/groups/{group_id}/schedule", {**typed, "start": "18:30", "duration": "900"}
    )
    assert long.status == 400 and 'id="duration-error"' in long.text
    assert rows(settings, "SELECT * FROM schedules") == []  # nothing half-written

    preview = await staff.post(
        f"/staff/groups/{group_id}/schedule", {**typed, "start": "19:00", "action": "preview"}
    )
    assert preview.status == 200 and "Vorschau: so lägen die nächsten Treffen" in preview.text
    thursday = (
        _next_weekday(3, 0) if _next_weekday(3, 0) > dt.datetime.now(TIMEZONE).date() else _next_weekday(3)
    )
    assert f"Donnerstag, {thursday:%d.%m.%Y}, 19:00 bis 20:30 Uhr, Raum 2" in preview.text
    assert rows(settings, "SELECT * FROM schedules") == []  # a preview saves nothing
    saved = await staff.post(
        f"/staff/groups/{group_id}/schedule", {**typed, "start": "19:00", "action": "save"}
    )
    assert saved.status == 303 and saved.location == f"/staff/groups/{group_id}?saved=schedule#schedule-title"
    page = await staff.get(f"/staff/groups/{group_id}")
    assert "Jetzt gespeichert: jeden Donnerstag, 19:00 bis 20:30 Uhr · Ort: Raum 2" in page.text

    # single dates: a wrong one next to its field, a cancelled one leaves the next dates
    cancelled = _next_weekday(3, 1)
    bad_day = await staff.post(
        f"/staff/groups/{group_id}/schedule/date", {"action": "cancel", "cancel_date": "31.02.2026"}
    )
    assert (
        bad_day.status == 400
        and 'id="cancel_date-error"' in bad_day.text
        and 'value="31.02.2026"' in bad_day.text
    )
    off = await staff.post(
        f"/staff/groups/{group_id}/schedule/date",
        {"action": "cancel", "cancel_date": cancelled.strftime("%d.%m.%Y")},
    )
    assert off.status == 303
    page = await staff.get(f"/staff/groups/{group_id}")
    assert f"{cancelled:%d.%m.%Y}" not in page.text
    monthly = {
        **typed,
        "frequency": "monthly",
        "nth": "last",
        "weekday": "5",
        "start": "17:00",
        "action": "save",
    }
    assert (await staff.post(f"/staff/groups/{group_id}/schedule", monthly)).status == 303
    page = await staff.get(f"/staff/groups/{group_id}?lang=en")
    assert (
        "on the last Friday of every month, 17:00 to 18:30" in page.text
        and "Show the next dates" in page.text
    )


async def test_schedule_preview_as_you_type_answers_the_next_dates_or_the_mistake(
    seeded: Client, settings: Settings
) -> None:
    issued = await directory.add_group(seeded.app[DATABASE], settings, OPERATOR, "Trauercafé", "kiss-nord")
    group_id, preview_url = issued.group.id, f"/staff/groups/{issued.group.id}/schedule/preview"
    staff = StaffBrowser(seeded)
    await staff.sign_in("nord@example.org")
    page = await staff.get(f"/staff/groups/{group_id}")
    # the page's script may ask meetkit (and nothing else); the dates live in a region a screen reader follows
    assert "connect-src 'self';" in page.headers["Content-Security-Policy"]
    assert '<script src="/static/staff-schedule-preview.js" defer></script>' in page.text
    assert f'data-preview-url="{preview_url}"' in page.text
    assert '<div id="schedule-preview" aria-live="polite">' in page.text

    typed = {"frequency": "weekly", "weekday": "4", "start": "19:00", "duration": "90", "place": "Raum 2"}
    dates = await staff.post(preview_url, typed)
    thursday = (
        _next_weekday(3, 0) if _next_weekday(3, 0) > dt.datetime.now(TIMEZONE).date() else _next_weekday(3)
    )
    assert dates.status == 200 and dates.text.lstrip().startswith("<div data-schedule-preview>")
    assert "Vorschau: so lägen die nächsten Treffen" in dates.text and dates.text.count("<li>") == 3
    assert f"Donnerstag, {thursday:%d.%m.%Y}, 19:00 bis 20:30 Uhr, Raum 2" in dates.text
    wrong = await staff.post(preview_url, {**typed, "start": "25:00"})
    assert wrong.status == 400 and 'id="start-error" data-field="start"' in wrong.text
    assert "Ungültige Uhrzeit „25:00“: bitte als 19:30 angeben." in wrong.text and "<li>" not in wrong.text
    assert "Die Vorschau erscheint, sobald die markierte Angabe stimmt." in wrong.text
    unfitting = await staff.post(preview_url + "?lang=en", {**typed, "frequency": "biweekly"})
    assert unfitting.status == 400 and 'data-field="anchor"' in unfitting.text
    assert "The preview appears as soon as the marked entry is right." in unfitting.text
    assert (await staff.post(preview_url, {**typed, "weekday": "8"})).status == 400
    assert rows(settings, "SELECT * FROM schedules") == []  # a preview saves nothing
    assert (await staff.post(preview_url, typed, csrf=False)).status == 403  # a forged request is refused


async def test_leader_link_hand_over_letter_renewal_sheets_and_meetings(
    seeded: Client, settings: Settings, tmp_path: Path
) -> None:
    db = seeded.app[DATABASE]
    issued = await directory.add_group(db, settings, OPERATOR, "Trauercafé Nord", "kiss-nord")
    group_id, first_leader = issued.group.id, f"/l/{issued.leader_token}"
    await attendance.record_headcount(db, group_id, local_today() - dt.timedelta(days=7), 4, 1, "staff")
    staff = StaffBrowser(seeded)
    await staff.sign_in("nord@example.org")
    page = await staff.get(f"/staff/groups/{group_id}")
    assert re.search(
        r"<td>\d\d\.\d\d\.\d{4}</td><td>–</td><td>0</td><td>4</td><td>1</td><td>ja</td>", page.text
    )

    # hand-over: a new leader link shown once (text, QR code, letter); the member link stays
    handed = await staff.post(f"/staff/groups/{group_id}/leader-link")
    leader = _issued_leader_link(handed.text)
    assert handed.status == 200 and '<div class="staff-qr-image" role="img"' in handed.text
    assert (await seeded.get(leader)).status == 200
    assert "wurde erneuert" in await (await seeded.get(first_leader)).text()
    assert (await seeded.get(f"/j/{issued.group.member_code}")).status == 200
    letter = await staff.post(
        f"/staff/groups/{group_id}/leader-letter", {"token": leader.removeprefix("/l/"), "letter_lang": "de"}
    )
    assert letter.status == 200 and letter.headers["Content-Type"] == "application/pdf"
    assert decode_pages(letter.body, 150) == [[PUBLIC + leader]]
    text = " ".join(pdf_text(letter.body, tmp_path).split())
    assert "Ihr Leitungs-Link" in text and "KISS Nord" in text and "Trauercafé Nord" in text
    stale = await staff.post(
        f"/staff/groups/{group_id}/leader-letter", {"token": issued.leader_token, "letter_lang": "de"}
    )
    assert stale.status == 400 and "gilt nicht mehr" in stale.text  # only the current link is printed

    # renewing everything needs the tick; afterwards the old member link explains it was renewed
    await staff.get(f"/staff/groups/{group_id}")
    unticked = await staff.post(f"/staff/groups/{group_id}/renew", {})
    assert unticked.status == 400 and 'id="renew-error"' in unticked.text
    renewed = await staff.post(f"/staff/groups/{group_id}/renew", {"confirm": "yes"})
    assert renewed.status == 200 and "Alle Links und die PIN sind erneuert" in renewed.text
    assert (await seeded.get(_issued_leader_link(renewed.text))).status == 200
    assert (await seeded.get(leader)).status == 404
    assert "wurde erneuert" in await (await seeded.get(f"/j/{issued.group.member_code}")).text()

    # the sheet: printable page and PDF, A4 and cards, German and English, with the current link
    stored = rows(settings, "SELECT member_code FROM support_groups WHERE id = ?", group_id)[0]
    member_code = format_member_code(stored["member_code"])
    html = await staff.get(f"/staff/groups/{group_id}/sheet?lang=en")
    assert html.status == 200 and "Trauercafé Nord" in html.text and member_code in html.text
    assert f'href="/staff/groups/{group_id}/sheet.pdf?lang=en&amp;layout=cards"' in html.text
    cards = await staff.get(f"/staff/groups/{group_id}/sheet.pdf?layout=cards&lang=en")
    assert cards.status == 200 and decode_pages(cards.body, 72) == [[f"{PUBLIC}/j/{member_code}"] * 4]
    assert (await staff.get(f"/staff/groups/{group_id}/sheet.pdf?layout=poster")).status == 400
