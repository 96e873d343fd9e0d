"""A PIN replaced by a rotation is never issued again: an old printed sheet must not lead into another group."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory
from meetkit.storage import dialin as dialin_storage
from meetkit.web.keys import DATABASE
from tests.conftest import SeededGroup

Client = TestClient[web.Request, web.Application]


async def test_a_retired_pin_is_skipped_when_new_pins_are_drawn(
    client: Client, group: SeededGroup, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = client.app[DATABASE]
    old_pin = group.pin
    assert old_pin is not None
    await directory.rotate_group(db, settings, OPERATOR, str(group.id))

    draws: Iterator[str] = iter([old_pin, old_pin, "55555555"])
    monkeypatch.setattr(dialin_storage, "new_pin", lambda digits: next(draws))
    other = await directory.add_group(db, settings, OPERATOR, "Andere Gruppe")
    assert other.group.pin == "55555555"


async def test_the_old_pin_leads_nowhere_after_rotation(
    client: Client, group: SeededGroup, settings: Settings
) -> None:
    await directory.rotate_group(client.app[DATABASE], settings, OPERATOR, str(group.id))
    response = await client.get(
        f"/jitsi/conference-mapper?id={group.pin}",
        headers={"Authorization": "Bearer pbx-secret-0123456789abcdef0123456789"},
    )
    assert (await response.json())["conference"] is False
