"""Member and leader pages show the dial-in numbers and the PIN, with `tel:` links that dial both."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import DialInNumber, Settings
from meetkit.web.app import create_app
from tests.conftest import SeededGroup

Client = TestClient[web.Request, web.Application]


@pytest.mark.parametrize(
    ("number", "tel"),
    [
        ("+49 89 1234567", "+49891234567"),
        ("+49 (0)89 123-45/67", "+49891234567"),
        ("+43 (1) 234567", "+431234567"),
        ("+49 800 1234567", "+498001234567"),
    ],
)
def test_tel_keeps_plus_and_digits_and_drops_a_national_zero(number: str, tel: str) -> None:
    assert DialInNumber("DE", number, False).tel == tel


async def test_member_and_leader_pages_link_number_comma_pin_hash(client: Client, group: SeededGroup) -> None:
    assert group.pin is not None
    for path in (group.member_path, f"/l/{group.leader_token}"):
        html = await (await client.get(path)).text()
        assert f'href="tel:+49891234567,{group.pin}%23"' in html
        assert f'href="tel:+499117654321,{group.pin}%23"' in html
        assert ">+49 89 1234567<" in html  # shown as configured
        assert f"{group.pin[:3]} {group.pin[3:6]} {group.pin[6:]}" in html  # read in groups of three


async def test_pages_show_no_phone_section_without_dial_in(
    aiohttp_client: Any, settings: Settings, group: SeededGroup
) -> None:
    client = await aiohttp_client(create_app(replace(settings, dialin_numbers=())))
    html = await (await client.get(group.member_path)).text()
    assert "tel:+" not in html and str(group.pin) not in html  # only the contact point's help phone
