"""The member page for everyone (issue 15): today and now, the help phone, the practice room, German,
English and Leichte Sprache; the practice room page and its room, which is never a group's room."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import unquote, urlsplit

import jwt as pyjwt
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain import ids
from meetkit.domain.practice_rooms import is_group_room_name, practice_room_name
from meetkit.domain.schedules import TIMEZONE
from meetkit.domain.scope import OPERATOR
from meetkit.services import schedules
from meetkit.web import pages
from meetkit.web.keys import DATABASE
from tests.conftest import JWT_SECRET, SeededGroup

Client = TestClient[web.Request, web.Application]
THURSDAY = dt.date(2027, 1, 14)
PRACTICE = "/ueben/kiss-beispielstadt"


def _at(day: dt.date, hour: int, minute: int) -> float:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TIMEZONE).timestamp()


async def _page(client: Client, path: str) -> str:
    response = await client.get(path)
    assert response.status == 200, await response.text()
    return await response.text()


async def test_member_page_says_whether_the_group_meets_today_and_now_in_three_languages(
    client: Client, group: SeededGroup, monkeypatch: Any
) -> None:
    """Thursdays 19:07 to 20:30: the cached page turns from "today" to "now" at 19:07 inside one 15-minute
    slot, each language keeps its own cached page, and a day without a meeting says so."""
    await schedules.set_schedule(
        client.app[DATABASE], OPERATOR, group.id, frequency="weekly", weekday=3, start=dt.time(19, 7),
        duration_minutes=83,
    )  # fmt: skip
    now = _at(THURSDAY, 19, 1)
    monkeypatch.setattr(pages.time, "time", lambda: now)
    german = await _page(client, group.member_path)
    assert "Heute trifft sich die Gruppe: 19:07 bis 20:30 Uhr." in german
    assert "<strong>Donnerstag, 21. Januar 2027</strong>, 19:07 bis 20:30 Uhr" in german  # as on the sheet
    english = await _page(client, group.member_path + "?lang=en")  # same slot: its own cache entry
    assert "The group meets today: 19:07 to 20:30." in english
    assert "<strong>Thursday, January 21, 2027</strong>, 19:07 to 20:30" in english
    easy = await _page(client, group.member_path + "?lang=ls")
    assert "Heute ist ein Treffen. Es geht von 19:07 bis 20:30 Uhr." in easy and 'class="easy-read"' in easy
    assert "Zum Treffen gehen" in easy and "Mit dem Telefon zum Treffen" in easy
    assert "config.defaultLanguage=%22de%22" in easy  # Jitsi has no Leichte Sprache: German
    now = _at(THURSDAY, 19, 8)  # the same 15-minute slot as 19:01
    assert "Das Treffen läuft gerade: 19:07 bis 20:30 Uhr." in await _page(client, group.member_path)
    assert "The meeting is on now: 19:07" in await _page(client, group.member_path + "?lang=en")
    now = _at(THURSDAY, 20, 31)
    assert "Das Treffen heute ist vorbei (19:07 bis 20:30 Uhr)." in await _page(client, group.member_path)
    now = _at(THURSDAY + dt.timedelta(days=1), 19, 8)
    friday = await _page(client, group.member_path + "?lang=ls")
    assert "Heute ist kein Treffen." in friday and "Das Treffen ist jetzt" not in friday


async def test_member_page_links_help_phone_practice_room_and_languages(
    client: Client, group: SeededGroup
) -> None:
    german = await _page(client, group.member_path)
    assert "Heute trifft sich" not in german and "Heute ist kein Treffen" not in german  # no schedule: silent
    assert 'href="tel:0911234567">Anrufen: 0911\u00a0234567</a>' in german
    assert f'href="{PRACTICE}">Technik ausprobieren</a>' in german
    assert 'href="?lang=ls" hreflang="de" lang="de">Leichte Sprache</a>' in german
    assert 'href="?lang=en" hreflang="en" lang="en">English</a>' in german
    assert 'class="button button-secondary" href="#phone-title"' in german  # the phone way, a large button
    assert 'class="number button button-phone" href="tel:+49891234567,' in german
    easy = await _page(client, group.member_path + "?lang=ls")
    assert f'href="{PRACTICE}?lang=ls">Kamera und Ton ausprobieren</a>' in easy
    assert 'href="?lang=de" hreflang="de" lang="de">Deutsch</a>' in easy and ">Leichte Sprache<" not in easy
    assert "Geheim-Zahl" in easy and 'href="/datenschutz?lang=ls"' in easy
    english = await _page(client, group.member_path + "?lang=en")
    assert f'href="{PRACTICE}?lang=en">Try out camera and sound</a>' in english
    assert ">Call: 0911\u00a0234567</a>" in english and ">Leichte Sprache</a>" in english
    view = await schedules.set_schedule(
        client.app[DATABASE], OPERATOR, group.id, frequency="weekly", weekday=1, start=dt.time(18, 30)
    )
    sheet = await _page(client, f"/l/{group.leader_token}/sheet?lang=en")
    english = await _page(client, group.member_path + "?lang=en")
    for meeting in view.upcoming[:3]:  # the English page writes each day as the English sheet does
        day = f"{meeting.start:%A, %B} {meeting.start.day}, {meeting.start.year}"
        assert f"<strong>{day}</strong>, 18:30 to 20:00" in english
        assert day.replace(" ", "\u00a0") in sheet  # its time is in the rule in words
    assert "every Tuesday, 18:30 to 20:00" in sheet


async def test_practice_page_and_its_always_open_room(
    client: Client, group: SeededGroup, settings: Settings
) -> None:
    german = await _page(client, PRACTICE)
    assert "<h1>Technik ausprobieren</h1>" in german and "Wenn Sie nichts hören" in german
    assert 'href="tel:0911234567">Anrufen: 0911\u00a0234567</a>' in german
    assert f'href="{PRACTICE}/raum" rel="noreferrer noopener">Übungsraum öffnen</a>' in german
    assert "Sie müssen auf niemanden warten" in german and "nichts Persönliches" in german
    assert "If you hear nothing" in await _page(client, PRACTICE + "?lang=en")
    easy = await _page(client, PRACTICE + "?lang=ls")
    assert "Übungs-Raum öffnen" in easy and f'href="{PRACTICE}/raum?lang=ls"' in easy and "easy-read" in easy
    response = await client.get(PRACTICE + "/raum?lang=ls", allow_redirects=False)
    assert response.status == 303
    target = urlsplit(response.headers["Location"])
    room = target.path.strip("/")
    assert room == practice_room_name(settings.secret, "kiss-beispielstadt") and room != group.room
    params = {k: json.loads(unquote(v)) for k, _, v in (p.partition("=") for p in target.fragment.split("&"))}
    claims = pyjwt.decode(params["jwt"], JWT_SECRET, algorithms=["HS256"], audience="jitsi")
    assert claims["room"] == room and claims["context"] == {"user": {"moderator": False}} and "exp" in claims
    assert params["config.defaultLanguage"] == "de"
    for path in ("/ueben/kiss-unbekannt", "/ueben/kiss-unbekannt/raum", "/ueben/%00%ff"):
        missing = await client.get(path, allow_redirects=False)
        assert missing.status == 404 and "Diesen Link gibt es nicht." in await missing.text(), path


def test_a_practice_room_can_never_be_a_group_room() -> None:
    """Every group room has the shape `xxxxx-xxxxx-xxxxx-xxxxx`; practice rooms begin with an 11-letter word."""
    assert all(is_group_room_name(ids.new_room_name()) for _ in range(2000))
    slugs = [f"kiss-{n}" for n in range(500)] + ["a", "xxxxx", "12345-67890-abcde-fghij"]
    names = {practice_room_name(secret, slug) for secret in ("s1", "s2") for slug in slugs}
    assert len(names) == 2 * len(slugs)  # one room per contact point and installation
    assert not any(is_group_room_name(name) for name in names)
    assert all(name.startswith("uebungsraum-") and name.replace("-", "").isalnum() for name in names)
