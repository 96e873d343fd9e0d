"""Member and leader pages through the HTTP client: content, languages, start with JWT, renewal."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import unquote, urlsplit

import aiohttp
import jwt as pyjwt
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory
from meetkit.web.keys import DATABASE
from tests.conftest import JWT_SECRET, SeededGroup

Client = TestClient[web.Request, web.Application]


def hash_params(url: str) -> dict[str, object]:
    """Decode Jitsi's URL-hash parameters (`key=<JSON>&...`) the way its client does."""
    fragment = urlsplit(url).fragment
    return {k: json.loads(unquote(v)) for k, _, v in (p.partition("=") for p in fragment.split("&"))}


async def test_member_page_is_german_by_default_with_join_link_and_phone(
    client: Client, group: SeededGroup
) -> None:
    response = await client.get(group.member_path)
    assert response.status == 200
    html = await response.text()
    assert '<html lang="de">' in html
    assert "Angehörige Sucht" in html and "Begleitet von KISS Beispielstadt" in html
    assert "Jetzt teilnehmen" in html and "Unsere Regeln" in html
    assert f'href="https://meet.example.org/{group.room}#' in html
    assert group.pin is not None
    assert f"{group.pin[:3]} {group.pin[3:6]} {group.pin[6:]}" in html and "+49 89 1234567" in html


async def test_member_join_link_carries_privacy_settings_but_no_token(
    client: Client, group: SeededGroup
) -> None:
    html = await (await client.get(group.member_path)).text()
    start = html.index(f"https://meet.example.org/{group.room}#")
    link = html[start : html.index('"', start)].replace("&amp;", "&")
    params = hash_params(link)
    assert params["config.disableThirdPartyRequests"] is True
    assert params["config.deeplinking.disabled"] is True
    assert params["config.analytics.disabled"] is True
    assert "jwt" not in params
    assert urlsplit(link).query == ""


async def test_member_page_in_english(client: Client, group: SeededGroup) -> None:
    by_query = await (await client.get(group.member_path + "?lang=en")).text()
    assert '<html lang="en">' in by_query and "Join now" in by_query and "Our rules" in by_query
    by_header = await client.get(group.member_path, headers={"Accept-Language": "en-GB,en;q=0.9,de;q=0.3"})
    assert "Join now" in await by_header.text()
    german_first = await client.get(group.member_path, headers={"Accept-Language": "de-DE,en;q=0.5"})
    assert "Jetzt teilnehmen" in await german_first.text()


async def test_member_code_is_forgiving_about_case_and_dashes(client: Client, group: SeededGroup) -> None:
    assert (await client.get("/j/" + group.member_code.upper())).status == 200


async def test_hidden_group_names_stay_hidden(client: Client, settings: Settings) -> None:
    db = client.app[DATABASE]
    await directory.add_contact_point(db, OPERATOR, "KISS Diskret", show_group_names=False)
    issued = await directory.add_group(db, settings, OPERATOR, "Anonyme Alkoholiker Nord", "kiss-diskret")
    html = await (await client.get(f"/j/{issued.group.member_code}")).text()
    assert "Alkoholiker" not in html and "Ihr Gruppenraum" in html


async def test_unknown_member_code_is_a_friendly_404(client: Client) -> None:
    response = await client.get("/j/zzzzz-zzzzz")
    assert response.status == 404
    html = await response.text()
    assert "Diesen Link gibt es nicht." in html and "Tippfehler" in html


async def test_leader_start_redirects_with_a_moderator_jwt_for_exactly_this_room(
    client: Client, group: SeededGroup, settings: Settings
) -> None:
    page = await client.get(f"/l/{group.leader_token}")
    assert page.status == 200 and "Treffen starten" in await page.text()
    for method in ("POST", "GET"):
        response = await client.request(method, f"/l/{group.leader_token}/start", allow_redirects=False)
        assert response.status == 303
        location = response.headers["Location"]
        assert location.startswith(f"https://meet.example.org/{group.room}#")
        token = hash_params(location)["jwt"]
        assert isinstance(token, str)
        assert pyjwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
        claims = pyjwt.decode(token, JWT_SECRET, algorithms=["HS256"], audience="jitsi", issuer="meetkit")
        assert claims["sub"] == "meet.jitsi" and claims["room"] == group.room
        assert claims["context"] == {"user": {"moderator": True}}
        assert claims["nbf"] <= claims["iat"] < claims["exp"]
        assert claims["exp"] - claims["iat"] == settings.jwt_ttl_minutes * 60
        assert response.headers["Cache-Control"] == "no-store"


async def test_without_jwt_secret_start_redirects_without_token(
    aiohttp_client: object, env: dict[str, str], tmp_path: object
) -> None:
    from meetkit.config import load_settings, with_secret
    from meetkit.web.app import create_app

    plain = with_secret(load_settings({**env, "JITSI_JWT_SECRET": ""}, env_file="/nonexistent"))
    client: Client = await aiohttp_client(create_app(plain))  # type: ignore[operator]
    issued = await directory.add_group(client.app[DATABASE], plain, OPERATOR, "Gruppe")
    response = await client.post(f"/l/{issued.leader_token}/start", allow_redirects=False)
    assert response.status == 303 and "jwt" not in hash_params(response.headers["Location"])
    page = await (await client.get(f"/l/{issued.leader_token}")).text()
    # no operator jargon: what the leader can do instead (the operator reads why in the log)
    assert "Sie betreten den Raum wie alle anderen." in page and "Moderations-Schlüssel" not in page


async def test_rotation_retires_old_links_with_a_page_that_says_whom_to_ask(
    client: Client, group: SeededGroup, settings: Settings
) -> None:
    issued = await directory.rotate_group(client.app[DATABASE], settings, OPERATOR, str(group.id))
    old_member = await client.get(group.member_path)
    assert old_member.status == 404
    text = await old_member.text()
    assert "erneuert" in text and "KISS Beispielstadt" in text and "0911 234567" in text
    old_leader = await client.get(f"/l/{group.leader_token}")
    assert old_leader.status == 404 and "erneuert" in await old_leader.text()
    assert (await client.post(f"/l/{group.leader_token}/start", allow_redirects=False)).status == 404
    assert (await client.get(f"/j/{issued.group.member_code}")).status == 200
    assert (await client.get(f"/l/{issued.leader_token}")).status == 200


async def test_leader_can_renew_links_after_confirming(client: Client, group: SeededGroup) -> None:
    unconfirmed = await client.post(f"/l/{group.leader_token}/renew", data={}, allow_redirects=False)
    assert unconfirmed.status == 400 and "bestätigen" in await unconfirmed.text()
    assert (await client.get(group.member_path)).status == 200  # nothing changed

    response = await client.post(
        f"/l/{group.leader_token}/renew", data={"confirm": "yes"}, allow_redirects=False
    )
    assert response.status == 303
    new_path = response.headers["Location"]
    assert new_path.startswith("/l/") and group.leader_token not in new_path
    page = await client.get(new_path)
    assert page.status == 200 and "Die Links wurden erneuert." in await page.text()
    assert (await client.get(group.member_path)).status == 404


async def test_unknown_route_and_method(client: Client) -> None:
    response = await client.get("/nirgendwo")
    assert response.status == 404 and "Diese Seite gibt es nicht." in await response.text()
    assert (await client.delete("/l/x/start")).status in (404, 405)


async def test_healthz(client: Client) -> None:
    response = await client.get("/healthz")
    assert response.status == 200 and (await response.json())["status"] == "ok"


async def test_cli_rotation_takes_effect_at_once_on_a_running_server(cli: Any, running_server: Any) -> None:
    """The member page is cached in the server; a rotation by another process must still apply at once."""
    group = cli("group", "add", "Gruppe", "--json").json()
    old_path = group["member_url"].removeprefix("https://treffen.example.org")
    async with aiohttp.ClientSession(running_server.url) as session:
        for _ in range(3):  # warm the cache
            async with session.get(old_path) as response:
                assert response.status == 200
        renewed = cli("group", "rotate", str(group["id"]), "--json").json()
        async with session.get(old_path) as response:
            assert response.status == 404
        async with session.get(renewed["member_url"].removeprefix("https://treffen.example.org")) as response:
            assert response.status == 200


async def test_cached_member_page_is_rebuilt_when_its_time_slot_passes(
    client: Client, group: SeededGroup, monkeypatch: Any
) -> None:
    """Dates pass without any commit: the cached page must still be rebuilt after one slot."""
    from meetkit.web import pages

    renders: list[str] = []
    original = pages._render_member_page
    monkeypatch.setattr(pages, "_render_member_page", lambda *a: renders.append("x") or original(*a))
    now = 1_800_000_000.0
    monkeypatch.setattr(pages.time, "time", lambda: now)
    for _ in range(3):
        assert (await client.get(group.member_path)).status == 200
    assert len(renders) == 1  # served from the cache
    now += pages.PAGE_CACHE_SLOT_SECONDS
    assert (await client.get(group.member_path)).status == 200
    assert len(renders) == 2


async def test_member_pages_asked_for_at_once_each_show_their_own_group(
    client: Client, settings: Settings, group: SeededGroup
) -> None:
    """Pages that miss the cache together are read together: each still shows its own room and name, a
    renewed link explains itself, an unknown one is 404."""
    db = client.app[DATABASE]
    issued = [
        await directory.add_group(db, settings, OPERATOR, f"Gruppe {n}", "kiss-beispielstadt")
        for n in range(8)
    ]
    old_code = issued[0].group.member_code
    issued[0] = await directory.rotate_group(db, settings, OPERATOR, issued[0].group.id)

    def path(code: str) -> str:
        return f"/j/{code[:5]}-{code[5:]}"

    paths = [path(i.group.member_code) for i in issued] + [path(old_code), "/j/zzzzz-zzzzz"]
    responses = await asyncio.gather(*(client.get(p) for p in paths))
    pages = [(response.status, await response.text()) for response in responses]
    for item, (status, html) in zip(issued, pages, strict=False):
        assert status == 200
        assert f"meet.example.org/{item.group.room}#" in html and f"<h1>{item.group.name}</h1>" in html
    assert pages[-2][0] == 404 and "erneuert" in pages[-2][1] and "0911 234567" in pages[-2][1]
    assert pages[-1][0] == 404
