"""`meetkit sheet` and `meetkit sheets` as a user runs them."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.test_sheets_pdf import decode_pages, pdf_text

Cli = Callable[..., CliResult]


def _grouped(pin: str) -> str:
    return " ".join(pin[i : i + 3] for i in range(0, len(pin), 3)) + " #"


def test_sheet_for_one_group_and_a_fresh_sheet_after_rotate(cli: Cli, tmp_path: Path) -> None:
    assert cli("contact-point", "add", "KISS München", "--phone", "089 123456").returncode == 0
    group = cli("group", "add", "Trauer für Ältere", "--contact-point", "kiss-muenchen", "--json").json()

    done = cli("sheet", str(group["id"]), "-o", "sheet.pdf", "--json")
    assert done.returncode == 0, done.stderr
    assert done.json() == {"file": "sheet.pdf", "pages": 1, "groups": 1, "layout": "a4", "lang": "de"}
    pdf = (tmp_path / "sheet.pdf").read_bytes()
    assert decode_pages(pdf, 72) == [[group["member_url"]]]
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert _grouped(group["pin"]) in text and "+49 89 1234567" in text and "Trauer für Ältere" in text

    rotated = cli("group", "rotate", str(group["id"]), "--json").json()
    assert rotated["member_url"] != group["member_url"] and rotated["pin"] != group["pin"]
    again = cli("sheet", "Trauer für Ältere", "-o", "new.pdf", "--lang", "en")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "new.pdf: Einladungsblatt, 1 Seite"
    pdf = (tmp_path / "new.pdf").read_bytes()
    assert decode_pages(pdf, 150) == [[rotated["member_url"]]]
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert _grouped(rotated["pin"]) in text and _grouped(group["pin"]) not in text
    assert "Join by phone" in text

    cards = cli("sheet", str(group["id"]), "-o", "cards.pdf", "--layout", "cards")
    assert cards.returncode == 0, cards.stderr
    assert decode_pages((tmp_path / "cards.pdf").read_bytes(), 72) == [[rotated["member_url"]] * 4]


def test_sheets_of_a_contact_point_in_one_pdf(cli: Cli, tmp_path: Path) -> None:
    cli("contact-point", "add", "KISS Nürnberg")
    cli("contact-point", "add", "KISS Fürth")
    urls = [
        cli("group", "add", f"Gruppe {i}", "--contact-point", "kiss-nuernberg", "--json").json()["member_url"]
        for i in range(3)
    ]
    other = cli("group", "add", "Fürther Gruppe", "--contact-point", "kiss-fuerth", "--json").json()

    done = cli("sheets", "--contact-point", "kiss-nuernberg", "-o", "all.pdf")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "all.pdf: 3 Gruppen, 3 Seiten"
    assert decode_pages((tmp_path / "all.pdf").read_bytes(), 72) == [[u] for u in urls]

    everything = cli("sheets", "-o", "everything.pdf", "--json")
    assert everything.json()["pages"] == 4
    assert decode_pages((tmp_path / "everything.pdf").read_bytes(), 72)[-1] == [other["member_url"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sheet", "99", "-o", "x.pdf"], "Keine Gruppe mit der Nummer 99."),
        (["sheet", "Unbekannt", "-o", "x.pdf"], "Keine Gruppe mit dem Namen 'Unbekannt'."),
        (["sheets", "--contact-point", "nirgendwo", "-o", "x.pdf"], "Keine Kontaktstelle"),
        (
            ["sheet", "1", "-o", "missing/folder/x.pdf"],
            "missing/folder/x.pdf lässt sich nicht schreiben: den Ordner",
        ),
        (["sheet", "1", "-o", "."], ". lässt sich nicht schreiben: das ist ein Ordner"),
        (["sheets", "-o", "empty.pdf"], "nichts zu drucken"),
    ],
)
def test_clear_one_line_errors(cli: Cli, tmp_path: Path, args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "empty.pdf").exists()


@pytest.mark.skipif(not Path("/sys").is_dir(), reason="needs /sys, where nobody may create files")
def test_unwritable_output_path(cli: Cli, tmp_path: Path) -> None:
    cli("group", "add", "Gruppe")
    result = cli("sheet", "1", "-o", "/sys/sheet.pdf")
    assert result.returncode == 2
    assert (
        result.stderr == "meetkit: Fehler: /sys/sheet.pdf lässt sich nicht schreiben: keine Berechtigung.\n"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_read_only_output_folder(cli: Cli, tmp_path: Path) -> None:
    cli("group", "add", "Gruppe")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = cli("sheet", "1", "-o", str(locked / "x.pdf"))
    assert result.returncode == 2 and result.stderr.endswith(": keine Berechtigung.\n")
