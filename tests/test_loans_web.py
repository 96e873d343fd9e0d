"""Lending from the staff web app and the command line: inventory, loans, bad input, form, report, canary."""

from __future__ import annotations

import datetime as dt
import logging
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from meetkit.config import Settings
from meetkit.domain.attendance_times import local_today
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory, inventory, loans
from meetkit.web.keys import DATABASE
from tests import dbtools
from tests.conftest import CliResult
from tests.staff import Client, StaffBrowser, in_words

CANARIES = ("Erika Mustermann", "erika.mustermann@example.org", "+49 170 1234567")


def day(offset: int) -> str:
    """A day relative to today (Europe/Berlin), as date fields send it."""
    return (local_today() + dt.timedelta(days=offset)).isoformat()


def german(offset: int) -> str:
    return (local_today() + dt.timedelta(days=offset)).strftime("%d.%m.%Y")


def loan_rows(settings: Settings) -> list[dict[str, Any]]:
    return dbtools.rows(settings, "SELECT * FROM loans ORDER BY id")


async def raw(client: Client, browser: StaffBrowser, path: str) -> tuple[int, bytes, str]:
    """A download as the signed-in browser gets it: status, bytes, content type."""
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    response = await client.get(path, headers={"Cookie": cookie}, allow_redirects=False)
    return response.status, await response.read(), response.content_type


def pdf_text(body: bytes, folder: Path) -> str:
    path = folder / "form.pdf"
    path.write_bytes(body)
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return " ".join(done.stdout.split())


async def test_staff_keep_an_inventory_lend_return_and_print(
    seeded: Client, settings: Settings, tmp_path: Path
) -> None:
    db = seeded.app[DATABASE]
    nord = await directory.add_group(db, settings, OPERATOR, "Angehörige Nord", "kiss-nord")
    sued = await directory.add_group(db, settings, OPERATOR, "Trauercafé Süd", "kiss-sued")
    sued_laptop = await inventory.add_item(db, OPERATOR, "kiss-sued", "Laptop Süd", "laptop")
    member, admin = StaffBrowser(seeded), StaffBrowser(seeded)
    await member.sign_in("nord@example.org")
    await admin.sign_in("admin@example.org")

    home = await member.get("/staff/")
    assert 'href="/staff/inventory"' in home.text and 'href="/staff/loans"' in home.text
    await member.get("/staff/inventory")
    refused = await member.post(
        "/staff/inventory",
        {"contact_point": "kiss-nord", "label": "Laptop 1", "kind": "laptop", "serial_number": "A B"},
    )
    assert refused.status == 400 and "Seriennummer" in (refused.alert() or "")
    assert 'value="Laptop 1"' in refused.text  # the form keeps what was typed
    added = await member.post(
        "/staff/inventory",
        {
            "contact_point": "kiss-nord",
            "label": "Laptop 1",
            "kind": "laptop",
            "serial_number": "SN-4711",
            "notes": "mit Ladekabel",
        },
    )
    assert added.status == 303, added.text
    device_id = int(re.findall(r"/staff/devices/([0-9]+)", added.location or "")[0])
    listed = await member.get("/staff/inventory")
    assert "Laptop 1" in listed.text and "SN-4711" in listed.text and "Laptop Süd" not in listed.text

    await member.get("/staff/loans")
    lend = {"device": str(device_id), "group": str(nord.group.id), "starts_on": day(-3), "ends_on": day(4)}
    made = await member.post("/staff/loans", {**lend, "notes": "Übergabe im Büro"})
    assert made.status == 303 and (made.location or "").startswith("/staff/loans/1?done=lent"), made.text
    before = loan_rows(settings)
    await member.get("/staff/loans")
    for form, status, message in (
        ({**lend, "starts_on": day(4), "ends_on": day(6)}, 409, "schon verliehen (Ausleihe 1)"),
        ({**lend, "starts_on": "31.02.2026"}, 400, "Beginn: „31.02.2026“ ist kein Datum"),
        ({**lend, "ends_on": "nächste Woche"}, 400, "Ende: „nächste Woche“ ist kein Datum"),
        ({**lend, "starts_on": day(10), "ends_on": day(8)}, 400, "vor ihrem Beginn"),
        ({**lend, "device": ""}, 400, "Bitte wählen Sie das Gerät"),
        ({**lend, "device": str(sued_laptop.id)}, 404, None),  # another contact point's device
        ({**lend, "group": str(sued.group.id), "starts_on": day(20), "ends_on": day(21)}, 404, None),
    ):
        page = await member.post("/staff/loans", form)
        assert page.status == status, (form, page.status, page.text[:300])
        if message:
            assert message in (page.alert() or ""), page.alert()
    await admin.get("/staff/loans")
    foreign_group = await admin.post(
        "/staff/loans", {**lend, "group": str(sued.group.id), "starts_on": day(20), "ends_on": day(21)}
    )
    assert foreign_group.status == 400 and "gehört nicht zur Kontaktstelle" in (foreign_group.alert() or "")
    assert loan_rows(settings) == before  # nothing half-written

    calendar = await member.get(f"/staff/devices/{device_id}?month={day(0)[:7]}")
    assert calendar.status == 200 and "#1" in calendar.text and "Angehörige Nord" in calendar.text
    assert f"Belegung im {in_words(day(0)[:7])}</h2>" in calendar.text
    assert (await member.get(f"/staff/devices/{device_id}?month=2026-13")).status == 400

    status, body, kind = await raw(seeded, member, "/staff/loans/1/form.pdf")
    assert status == 200 and kind == "application/pdf" and body.startswith(b"%PDF")
    text = pdf_text(body, tmp_path)
    for expected in ("Leihschein", "Laptop 1", "SN-4711", "Angehörige Nord", german(-3), german(4), "KISS Nord",
                     "Regeln für die Nutzung", "Name der ausleihenden Person", "Unterschrift"):  # fmt: skip
        assert expected in text, expected
    assert "Übergabe im Büro" not in text and "Ladekabel" not in text.split("Regeln")[0]

    loan_page = await member.get("/staff/loans/1")
    early = await member.post("/staff/loans/1/return", {"returned_on": day(-4), "note": ""})
    assert early.status == 400 and "vor dem Beginn der Ausleihe" in (early.alert() or "")
    await member.get("/staff/loans/1")
    back = await member.post("/staff/loans/1/return", {"returned_on": day(0), "note": "Display zerkratzt"})
    assert back.status == 303 and loan_page.status == 200
    shown = await member.get("/staff/loans/1")
    assert "Display zerkratzt" in shown.text and f"zurück am {german(0)}" in shown.text
    again = await member.post("/staff/loans/1/return", {"returned_on": day(0)})
    assert again.status == 409

    # an overdue loan shows on the start page; the month's report counts it
    await loans.lend(
        db,
        OPERATOR,
        device_id,
        nord.group.id,
        day(-10),
        day(-5),
        today=local_today() - dt.timedelta(days=10),
    )
    home = await member.get("/staff/")
    assert "Überfällige Ausleihen" in home.text and "Ausleihe 2" in home.text
    report = await member.get(f"/staff/loans/report?month={day(0)[:7]}")
    assert report.status == 200 and "KISS Nord" in report.text and "Landesweit" not in report.text
    assert f'<h2 id="report-title">{in_words(day(0)[:7])}</h2>' in report.text
    status, body, kind = await raw(seeded, admin, f"/staff/loans/report.csv?month={day(0)[:7]}")
    lines = body.decode().splitlines()
    assert status == 200 and kind == "text/csv" and lines[0].startswith("month,contact_point")
    assert lines[-1].startswith(f"{day(0)[:7]},,(landesweit),1,")
    assert (await member.get("/staff/loans/report?month=2026-13")).status == 400


@pytest.mark.sqlite_only  # the command line's part; the web test above runs the same services on both backends
def test_lending_on_the_command_line(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    assert cli("contact-point", "add", "KISS Nord", "--slug", "kiss-nord").returncode == 0
    assert cli("group", "add", "Angehörige", "--contact-point", "kiss-nord").returncode == 0
    added = cli("device", "add", "Lautsprecher 1", "--contact-point", "kiss-nord", "--kind", "speaker",
                "--serial", "JBL-123", "--json")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.json()["device"]["kind"] == "speaker" and "pairing_url" not in added.json()
    made = cli(
        "loan",
        "add",
        "Lautsprecher 1",
        "--group",
        "Angehörige",
        "--from",
        day(0),
        "--until",
        german(2),
        "--json",
    )
    assert made.returncode == 0 and made.json()["status"] == "active", made.stderr
    clash = cli("loan", "add", "1", "--group", "1", "--from", day(1), "--until", day(5))
    assert clash.returncode == 2 and "schon verliehen (Ausleihe 1)" in clash.stderr
    english = cli(
        "loan",
        "add",
        "1",
        "--group",
        "1",
        "--from",
        "gestern",
        "--until",
        day(5),
        extra_env={"LANG": "en_GB.UTF-8"},
    )
    assert english.returncode == 2 and "is not a date" in english.stderr, english.stderr
    assert [loan["id"] for loan in cli("loan", "list", "--json").json()["loans"]] == [1]
    form = cli("loan", "form", "1", "-o", str(tmp_path / "leihschein.pdf"))
    assert form.returncode == 0 and (tmp_path / "leihschein.pdf").read_bytes().startswith(b"%PDF")
    assert cli("group", "add", "Alte Gruppe", "--contact-point", "kiss-nord").returncode == 0
    assert cli("group", "archive", "Alte Gruppe").returncode == 0
    archived = cli("loan", "add", "1", "--group", "Alte Gruppe", "--from", day(10), "--until", day(12))
    assert archived.returncode == 2 and "ist archiviert" in archived.stderr, archived.stderr
    back = cli("loan", "return", "1", "--note", "vollständig")
    assert back.returncode == 0 and "zurückgegeben" in back.stdout
    report = cli("loan", "report", "--month", day(0)[:7])
    assert report.returncode == 0 and report.stdout.splitlines()[1].startswith(
        f"{day(0)[:7]},kiss-nord,KISS Nord,1,1,1,1,0"
    )


async def test_names_end_up_only_in_the_notes_staff_write(
    seeded: Client, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """The privacy canary: names, addresses and phone numbers in every loan and device field that takes text."""
    caplog.set_level(logging.DEBUG)
    db = seeded.app[DATABASE]
    group = await directory.add_group(db, settings, OPERATOR, "Angehörige Nord", "kiss-nord")
    member = StaffBrowser(seeded)
    await member.sign_in("nord@example.org")
    names = " ".join(CANARIES)
    extra = {"borrower": names, "name": names, "email": CANARIES[1], "phone": CANARIES[2]}  # no such fields
    await member.get("/staff/inventory")
    for field in ("kind", "serial_number", "contact_point"):
        form = {"contact_point": "kiss-nord", "label": "Tablet 1", "kind": "tablet", field: names, **extra}
        assert (await member.post("/staff/inventory", form)).status in (400, 404), field
    added = await member.post(
        "/staff/inventory",
        {
            "contact_point": "kiss-nord",
            "label": "Tablet 1",
            "kind": "tablet",
            "notes": f"Geräte-Notiz {names}",
            **extra,
        },
    )
    assert added.status == 303
    await member.get("/staff/loans")
    lend = {"device": "1", "group": str(group.group.id), "starts_on": day(0), "ends_on": day(3), **extra}
    for field in ("device", "group", "starts_on", "ends_on"):
        assert (await member.post("/staff/loans", {**lend, field: names})).status in (400, 404), field
    assert (await member.post("/staff/loans", {**lend, "notes": f"Ausleih-Notiz {names}"})).status == 303
    await member.get("/staff/loans/1")
    for field in ("returned_on",):
        assert (await member.post("/staff/loans/1/return", {field: names, **extra})).status == 400
    await member.get("/staff/loans/1")
    assert (await member.post("/staff/loans/1/return", {"note": f"Zustand {names}", **extra})).status == 303
    await member.get(f"/staff/devices/1?month={names}")
    await member.get(f"/staff/loans/report?month={names}")

    allowed = {("devices", "notes"), ("loans", "notes"), ("loans", "return_note")}
    for table in ("devices", "loans", "audit_log", "support_groups", "contact_points"):
        for row in dbtools.rows(settings, f"SELECT * FROM {table}"):
            for column, value in row.items():
                if (table, column) not in allowed:
                    assert not any(c in str(value) for c in CANARIES), (table, column, value)
    notes = dbtools.rows(
        settings, "SELECT d.notes AS d, l.notes AS l, l.return_note AS r FROM devices d, loans l"
    )
    assert all(CANARIES[0] in value for value in notes[0].values())  # the notes keep what staff wrote
    stored = dbtools.database_bytes(settings)
    assert stored.count(CANARIES[1].encode()) >= 1  # in the notes, and nowhere the columns above would show
    assert not any(c in caplog.text for c in CANARIES)
