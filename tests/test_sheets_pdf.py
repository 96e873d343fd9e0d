"""Invitation sheets as PDF, checked like a person would: print, scan every QR code, read the text."""

from __future__ import annotations

import asyncio
import ctypes
import datetime as dt
import functools
import os
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp

from meetkit.qr import qr_info, qr_svg
from meetkit.schedule_words import MeetingRule
from meetkit.sheets import DialInNumber, SheetData, SheetRenderer
from meetkit.sheets.data import group_pin
from meetkit.sheets.html import render_html
from meetkit.sheets.pdf import render_pdf

MM_PER_INCH = 25.4
URL = "https://treffen.example.org/j/k7m2q-9xw4r"
LONG_NAME = ("Angehörige von Menschen mit Essstörungen, Ängsten und Zwängen – Großraum Süd " * 5)[
    :300
].strip()


def sheet(**changes: object) -> SheetData:
    """A fully featured sheet; keyword arguments replace single fields."""
    data: dict[str, object] = {
        "member_url": URL,
        "group_name": "Angehörige Sucht – Gesprächskreis Süd (Großhadern)",
        "dial_in_numbers": (DialInNumber("DE", "+49 89 1234567"), DialInNumber("AT", "+43 1 2345678")),
        "pin": "12345678",
        "next_meetings": (dt.datetime(2026, 12, 3, 19, 0), dt.datetime(2026, 12, 17, 19, 0)),
        "contact_point_name": "Selbsthilfekontaktstelle München",
        "help_phone": "089 53 29 56 11",
    }
    data.update(changes)
    return SheetData(**data)  # type: ignore[arg-type]


def worst_case(**changes: object) -> SheetData:
    """Everything at its longest: 300-character name, three dates, four numbers, 12-digit PIN."""
    numbers = tuple(
        DialInNumber(cc, f"+{n} 1234 567 890 12")
        for cc, n in (("DE", 49), ("AT", 43), ("CH", 41), ("LU", 352))
    )
    base = {
        "group_name": LONG_NAME,
        "dial_in_numbers": numbers,
        "pin": "123456789012",
        "next_meetings": tuple(dt.datetime(2026, 12, 30, 19, 30) + dt.timedelta(weeks=k) for k in range(3)),
        "contact_point_name": "Selbsthilfekontaktstelle der Arbeitsgemeinschaft Ärztlicher Fürsorge " * 4,
        "help_phone": "+49 (0)89 / 53 29 56 - 11",
    }
    base.update(changes)
    return sheet(**base)


def page_images(pdf: bytes, dpi: int) -> list[object]:
    """Rasterise every page in greyscale, as a scanner or a phone photo of a print would."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil() for page in document]
    finally:
        document.close()


def decode_pages(pdf: bytes, dpi: int) -> list[list[str]]:
    """The texts of all QR codes zxing-cpp finds, page by page."""
    return [
        [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]  # type: ignore[arg-type]
        for image in page_images(pdf, dpi)
    ]


def zbar_pages(pdf: bytes, dpi: int, folder: Path) -> list[list[str]]:
    """The QR texts zbar finds, page by page: a second decoder, independent of zxing-cpp (which also draws)."""
    (folder / "zbar.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(folder / "zbar.pdf"), str(folder / "zbar")],
        check=True,
    )
    pages = sorted(folder.glob("zbar-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    found = []
    for page in pages:
        out = subprocess.run(["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True)
        found.append(out.stdout.split())
        page.unlink()
    return found


def qr_symbol_mm(pdf: bytes, page: int = 0, dpi: int = 150) -> list[float]:
    """Printed width of each QR symbol on a page (finder pattern edge to edge, without quiet zone)."""
    image = page_images(pdf, dpi)[page]
    sizes = []
    for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):  # type: ignore[arg-type]
        pos = result.position
        width_px = ((pos.top_right.x - pos.top_left.x) ** 2 + (pos.top_right.y - pos.top_left.y) ** 2) ** 0.5
        sizes.append(width_px / dpi * MM_PER_INCH)
    return sizes


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text layer as poppler's pdftotext reads it."""
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def page_count(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


@functools.cache
def rendered(layout: str = "a4", **changes: object) -> bytes:
    """Render once per distinct input; the PDFs are immutable bytes."""
    return render_pdf([sheet(**changes)], layout)  # type: ignore[arg-type]


@functools.cache
def rendered_worst(layout: str = "a4") -> bytes:
    return render_pdf([worst_case()], layout)  # type: ignore[arg-type]


@pytest.mark.parametrize("dpi", [150, 72])
def test_a4_sheet_qr_decodes_to_the_member_link(dpi: int) -> None:
    assert decode_pages(rendered(), dpi) == [[URL]]


@pytest.mark.parametrize("dpi", [150, 72])
def test_a4_sheet_qr_decodes_with_zbar_too(dpi: int, tmp_path: Path) -> None:
    assert zbar_pages(rendered(), dpi, tmp_path) == [[URL]]


def test_qr_is_large_vector_art_with_error_correction_m_or_better() -> None:
    pdf = rendered()
    assert min(qr_symbol_mm(pdf)) >= 50
    document = pdfium.PdfDocument(pdf)
    kinds = {obj.type for obj in document[0].get_objects()}
    document.close()
    assert pdfium.raw.FPDF_PAGEOBJ_IMAGE not in kinds  # no raster image anywhere on the page
    assert pdfium.raw.FPDF_PAGEOBJ_PATH in kinds
    version, level = qr_info(URL)
    assert level in ("M", "Q", "H") and version <= 5


def test_qr_svg_is_made_once_per_link() -> None:
    link = "https://treffen.example.org/j/abcde-cache"
    first = qr_svg(link)
    hits = qr_svg.cache_info().hits
    assert qr_svg(link) is first
    assert qr_svg.cache_info().hits == hits + 1
    assert first.count("<path") == 1 and 'viewBox="0 0 ' in first


def test_text_layer_has_pin_in_threes_phone_numbers_umlauts_and_rules(tmp_path: Path) -> None:
    text = " ".join(pdf_text(rendered(), tmp_path).split())
    assert "123 456 78 #" in text
    assert "+49 89 1234567" in text and "+43 1 2345678" in text
    assert "Deutschland" in text and "Österreich" in text
    assert "Angehörige Sucht – Gesprächskreis Süd (Großhadern)" in text
    assert "treffen.example.org/j/k7m2q-9xw4r" in text
    assert "Donnerstag, 3. Dezember 2026, 19:00 Uhr" in text
    assert "Wir nennen nur unsere Vornamen." in text
    assert "Was in der Gruppe gesagt wird, bleibt in der Gruppe." in text
    assert "Selbsthilfekontaktstelle München" in text and "089 53 29 56 11" in text


def test_font_is_atkinson_hyperlegible_embedded(tmp_path: Path) -> None:
    (tmp_path / "sheet.pdf").write_bytes(rendered())
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "sheet.pdf")], capture_output=True, text=True, check=True
    )
    rows = [line.split() for line in fonts.stdout.splitlines()[2:]]
    assert rows and all("Atkinson-Hyperlegible" in row[0] for row in rows)
    assert all(row[-5] == "yes" for row in rows)  # the "emb" column


def test_english_sheet(tmp_path: Path) -> None:
    pdf = rendered(lang="en")
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Join online" in text and "Join by phone" in text and "Our rules" in text
    assert "We use first names only." in text and "What is said in the group stays in the group." in text
    assert "Thursday, December 3, 2026" in text and "Germany" in text and "Austria" in text
    assert "Online teilnehmen" not in text and "Unsere Regeln" not in text
    assert decode_pages(pdf, 72) == [[URL]]


def test_english_cards_and_hidden_name_in_english(tmp_path: Path) -> None:
    text = " ".join(pdf_text(rendered("cards", lang="en", group_name=None), tmp_path).split())
    assert text.count("Our self-help group") == 4 and text.count("First names only.") == 4
    assert "Selbsthilfegruppe" not in text and "Vornamen" not in text


def test_hidden_group_name_and_no_dial_in(tmp_path: Path) -> None:
    pdf = rendered(group_name=None, pin=None, dial_in_numbers=())
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Unsere Selbsthilfegruppe" in text
    assert "Angehörige" not in text and "PIN" not in text and "Telefon teilnehmen" not in text
    assert decode_pages(pdf, 72) == [[URL]]
    assert min(qr_symbol_mm(pdf)) > min(qr_symbol_mm(rendered()))  # the phone block's room goes to the QR


@pytest.mark.parametrize("layout", ["a4", "cards"])
def test_300_character_name_and_everything_long_stays_on_one_page(layout: str, tmp_path: Path) -> None:
    pdf = rendered_worst(layout)
    assert page_count(pdf) == 1
    codes = decode_pages(pdf, 72)[0]
    assert codes == [URL] * (1 if layout == "a4" else 4)
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "123 456 789 012 #" in text
    if layout == "a4":
        assert "Großraum Süd" in text and min(qr_symbol_mm(pdf)) >= 50


@pytest.mark.parametrize("dpi", [150, 72])
def test_cards_layout_has_four_scannable_codes_per_page(dpi: int, tmp_path: Path) -> None:
    pdf = rendered("cards")
    assert page_count(pdf) == 1
    assert decode_pages(pdf, dpi) == [[URL] * 4]
    assert zbar_pages(pdf, dpi, tmp_path) == [[URL] * 4]
    assert min(qr_symbol_mm(pdf)) >= 40


def test_batch_of_20_groups_decodes_page_by_page(tmp_path: Path) -> None:
    """Through the process pool, written to a file in chunks, as `meetkit sheets` does."""
    urls = [f"https://treffen.example.org/j/batch-{i:05d}" for i in range(20)]
    sheets = [
        sheet(member_url=u, group_name=f"Gruppe {i} für Ältere", pin=f"{31415926 + i}")
        for i, u in enumerate(urls)
    ]
    target = tmp_path / "batch.pdf"

    async def run() -> int | bytes:
        renderer = SheetRenderer(workers=2, chunk_size=6)
        try:
            return await renderer.batch(sheets, target)
        finally:
            renderer.close()

    assert asyncio.run(run()) == 20
    pdf = target.read_bytes()
    assert decode_pages(pdf, 72) == [[u] for u in urls]
    assert zbar_pages(pdf, 72, tmp_path) == [[u] for u in urls]
    text = pdf_text(pdf, tmp_path).split("\f")
    assert "314 159 26 #" in text[0] and "314 159 45 #" in text[19]
    for number in range(20):  # four chunks joined, still tagged: each page reaches its elements
        tagged, lang, elements = structure(pdf, number)
        assert tagged and lang == "de", number
        assert [kind for kind, _ in elements].count("LI") == 9, number
        assert ("Figure", "QR-Code mit der Adresse unserer Gruppe") in elements, number


def test_rendering_in_the_pool_leaves_the_event_loop_free() -> None:
    """A 5 ms ticker keeps ticking while sheets render (inline rendering would stall it for each sheet)."""

    async def run() -> tuple[int, float, bytes]:
        renderer = SheetRenderer(workers=1)
        try:
            await renderer.pdf([sheet()])  # start and warm the worker
            ticks = 0

            async def ticker() -> None:
                nonlocal ticks
                while True:
                    await asyncio.sleep(0.005)
                    ticks += 1

            task = asyncio.create_task(ticker())
            start = time.perf_counter()
            pdfs = await asyncio.gather(*(renderer.pdf([sheet(pin=f"9876543{i}")]) for i in range(5)))
            elapsed = time.perf_counter() - start
            task.cancel()
            return ticks, elapsed, pdfs[-1]
        finally:
            renderer.close()

    ticks, elapsed, pdf = asyncio.run(run())
    assert ticks >= 0.5 * elapsed / 0.0055  # at least half the ticks a free loop manages
    assert decode_pages(pdf, 72) == [[URL]]


def test_a_killed_worker_is_replaced() -> None:
    """A worker that dies (killed, out of memory) breaks its pool; the next sheet gets a fresh one."""

    async def run() -> bytes:
        renderer = SheetRenderer(workers=1)
        try:
            await renderer.pdf([sheet()])
            pool = renderer._pool
            assert pool is not None
            for pid in list(pool._processes):  # type: ignore[attr-defined]
                os.kill(pid, signal.SIGKILL)
            return await renderer.pdf([sheet()])
        finally:
            renderer.close()

    assert decode_pages(asyncio.run(run()), 72) == [[URL]]


def test_html_for_browsers_links_only_own_resources() -> None:
    html = render_html([sheet()], stylesheets=["/static/sheet.css"], pdf_url="/l/x/sheet.pdf")
    assert '<link rel="stylesheet" href="/static/sheet.css">' in html
    assert "<svg" in html and "@page" not in html  # print CSS lives in the stylesheet
    others = set(re.findall(r"""(?:src|href)=["']([^"']+)""", html)) - {"/static/sheet.css", "/l/x/sheet.pdf"}
    assert others == {URL.rsplit("/j/", 1)[0] + "/datenschutz"}  # a link to our own privacy notice
    assert "12345678" not in html.replace("123 456 78", "")  # the PIN only appears grouped


def test_pin_grouping() -> None:
    assert group_pin("12345678") == "123 456 78"
    assert group_pin("123456789") == "123 456 789"
    assert group_pin(" 12-34 ") == "123 4"


# --- issue 15: rule in words, Leichte Sprache, tagged PDF; issue 16: the privacy line on the cards ---

RULE = MeetingRule("weekly", 3, dt.time(19, 0), dt.time(20, 30), place="Raum 2, Bayerstraße 77")
RULE_DATES = tuple(dt.datetime(2026, 12, 31, 19, 0) + dt.timedelta(weeks=k) for k in range(3))  # as RULE says


def _pdfium_text(function: Any, handle: Any) -> str:
    """A UTF-16 string from one of pdfium's get-text calls (ask for the size, then fill a buffer)."""
    size = function(handle, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    function(handle, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
    return buffer.raw[: size - 2].decode("utf-16-le")


def structure(pdf: bytes, page_number: int = 0) -> tuple[bool, str, list[tuple[str, str]]]:
    """(marked as tagged, the catalog's /Lang, every structure element of one page as (type, alt text))."""
    document = pdfium.PdfDocument(pdf)
    found: list[tuple[str, str]] = []

    def walk(element: Any) -> None:
        found.append(
            (
                _pdfium_text(pdfium_c.FPDF_StructElement_GetType, element),
                _pdfium_text(pdfium_c.FPDF_StructElement_GetAltText, element),
            )
        )
        for i in range(pdfium_c.FPDF_StructElement_CountChildren(element)):
            child = pdfium_c.FPDF_StructElement_GetChildAtIndex(element, i)
            if child:
                walk(child)

    try:
        tagged = bool(pdfium_c.FPDFCatalog_IsTagged(document.raw))
        lang = _pdfium_text(pdfium_c.FPDFCatalog_GetLanguage, document.raw)
        page = document[page_number]
        tree = pdfium_c.FPDF_StructTree_GetForPage(page.raw)
        for i in range(pdfium_c.FPDF_StructTree_CountChildren(tree)):
            walk(pdfium_c.FPDF_StructTree_GetChildAtIndex(tree, i))
        pdfium_c.FPDF_StructTree_Close(tree)
        return tagged, lang, found
    finally:
        document.close()


def text_tops_mm(pdf: bytes, needle: str) -> list[tuple[float, float]]:
    """(top, bottom) in mm from the page's top edge of every place `needle` is printed on page 1."""
    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        height = page.get_height()
        text = page.get_textpage()
        searcher = text.search(needle, match_case=True)
        places = []
        while (found := searcher.get_next()) is not None:
            index, count = found
            boxes = [text.get_charbox(i) for i in range(index, index + count)]
            top = max(box[3] for box in boxes)
            bottom = min(box[1] for box in boxes)
            places.append(((height - top) / 72 * MM_PER_INCH, (height - bottom) / 72 * MM_PER_INCH))
        return places
    finally:
        document.close()


def test_sheet_states_the_rule_and_place_and_is_a_tagged_pdf_with_lists_and_qr_alt(tmp_path: Path) -> None:
    pdf = render_pdf([sheet(rule=RULE)])
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Wir treffen uns: jeden Donnerstag, 19:00 bis 20:30 Uhr · Ort: Raum 2, Bayerstraße 77" in text
    # the rule says the time, so the next dates are days only (extra dates start at the rule's time too)
    assert "Nächste Treffen: Donnerstag, 3. Dezember 2026 · Donnerstag, 17. Dezember 2026" in text
    tagged, lang, elements = structure(pdf)
    assert tagged and lang == "de"
    kinds = [kind for kind, _ in elements]
    assert kinds.count("L") == 3 and kinds.count("LI") == 9  # online steps, phone steps, rules
    assert ("Figure", "QR-Code mit der Adresse unserer Gruppe") in elements
    assert "H1" in kinds and kinds.count("H2") == 3
    assert decode_pages(pdf, 72) == [[URL]]

    english = render_pdf([sheet(rule=RULE, lang="en")])
    text = " ".join(pdf_text(english, tmp_path).split())
    assert "We meet: every Thursday, 19:00 to 20:30 · Place: Raum 2" in text
    without_rule = " ".join(pdf_text(rendered(lang="en"), tmp_path).split())
    assert "Thursday, December 3, 2026, 19:00" in without_rule  # the 24-hour clock, as on the member page
    assert structure(english)[1] == "en"
    assert ("Figure", "QR code with our group's address") in structure(english)[2]

    monthly = MeetingRule("monthly", 1, dt.time(18, 30), dt.time(20, 0), nth=-1)
    text = " ".join(pdf_text(render_pdf([sheet(rule=monthly)]), tmp_path).split())
    assert "jeden letzten Dienstag im Monat, 18:30 bis 20:00 Uhr" in text
    unknown = MeetingRule("single", 1, dt.time(18, 30), dt.time(20, 0))  # a kind this sheet has no words for
    text = " ".join(pdf_text(render_pdf([sheet(rule=unknown)]), tmp_path).split())
    assert "Wir treffen uns" not in text and "Nächste Treffen: Donnerstag, 3. Dezember 2026" in text


PRACTICE = "https://treffen.example.org/ueben/selbsthilfekontaktstelle-grossraum-sued"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_practice_room_line_fits_the_fullest_sheet(lang: str, tmp_path: Path) -> None:
    """Where the contact point wants it, the practice room's address is printed too; still one page."""
    pdf = render_pdf([worst_case(rule=RULE, next_meetings=RULE_DATES, lang=lang, practice_url=PRACTICE)])
    assert page_count(pdf) == 1 and decode_pages(pdf, 72) == [[URL]]
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "treffen.example.org/ueben/selbsthilfekontaktstelle-grossraum-sued" in text.replace("/ ", "/")
    assert "ueben" not in " ".join(pdf_text(render_pdf([worst_case(lang=lang)]), tmp_path).split())


def test_leichte_sprache_sheet_and_cards_fit_and_scan(tmp_path: Path) -> None:
    """The longest Leichte Sprache texts with everything at its longest still fit their page and scan."""
    pdf = render_pdf([worst_case(rule=RULE, next_meetings=RULE_DATES, lang="ls", practice_url=PRACTICE)])
    assert page_count(pdf) == 1 and decode_pages(pdf, 72) == [[URL]]
    assert min(qr_symbol_mm(pdf)) >= 40
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Mitmachen über das Internet" in text and "Mitmachen mit dem Telefon" in text
    assert "jeden Donnerstag. Von 19:00 Uhr bis 20:30 Uhr." in text
    assert "Was wir in der Gruppe sagen, bleibt ein Geheimnis." in text and "Online teilnehmen" not in text
    assert "So schützen wir Ihre Daten: treffen.example.org/datenschutz" in text
    # the fullest Leichte Sprache sheet has no room left for the practice room: it goes, the sheet fits
    assert "vorher üben" not in text
    usual = " ".join(pdf_text(render_pdf([sheet(lang="ls", practice_url=PRACTICE)]), tmp_path).split())
    assert "Sie wollen vorher üben? Dann gehen Sie auf diese Seite:" in usual
    assert structure(pdf)[1] == "de"  # Leichte Sprache is German to a screen reader
    for _top, privacy_bottom in text_tops_mm(pdf, "So schützen wir"):
        assert privacy_bottom < 297 - 9  # above the bottom margin: nothing spilled

    cards = render_pdf(
        [worst_case(rule=RULE, next_meetings=RULE_DATES, lang="ls")], "cards"
    )  # fit: test_cards_print_the_privacy_line
    assert page_count(cards) == 1 and decode_pages(cards, 72) == [[URL] * 4]
    assert len(text_tops_mm(cards, "Geheim-Zahl (PIN)")) == 4 and min(qr_symbol_mm(cards)) >= 40


@pytest.mark.parametrize("lang", ["de", "en", "ls"])
def test_cards_print_the_privacy_line_inside_each_card(lang: str) -> None:
    """Issue 16: every card says where the privacy notice is, and the line ends inside its card."""
    word = {"de": "Datenschutz:", "en": "Privacy:", "ls": "So schützen wir"}[lang]
    for data in (sheet(lang=lang), worst_case(lang=lang)):
        cards = render_pdf([data], "cards")
        assert decode_pages(cards, 72) == [[URL] * 4]
        for needle in (word, "datenschutz"):  # the label and the link's end (it may wrap after the host)
            places = text_tops_mm(cards, needle)
            assert len(places) == 4, (needle, places)
            for _top, bottom in places:
                card_bottom = 148 if bottom < 148 else 296
                assert bottom < card_bottom - 4, (needle, bottom)  # above the card's 5 mm padding: not cut
