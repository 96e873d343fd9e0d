"""`meetkit` starts fast: registering the commands loads no web server, driver, renderer or template engine;
a command loads what it needs when it runs (the tests run the CLI as a subprocess hundreds of times)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from meetkit import dates, rendering
from meetkit.cli import check as cli_check
from meetkit.cli import language
from meetkit.cli import sheets as cli_sheets
from meetkit.domain import schedules
from meetkit.jitsi import check, check_report
from meetkit.sheets import data as sheet_data
from tests.conftest import CliResult

Cli = Callable[..., CliResult]

# What no command needs just to be registered (each costs tens of milliseconds to import).
HEAVY = (
    "aiohttp", "weasyprint", "pydantic", "psycopg", "jinja2", "babel", "zxingcpp", "zxcvbn", "jwt",
    "argon2", "meetkit.web", "meetkit.jitsi", "meetkit.sheets", "meetkit.services", "meetkit.storage",
)  # fmt: skip
# What a listing on SQLite in German does not need either.
NOT_FOR_A_LISTING = tuple(
    name for name in HEAVY if not name.startswith(("meetkit.services", "meetkit.storage"))
)
_IMPORT_LINE = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)$", re.MULTILINE)


def imported(result: CliResult) -> set[str]:
    """The modules a run with PYTHONPROFILEIMPORTTIME=1 imported (Python lists each on stderr)."""
    return set(_IMPORT_LINE.findall(result.stderr))


def loaded(modules: set[str], prefixes: tuple[str, ...]) -> list[str]:
    """The modules that are one of `prefixes` or inside one of them."""
    return sorted(m for m in modules if m in prefixes or m.startswith(tuple(p + "." for p in prefixes)))


@pytest.mark.sqlite_only
def test_help_and_a_listing_load_only_what_they_need(cli: Cli) -> None:
    profiled = {"PYTHONPROFILEIMPORTTIME": "1"}
    helped = cli("--help", extra_env=profiled)
    assert helped.returncode == 0 and "contact-point" in helped.stdout
    modules = imported(helped)
    assert "meetkit.cli.sheets" in modules  # every command was registered
    assert loaded(modules, HEAVY) == []

    listing = cli("group", "list", "--json", extra_env=profiled)
    assert listing.returncode == 0 and listing.stdout.startswith("{")
    modules = imported(listing)
    assert "meetkit.services.directory" in modules  # imported when the command ran
    assert loaded(modules, NOT_FOR_A_LISTING) == []


def test_what_the_commands_repeat_to_stay_light_matches_its_source() -> None:
    assert language.DEFAULT_LANGUAGE == rendering.DEFAULT_LANGUAGE
    assert dates.TIMEZONE == schedules.TIMEZONE  # the CLI's times come from dates.py
    assert set(cli_check.LABELS) == {
        check_report.OK,
        check_report.WARNING,
        check_report.SKIPPED,
        check_report.PROBLEM,
    }
    assert cli_check.DEFAULT_TIMEOUT == check.DEFAULT_TIMEOUT
    assert (cli_sheets.LANGS, cli_sheets.LAYOUTS) == (sheet_data.LANGS, sheet_data.LAYOUTS)
