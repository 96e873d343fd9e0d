"""Only `meetkit serve` and `meetkit db init` create a database and secret; other commands say where they looked."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tests.meetkit_process import run_meetkit


@pytest.mark.parametrize(
    "command", [("group", "list"), ("contact-point", "add", "KISS"), ("report", "--month", "2026-11")]
)
def test_a_command_in_the_wrong_folder_creates_nothing(tmp_path: Path, command: tuple[str, ...]) -> None:
    result = run_meetkit(*command, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("meetkit: Fehler: ")
    assert str(tmp_path / "data" / "meetkit.db") in result.stderr  # where it looked, absolute
    assert "MEETKIT_DATA_DIR" in result.stderr and "meetkit db init" in result.stderr
    assert "Keine Datenbank" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no data dir, no database, no secret


def test_the_refusal_is_english_under_an_english_locale(tmp_path: Path) -> None:
    result = run_meetkit("group", "list", cwd=tmp_path, env={"LANG": "en_GB.UTF-8"})
    assert result.returncode == 2
    assert "No database at " + str(tmp_path / "data" / "meetkit.db") in result.stderr
    assert "meetkit db init" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_relative_data_dir_is_shown_as_an_absolute_path(tmp_path: Path) -> None:
    result = run_meetkit("group", "list", cwd=tmp_path, env={"MEETKIT_DATA_DIR": "elsewhere/meetkit"})
    assert result.returncode == 2
    assert str(tmp_path / "elsewhere" / "meetkit" / "meetkit.db") in result.stderr
    assert not (tmp_path / "elsewhere").exists()


def test_db_init_creates_database_and_secret_then_commands_work(tmp_path: Path) -> None:
    created = run_meetkit("db", "init", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    database = tmp_path / "data" / "meetkit.db"
    assert database.is_file() and str(database) in created.stdout
    assert "angelegt" in created.stdout
    assert stat.S_IMODE((tmp_path / "data" / "secret.key").stat().st_mode) == 0o600

    assert run_meetkit("contact-point", "add", "KISS", cwd=tmp_path).returncode == 0
    again = run_meetkit("db", "init", "--json", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.json() == {"database": str(database), "created": False}
    listed = run_meetkit("contact-point", "list", "--json", cwd=tmp_path).json()
    assert [cp["slug"] for cp in listed["contact_points"]] == ["kiss"]  # init keeps what is there


def test_commands_without_a_database_create_no_secret(tmp_path: Path) -> None:
    result = run_meetkit("check-jitsi", "--json", cwd=tmp_path, env={"JITSI_URL": "http://127.0.0.1:9"})
    assert result.returncode in (0, 1), result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_missing_secret_beside_an_existing_database_is_not_replaced_silently(tmp_path: Path) -> None:
    assert run_meetkit("db", "init", cwd=tmp_path).returncode == 0
    (tmp_path / "data" / "secret.key").unlink()
    result = run_meetkit("group", "list", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert str(tmp_path / "data" / "secret.key") in result.stderr and "meetkit db init" in result.stderr
    assert not (tmp_path / "data" / "secret.key").exists()
    with_env_secret = run_meetkit("group", "list", cwd=tmp_path, env={"MEETKIT_SECRET": "s" * 48})
    assert with_env_secret.returncode == 0, with_env_secret.stderr
