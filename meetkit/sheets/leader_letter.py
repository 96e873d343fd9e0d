"""The "Ihr Leitungs-Link" letter: a new leader link on paper, to hand over in person (PDF via the sheet pool)."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from meetkit.qr import qr_svg
from meetkit.rendering import environment
from meetkit.sheets.data import Lang
from meetkit.sheets.view import printed_link

TEMPLATE = "leader_letter.html"


@dataclass(frozen=True, slots=True)
class LeaderLetter:
    """What the letter shows: the leader link, the group's name (if shown at all) and whom to ask."""

    leader_url: str
    group_name: str | None
    contact_point_name: str | None
    help_phone: str | None
    lang: Lang = "de"


def render_letter_html(letter: LeaderLetter) -> str:
    """The letter's HTML (WeasyPrint adds the stylesheet)."""
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            lang=letter.lang,
            letter=letter,
            link=printed_link(letter.leader_url),
            qr=Markup(qr_svg(letter.leader_url)),  # noqa: S704 - our own SVG: digits and path letters only
        )
    )
