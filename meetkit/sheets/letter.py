"""The invitation letter a contact point prints for a leader: the one-time link as text and QR code."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from meetkit.qr import qr_svg
from meetkit.rendering import environment
from meetkit.sheets.data import Lang
from meetkit.sheets.pdf import render_page_pdf
from meetkit.sheets.view import printed_link


@dataclass(frozen=True, slots=True)
class LetterData:
    """Everything the letter shows: no names of people, only the contact point and the link."""

    invite_url: str
    valid_until: str  # the local date, written out for people
    contact_point_name: str
    help_phone: str | None
    lang: Lang = "de"


def letter_html(data: LetterData, stylesheets: tuple[str, ...] = ()) -> str:
    """The letter as HTML (the same template for the browser and WeasyPrint)."""
    return (
        environment()
        .get_template("invite_letter.html")
        .render(
            lang=data.lang,
            letter=data,
            link=printed_link(data.invite_url),
            qr=Markup(qr_svg(data.invite_url)),  # noqa: S704 - our own SVG: digits and path letters only
            stylesheets=list(stylesheets),
        )
    )


def letter_pdf(data: LetterData) -> bytes:
    """The letter as a one-page A4 PDF (runs in a sheet worker process)."""
    return render_page_pdf(letter_html(data))
