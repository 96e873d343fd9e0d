"""Settings: safe defaults, parsing, clear errors, a generated secret kept in the data dir."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from meetkit.config import PLACEHOLDER_JITSI_URL, DialInNumber, load_settings, with_secret
from meetkit.domain.errors import InvalidInput
from tests.conftest import CliResult


def test_nothing_is_required(tmp_path: Path) -> None:
    settings = load_settings({}, env_file=tmp_path / "missing.env")
    assert settings.public_url == "http://127.0.0.1:8080"
    assert settings.jitsi_url == PLACEHOLDER_JITSI_URL
    assert not settings.jwt_enabled and not settings.dialin_enabled
    warnings = settings.startup_warnings()
    assert len(warnings) == 3
    assert sum("MEETKIT_OPERATOR_NAME" in warning for warning in warnings) == 1


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("JITSI_URL=https://file.example.org/\nMEETKIT_PIN_DIGITS=10\n")
    settings = load_settings({"MEETKIT_PIN_DIGITS": "9"}, env_file=env_file)
    assert settings.jitsi_url == "https://file.example.org"
    assert settings.pin_digits == 9


def test_dialin_numbers_are_parsed() -> None:
    settings = load_settings(
        {"MEETKIT_DIALIN_NUMBERS": "de:+49 89 1234567; DE:+49 800 1234567"}, env_file="/nonexistent"
    )
    assert settings.dialin_numbers == (
        DialInNumber("DE", "+49 89 1234567", False),
        DialInNumber("DE", "+49 800 1234567", True),
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MEETKIT_DIALIN_NUMBERS", "+49 89 1234567"),
        ("MEETKIT_PIN_DIGITS", "3"),
        ("JITSI_URL", "meet.example.org"),
        ("MEETKIT_DATABASE_URL", "mysql://x"),
    ],
)
def test_bad_settings_say_which_variable_is_wrong(name: str, value: str) -> None:
    with pytest.raises(InvalidInput, match=name):
        load_settings({name: value}, env_file="/nonexistent")


def test_the_census_may_be_polled_every_second_but_not_more_often() -> None:
    """A second is the shortest interval (the instance tests use 2 s to prove one poller in seconds)."""
    assert load_settings({"MEETKIT_CENSUS_INTERVAL": "1"}, env_file="/nonexistent").census_interval == 1.0
    with pytest.raises(InvalidInput, match="MEETKIT_CENSUS_INTERVAL muss eine ganze Zahl von 1 bis 3600"):
        load_settings({"MEETKIT_CENSUS_INTERVAL": "0"}, env_file="/nonexistent")


def test_secret_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    settings = load_settings({"MEETKIT_DATA_DIR": str(tmp_path / "d")}, env_file="/nonexistent")
    first = with_secret(settings)
    second = with_secret(settings)
    assert first.secret and first.secret == second.secret
    mode = (tmp_path / "d" / "secret.key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600
    assert first.secret not in repr(first)


@pytest.mark.parametrize("name", ["MEETKIT_PBX_SECRET", "MEETKIT_EVENTS_SECRET"])
@pytest.mark.parametrize("value", ["pbxsecret", "x" * 31, "ä" * 40, "with spaces " * 4])
def test_shared_secrets_need_32_characters_and_the_message_says_how_to_make_one(
    name: str, value: str
) -> None:
    with pytest.raises(InvalidInput, match=name) as raised:
        load_settings({name: value}, env_file="/nonexistent")
    assert "openssl rand -hex 32" in raised.value.message
    assert value.strip() not in raised.value.message, "the secret is never repeated"


def test_a_secret_made_as_the_message_says_is_accepted() -> None:
    made = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"  # openssl rand -hex 32
    settings = load_settings(
        {"MEETKIT_PBX_SECRET": made, "MEETKIT_EVENTS_SECRET": made[:32]}, env_file="/nonexistent"
    )
    assert (settings.pbx_secret, settings.events_secret) == (made, made[:32])


def test_the_cli_refuses_a_short_secret_in_one_line(cli: Callable[..., CliResult]) -> None:
    result = cli("group", "list", extra_env={"MEETKIT_EVENTS_SECRET": "pbxsecret"})
    assert result.returncode == 2
    assert "MEETKIT_EVENTS_SECRET" in result.stderr and "openssl rand -hex 32" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_numbers_in_settings_take_ascii_digits_only(tmp_path: Path) -> None:
    """'²'.isdigit() is True, but int('²') fails: a setting like that is one clear error, not a crash."""
    with pytest.raises(InvalidInput, match="MEETKIT_PIN_DIGITS"):
        load_settings({"MEETKIT_PIN_DIGITS": "²"}, env_file=tmp_path / "no.env")


def test_a_census_time_in_other_digits_is_ignored() -> None:
    from meetkit.jitsi.census import parse_census

    body = b'{"room_census": [{"room_name": "abc@muc.meet.jitsi", "participants": 2, "created_time": "\xc2\xb2"}]}'
    [room] = parse_census(body, "muc.meet.jitsi")
    assert room.created_at is None
