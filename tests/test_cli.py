"""The CLI as a user runs it: subprocesses, JSON output, one-line errors, nothing half-written."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def test_contact_point_and_group_add_with_json(cli: Cli) -> None:
    added = cli("contact-point", "add", "KISS Beispielstadt", "--phone", "0911 234567", "--json")
    assert added.returncode == 0, added.stderr
    assert added.json()["slug"] == "kiss-beispielstadt"

    group = cli("group", "add", "Angehörige Sucht", "--contact-point", "kiss-beispielstadt", "--json")
    assert group.returncode == 0, group.stderr
    data = group.json()
    assert set(data) >= {"id", "room", "member_url", "leader_url", "pin"}
    assert re.fullmatch(r"https://treffen\.example\.org/j/[a-z0-9]{5}-[a-z0-9]{5}", data["member_url"])
    assert data["leader_url"].startswith("https://treffen.example.org/l/")
    assert re.fullmatch(r"[1-9][0-9]{7}", data["pin"])
    assert "angeh" not in data["room"] and "sucht" not in data["room"]

    listing = cli("group", "list", "--json").json()
    assert [g["id"] for g in listing["groups"]] == [data["id"]]
    assert "leader_url" not in listing["groups"][0]  # only its hash is stored


def test_group_add_without_dialin_has_no_pin(cli: Cli) -> None:
    result = cli("group", "add", "Trauercafé", "--json", extra_env={"MEETKIT_DIALIN_NUMBERS": ""})
    assert result.returncode == 0, result.stderr
    assert "pin" not in result.json()


def test_human_output_is_readable(cli: Cli) -> None:
    result = cli("group", "add", "Trauercafé")
    assert result.returncode == 0
    assert "Link für Mitglieder: https://treffen.example.org/j/" in result.stdout
    assert "Link für die Leitung: https://treffen.example.org/l/" in result.stdout
    assert "nur jetzt angezeigt" in result.stdout


def test_rotate_prints_new_links_and_pin(cli: Cli) -> None:
    before = cli("group", "add", "Trauercafé", "--json").json()
    after = cli("group", "rotate", str(before["id"]), "--json")
    assert after.returncode == 0, after.stderr
    renewed = after.json()
    for key in ("member_url", "leader_url", "pin"):
        assert renewed[key] != before[key]
    assert renewed["room"] != before["room"]  # the old member link holds the old room URL
    by_name = cli("group", "rotate", "Trauercafé", "--json")
    assert by_name.returncode == 0 and by_name.json()["member_url"] != renewed["member_url"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("group", "add", ""), "leer"),
        (("group", "add", "x" * 10_000), "zu lang"),
        (("group", "add", "Gruppe\x07"), "Steuerzeichen"),
        (("group", "add", "G", "--contact-point", "gibt-es-nicht"), "Keine Kontaktstelle"),
        (("group", "rotate", "999"), "Keine Gruppe"),
        (("group", "show", "Unbekannt"), "Keine Gruppe"),
        (("contact-point", "add", "K", "--phone", "abc"), "Telefonnummer"),
    ],
)
def test_bad_input_gives_one_line_and_writes_nothing(cli: Cli, args: tuple[str, ...], message: str) -> None:
    result = cli(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert result.stderr.startswith("meetkit: Fehler: ")
    assert cli("group", "list", "--json").json() == {"groups": []}


def test_duplicate_contact_point_is_refused(cli: Cli) -> None:
    assert cli("contact-point", "add", "KISS").returncode == 0
    again = cli("contact-point", "add", "KISS")
    assert again.returncode == 2 and "gibt es schon" in again.stderr
    assert len(cli("contact-point", "list", "--json").json()["contact_points"]) == 1


def test_bad_setting_is_one_line(cli: Cli) -> None:
    result = cli("group", "list", extra_env={"MEETKIT_PIN_DIGITS": "two"})
    assert result.returncode == 2 and "MEETKIT_PIN_DIGITS" in result.stderr and result.stderr.count("\n") == 1


def test_groups_from_before_dialin_get_a_pin_once_it_is_configured(cli: Cli) -> None:
    created = cli("group", "add", "Trauercafé", "--json", extra_env={"MEETKIT_DIALIN_NUMBERS": ""}).json()
    assert "pin" not in created
    shown = cli("group", "show", str(created["id"]), "--json").json()
    assert re.fullmatch(r"[1-9][0-9]{7}", shown["pin"] or "")
    assert cli("group", "show", str(created["id"]), "--json").json()["pin"] == shown["pin"]  # stable
