"""A contact point's settings page: name, help phone, group names, group rules; member pages and sheets follow."""

from __future__ import annotations

from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory
from meetkit.web.keys import DATABASE
from tests.dbtools import rows
from tests.staff import Client, StaffBrowser

SETTINGS_PAGE = "/staff/contact-points/kiss-nord/settings"


async def test_settings_change_what_member_pages_and_sheets_show(seeded: Client, settings: Settings) -> None:
    issued = await directory.add_group(
        seeded.app[DATABASE], settings, OPERATOR, "Angehörige Nord", "kiss-nord"
    )
    member_page, sheet = f"/j/{issued.group.member_code}", f"/l/{issued.leader_token}/sheet"
    default = await (await seeded.get(member_page)).text()
    assert "Wir nennen nur unsere Vornamen." in default and "Angehörige Nord" in default

    staff = StaffBrowser(seeded)
    await staff.sign_in("nord@example.org")
    assert 'href="/staff/contact-points/kiss-nord/settings"' in (await staff.get("/staff/")).text
    assert (await staff.get("/staff/contact-points/kiss-sued/settings")).status == 404
    page = await staff.get(SETTINGS_PAGE)
    assert page.status == 200 and 'value="KISS Nord"' in page.text

    rules = "Handys bleiben aus.\n\n  • Wir   duzen uns.\n"
    typed = {"name": "KISS Nord-Ost", "phone": "ruf an", "show_group_names": "no", "rules": rules}
    before = rows(settings, "SELECT * FROM contact_points")
    wrong = await staff.post(SETTINGS_PAGE, typed)
    assert (
        wrong.status == 400 and 'id="phone-error"' in wrong.text and "Telefonnummer" in (wrong.alert() or "")
    )
    assert 'value="KISS Nord-Ost"' in wrong.text and "Handys bleiben aus." in wrong.text
    too_many = await staff.post(SETTINGS_PAGE, {**typed, "phone": "", "rules": "\n".join(["Regel"] * 9)})
    assert too_many.status == 400 and 'id="rules-error"' in too_many.text
    assert too_many.alert() == "Höchstens 8 Regeln (eine pro Zeile); es sind 9."
    assert rows(settings, "SELECT * FROM contact_points") == before  # nothing half-written

    saved = await staff.post(SETTINGS_PAGE, {**typed, "phone": "0911 98765"})
    assert saved.status == 303 and saved.location == SETTINGS_PAGE + "?saved=1"
    for lang in ("de", "en"):  # one text for both languages, as written
        shown = await (await seeded.get(f"{member_page}?lang={lang}")).text()
        assert "<li>Handys bleiben aus.</li>" in shown and "<li>Wir duzen uns.</li>" in shown
        assert "Vornamen" not in shown and "first names" not in shown and "Angehörige Nord" not in shown
        assert "KISS Nord-Ost" in shown
    printable = (await (await seeded.get(sheet)).text()).replace("\u00a0", " ")
    assert "• Handys bleiben aus." in printable and "0911 98765" in printable
    assert "Angehörige Nord" not in printable and "Unsere Selbsthilfegruppe" in printable
    cards = await (await seeded.get(sheet + "?layout=cards")).text()
    assert "Handys bleiben aus. Wir duzen uns." in cards
    practice = f"{settings.public_url}/ueben/kiss-nord"
    assert "Technik vorher" not in printable and practice not in printable  # not printed unless chosen
    assert practice in (await staff.get(SETTINGS_PAGE)).text  # the page names the address it would print
    chosen = await staff.post(SETTINGS_PAGE, {**typed, "phone": "0911 98765", "practice_on_sheet": "yes"})
    assert chosen.status == 303
    printable = (await (await seeded.get(sheet)).text()).replace("\u00a0", " ")
    assert f'Technik vorher in Ruhe ausprobieren: <a class="printed-link" href="{practice}">' in printable
    english = await (await seeded.get(sheet + "?lang=en")).text()
    assert f'href="{practice}?lang=en"' in english and "Try out camera and sound beforehand" in english
    assert 'name="practice_on_sheet" value="yes" checked' in (await staff.get(SETTINGS_PAGE)).text

    await staff.get(SETTINGS_PAGE)
    back = await staff.post(
        SETTINGS_PAGE, {"name": "KISS Nord", "phone": "", "show_group_names": "yes", "rules": ""}
    )
    assert back.status == 303
    restored = await (await seeded.get(member_page)).text()
    assert "Wir nennen nur unsere Vornamen." in restored and "Angehörige Nord" in restored
    stored = "SELECT phone, rules_text, practice_on_sheet FROM contact_points WHERE slug = 'kiss-nord'"
    assert rows(settings, stored) == [{"phone": None, "rules_text": None, "practice_on_sheet": False}]
    actions = rows(settings, "SELECT actor, action FROM audit_log WHERE action = 'contact_point_changed'")
    assert actions == [{"actor": "nord@example.org", "action": "contact_point_changed"}] * 3
