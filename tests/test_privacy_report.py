"""`meetkit privacy-report`: records of processing, measures and open points generated from the live system."""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from meetkit.domain import inventory
from meetkit.web.security import default_csp
from tests.conftest import CliResult, free_port
from tests.standins.jitsi import StandinJitsi, good_config_js, running

OPERATOR = {
    "MEETKIT_OPERATOR_NAME": "KISS Beispielstadt e. V.",
    "MEETKIT_OPERATOR_CONTACT": "Hauptstraße 1, 90402 Nürnberg, info@kiss.example",
    "MEETKIT_DPO_CONTACT": "datenschutz@kiss.example",
}


def text_of(page: str) -> str:
    """The page's text, tags removed and whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def test_the_report_states_what_this_installation_does(
    cli: Callable[..., CliResult], tmp_path: Path, env: dict[str, str]
) -> None:
    assert cli("contact-point", "add", "KISS Nord").returncode == 0
    assert cli("group", "add", "Gruppe", "--contact-point", "kiss-nord").returncode == 0
    assert cli("user", "add", "admin@kiss.example", "--admin").returncode == 0
    web = StandinJitsi()
    with running(web) as jitsi_url:
        web.config_js = good_config_js("https://treffen.example.org")
        done = cli(
            "privacy-report", "-o", "verarbeitung.html", extra_env={**OPERATOR, "JITSI_URL": jitsi_url}
        )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "Bericht zum Datenschutz in verarbeitung.html geschrieben.\n"
    page = text_of((tmp_path / "verarbeitung.html").read_text())
    for fact in [
        "Verantwortlich (Betreiber) KISS Beispielstadt e. V., Hauptstraße 1, 90402 Nürnberg",
        "Datenschutzbeauftragte/r datenschutz@kiss.example",
        "1 Gruppen, 1 Konten von Mitarbeitenden, 0 Tablets",
        "Telefon-Einwahl Stand aktiv: 2 Einwahl-Nummer(n)",
        "Zahlen kommen von Jitsi (MEETKIT_EVENTS_SECRET)",
        "Verschlüsselung beim Transport (meetkit) in Kraft",
        "MEETKIT_PUBLIC_URL = https://treffen.example.org",
        "Moderations-Token gelten 180 Minuten",
        "Treffen werden nach 24 Monaten gelöscht",
        "Content-Security-Policy: " + default_csp(jitsi_url),
        "member_code 20/10 min",
        "der zweite Faktor (TOTP) ist nicht für alle Pflicht",
        "Der zweite Faktor ist für Mitarbeitende nicht Pflicht.",
        "Datensicherung außerhalb von meetkit",
        "ok third-party requests",
        "Telefonanlage und Telefonanbieter sehen die Rufnummern",
    ]:
        assert fact in page, fact
    assert "nicht eingestellt" not in page and "konnte die Einstellungen von Jitsi nicht lesen" not in page
    for table in inventory.TABLES:
        assert f"{table.name} " in page
        for column in table.columns:
            assert f"{column.name} " in page


@pytest.mark.sqlite_only
def test_a_bare_installation_gets_an_english_pdf_that_says_what_is_missing(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    bare = {
        "LANG": "en_GB.UTF-8",
        "MEETKIT_PUBLIC_URL": "http://treffen.example.org",
        "JITSI_URL": f"http://127.0.0.1:{free_port()}",  # nobody listens: Jitsi cannot be reached
        "MEETKIT_DIALIN_NUMBERS": "",
        "MEETKIT_EVENTS_SECRET": "",
    }
    done = cli("privacy-report", "-o", "processing.pdf", "--timeout", "3", extra_env=bare)
    assert done.returncode == 0, done.stderr
    assert "Jitsi could not be checked" in done.stderr
    pdf = tmp_path / "processing.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    for fact in [
        "Records of processing activities (Art. 30 GDPR)",
        "Controller (operator) not configured",
        "Encryption in transit (meetkit) not in force",
        "meetkit could not read Jitsi's settings",
        "could not be reached",
        "not set up (MEETKIT_DIALIN_NUMBERS is empty)",
        "hand counts only",
        "Operator and contact are not configured",
        "meetkit is not reachable over HTTPS",
    ]:
        assert fact in text, fact
    (tmp_path / "folder.html").mkdir()
    for output, message in [
        ("/no/such/folder/report.html", "/no/such/folder: Datei oder Ordner nicht gefunden"),
        ("report.txt", "Die Datei muss auf .html oder .pdf enden, nicht 'report.txt'."),
        (str(tmp_path / "folder.html"), f"{tmp_path / 'folder.html'}: das ist ein Ordner"),
    ]:
        refused = cli("privacy-report", "-o", output)
        assert (refused.returncode, refused.stderr) == (2, f"meetkit: Fehler: {message}\n")
    assert sorted(p.name for p in tmp_path.iterdir() if "report" in p.name or "part" in p.name) == []
