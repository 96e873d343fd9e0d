"""The staff reports page through the test client: one's contact points in full, the admin's state-wide view
with small counts withheld, a bad month explained on the page, CSV and PDF downloads."""

from __future__ import annotations

import html
import subprocess

from meetkit.config import Settings
from meetkit.domain.attendance_times import local_today
from meetkit.domain.scope import OPERATOR
from meetkit.services import attendance, directory
from meetkit.web.keys import DATABASE
from tests.staff import Client, StaffBrowser, in_words


def _pdf_words(body: bytes) -> str:
    """The PDF's text as poppler reads it, blanks folded (a name may wrap in its table cell)."""
    done = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True)
    return " ".join(done.stdout.decode().split())


async def _counted(client: Client, settings: Settings) -> str:
    """Kiss-nord's group met with 6 people, kiss-sued's with 2 (a small count) this month; return the month."""
    db = client.app[DATABASE]
    day = local_today().replace(day=1)
    for name, slug, people in (("Angehörige Nord", "kiss-nord", 6), ("Trauercafé Süd", "kiss-sued", 2)):
        made = await directory.add_group(db, settings, OPERATOR, name, slug)
        await attendance.record_headcount(db, made.group.id, day, people, None, "staff")
    return day.strftime("%Y-%m")


async def test_staff_read_their_report_and_download_it(seeded: Client, settings: Settings) -> None:
    month = await _counted(seeded, settings)
    member = StaffBrowser(seeded)
    await member.sign_in("nord@example.org")
    page = await member.get("/staff/reports")
    assert page.status == 200 and 'href="/staff/reports"' in page.text  # linked from the staff nav
    assert f'value="{month}"' in page.text and "Angehörige Nord" in page.text
    assert f"Monatsbericht der Teilnahme: {in_words(month)}</h1>" in page.text  # not "2026-11"
    assert "Trauercafé Süd" not in page.text and "gesperrt" not in page.text
    assert page.text.count("<svg") == 2 and 'role="img"' in page.text  # the weekly bar charts

    bad = await member.get("/staff/reports?month=2026-13")
    assert bad.status == 400 and 'value="2026-13"' in bad.text and 'aria-invalid="true"' in bad.text
    assert "Der Monat muss die Form JJJJ-MM haben" in html.unescape(bad.text)
    english = await member.get("/staff/reports?month=Mai&lang=en")
    assert english.status == 400 and "The month" in html.unescape(english.text), english.text[-3000:]
    assert (await member.get("/staff/reports?contact_point=kiss-sued")).status == 404

    csv = await member.get(f"/staff/reports.csv?month={month}")
    assert csv.status == 200 and csv.headers["Content-Type"].startswith("text/csv")
    assert "Angehörige Nord" in csv.text and "Trauercafé Süd" not in csv.text
    pdf = await member.get(f"/staff/reports.pdf?month={month}")
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
    words = _pdf_words(pdf.body)
    assert "Angehörige Nord" in words and f"Teilnahme an Gruppentreffen: {in_words(month)}" in words
    assert (await member.get("/staff/reports.pdf?month=13")).status == 400


async def test_admin_sees_the_state_with_small_counts_withheld(seeded: Client, settings: Settings) -> None:
    month = await _counted(seeded, settings)
    admin = StaffBrowser(seeded)
    await admin.sign_in("admin@example.org")
    state = await admin.get(f"/staff/reports?month={month}")
    assert "Angehörige Nord" in state.text and "Trauercafé Süd" in state.text and "gesperrt" in state.text
    one = await admin.get(f"/staff/reports?month={month}&contact_point=kiss-sued")
    assert "Trauercafé Süd" in one.text and "Angehörige Nord" not in one.text and "gesperrt" not in one.text
    csv = await admin.get(f"/staff/reports.csv?month={month}")
    assert "Trauercafé Süd,1,.,.,.,.,." in csv.text  # people withheld in the download too (CSV: ".")
