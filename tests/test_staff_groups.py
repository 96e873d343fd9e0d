"""The staff group list and a group's life from the browser: list, search, pages, create, rename, archive, delete."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest

from meetkit.config import Settings
from meetkit.domain.attendance_times import local_today
from meetkit.domain.scope import OPERATOR
from meetkit.services import attendance, directory, schedules
from meetkit.services.group_list import PAGE_SIZE
from meetkit.web.keys import DATABASE
from tests.conftest import CliResult
from tests.dbtools import rows
from tests.staff import Client, StaffBrowser


def _names(text: str) -> list[str]:
    """The group names the list shows, in order."""
    return re.findall(r'class="staff-group-name"><a href="/staff/groups/\d+[^"]*">([^<]+)</a>', text)


async def test_group_list_search_pages_duplicates_and_scope(seeded: Client, settings: Settings) -> None:
    db = seeded.app[DATABASE]
    made = {}
    for name, slug in (
        ("Ärger mit dem Alkohol", "kiss-nord"),
        ("angehörige sucht", "kiss-nord"),
        ("Angehörige Sucht", "kiss-nord"),
        ("Angehörige Sucht", "kiss-sued"),
        ("Trauercafé Süd", "kiss-sued"),
    ):
        made[(name, slug)] = (await directory.add_group(db, settings, OPERATOR, name, slug)).group
    first = made[("Ärger mit dem Alkohol", "kiss-nord")]
    await schedules.set_schedule(
        db, OPERATOR, first.id, frequency="weekly", weekday=3, start=dt.time(19, 0), duration_minutes=90
    )
    await attendance.record_headcount(db, first.id, local_today() - dt.timedelta(days=2), 5, 2, "staff")

    member = StaffBrowser(seeded)
    await member.sign_in("nord@example.org")
    page = await member.get("/staff/groups")
    assert page.status == 200
    # kiss-nord's groups only, sorted as German phone books do (case aside, "Ä" as "Ae"); the two
    # "Angehörige Sucht" of kiss-nord are flagged (kiss-sued's one of that name is another contact point's)
    assert _names(page.text) == ["Ärger mit dem Alkohol", "angehörige sucht", "Angehörige Sucht"]
    assert page.text.count("Name doppelt") == 2 and "Trauercafé" not in page.text
    assert "3 Gruppen gefunden" in page.text
    # next meeting and last meeting's count; the PIN only inside a closed disclosure
    assert "Donnerstag, " in page.text and "7 Personen" in page.text
    details = re.findall(r'<details class="staff-pin">.*?</details>', page.text, re.S)
    assert len(details) == 3 and first.pin is not None
    pin_shown = " ".join(first.pin[i : i + 3] for i in range(0, len(first.pin), 3))
    assert page.text.count(pin_shown) == 1 and pin_shown in "".join(details)
    # server-side search: case and umlauts do not matter ("Ärger" is found as "aerger" and "ÄRGER")
    for typed in ("ärger", "AERGER", "  alkohol "):
        found = await member.get(f"/staff/groups?q={typed}")
        assert _names(found.text) == ["Ärger mit dem Alkohol"], typed
    assert "Keine Gruppe passt" in (await member.get("/staff/groups?q=100%25_")).text
    # another contact point's filter is the 404 of an unknown one; a bad page number is a clear 400
    assert (await member.get("/staff/groups?contact_point=kiss-sued")).status == 404
    bad = await member.get("/staff/groups?page=zwei")
    assert (
        bad.status == 400 and bad.alert() == "Diese Seite der Liste gibt es nicht. Hier ist die erste Seite."
    )
    assert "3 Gruppen gefunden" in bad.text  # and the first page below the message
    english = await member.get("/staff/groups?page=0&lang=en")
    assert english.alert() == "This page of the list does not exist. Here is the first page."

    admin = StaffBrowser(seeded)
    await admin.sign_in("admin@example.org")
    everything = await admin.get("/staff/groups")
    assert len(_names(everything.text)) == 5 and everything.text.count("Name doppelt") == 2
    sued = await admin.get("/staff/groups?contact_point=kiss-sued")
    assert _names(sued.text) == ["Angehörige Sucht", "Trauercafé Süd"]
    assert "Name doppelt" not in sued.text

    # pages of PAGE_SIZE, in name order, with links that keep the search
    for number in range(PAGE_SIZE + 3):
        await directory.add_group(db, settings, OPERATOR, f"Gesprächskreis {number:03d}", "kiss-sued")
    one = await admin.get("/staff/groups?q=gesprächskreis")
    assert len(_names(one.text)) == PAGE_SIZE and "Seite 1 von 2" in one.text
    assert 'href="/staff/groups?q=gespr%C3%A4chskreis&amp;page=2"' in one.text
    two = await admin.get("/staff/groups?q=gesprächskreis&page=2")
    assert _names(two.text) == [f"Gesprächskreis {n:03d}" for n in range(PAGE_SIZE, PAGE_SIZE + 3)]
    beyond = await admin.get("/staff/groups?q=gesprächskreis&page=99")
    assert "Seite 2 von 2" in beyond.text  # past the end: the last page


def _member_link(text: str) -> str:
    found = re.search(
        r'id="member-link" type="text" readonly value="https://treffen\.example\.org(/j/[^"]+)"', text
    )
    assert found, text[:3000]
    return found.group(1)


def _issued_leader_link(text: str) -> str:
    found = re.search(r'<code id="issued-link">https://treffen\.example\.org(/l/[^<]+)</code>', text)
    assert found, text[:3000]
    return found.group(1)


PBX = {"Authorization": "Bearer pbx-secret-0123456789abcdef0123456789"}


async def test_create_rename_archive_reactivate_and_delete_a_group(
    seeded: Client, settings: Settings
) -> None:
    db = seeded.app[DATABASE]
    member = StaffBrowser(seeded)
    await member.sign_in("nord@example.org")
    await member.get("/staff/groups")
    # bad names: a clear message next to the field, what was typed stays, nothing is written
    before = rows(settings, "SELECT * FROM support_groups")
    empty = await member.post("/staff/groups", {"name": "   ", "contact_point": "kiss-nord"})
    assert empty.status == 400 and empty.alert() == "Der Gruppenname darf nicht leer sein."
    assert 'id="name-error"' in empty.text and 'aria-describedby="name-error"' in empty.text
    long_name = "Lange " * 60
    too_long = await member.post("/staff/groups", {"name": long_name, "contact_point": "kiss-nord"})
    assert too_long.status == 400 and "zu lang" in (too_long.alert() or "")
    assert f'value="{long_name}"' in too_long.text
    foreign = await member.post("/staff/groups", {"name": "Fremd", "contact_point": "kiss-sued"})
    assert foreign.status == 404 and 'id="contact_point-error"' in foreign.text
    assert rows(settings, "SELECT * FROM support_groups") == before

    made = await member.post("/staff/groups", {"name": "Depression Mitte", "contact_point": "kiss-nord"})
    assert made.status == 200 and "Dieser Link wird nur jetzt angezeigt." in made.text
    leader, member_link = _issued_leader_link(made.text), _member_link(made.text)
    group_id = int(re.search(r"Gruppe Nr\. (\d+)", made.text).group(1))  # type: ignore[union-attr]
    assert (await seeded.get(leader)).status == 200 and (await seeded.get(member_link)).status == 200
    shown_again = await member.get(f"/staff/groups/{group_id}")
    assert leader.removeprefix("/l/") not in shown_again.text  # the leader link is shown once only
    pin = rows(settings, "SELECT pin FROM support_groups WHERE id = ?", group_id)[0]["pin"]
    assert (await seeded.get(f"/jitsi/conference-mapper?id={pin}", headers=PBX)).status == 200
    await attendance.record_headcount(db, group_id, local_today(), 6, 1, "staff")

    # rename: the message next to the field keeps what was typed; then the member page shows the new name
    bad = await member.post(f"/staff/groups/{group_id}/rename", {"name": "Depression\u200b Mitte"})
    assert bad.status == 400 and bad.alert() == "Der Gruppenname enthält Steuerzeichen."
    assert 'id="rename-error"' in bad.text and 'value="Depression\u200b Mitte"' in bad.text
    renamed = await member.post(f"/staff/groups/{group_id}/rename", {"name": "Depression Mittwoch"})
    assert renamed.status == 303 and renamed.location == f"/staff/groups/{group_id}?saved=renamed"
    assert "Depression Mittwoch" in await (await seeded.get(member_link)).text()

    # archive: every link and the PIN stop at once; the group leaves the list for the archived one
    await member.get(f"/staff/groups/{group_id}")
    assert (await member.post(f"/staff/groups/{group_id}/archive")).status == 303
    assert (await seeded.get(member_link)).status == 404
    assert (await seeded.get(leader)).status == 404
    assert (await seeded.get(f"/jitsi/conference-mapper?id={pin}", headers=PBX)).status == 404
    assert "Depression Mittwoch" not in (await member.get("/staff/groups")).text
    assert _names((await member.get("/staff/groups?archived=1")).text) == ["Depression Mittwoch"]
    archived_page = await member.get(f"/staff/groups/{group_id}")
    assert "Diese Gruppe ist archiviert" in archived_page.text and "member-link" not in archived_page.text
    again = await member.post(f"/staff/groups/{group_id}/archive")
    assert again.status == 400 and again.alert() == "Die Gruppe „Depression Mittwoch“ ist schon archiviert."
    sheet = await member.get(f"/staff/groups/{group_id}/sheet.pdf")
    assert sheet.status == 400 and "archiviert" in sheet.text

    # reactivate: new links (the leader link shown once); the old ones stay dead
    back = await member.post(f"/staff/groups/{group_id}/reactivate")
    assert back.status == 200 and (await seeded.get(_member_link(back.text))).status == 200
    assert (await seeded.get(_issued_leader_link(back.text))).status == 200
    assert (await seeded.get(member_link)).status == 404 and (await seeded.get(leader)).status == 404

    # delete: the confirmation says what is lost and what stays; without the tick nothing happens
    confirm = await member.get(f"/staff/groups/{group_id}/delete")
    assert "Das geht verloren" in confirm.text and "Monatsbericht" in confirm.text
    unconfirmed = await member.post(f"/staff/groups/{group_id}/delete", {})
    assert unconfirmed.status == 400 and "Bitte bestätigen" in (unconfirmed.alert() or "")
    assert (await member.get(f"/staff/groups/{group_id}")).status == 200
    gone = await member.post(f"/staff/groups/{group_id}/delete", {"confirm": "yes"})
    assert gone.status == 303 and gone.location == "/staff/groups?deleted=1"
    assert "Die Gruppe ist gelöscht." in (await member.get(gone.location)).text
    assert (await member.get(f"/staff/groups/{group_id}")).status == 404
    assert (await seeded.get(_member_link(back.text))).status == 404
    # the attendance it counted stays in the month's totals
    report = await attendance.monthly_report(db, OPERATOR, local_today().strftime("%Y-%m"), "kiss-nord")
    assert report.total.participants == 7
    assert [g.group.name for g in report.contact_points[0].groups] == ["Depression Mittwoch"]
    actions = [r["action"] for r in rows(settings, "SELECT action FROM audit_log ORDER BY id")]
    for action in ("group_created", "group_renamed", "group_archived", "group_reactivated", "group_deleted"):
        assert action in actions


@pytest.mark.sqlite_only  # the command line's part; the services run on both backends above
def test_group_rename_archive_and_delete_on_the_command_line(cli: Callable[..., CliResult]) -> None:
    assert cli("contact-point", "add", "KISS Nord", "--slug", "kiss-nord").returncode == 0
    made = cli("group", "add", "Trauer", "--contact-point", "kiss-nord", "--json").json()
    renamed = cli("group", "rename", str(made["id"]), "Trauercafé", "--json")
    assert renamed.returncode == 0 and renamed.json()["name"] == "Trauercafé"
    archived = cli("group", "archive", "Trauercafé")
    assert archived.returncode == 0 and "archiviert" in archived.stdout
    refused = cli("group", "delete", "Trauercafé")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    deleted = cli("group", "delete", "Trauercafé", "--yes", "--json")
    assert deleted.returncode == 0 and deleted.json() == {
        "id": made["id"],
        "name": "Trauercafé",
        "deleted": True,
    }
    assert cli("group", "show", str(made["id"])).stderr.strip() == (
        f"meetkit: Fehler: Keine Gruppe mit der Nummer {made['id']}."
    )
