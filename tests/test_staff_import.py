"""Import: a contact point's list (CSV or .xlsx) becomes groups: upload, preview, confirm; and on the command line."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory
from meetkit.web.keys import DATABASE
from tests.conftest import CliResult
from tests.dbtools import rows
from tests.staff import Client, StaffBrowser

OFFICE_LIST = (
    "Nr;Gruppe;Ansprechpartnerin;Telefon\n"
    "1;Angehörige Sucht;Frau Beispiel;0911 111\n"
    "2;Trauercafé;;\n"
    "3;  angehörige   sucht ;Herr Muster;\n"
    "4;;Frau Ohne;\n"
    "5;Depression Nord;;\n"
    "6;" + "x" * 301 + ";;\n"
)


def xlsx(names: list[str], heading: str = "Name der Gruppe") -> bytes:
    """An .xlsx workbook as an office exports it: a heading, one group per row, a column of phone numbers."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([heading, "Telefon"])
    for name in names:
        sheet.append([name, "0911 999"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def groups_of(settings: Settings, slug: str) -> list[str]:
    return [
        r["name"]
        for r in rows(
            settings,
            "SELECT g.name FROM support_groups g JOIN contact_points c ON c.id = g.contact_point_id"
            f" WHERE c.slug = '{slug}' ORDER BY g.id",
        )
    ]


async def test_upload_preview_confirm(seeded: Client, settings: Settings) -> None:
    db = seeded.app[DATABASE]
    await directory.add_group(db, settings, OPERATOR, "Depression Nord", "kiss-nord")
    nord = StaffBrowser(seeded)
    assert (await nord.sign_in("nord@example.org")).status == 303
    home = await nord.get("/staff/")
    assert 'href="/staff/import"' in home.text
    form = await nord.get("/staff/import")
    assert form.status == 200 and '<option value="kiss-nord" selected>' in form.text
    assert "kiss-sued" not in form.text

    # no file: the message next to the file field, the contact point still chosen, nothing written
    page = await nord.post("/staff/import/preview", {"contact_point": "kiss-nord"})
    assert page.status == 400 and 'id="import-file-error"' in page.text
    assert "Bitte wählen Sie eine Datei aus" in page.text and '"kiss-nord" selected' in page.text
    # files that are not lists: one clear sentence each (English with ?lang=en)
    for data, words in (
        (b"%PDF-1.7\n\x00\x01\x02binary", "weder eine CSV-Datei noch eine Excel-Tabelle"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "im alten Format (.xls)"),
        (b"PK\x03\x04broken zip", "lässt sich nicht lesen"),
        (_zip_without_workbook(), "weder eine CSV-Datei"),
        (b"Nr;Ort\n1;Nord\n", "Überschrift der Spalte mit den Gruppennamen"),
    ):
        await nord.get("/staff/import")
        page = await nord.post(
            "/staff/import/preview", {"contact_point": "kiss-nord", "file": io.BytesIO(data)}
        )
        assert page.status == 400 and words in page.text, (words, page.status, page.text[-1500:])
    await nord.get("/staff/import?lang=en")
    page = await nord.post(
        "/staff/import/preview?lang=en", {"contact_point": "kiss-nord", "file": io.BytesIO(b"PK\x03\x04x")}
    )
    assert "This Excel file cannot be read" in page.text
    # too large for the form: a clear 400 in words, not aiohttp's English 413
    await nord.get("/staff/import")
    page = await nord.post(
        "/staff/import/preview", {"contact_point": "kiss-nord", "file": io.BytesIO(b"a\n" * 200_000)}
    )
    assert page.status == 400 and "Der Inhalt ist zu groß" in page.text
    assert groups_of(settings, "kiss-nord") == ["Depression Nord"]

    # the office's CSV in Windows-1252 with a semicolon: preview flags every row, saves nothing
    await nord.get("/staff/import")
    upload = io.BytesIO(OFFICE_LIST.encode("cp1252"))
    preview = await nord.post("/staff/import/preview", {"contact_point": "kiss-nord", "file": upload})
    assert preview.status == 200, preview.text
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", preview.text))
    assert "2 neue Gruppen, 4 Zeilen werden übersprungen" in text
    assert "Nr, Ansprechpartnerin, Telefon" in text  # the columns left out are named
    assert "Derselbe Name steht schon in Zeile 2." in text
    assert "In dieser Zeile fehlt der Gruppenname." in text
    assert "Eine Gruppe mit diesem Namen gibt es hier schon." in text
    assert "Der Name ist zu lang (301 Zeichen, höchstens 300)." in text
    assert "Frau Beispiel" not in preview.text and "0911 111" not in preview.text  # never read, never shown
    assert groups_of(settings, "kiss-nord") == ["Depression Nord"]

    # confirm: both new groups in one go, one audit entry; the same list again makes nothing twice
    confirm = {"contact_point": "kiss-nord", "row": ["2:Angehörige Sucht", "3:Trauercafé"]}
    done = await nord.post("/staff/import", _multi(confirm))
    assert done.status == 200 and "2 Gruppen angelegt" in done.text, done.text
    assert groups_of(settings, "kiss-nord") == ["Depression Nord", "Angehörige Sucht", "Trauercafé"]
    made = rows(settings, "SELECT pin, room FROM support_groups WHERE name = 'Trauercafé'")[0]
    assert made["pin"] and re.fullmatch(r"[a-z0-9-]{20,}", made["room"])
    audit = rows(settings, "SELECT actor, action, target FROM audit_log WHERE action = 'groups_imported'")
    assert audit == [{"actor": "nord@example.org", "action": "groups_imported", "target": "kiss-nord: 2"}]
    again = await nord.post("/staff/import", _multi(confirm))
    assert "0 Gruppen angelegt" in again.text and len(groups_of(settings, "kiss-nord")) == 3
    # a tampered row is a clear message, nothing written
    await nord.get("/staff/import")
    bad = await nord.post("/staff/import", _multi({"contact_point": "kiss-nord", "row": ["zwei:X"]}))
    assert bad.status == 400 and "Das Formular konnte nicht gelesen werden" in bad.text

    # 300 groups from an Excel sheet in one transaction
    names = [f"Gesprächskreis {n:03d}" for n in range(300)]
    await nord.get("/staff/import")
    preview = await nord.post(
        "/staff/import/preview", {"contact_point": "kiss-nord", "file": io.BytesIO(xlsx(names))}
    )
    assert "300 neue Gruppen, 0 Zeilen" in preview.text
    rows_sent = re.findall(r'name="row" value="([^"]+)"', preview.text)
    assert len(rows_sent) == 300 and rows_sent[0] == "2:Gesprächskreis 000"
    done = await nord.post("/staff/import", _multi({"contact_point": "kiss-nord", "row": rows_sent}))
    assert "300 Gruppen angelegt" in done.text
    assert len(groups_of(settings, "kiss-nord")) == 303
    assert len({r["pin"] for r in rows(settings, "SELECT pin FROM support_groups")}) == 303


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    return buffer.getvalue()


def _multi(form: dict[str, str | list[str]]) -> list[tuple[str, str]]:
    """A form with repeated fields, as a browser sends it (the CSRF token is added by StaffBrowser)."""
    return [(k, v) for k, values in form.items() for v in ([values] if isinstance(values, str) else values)]


@pytest.mark.sqlite_only  # the command line's part; the services run on both backends above
def test_import_and_sheets_on_the_command_line(
    cli: Callable[..., CliResult], env: dict[str, str], settings: Settings, tmp_path: Path
) -> None:
    assert cli("contact-point", "add", "KISS Nord", "--slug", "kiss-nord").returncode == 0
    names = "".join(f"Gruppe {n},\n" for n in range(30))
    (tmp_path / "liste.csv").write_text("Gruppe,Kontakt\n" + names + "Gruppe 3,Frau X\n", encoding="utf-8")
    dry = cli("group", "import", "liste.csv", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Zeile 32: Gruppe 3: Derselbe Name steht schon in Zeile 5." in dry.stdout
    assert "Probelauf: 30 Gruppen würden angelegt, 1 Zeilen übersprungen" in dry.stdout
    assert rows(settings, "SELECT id FROM support_groups") == []
    made = cli("group", "import", "liste.csv", "--contact-point", "kiss-nord", "--json")
    assert made.returncode == 0, made.stderr
    data = made.json()
    assert [g["name"] for g in data["created"]][:2] == ["Gruppe 0", "Gruppe 1"] and len(data["created"]) == 30
    assert all(g["leader_url"].startswith("https://treffen.example.org/l/") for g in data["created"])
    assert data["ignored_columns"] == ["Kontakt"] and data["skipped"][0]["status"] == "repeated"
    (tmp_path / "kaputt.xlsx").write_bytes(b"PK\x03\x04not really")
    english = cli("group", "import", "kaputt.xlsx", extra_env={"LANG": "en_GB.UTF-8"})
    assert english.returncode == 2 and english.stderr.count("\n") == 1
    assert english.stderr.startswith("meetkit: error: This Excel file cannot be read"), english.stderr
    assert len(rows(settings, "SELECT id FROM support_groups")) == 30

    # `meetkit sheets` draws a progress bar on a terminal, and stays quiet in a pipe
    main, child = pty.openpty()
    process = subprocess.run(
        [sys.executable, "-m", "meetkit", "sheets", "-o", "alle.pdf"],
        stdout=child,
        stderr=subprocess.PIPE,
        env={**os.environ, **env},
        cwd=tmp_path,
        timeout=300,
    )
    os.close(child)
    shown = os.read(main, 65536).decode()
    os.close(main)
    assert process.returncode == 0, process.stderr
    assert re.search(r"\r\[#{25}\.{5}\]  83 %  25 von 30 Blättern", shown), shown
    assert "100 %  30 von 30 Blättern" in shown and "alle.pdf: 30 Gruppen, 30 Seiten" in shown
    quiet = cli("sheets", "-o", "wieder.pdf", "--json")
    assert quiet.returncode == 0 and quiet.json()["pages"] == 30  # one JSON document, nothing else
