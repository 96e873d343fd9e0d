"""`meetkit group schedule` as staff type it: rules, partial changes, --cancel/--add, --json, errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from tests.conftest import CliResult

Cli = Callable[..., CliResult]
BERLIN = ZoneInfo("Europe/Berlin")


def next_weekday(weekday: int, at_least_days: int = 8) -> dt.date:
    """A date with this weekday (0 = Monday) at least `at_least_days` from today (Berlin)."""
    day = dt.datetime.now(BERLIN).date() + dt.timedelta(days=at_least_days)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def make_group(cli: Cli) -> str:
    result = cli("group", "add", "Trauercafé", "--json")
    assert result.returncode == 0, result.stderr
    return str(result.json()["id"])


def test_weekly_schedule_shows_the_next_dates(cli: Cli) -> None:
    group = make_group(cli)
    result = cli(
        "group", "schedule", group, "--weekly", "do", "19:00", "--duration", "1:30", "--place", "Raum 2"
    )
    assert result.returncode == 0, result.stderr
    assert f"Gruppe {group}: jeden Donnerstag, 19:00 Uhr (90 Min.), Raum 2" in result.stdout
    assert "nächste Termine:" in result.stdout
    date_lines = [line for line in result.stdout.splitlines() if line.startswith("  Do ")]
    assert len(date_lines) == 5 and all("19:00–20:30  Raum 2" in line for line in date_lines)

    shown = cli("group", "schedule", group, "--json", "--next", "2").json()
    assert shown["schedule"]["weekday"] == "thursday" and shown["schedule"]["start"] == "19:00"
    assert len(shown["next"]) == 2
    assert all(dt.date.fromisoformat(o["date"]).weekday() == 3 for o in shown["next"])


def test_biweekly_monthly_and_partial_changes(cli: Cli) -> None:
    group = make_group(cli)
    anchor = next_weekday(1)
    biweekly = cli(
        "group", "schedule", group, "--biweekly", anchor.strftime("%d.%m.%Y"), "18:30", "--json"
    ).json()
    assert biweekly["schedule"]["anchor"] == anchor.isoformat()
    days = [dt.date.fromisoformat(o["date"]) for o in biweekly["next"]]
    assert all((d - anchor).days % 14 == 0 for d in days)

    monthly = cli("group", "schedule", group, "--monthly", "last", "fr", "17:00", "--json").json()
    assert monthly["schedule"]["frequency"] == "monthly" and monthly["schedule"]["nth"] == "last"
    assert monthly["schedule"]["duration_minutes"] == 90  # kept from before
    assert all(dt.date.fromisoformat(o["date"]).weekday() == 4 for o in monthly["next"])
    assert all((dt.date.fromisoformat(o["date"]) + dt.timedelta(days=7)).day <= 7 for o in monthly["next"])

    moved = cli("group", "schedule", group, "--time", "17:30", "--place", "Saal", "--json").json()
    assert moved["schedule"]["start"] == "17:30" and moved["schedule"]["nth"] == "last"
    assert moved["next"][0]["place"] == "Saal"


def test_cancel_and_add_dates(cli: Cli) -> None:
    group = make_group(cli)
    cli("group", "schedule", group, "--weekly", "mi", "10:00")
    wednesday = next_weekday(2)
    monday = next_weekday(0)
    result = cli(
        "group", "schedule", group, "--cancel", wednesday.isoformat(), "--add", monday.isoformat(), "--json"
    )
    assert result.returncode == 0, result.stderr
    data = result.json()
    assert data["schedule"]["cancelled_dates"] == [wednesday.isoformat()]
    assert data["schedule"]["extra_dates"] == [monday.isoformat()]
    dates = [o["date"] for o in data["next"]]
    assert wednesday.isoformat() not in dates
    text = cli("group", "schedule", group).stdout
    assert f"abgesagt: {wednesday:%d.%m.%Y}" in text and "(zusätzlich)" in text


def test_errors_are_one_line_with_status_2(cli: Cli) -> None:
    group = make_group(cli)
    no_rule = cli("group", "schedule", group, "--cancel", next_weekday(2).isoformat())
    assert no_rule.returncode == 2 and no_rule.stdout == ""
    assert no_rule.stderr.count("\n") == 1 and "keinen Termin-Rhythmus" in no_rule.stderr
    bad_day = cli("group", "schedule", group, "--weekly", "xy", "19:00")
    assert bad_day.returncode == 2 and "Unbekannter Wochentag" in bad_day.stderr
    fifth = cli("group", "schedule", group, "--monthly", "6", "di", "19:00")
    assert fifth.returncode == 2 and "1 bis 5" in fifth.stderr
    unknown = cli("group", "schedule", "999", "--weekly", "di", "19:00")
    assert unknown.returncode == 2 and "Keine Gruppe" in unknown.stderr
    both = cli("group", "schedule", group, "--weekly", "di", "19:00", "--monthly", "1", "di", "19:00")
    assert both.returncode == 2 and "not allowed with" in both.stderr


def test_clear(cli: Cli) -> None:
    group = make_group(cli)
    cli("group", "schedule", group, "--weekly", "so", "10:00")
    cleared = cli("group", "schedule", group, "--clear", "--json")
    assert cleared.returncode == 0, cleared.stderr
    assert cleared.json()["schedule"] is None
    assert "keinen Termin-Rhythmus" in cli("group", "schedule", group).stdout


def test_help_lists_the_examples(cli: Cli) -> None:
    result = cli("group", "schedule", "--help")
    assert result.returncode == 0
    assert "--weekly WOCHENTAG UHRZEIT" in result.stdout and "--monthly last fr 17:00" in result.stdout
