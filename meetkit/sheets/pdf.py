"""PDF rendering with WeasyPrint; runs in worker processes, never on the event loop."""

from __future__ import annotations

import atexit
import functools
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from meetkit.sheets.data import Lang, Layout, SheetData
from meetkit.sheets.fonts import font_face_css
from meetkit.sheets.html import SHEET_CSS, TEMPLATE_DIR, render_html
from meetkit.sheets.leader_letter import LeaderLetter, render_letter_html

# Tagged PDF (structure tree, /Lang, figure /Alt) for screen readers. Not the "pdf/ua-1" variant: that
# only adds the conformance claim, which nothing here validates (WeasyPrint marks no artifacts).
TAGGED = {"pdf_tags": True}

if TYPE_CHECKING:
    from weasyprint import CSS, Document
    from weasyprint.text.fonts import FontConfiguration


@functools.lru_cache(maxsize=1)
def _engine() -> tuple[FontConfiguration, list[CSS]]:
    """Fonts and stylesheets, loaded and parsed once per process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    atexit.register(_engine.cache_clear)  # release the fonts before interpreter teardown
    css = [
        CSS(string=font_face_css(), font_config=fonts),
        CSS(filename=str(SHEET_CSS), font_config=fonts),
    ]
    return fonts, css


def render_letter_pdf(letter: LeaderLetter) -> bytes:
    """The "Ihr Leitungs-Link" letter as a one-page PDF."""
    return render_page_pdf(render_letter_html(letter), str(SHEET_CSS.with_name("letter.css")))


def warm_up() -> None:
    """Import WeasyPrint, load the fonts and lay out one sheet, so the first real one is fast."""
    render_pdf([SheetData(member_url="https://example.invalid/j/warmup", group_name="Äß")])


def _render(
    sheets: Sequence[SheetData], layout: Layout, lang: Lang | None, compact: Collection[int]
) -> Document:
    from weasyprint import HTML

    fonts, css = _engine()
    html = render_html(sheets, layout, lang=lang, compact=compact)
    return HTML(string=html, base_url=TEMPLATE_DIR.as_uri() + "/").render(stylesheets=css, font_config=fonts)


def pages_per_sheet(document: Document, count: int) -> list[int]:
    """How many pages each of `count` sheets took, found by the `sheet-N` anchors."""
    starts: dict[int, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith("sheet-"):
                starts.setdefault(int(anchor.removeprefix("sheet-")), number)
    bounds = [starts[i] for i in range(count)] + [len(document.pages)]
    return [bounds[i + 1] - bounds[i] for i in range(count)]


def render_document(sheets: Sequence[SheetData], layout: Layout = "a4", lang: Lang | None = None) -> Document:
    """Lay out `sheets`, one page each; a sheet that overflows is laid out again in compact form, and one
    that still does loses the practice room's address (its member page links the practice room anyway)."""
    if not sheets:
        raise ValueError("no sheets to render")
    document = _render(sheets, layout, lang, ())
    if len(document.pages) == len(sheets):
        return document
    overflowing = {i for i, n in enumerate(pages_per_sheet(document, len(sheets))) if n > 1}
    document = _render(sheets, layout, lang, overflowing)
    still = {
        i for i, n in enumerate(pages_per_sheet(document, len(sheets))) if n > 1 and sheets[i].practice_url
    }
    if not still:
        return document
    trimmed = [replace(s, practice_url=None) if i in still else s for i, s in enumerate(sheets)]
    return _render(trimmed, layout, lang, overflowing)


def render_pdf(
    sheets: Sequence[SheetData], layout: Layout = "a4", lang: Lang | None = None, tagged: bool = True
) -> bytes:
    """One PDF with one page per sheet (or per page of four cards), tagged unless `tagged` is False."""
    return bytes(render_document(sheets, layout, lang).write_pdf(**(TAGGED if tagged else {})))


@functools.lru_cache(maxsize=4)
def _stylesheet(path: str) -> CSS:
    """A page's own stylesheet, parsed once per process."""
    from weasyprint import CSS

    return CSS(filename=path, font_config=_engine()[0])


def render_page_pdf(html: str, stylesheet: str | None = None) -> bytes:
    """A PDF of meetkit's other printed pages (letter, loan form): the sheet font, and their own stylesheet
    or else the sheet's."""
    from weasyprint import HTML

    fonts, css = _engine()
    sheets = [css[0], _stylesheet(stylesheet)] if stylesheet else css
    document = HTML(string=html, base_url=TEMPLATE_DIR.as_uri() + "/")
    return bytes(document.write_pdf(stylesheets=sheets, font_config=fonts))
