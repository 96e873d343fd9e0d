"""Render sheets to HTML with Jinja2: the same template serves the browser and WeasyPrint."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Sequence
from pathlib import Path

from meetkit.dates import babel_locale
from meetkit.rendering import environment
from meetkit.sheets.data import Lang, Layout, SheetData
from meetkit.sheets.view import sheet_view

PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
SHEET_CSS = PACKAGE_DIR / "static" / "sheet.css"
BROWSER_STYLESHEETS = ("/static/sheet-fonts.css", "/static/sheet.css")

TEMPLATES: dict[Layout, str] = {"a4": "sheet.html", "cards": "sheet_cards.html"}


def render_html(
    sheets: Sequence[SheetData],
    layout: Layout = "a4",
    *,
    lang: Lang | None = None,
    stylesheets: Sequence[str] = (),
    pdf_url: str | None = None,
    cards_url: str | None = None,
    compact: Collection[int] = (),
) -> str:
    """HTML for `sheets`, one page each; `compact` holds indexes of sheets to squeeze.

    With `lang`, every sheet is in that language; without, each in its own (the document's is the first's).
    `stylesheets` are linked from the page (for browsers); WeasyPrint gets its own, pre-parsed.
    """
    if not sheets:
        raise ValueError("no sheets to render")
    language = lang or sheets[0].lang
    if lang is not None:
        sheets = [s if s.lang == lang else dataclasses.replace(s, lang=lang) for s in sheets]
    return (
        environment()
        .get_template(TEMPLATES[layout])
        .render(
            sheets=[sheet_view(s, i in compact) for i, s in enumerate(sheets)],
            lang=language,
            html_lang=babel_locale(language),
            stylesheets=list(stylesheets),
            pdf_url=pdf_url,
            cards_url=cards_url,
        )
    )
