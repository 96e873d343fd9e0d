"""Dial-in look-ups as Jitsi's web client and a PBX make them: formats, CORS, secrets, limits, bad input."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestClient
from yarl import URL

from meetkit.config import Settings
from meetkit.domain.failure_budget import BUDGETS, SecretKind
from meetkit.domain.scope import OPERATOR
from meetkit.services import dialin as dialin_service
from meetkit.services import directory
from meetkit.storage.database import database_for
from meetkit.web import bearer
from meetkit.web.app import create_app
from meetkit.web.keys import DATABASE
from tests import dbtools
from tests.conftest import SeededGroup

Client = TestClient[web.Request, web.Application]
MUC = "muc.meet.jitsi"
JITSI_ORIGIN = "https://meet.example.org"
PBX = {"Authorization": "Bearer pbx-secret-0123456789abcdef0123456789"}
PBX_MAX_FAILURES = BUDGETS[SecretKind.PBX_PIN].limits[0].failures  # the minute limit runs out first


async def raw_get(client: Client, target: str, headers: dict[str, str] | None = None) -> Any:
    """GET exactly this request target, unencoded, as Jitsi's fetch() sends it."""
    return await client.get(URL(target, encoded=True), headers=headers)


def jitsi_mapper_target(room: str, muc: str = MUC) -> str:
    """The request string of jitsi-meet's getDialInConferenceID (react/features/invite/_utils.ts)."""
    return f"/jitsi/conference-mapper?conference={room}@{muc}&url=https://meet.example.org/{room}"


def jitsi_numbers_target(room: str, muc: str = MUC) -> str:
    """The request string of jitsi-meet's getDialInNumbers."""
    return f"/jitsi/dial-in-numbers?conference={room}@{muc}"


# --- Jitsi's requests -------------------------------------------------------------------------------------


async def test_mapper_answers_jitsi_with_the_pin_as_a_number(client: Client, group: SeededGroup) -> None:
    response = await raw_get(client, jitsi_mapper_target(group.room))
    assert response.status == 200
    body = await response.json()
    assert group.pin is not None
    # jitsi-meet rejects the answer unless both are truthy; it shows `id` as the PIN.
    assert body["id"] == int(group.pin) and isinstance(body["id"], int)
    assert body["conference"] == f"{group.room}@{MUC}"
    assert isinstance(body["message"], str) and body["message"]
    assert response.headers["Access-Control-Allow-Origin"] == JITSI_ORIGIN


async def test_mapper_compares_the_room_lowercased_and_answers_it_lowercased(
    client: Client, group: SeededGroup
) -> None:
    response = await raw_get(client, jitsi_mapper_target(group.room.upper(), "MUC.Meet.Jitsi"))
    body = await response.json()
    assert response.status == 200 and body["conference"] == f"{group.room}@{MUC}"


async def test_mapper_works_with_a_url_containing_a_tenant_and_extra_parameters(
    client: Client, group: SeededGroup
) -> None:
    target = (
        f"/jitsi/conference-mapper?conference={group.room}@{MUC}"
        f"&url=https://meet.example.org/tenant/{group.room}&foo=bar"
    )
    assert (await raw_get(client, target)).status == 200


async def test_unknown_room_gets_falsy_id_and_conference_and_nothing_else(
    client: Client, group: SeededGroup
) -> None:
    response = await raw_get(client, jitsi_mapper_target("zzzzz-zzzzz-zzzzz-zzzzz"))
    assert response.status == 404
    body = await response.json()
    assert body["id"] is False and body["conference"] is False
    assert set(body) == {"error", "message", "id", "conference"}
    text = await response.text()
    assert group.room not in text and str(group.pin) not in text and "zzzzz" not in text
    assert response.headers["Access-Control-Allow-Origin"] == JITSI_ORIGIN


async def test_dial_in_numbers_in_jitsis_array_format(client: Client, group: SeededGroup) -> None:
    response = await raw_get(client, jitsi_numbers_target(group.room))
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == JITSI_ORIGIN
    assert await response.json() == [
        {"countryCode": "DE", "tollFree": False, "formattedNumber": "+49 89 1234567", "default": True},
        {"countryCode": "DE", "tollFree": False, "formattedNumber": "+49 911 7654321", "default": False},
    ]


async def test_dial_in_numbers_without_conference_as_jitsi_asks_without_a_room(client: Client) -> None:
    response = await raw_get(client, "/jitsi/dial-in-numbers")
    numbers = await response.json()
    assert response.status == 200 and len(numbers) == 2 and numbers[0]["countryCode"] == "DE"


async def test_numbers_do_not_depend_on_whether_the_room_exists(client: Client, group: SeededGroup) -> None:
    known = await (await raw_get(client, jitsi_numbers_target(group.room))).json()
    unknown = await (await raw_get(client, jitsi_numbers_target("zzzzz-zzzzz-zzzzz-zzzzz"))).json()
    assert known == unknown


async def test_toll_free_numbers_are_marked(aiohttp_client: Any, settings: Settings) -> None:
    from meetkit.config import parse_dialin_numbers

    numbers = parse_dialin_numbers("DE:+49 800 1234567;AT:+43 1 234567")
    client = await aiohttp_client(create_app(replace(settings, dialin_numbers=numbers)))
    body = await (await client.get("/jitsi/dial-in-numbers")).json()
    assert [(n["countryCode"], n["tollFree"], n["default"]) for n in body] == [
        ("DE", True, True),
        ("AT", False, False),
    ]


@pytest.mark.parametrize("path", ["/jitsi/conference-mapper", "/jitsi/dial-in-numbers"])
async def test_cors_preflight_allows_get_from_the_jitsi_origin_only(client: Client, path: str) -> None:
    response = await client.options(
        path,
        headers={
            "Origin": JITSI_ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == JITSI_ORIGIN
    assert response.headers["Access-Control-Allow-Methods"] == "GET"
    # The PBX secret is never usable from a browser: Authorization is not an allowed request header.
    assert "Access-Control-Allow-Headers" not in response.headers
    assert "Access-Control-Allow-Credentials" not in response.headers


async def test_cors_origin_follows_jitsi_url_and_is_never_a_wildcard(
    aiohttp_client: Any, settings: Settings, group: SeededGroup
) -> None:
    client = await aiohttp_client(create_app(replace(settings, jitsi_url="https://video.example.net:8443/x")))
    for target in ("/jitsi/dial-in-numbers", "/jitsi/conference-mapper", "/jitsi/conference-mapper?id=1"):
        response = await client.get(target)
        assert response.headers["Access-Control-Allow-Origin"] == "https://video.example.net:8443"


async def test_other_routes_get_no_cors_header(client: Client, group: SeededGroup) -> None:
    for path in ("/healthz", group.member_path, "/jitsi/other"):
        response = await client.get(path)
        assert "Access-Control-Allow-Origin" not in response.headers


async def test_answers_come_well_within_jitsis_three_second_timeout(
    client: Client, group: SeededGroup
) -> None:
    started = time.perf_counter()
    for _ in range(50):
        assert (await raw_get(client, jitsi_mapper_target(group.room))).status == 200
        assert (await raw_get(client, jitsi_numbers_target(group.room))).status == 200
    assert (time.perf_counter() - started) / 100 < 0.1


# --- without dial-in -----------------------------------------------------------------------------------


async def test_without_dial_in_numbers_are_empty_and_the_mapper_refuses(
    aiohttp_client: Any, settings: Settings
) -> None:
    client = await aiohttp_client(create_app(replace(settings, dialin_numbers=())))
    numbers = await client.get("/jitsi/dial-in-numbers?conference=abc@muc.meet.jitsi")
    assert numbers.status == 200 and await numbers.json() == []  # Jitsi: numbersEnabled false
    for target in (
        "/jitsi/conference-mapper?conference=abc@muc.meet.jitsi",
        "/jitsi/conference-mapper?id=12345678",
    ):
        response = await client.get(target, headers=PBX)
        assert response.status == 403
        assert "MEETKIT_DIALIN_NUMBERS" in (await response.json())["error"]


# --- the PBX's look-up ----------------------------------------------------------------------------------


async def test_pbx_resolves_a_pin_to_the_room_jid(client: Client, group: SeededGroup) -> None:
    response = await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=PBX)
    assert response.status == 200
    assert await response.json() == {
        "message": "Einwahl-PIN gefunden.",
        "id": int(str(group.pin)),
        "conference": f"{group.room}@{MUC}",
    }


async def test_pbx_gets_conference_false_for_an_unknown_pin(client: Client, group: SeededGroup) -> None:
    unknown = "99999999" if group.pin != "99999999" else "88888888"
    response = await client.get(f"/jitsi/conference-mapper?id={unknown}", headers=PBX)
    assert response.status == 404
    body = await response.json()
    assert body["conference"] is False and body["id"] is False
    assert unknown not in await response.text()


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer wrong",
        "Basic cGJ4LXNlY3JldA==",
        "pbx-secret-0123456789abcdef0123456789",
        "Bearer pbx-secret-0123456789abcdef01234567892",
    ],
)
async def test_pbx_look_up_needs_the_right_secret(
    client: Client, group: SeededGroup, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=headers)
    assert response.status == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    text = await response.text()
    assert str(group.pin) not in text and group.room not in text


async def test_bearer_scheme_is_case_insensitive(client: Client, group: SeededGroup) -> None:
    response = await client.get(
        f"/jitsi/conference-mapper?id={group.pin}",
        headers={"Authorization": "bearer pbx-secret-0123456789abcdef0123456789"},
    )
    assert response.status == 200


async def test_pbx_look_up_is_refused_without_a_configured_secret(
    aiohttp_client: Any, settings: Settings
) -> None:
    client = await aiohttp_client(create_app(replace(settings, pbx_secret=None)))
    for headers in ({}, PBX, {"Authorization": "Bearer "}):
        response = await client.get("/jitsi/conference-mapper?id=12345678", headers=headers)
        assert response.status == 403
        assert "MEETKIT_PBX_SECRET" in (await response.json())["error"]


async def test_secrets_are_compared_in_constant_time(
    client: Client, group: SeededGroup, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = bearer.hmac.compare_digest
    calls: list[tuple[bytes, bytes]] = []

    def spy(a: bytes, b: bytes) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(bearer.hmac, "compare_digest", spy)
    assert (await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=PBX)).status == 200
    assert (await client.get(f"/jitsi/conference-mapper?id={group.pin}")).status == 401
    assert calls == [
        (b"pbx-secret-0123456789abcdef0123456789", b"pbx-secret-0123456789abcdef0123456789"),
        (b"", b"pbx-secret-0123456789abcdef0123456789"),
    ]


async def test_wrong_secrets_are_rate_limited_and_then_even_the_right_one_waits(
    client: Client, group: SeededGroup
) -> None:
    for _ in range(PBX_MAX_FAILURES):
        response = await client.get(
            f"/jitsi/conference-mapper?id={group.pin}", headers={"Authorization": "Bearer x"}
        )
        assert response.status == 401
    response = await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=PBX)
    assert response.status == 429
    assert "error" in await response.json()


async def test_unknown_pins_are_rate_limited_so_pins_cannot_be_enumerated(
    client: Client, group: SeededGroup
) -> None:
    """Even with the right secret: after the failure budget a correct PIN no longer answers either."""
    statuses = []
    start = 10_000_000
    for n in range(PBX_MAX_FAILURES + 5):
        guess = str(start + n)
        if guess == group.pin:
            continue
        response = await client.get(f"/jitsi/conference-mapper?id={guess}", headers=PBX)
        statuses.append(response.status)
    assert statuses[:PBX_MAX_FAILURES] == [404] * PBX_MAX_FAILURES
    assert set(statuses[PBX_MAX_FAILURES:]) == {429}
    assert (await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=PBX)).status == 429
    # Jitsi's public look-ups by room do not use the PBX budget.
    assert (await raw_get(client, jitsi_mapper_target(group.room))).status == 200


async def test_successful_pin_look_ups_do_not_use_up_the_budget(client: Client, group: SeededGroup) -> None:
    for _ in range(PBX_MAX_FAILURES + 10):
        assert (await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=PBX)).status == 200


async def test_malformed_pins_count_as_failures_too(client: Client, group: SeededGroup) -> None:
    for _ in range(PBX_MAX_FAILURES):
        assert (await client.get("/jitsi/conference-mapper?id=12ab", headers=PBX)).status == 400
    assert (await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=PBX)).status == 429


# --- rotation, uniqueness, older groups ---------------------------------------------------------------


async def test_rotation_gives_a_new_pin_and_the_old_one_stops_at_once(
    client: Client, settings: Settings, group: SeededGroup
) -> None:
    issued = await directory.rotate_group(client.app[DATABASE], settings, OPERATOR, str(group.id))
    new_pin = issued.group.pin
    assert new_pin is not None and new_pin != group.pin and len(new_pin) == settings.pin_digits
    old = await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=PBX)
    assert old.status == 404
    new = await (await client.get(f"/jitsi/conference-mapper?id={new_pin}", headers=PBX)).json()
    assert new["conference"] == f"{issued.group.room}@{MUC}" != f"{group.room}@{MUC}"  # a new room too
    by_room = await (await raw_get(client, jitsi_mapper_target(issued.group.room))).json()
    assert by_room["id"] == int(new_pin)
    assert (await raw_get(client, jitsi_mapper_target(group.room))).status == 404


async def test_pins_are_random_unique_and_have_the_configured_length(
    aiohttp_client: Any, settings: Settings
) -> None:
    client = await aiohttp_client(create_app(replace(settings, pin_digits=10)))
    db = client.app[DATABASE]
    pins = [
        (await directory.add_group(db, replace(settings, pin_digits=10), OPERATOR, f"G{n}")).group.pin
        for n in range(40)
    ]
    assert all(p is not None and len(p) == 10 and p.isdigit() and p[0] != "0" for p in pins)
    assert len(set(pins)) == 40
    with pytest.raises(dbtools.INTEGRITY_ERRORS):
        dbtools.execute(settings, "UPDATE support_groups SET pin = ? WHERE id = 2", pins[0])
    # A 10-digit PIN resolves; PINs of an earlier length (6 to 12 digits) are still well-formed.
    assert (await client.get(f"/jitsi/conference-mapper?id={pins[3]}", headers=PBX)).status == 200
    assert (await client.get("/jitsi/conference-mapper?id=12345678", headers=PBX)).status == 404


async def _groups_without_dialin(settings: Settings, count: int) -> list[int]:
    """Create groups the way a deployment without dial-in did: no PIN."""
    db = database_for(settings.database_url)
    await db.open()
    try:
        no_dialin = replace(settings, dialin_numbers=())
        return [
            (await directory.add_group(db, no_dialin, OPERATOR, f"Alt {n}")).group.id for n in range(count)
        ]
    finally:
        await db.close()


async def test_groups_from_before_dial_in_get_a_pin_when_the_service_starts(
    aiohttp_client: Any, settings: Settings
) -> None:
    ids = await _groups_without_dialin(settings, 3)
    client = await aiohttp_client(create_app(settings))
    found = await directory.list_groups(client.app[DATABASE], OPERATOR)
    pins = [g.pin for g in found if g.id in ids]
    assert len(pins) == 3 and all(p is not None and len(p) == settings.pin_digits for p in pins)
    assert len(set(pins)) == 3
    response = await client.get(f"/jitsi/conference-mapper?id={pins[0]}", headers=PBX)
    assert response.status == 200


async def test_a_group_without_pin_gets_one_lazily_when_jitsi_asks(
    client: Client, settings: Settings
) -> None:
    """E.g. created by a CLI run that had no dial-in settings while the service was running."""
    db = client.app[DATABASE]
    issued = await directory.add_group(db, replace(settings, dialin_numbers=()), OPERATOR, "Später")
    assert issued.group.pin is None
    body = await (await raw_get(client, jitsi_mapper_target(issued.group.room))).json()
    stored = await directory.find_group(db, OPERATOR, str(issued.group.id))
    assert stored.pin is not None and body["id"] == int(stored.pin)
    again = await (await raw_get(client, jitsi_mapper_target(issued.group.room))).json()
    assert again["id"] == body["id"]


async def test_concurrent_first_look_ups_agree_on_one_pin(client: Client, settings: Settings) -> None:
    db = client.app[DATABASE]
    issued = await directory.add_group(db, replace(settings, dialin_numbers=()), OPERATOR, "Gleichzeitig")
    answers = await asyncio.gather(
        *(raw_get(client, jitsi_mapper_target(issued.group.room)) for _ in range(10))
    )
    ids = {(await a.json())["id"] for a in answers}
    assert len(ids) == 1


async def test_assign_missing_pins_does_nothing_without_dial_in(settings: Settings, tmp_path: Path) -> None:
    await _groups_without_dialin(settings, 2)
    db = database_for(settings.database_url)
    await db.open()
    try:
        assert await dialin_service.assign_missing_pins(db, replace(settings, dialin_numbers=())) == 0
        assert await dialin_service.assign_missing_pins(db, settings) == 2
        assert await dialin_service.assign_missing_pins(db, settings) == 0
    finally:
        await db.close()


# --- bad input: the documented error shape, 4xx, never a 500 -----------------------------------------------

LONG = "a" * 10_000
BAD_MAPPER_TARGETS = [
    ("no parameters", "/jitsi/conference-mapper"),
    ("both parameters", "/jitsi/conference-mapper?conference=ROOM@muc.meet.jitsi&id=PIN"),
    ("empty conference", "/jitsi/conference-mapper?conference="),
    ("conference without value", "/jitsi/conference-mapper?conference"),
    ("empty id", "/jitsi/conference-mapper?id="),
    (
        "conference twice",
        "/jitsi/conference-mapper?conference=ROOM@muc.meet.jitsi&conference=ROOM@muc.meet.jitsi",
    ),
    ("id twice", "/jitsi/conference-mapper?id=PIN&id=PIN"),
    ("@ missing", "/jitsi/conference-mapper?conference=ROOM"),
    ("room missing", "/jitsi/conference-mapper?conference=@muc.meet.jitsi"),
    ("muc missing", "/jitsi/conference-mapper?conference=ROOM@"),
    ("two @", "/jitsi/conference-mapper?conference=ROOM@x@muc.meet.jitsi"),
    ("wrong MUC", "/jitsi/conference-mapper?conference=ROOM@conference.example.org"),
    ("MUC prefix only", "/jitsi/conference-mapper?conference=ROOM@muc.meet.jitsi.evil"),
    ("space in room", "/jitsi/conference-mapper?conference=RO%20OM@muc.meet.jitsi"),
    ("slash in room", "/jitsi/conference-mapper?conference=a/b@muc.meet.jitsi"),
    ("unicode room", "/jitsi/conference-mapper?conference=%C3%A4rger@muc.meet.jitsi"),
    ("unicode MUC", "/jitsi/conference-mapper?conference=ROOM@m%C3%BCc.meet.jitsi"),
    ("NUL byte", "/jitsi/conference-mapper?conference=ROOM%00@muc.meet.jitsi"),
    ("overlong room", f"/jitsi/conference-mapper?conference={'a' * 300}@muc.meet.jitsi"),
    ("5,000 chars", f"/jitsi/conference-mapper?conference={'a' * 5000}@muc.meet.jitsi"),
    ("non-digit PIN", "/jitsi/conference-mapper?id=12ab5678"),
    ("negative PIN", "/jitsi/conference-mapper?id=-12345678"),
    ("PIN with #", "/jitsi/conference-mapper?id=PIN%23"),
    ("PIN with spaces", "/jitsi/conference-mapper?id=123%20456%2078"),
    ("PIN too short", "/jitsi/conference-mapper?id=12345"),
    ("PIN too long", "/jitsi/conference-mapper?id=1234567890123"),
    ("PIN leading zero", "/jitsi/conference-mapper?id=01234567"),
    ("arabic-indic digits", "/jitsi/conference-mapper?id=%D9%A1%D9%A2%D9%A3%D9%A4%D9%A5%D9%A6%D9%A7%D9%A8"),
    ("superscript digits", "/jitsi/conference-mapper?id=%C2%B9%C2%B2%C2%B3%C2%B9%C2%B2%C2%B3%C2%B9%C2%B2"),
    ("float PIN", "/jitsi/conference-mapper?id=1234567.8"),
    ("numbers: wrong MUC", "/jitsi/dial-in-numbers?conference=ROOM@conference.example.org"),
    ("numbers: @ missing", "/jitsi/dial-in-numbers?conference=ROOM"),
    ("numbers: empty", "/jitsi/dial-in-numbers?conference="),
    (
        "numbers: twice",
        "/jitsi/dial-in-numbers?conference=ROOM@muc.meet.jitsi&conference=ROOM@muc.meet.jitsi",
    ),
    ("numbers: unicode", "/jitsi/dial-in-numbers?conference=%E2%98%83@muc.meet.jitsi"),
]


@pytest.mark.parametrize(("label", "target"), BAD_MAPPER_TARGETS, ids=[t[0] for t in BAD_MAPPER_TARGETS])
async def test_bad_input_gets_a_4xx_json_error_without_echo(
    client: Client, group: SeededGroup, label: str, target: str
) -> None:
    target = target.replace("ROOM", group.room).replace("PIN", str(group.pin))
    response = await client.get(URL(target, encoded=True), headers=PBX)
    assert response.status == 400, label
    assert response.content_type == "application/json"
    body = await response.json()
    assert isinstance(body["error"], str) and body["error"]
    text = await response.text()
    assert str(group.pin) not in text and group.room not in text
    if target.startswith(("/jitsi/conference-mapper", "/jitsi/dial-in-numbers")):
        assert response.headers["Access-Control-Allow-Origin"] == JITSI_ORIGIN


@pytest.mark.parametrize(
    "target",
    [
        f"/jitsi/conference-mapper?conference={LONG}@muc.meet.jitsi",
        f"/jitsi/conference-mapper?id={'1' * 10_000}",
        f"/jitsi/dial-in-numbers?conference=a@muc.meet.jitsi&url={LONG}",
        "/jitsi/conference-mapper?conference=ärger@muc.meet.jitsi",
    ],
)
async def test_what_http_parsing_refuses_gets_a_4xx(client: Client, target: str) -> None:
    """aiohttp itself refuses request lines over 8 KiB and raw non-ASCII (plain-text 400) before meetkit."""
    response = await client.get(URL(target, encoded=True), headers=PBX)
    assert 400 <= response.status < 500


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
async def test_other_methods_get_405_in_json(client: Client, method: str) -> None:
    response = await client.request(method, "/jitsi/conference-mapper?id=12345678", headers=PBX)
    assert response.status == 405
    assert "error" in await response.json()


async def test_head_works_for_monitoring(client: Client, group: SeededGroup) -> None:
    assert (await client.head("/jitsi/dial-in-numbers")).status == 200


async def test_a_rotation_in_the_cli_takes_effect_at_once_in_a_running_server(
    cli: Any, running_server: Any
) -> None:
    """Answers are cached in the server; a commit by another process (the CLI) empties that cache."""
    group = cli("group", "add", "Gruppe", "--json").json()
    mapper = f"{running_server.url}/jitsi/conference-mapper"
    jitsi = URL(f"{mapper}?conference={group['room']}@{MUC}&url=https://meet.example.org/x", encoded=True)
    async with ClientSession(headers=PBX) as session:
        for _ in range(3):  # warm the cache
            async with session.get(f"{mapper}?id={group['pin']}") as response:
                assert response.status == 200
            async with session.get(jitsi) as response:
                assert (await response.json())["id"] == int(group["pin"])
        rotated = cli("group", "rotate", str(group["id"]), "--json").json()
        async with session.get(f"{mapper}?id={group['pin']}") as response:
            assert response.status == 404
        async with session.get(f"{mapper}?id={rotated['pin']}") as response:
            assert (await response.json())["conference"] == f"{rotated['room']}@{MUC}"
        async with session.get(jitsi) as response:  # the old room leads nowhere any more
            assert response.status == 404 and (await response.json())["conference"] is False


async def test_behind_a_trusted_proxy_each_visitor_has_their_own_pin_budget(
    aiohttp_client: Any, settings: Settings, group: SeededGroup
) -> None:
    import ipaddress

    trusted = (ipaddress.ip_network("127.0.0.0/8"),)
    client = await aiohttp_client(create_app(replace(settings, trusted_proxies=trusted)))
    prober = {**PBX, "X-Real-IP": "203.0.113.7"}
    for _ in range(PBX_MAX_FAILURES):
        assert (await client.get("/jitsi/conference-mapper?id=19191919", headers=prober)).status == 404
    assert (await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=prober)).status == 429
    pbx = {**PBX, "X-Real-IP": "10.0.0.5"}
    assert (await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=pbx)).status == 200


async def test_a_rotation_in_this_process_reaches_warm_answers_at_once(
    client: Client, settings: Settings, group: SeededGroup
) -> None:
    """Cached answers are dropped by the commit itself (a CLI in another process: see test_storage)."""
    for _ in range(3):
        assert (await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=PBX)).status == 200
        assert (await raw_get(client, jitsi_mapper_target(group.room))).status == 200
    issued = await directory.rotate_group(client.app[DATABASE], settings, OPERATOR, str(group.id))
    assert (await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=PBX)).status == 404
    assert (await raw_get(client, jitsi_mapper_target(group.room))).status == 404
    body = await (await raw_get(client, jitsi_mapper_target(issued.group.room))).json()
    assert body["id"] == int(str(issued.group.pin))
