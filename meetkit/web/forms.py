"""Reading HTML forms: text fields only, and any malformed form is one clear 400 that logs nothing."""

from __future__ import annotations

from aiohttp import web

from meetkit.domain.errors import InvalidInput
from meetkit.web.bodies import too_large

MAX_FORM_BYTES = 16 * 1024  # meetkit's forms hold a date, two numbers or a checkbox
FORM_UNREADABLE = (
    "Das Formular konnte nicht gelesen werden. Bitte laden Sie die Seite neu und senden Sie es noch einmal."
)


async def read_form(request: web.Request) -> dict[str, str]:
    """Return the form's text fields (the first of a repeated name), or raise InvalidInput; nothing is logged."""
    if request.content_length is not None and request.content_length > MAX_FORM_BYTES:
        raise too_large(MAX_FORM_BYTES)
    try:
        form = await request.post()
    except web.HTTPRequestEntityTooLarge:
        raise too_large(request.client_max_size) from None
    except Exception:  # aiohttp raises ValueError, LookupError, UnicodeDecodeError, BadHttpMessage, ...
        raise InvalidInput(FORM_UNREADABLE) from None
    fields: dict[str, str] = {}
    for name, value in form.items():
        if isinstance(value, web.FileField):  # a file upload: no form of meetkit has one
            value.file.close()
        if not isinstance(value, str):
            raise InvalidInput(FORM_UNREADABLE)
        fields.setdefault(name, value)
    return fields
