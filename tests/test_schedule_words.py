"""A group's meeting rule in words speaks the page's language: the leader page in German, English and Leichte
Sprache, the staff group page in German and English, with the sheet's wording (meetkit/schedule_words.py)."""

from __future__ import annotations

import datetime as dt
import html
import re

from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory, schedules
from meetkit.web.keys import DATABASE
from tests.conftest import SeededGroup
from tests.staff import StaffBrowser

Client = TestClient[web.Request, web.Application]
GERMAN_WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


def _text(page: str) -> str:
    """What a reader sees: the page without scripts, styles, tags and entities, spaces collapsed."""
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


async def _leader_pages(client: Client, group: SeededGroup) -> dict[str, str]:
    pages = {}
    for lang in ("de", "en", "ls"):
        response = await client.get(f"/l/{group.leader_token}?lang={lang}")
        assert response.status == 200, lang
        pages[lang] = _text(await response.text())
    return pages


async def test_the_leader_page_says_the_rule_in_the_page_language(client: Client, group: SeededGroup) -> None:
    db = client.app[DATABASE]
    await schedules.set_schedule(
        db, OPERATOR, group.id, frequency="weekly", weekday=3, start=dt.time(19), duration_minutes=90
    )
    await schedules.set_schedule(db, OPERATOR, group.id, place="Raum 2, Bayerstraße 77")
    pages = await _leader_pages(client, group)
    assert (
        "Ihre Gruppe trifft sich: jeden Donnerstag, 19:00 bis 20:30 Uhr Ort: Raum 2, Bayerstraße 77"
        in (pages["de"])
    )
    assert "Your group meets: every Thursday, 19:00 to 20:30 Place: Raum 2, Bayerstraße 77" in pages["en"]
    assert [day for day in GERMAN_WEEKDAYS if day in pages["en"]] == []
    assert "jeden" not in pages["en"] and "Min.)" not in pages["en"]
    easy = (
        "Ihre Gruppe trifft sich: jeden Donnerstag. Von 19:00 Uhr bis 20:30 Uhr. Ort: Raum 2, Bayerstraße 77"
    )
    assert easy in pages["ls"]

    await schedules.set_schedule(
        db,
        OPERATOR,
        group.id,
        frequency="monthly",
        weekday=1,
        start=dt.time(18, 30),
        duration_minutes=60,
        nth=-1,
    )
    pages = await _leader_pages(client, group)
    assert "jeden letzten Dienstag im Monat, 18:30 bis 19:30 Uhr" in pages["de"]
    assert "on the last Tuesday of every month, 18:30 to 19:30" in pages["en"]
    assert [day for day in GERMAN_WEEKDAYS if day in pages["en"]] == []
    assert "1 Mal im Monat: am letzten Dienstag. Von 18:30 Uhr bis 19:30 Uhr." in pages["ls"]


async def test_the_staff_group_page_says_the_rule_in_the_page_language(
    seeded: Client, settings: Settings
) -> None:
    db = seeded.app[DATABASE]
    issued = await directory.add_group(db, settings, OPERATOR, "Trauercafé", "kiss-nord")
    await schedules.set_schedule(
        db, OPERATOR, issued.group.id, frequency="biweekly", weekday=3, start=dt.time(19), duration_minutes=90,
        anchor=dt.date(2026, 1, 1), place="Raum 2",
    )  # fmt: skip
    staff = StaffBrowser(seeded)
    await staff.sign_in("nord@example.org")
    german = _text((await staff.get(f"/staff/groups/{issued.group.id}")).text)
    english = _text((await staff.get(f"/staff/groups/{issued.group.id}?lang=en")).text)
    assert "Jetzt gespeichert: jeden zweiten Donnerstag, 19:00 bis 20:30 Uhr · Ort: Raum 2" in german
    assert "Saved now: every other Thursday, 19:00 to 20:30 · Place: Raum 2" in english
    assert "jeden" not in english

    await schedules.set_schedule(db, OPERATOR, issued.group.id, frequency="dates")
    english = _text((await staff.get(f"/staff/groups/{issued.group.id}?lang=en")).text)
    assert "Saved now: single dates · Place: Raum 2" in english


async def test_the_leader_page_says_where_single_dates_are_added(client: Client, group: SeededGroup) -> None:
    """The "no fixed time" hint on the leader page points to the form that adds single dates (above it)."""
    pages = await _leader_pages(client, group)
    assert (
        "Bei „Keine feste Zeit“ lassen Sie Datum und Uhrzeit leer. Jedes Treffen tragen Sie dann oben"
        in (pages["de"])
    )
    assert 'Then add each meeting on its own above with "Add meeting"' in pages["en"]
    assert "„Treffen dazu machen“" in pages["ls"]
    invite_hint = "Sie können die Zeit später auf Ihrer Seite festlegen."  # the invitation keeps its own
    assert invite_hint not in pages["de"]
