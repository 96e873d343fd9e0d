"""One "find by number or unique name" rule for groups and tablets, with each finder's own words."""

from __future__ import annotations

import pytest

from meetkit.config import Settings
from meetkit.domain.errors import InvalidInput, MeetkitError, NotFound
from meetkit.domain.scope import OPERATOR, staff_scope
from meetkit.services import devices, directory
from meetkit.web.keys import DATABASE
from tests.staff import Client


async def test_groups_and_tablets_are_found_by_number_or_unique_name_in_scope(
    client: Client, settings: Settings
) -> None:
    db = client.app[DATABASE]
    nord = await directory.add_contact_point(db, OPERATOR, "KISS Nord", slug="kiss-nord")
    await directory.add_contact_point(db, OPERATOR, "KISS Süd", slug="kiss-sued")
    first = (await directory.add_group(db, settings, OPERATOR, "Trauer", "kiss-nord")).group
    second = (await directory.add_group(db, settings, OPERATOR, "Trauer", "kiss-nord")).group
    foreign = (await directory.add_group(db, settings, OPERATOR, "Sucht", "kiss-sued")).group
    tablet = (await devices.add_device(db, OPERATOR, "Tablet", "kiss-nord")).device
    await devices.add_device(db, OPERATOR, "Tablet", "kiss-nord")
    sued_tablet = (await devices.add_device(db, OPERATOR, "Tablet Süd", "kiss-sued")).device
    nord_staff = staff_scope("nord@example.org", (nord.id,))

    assert (await directory.find_group(db, nord_staff, f" {first.id} ")).id == first.id
    assert (await devices.find_device(db, nord_staff, str(tablet.id))).id == tablet.id
    expected: list[tuple[object, type[MeetkitError], str]] = [
        (
            directory.find_group(db, nord_staff, foreign.id),
            NotFound,
            f"Keine Gruppe mit der Nummer {foreign.id}.",
        ),
        (directory.find_group(db, nord_staff, "Sucht"), NotFound, "Keine Gruppe mit dem Namen 'Sucht'."),
        (
            directory.find_group(db, nord_staff, "Trauer"),
            InvalidInput,
            f"Mehrere Gruppen heißen 'Trauer' (Nummern {first.id}, {second.id}); bitte die Nummer angeben.",
        ),
        (directory.find_group(db, OPERATOR, "9" * 30), NotFound, "Gruppe nicht gefunden."),
        (
            devices.find_device(db, nord_staff, sued_tablet.id),
            NotFound,
            f"Kein Tablet mit der Nummer {sued_tablet.id}.",
        ),
        (
            devices.find_device(db, nord_staff, "Tablet Süd"),
            NotFound,
            "Kein Tablet mit dem Namen 'Tablet Süd'.",
        ),
        (
            devices.find_device(db, OPERATOR, "Tablet"),
            InvalidInput,
            f"Mehrere Tablets heißen 'Tablet' (Nummern {tablet.id}, {tablet.id + 1}); bitte die Nummer angeben.",
        ),
    ]
    for call, error_type, message in expected:
        with pytest.raises(error_type) as raised:
            await call  # type: ignore[misc]
        assert raised.value.message == message
    assert (await devices.find_device(db, OPERATOR, "Tablet Süd")).id == sued_tablet.id
