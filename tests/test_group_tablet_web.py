"""The group's tablet through the app: its page and join button, the practice button, before and after the loan.

A loan's days pass by making loans through the services with their own `today` and pairing moment: a loan
that ran last week and ended yesterday (its tablet paired while it ran), and one that begins the day after
tomorrow. Both refuse the page and the join with their own clear message and join nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html import unescape

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain.attendance_times import local_today
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory, group_tablet
from meetkit.web.group_tablet import COOKIE
from meetkit.web.keys import DATABASE
from tests.lent_tablets import lent_tablet

Client = TestClient[web.Request, web.Application]
ENDED = "Die Ausleihe dieses Tablets ist beendet."
NOT_BEGUN = "Die Ausleihe dieses Tablets beginnt am"
PRACTICE_BUTTON = re.compile(r'<a class="group-tablet-secondary" href="([^"]+)">([^<]+)</a>')


@dataclass
class Tablets:
    """Three group tablets of one group: its loan runs, ended yesterday, or begins in two days."""

    running: str
    ended: str
    not_begun: str
    room: str
    not_begun_on: dt.date


@pytest.fixture
async def tablets(client: Client, settings: Settings) -> Tablets:
    db = client.app[DATABASE]
    await directory.add_contact_point(db, OPERATOR, "KISS Nord", slug="kiss-nord", phone="0911 234567")
    group = await directory.add_group(db, settings, OPERATOR, "Angehörige Nord", "kiss-nord")
    gid = group.group.id
    return Tablets(
        running=await lent_tablet(client.app[DATABASE], gid, "Tablet 1", 0, 6, "SN-1"),
        ended=await lent_tablet(client.app[DATABASE], gid, "Tablet 2", -7, -1, "SN-2"),
        not_begun=await lent_tablet(client.app[DATABASE], gid, "Tablet 3", 2, 5, "SN-3"),
        room=group.group.room,
        not_begun_on=local_today() + dt.timedelta(days=2),
    )


def _text(page: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())


async def test_the_tablet_leads_to_the_practice_page_in_its_language(
    client: Client, tablets: Tablets
) -> None:
    for lang, query, label in (
        ("de", "", "Technik ausprobieren"),
        ("en", "?lang=en", "Try out camera and sound"),
        ("ls", "?lang=ls", "Kamera und Ton ausprobieren"),
    ):
        page = await client.get(tablets.running + query)
        body = await page.text()
        assert page.status == 200, lang
        found = PRACTICE_BUTTON.findall(body)
        assert found == [(f"/ueben/kiss-nord{query}", label)], (
            lang
        )  # one practice button, in the same language
        assert f'action="{tablets.running}/join{query}"' in body, lang  # the join keeps the language too
        assert body.index("group-tablet-join") < body.index("group-tablet-secondary")  # below the big one
        practice = await client.get(found[0][0])
        assert practice.status == 200 and label in _text(await practice.text()), lang
        csp = page.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp  # a link needs no more than before
    joined = await client.post(tablets.running + "/join?lang=ls", allow_redirects=False)
    location = joined.headers["Location"]
    assert joined.status == 303 and location.startswith(f"https://meet.example.org/{tablets.room}#")
    assert "defaultLanguage=%22de%22" in location  # Jitsi has no Leichte Sprache: German


@pytest.mark.parametrize("query", ["", "?lang=en", "?lang=ls"])
async def test_after_the_loans_last_day_the_page_and_the_join_refuse(
    client: Client, tablets: Tablets, query: str
) -> None:
    heading, message = {
        "": ("Ausleihe beendet", ENDED),
        "?lang=en": ("Loan ended", "This tablet's loan has ended."),
        "?lang=ls": ("Die Ausleihe ist vorbei", "Die Gruppe hat das Tablet nicht mehr geliehen."),
    }[query]
    page = await client.get(tablets.ended + query)
    joined = await client.post(tablets.ended + "/join" + query, allow_redirects=False)
    for answer in (page, joined):
        body = await answer.text()
        assert answer.status == 403 and "Location" not in answer.headers  # joins nothing
        assert f"<h1>{heading}</h1>" in body and message in _text(body), (query, _text(body))
        assert "KISS Nord" in _text(body) and "0911 234567" in _text(body)  # whom to call
        assert f'href="{tablets.ended}?lang=' in body  # the language switch leads to the page, not the join
        assert "<form" not in body and "/ueben/" not in body and "/join" not in body  # no button, no practice
        assert "meet.example.org" not in body
    running = await client.get(tablets.running + query)
    assert running.status == 200  # the group's other, running tablet still works


@pytest.mark.parametrize("query", ["", "?lang=en", "?lang=ls"])
async def test_before_the_loans_first_day_the_page_and_the_join_refuse_and_say_when(
    client: Client, tablets: Tablets, query: str
) -> None:
    day = tablets.not_begun_on.strftime("%d.%m.%Y")
    heading, message = {
        "": ("Die Ausleihe hat noch nicht begonnen", f"{NOT_BEGUN} {day}. Ab dann kommen Sie hier"),
        "?lang=en": ("The loan has not begun yet", f"This tablet's loan begins on {day}."),
        "?lang=ls": ("Die Ausleihe hat noch nicht angefangen", f"Die Gruppe leiht das Tablet ab dem {day}."),
    }[query]
    page = await client.get(tablets.not_begun + query)
    joined = await client.post(tablets.not_begun + "/join" + query, allow_redirects=False)
    for answer in (page, joined):
        body = await answer.text()
        assert answer.status == 403 and "Location" not in answer.headers  # joins nothing
        assert f"<h1>{heading}</h1>" in body and message in _text(body), (query, _text(body))
        assert "Ausleihe beendet" not in body and "Loan ended" not in body
        assert "<form" not in body and "/ueben/" not in body and "meet.example.org" not in body
    assert 'data-reload-seconds="300"' in await page.text()  # on its first day the page shows the button


async def test_pairing_keeps_the_language(client: Client, tablets: Tablets) -> None:
    unpaired = await client.get("/tablet?lang=ls")
    assert unpaired.status == 200 and "group-tablet-secondary" not in await unpaired.text()
    _, pairing = await group_tablet.open_pairing(client.app[DATABASE], OPERATOR, 1)  # the running loan
    page = await client.get(f"/tablet/pair/{pairing}?lang=ls")
    assert f'action="/tablet/pair/{pairing}?lang=ls"' in await page.text()
    assert "group-tablet-secondary" not in await page.text()
    paired = await client.post(f"/tablet/pair/{pairing}?lang=ls", allow_redirects=False)
    assert paired.status == 303 and re.fullmatch(r"/tablet/[^/?]+\?lang=ls", paired.headers["Location"])
    cookie = paired.cookies[COOKIE]  # Secure (the public address is https): sent by hand over plain http
    back = await client.get(
        "/tablet?lang=en", headers={"Cookie": f"{COOKIE}={cookie.value}"}, allow_redirects=False
    )  # the cookie finds the tablet again
    assert back.headers["Location"] == paired.headers["Location"].replace("lang=ls", "lang=en")
