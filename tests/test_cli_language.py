"""The CLI speaks German, English under an English locale, with local readable times (ISO only in --json)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import BASE_ENV, CliResult
from tests.meetkit_process import run_meetkit

BERLIN = ZoneInfo("Europe/Berlin")
Meetkit = Callable[..., CliResult]
ENGLISH = {"LANG": "en_GB.UTF-8"}
GERMAN_WORDS = re.compile(r"\b(Gruppe|Kein|Keine|gültig|Termin|Treffen|Uhr|abgemeldet|nächste|Name des)\b")


@pytest.fixture
def meetkit(tmp_path: Path) -> Meetkit:
    """Run meetkit in a folder with an initialised database, a contact point and a group."""

    def run(*args: str, env: dict[str, str] | None = None) -> CliResult:
        return run_meetkit(*args, cwd=tmp_path, env={**BASE_ENV, **(env or {})})

    assert run("db", "init").returncode == 0
    assert run("contact-point", "add", "KISS").returncode == 0
    assert run("group", "add", "Trauercafé", "--contact-point", "kiss").returncode == 0
    return run


def berlin(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso).astimezone(BERLIN)


@pytest.mark.parametrize(
    ("args", "german", "english"),
    [
        (("group", "show", "999"), "Keine Gruppe mit der Nummer 999.", "No group with number 999."),
        (("group", "add", ""), "Der Gruppenname darf nicht leer sein.", "The group name must not be empty."),
        (
            ("group", "show", "Unbekannt"),
            "Keine Gruppe mit dem Namen 'Unbekannt'.",
            "No group named 'Unbekannt'.",
        ),
        (
            ("report", "--month", "11/2026"),
            "Der Monat muss die Form JJJJ-MM",
            "The month must look like YYYY-MM",
        ),
        (
            ("group", "schedule", "1", "--weekly", "xx", "19:00"),
            "Unbekannter Wochentag „xx“",
            'Unknown weekday "xx"',
        ),
    ],
)
def test_domain_errors_are_translated_where_they_are_printed(
    meetkit: Meetkit,
    args: tuple[str, ...],
    german: str,
    english: str,
) -> None:
    in_german = meetkit(*args)
    assert in_german.returncode == 2 and in_german.stderr.startswith("meetkit: Fehler: " + german)
    in_english = meetkit(*args, env=ENGLISH)
    assert in_english.returncode == 2 and in_english.stderr.startswith("meetkit: error: " + english)
    assert in_english.stderr.count("\n") == 1


def test_the_first_set_locale_variable_decides(meetkit: Meetkit) -> None:
    assert (
        "Keine Gruppe" in meetkit("group", "show", "9", env={"LC_ALL": "de_DE.UTF-8", "LANG": "en_US"}).stderr
    )
    assert (
        "No group"
        in meetkit("group", "show", "9", env={"LC_MESSAGES": "en_US.UTF-8", "LANG": "de_DE"}).stderr
    )
    assert "Keine Gruppe" in meetkit("group", "show", "9", env={"LANG": "C.UTF-8"}).stderr


def test_rotation_time_is_local_and_readable_json_stays_iso(meetkit: Meetkit) -> None:
    rotated = meetkit("group", "rotate", "1", "--json").json()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rotated["renewed_at"])
    local = berlin(rotated["renewed_at"])
    german = meetkit("group", "show", "1").stdout
    assert f"Links erneuert: {local:%d.%m.%Y, %H:%M} Uhr" in german
    assert rotated["renewed_at"] not in german
    english = meetkit("group", "show", "1", env=ENGLISH).stdout
    assert f"Links renewed: {local.day} {local:%b %Y, %H:%M}" in english
    assert not GERMAN_WORDS.search(english)


def test_pairing_expiry_is_local_and_readable(meetkit: Meetkit) -> None:
    added = meetkit("device", "add", "Tablet Raum 2", "--contact-point", "kiss", "--json").json()
    expires = added["pairing_expires_at"]
    assert expires.endswith("Z")  # --json keeps its ISO 8601 keys
    local = berlin(expires)
    german = meetkit("device", "pair", "1", "--no-qr").stdout
    assert (
        "Kopplungslink (einmalig, gültig bis" in german
        and "Uhr):" in german
        and "Z" not in german.split("\n")[1]
    )
    listing = meetkit("device", "list").stdout
    assert "Kopplungslink offen bis " in listing and re.search(r"\d\d\.\d\d\.\d{4}, \d\d:\d\d Uhr", listing)
    english = meetkit("device", "pair", "1", "--no-qr", env=ENGLISH).stdout
    assert "Pairing link (works once, until " in english and not GERMAN_WORDS.search(english)
    assert local.year == berlin(expires).year  # the stored instant is what is shown, only in Berlin time


def test_schedule_in_english(meetkit: Meetkit) -> None:
    shown = meetkit("group", "schedule", "1", "--weekly", "do", "19:00", "--place", "Raum 2", env=ENGLISH)
    assert shown.returncode == 0, shown.stderr
    assert "Group 1: every Thursday, 19:00 (90 min), Raum 2" in shown.stdout
    assert "next dates:" in shown.stdout
    assert re.search(r"^  Thu \d{1,2} [A-Z][a-z]{2} \d{4} 19:00–20:30  Raum 2$", shown.stdout, re.MULTILINE)
    assert not GERMAN_WORDS.search(shown.stdout)
    friday = dt.date.today() + dt.timedelta(days=(4 - dt.date.today().weekday()) % 7 + 7)
    refused = meetkit("group", "schedule", "1", "--cancel", friday.isoformat(), env=ENGLISH)
    assert refused.returncode == 2
    assert (
        f"No meeting is planned on Friday, {friday:%d.%m.%Y} (every Thursday, 19:00 (90 min), Raum 2)."
        in refused.stderr
    )


def test_report_file_message_names_the_month(meetkit: Meetkit, tmp_path: Path) -> None:
    german = meetkit("report", "--month", "2026-11", "-o", "bericht.csv")
    assert german.stderr == "Bericht für November 2026 in bericht.csv geschrieben.\n"
    english = meetkit("report", "--month", "2026-03", "-o", "report.csv", env=ENGLISH)
    assert english.stderr == "Report for March 2026 written to report.csv.\n"
    german_march = meetkit("report", "--month", "2026-03", "-o", "bericht.csv")
    assert "März 2026" in german_march.stderr


def test_help_is_german_and_english(meetkit: Meetkit) -> None:
    assert "Gruppen verwalten" in meetkit("--help").stdout
    assert "manage groups" in meetkit("--help", env=ENGLISH).stdout
    assert "Beispiele:" in meetkit("group", "schedule", "--help").stdout
    assert "examples:" in meetkit("group", "schedule", "--help", env=ENGLISH).stdout


def test_audit_log_is_local_and_in_words_json_keeps_the_stored_words(meetkit: Meetkit) -> None:
    stored = meetkit("audit", "--json").json()["audit"]
    assert [e["action"] for e in stored] == ["group_created", "contact_point_created"]
    local = berlin(stored[0]["at"])
    german = meetkit("audit").stdout.splitlines()
    assert german[0].startswith(f"{local:%d.%m.%Y, %H:%M} Uhr\t")
    assert [line.split("\t")[2] for line in german] == ["Gruppe angelegt", "Kontaktstelle angelegt"]
    english = meetkit("audit", env=ENGLISH).stdout.splitlines()
    assert english[0].startswith(f"{local.day} {local:%b %Y, %H:%M}\t")
    assert [line.split("\t")[2] for line in english] == ["Group created", "Contact point created"]
    assert {line.split("\t")[1] for line in german} == {"(Kommandozeile)"}  # made on the command line
    assert {line.split("\t")[1] for line in english} == {"(command line)"}
    assert not any(e["at"] in line for e in stored for line in german + english)
