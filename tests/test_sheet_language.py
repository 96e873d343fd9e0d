"""Staff choose per group which language the printed sheet uses (de, en, ls); downloads and batches follow."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from meetkit.config import Settings
from meetkit.domain.ids import format_member_code
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory, schedules
from meetkit.services.sheet_batches import selected_sheets
from meetkit.web.keys import DATABASE
from tests.dbtools import rows
from tests.staff import Client, StaffBrowser
from tests.test_sheets_pdf import pdf_text


async def test_staff_choose_the_sheet_language_and_sheets_and_batches_follow_it(
    seeded: Client, settings: Settings, tmp_path: Path
) -> None:
    db = seeded.app[DATABASE]
    issued = await directory.add_group(db, settings, OPERATOR, "Trauercafé Nord", "kiss-nord")
    other = await directory.add_group(db, settings, OPERATOR, "Gesprächskreis Nord", "kiss-nord")
    group_id = issued.group.id
    await schedules.set_schedule(
        db, OPERATOR, group_id, frequency="weekly", weekday=3, start=dt.time(19), duration_minutes=90
    )
    staff = StaffBrowser(seeded)
    await staff.sign_in("nord@example.org")
    page = await staff.get(f"/staff/groups/{group_id}")
    assert '<input type="radio" name="sheet_lang" value="de" checked>' in page.text

    # a made-up language: a clear message next to the choice, nothing stored
    bad = await staff.post(f"/staff/groups/{group_id}/sheet-language", {"sheet_lang": "fr"})
    assert bad.status == 400 and "Bitte wählen Sie Deutsch, Englisch oder Leichte Sprache." in bad.text
    assert 'id="sheet_lang-error"' in bad.text
    english = await staff.post(f"/staff/groups/{group_id}/sheet-language?lang=en", {"sheet_lang": "xx"})
    assert "Please choose German, English or easy-read German." in english.text
    assert (
        rows(settings, "SELECT sheet_lang FROM support_groups WHERE id = ?", group_id)[0]["sheet_lang"]
        == "de"
    )

    chosen = await staff.post(f"/staff/groups/{group_id}/sheet-language", {"sheet_lang": "ls"})
    assert chosen.status == 303 and chosen.location == f"/staff/groups/{group_id}?saved=sheet_lang"
    page = await staff.get(f"/staff/groups/{group_id}")
    assert '<input type="radio" name="sheet_lang" value="ls" checked>' in page.text
    audit = rows(settings, "SELECT actor, action, target FROM audit_log WHERE action = 'sheet_language'")
    assert audit == [{"actor": "nord@example.org", "action": "sheet_language", "target": f"#{group_id} ls"}]

    # the group's downloads use it (staff and leader), an explicit ?lang= wins
    own = await staff.get(f"/staff/groups/{group_id}/sheet.pdf")
    text = " ".join(pdf_text(own.body, tmp_path).split())
    assert "Mitmachen über das Internet" in text and "jeden Donnerstag. Von 19:00 Uhr bis 20:30 Uhr." in text
    assert 'filename="einladung-leichte-sprache.pdf"' in own.headers["Content-Disposition"]
    asked = await staff.get(f"/staff/groups/{group_id}/sheet.pdf?lang=en")
    assert "We meet: every Thursday, 19:00 to 20:30" in " ".join(pdf_text(asked.body, tmp_path).split())
    leader_page = await (await seeded.get(f"/l/{issued.leader_token}/sheet")).text()
    assert '<html lang="de">' in leader_page and "Mitmachen über das Internet" in leader_page
    assert f'href="/l/{issued.leader_token}/sheet.pdf?lang=ls&layout=a4"' in leader_page.replace("&amp;", "&")

    # a batch without a language: each group in its own; with one: all in that
    mixed = await selected_sheets(db, settings, OPERATOR, "kiss-nord", [], None)
    assert {s.member_url.rsplit("/", 1)[1]: s.lang for s in mixed} == {
        format_member_code(issued.group.member_code): "ls",
        format_member_code(other.group.member_code): "de",
    }
    assert {s.lang for s in await selected_sheets(db, settings, OPERATOR, "kiss-nord", [], "en")} == {"en"}
