"""The one place that turns domain errors (and unknown routes) into HTTP answers."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar

import aiohttp_jinja2
from aiohttp import web
from aiohttp.typedefs import Handler

from meetkit.domain.errors import (
    Conflict,
    FeatureDisabled,
    Forbidden,
    InvalidInput,
    LinkRenewed,
    LinkUsedUp,
    MeetkitError,
    NotFound,
    RateLimited,
    Unauthorized,
    Unavailable,
)
from meetkit.messages import translate_message
from meetkit.web.i18n import request_language
from meetkit.web.privacy import footer_links

log = logging.getLogger("meetkit.web")

STATUS_BY_ERROR: list[tuple[type[MeetkitError], int]] = [
    (InvalidInput, 400),
    (Unauthorized, 401),
    (FeatureDisabled, 403),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (RateLimited, 429),
    (Unavailable, 503),
]
JSON_PREFIXES = ("/api/", "/jitsi/", "/healthz")
# Headers of aiohttp's HTTP errors that the protocol requires (a 405 names the allowed methods).
KEPT_HEADERS = ("Allow",)

# A page that shows a form again, with the message and status of the InvalidInput its input caused.
FormPage = Callable[[str, int], Awaitable[web.StreamResponse]]
_FORM_PAGE: ContextVar[FormPage | None] = ContextVar("meetkit_form_page", default=None)  # per request


def show_invalid_input_on(page: FormPage) -> None:
    """Answer the current request's InvalidInput with `page` (the form again, the message next to it)."""
    _FORM_PAGE.set(page)


def status_for(error: MeetkitError) -> int:
    """Return the HTTP status for a domain error."""
    for error_type, status in STATUS_BY_ERROR:
        if isinstance(error, error_type):
            return status
    return 400


def wants_json(request: web.Request) -> bool:
    """Whether this route answers in JSON rather than HTML."""
    return request.path.startswith(JSON_PREFIXES) or request.path.endswith(".json")


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer domain errors and HTTP errors with a clear message; never leak a traceback."""
    form_page_reset = _FORM_PAGE.set(None)  # the handler may set it; it never outlives the request
    try:
        return await handler(request)
    except MeetkitError as error:
        form_page = _FORM_PAGE.get()
        if form_page is not None and isinstance(error, InvalidInput) and not wants_json(request):
            return await form_page(error.message, status_for(error))  # the message next to the form
        return error_response(request, status_for(error), error.message, error)
    except web.HTTPException as http_error:
        if http_error.status < 400:
            raise
        message = {404: "Diese Seite gibt es nicht.", 405: "Diese Aktion ist hier nicht möglich."}.get(
            http_error.status, http_error.reason
        )
        response = error_response(request, http_error.status, message, None)
        for name in KEPT_HEADERS:
            if name in http_error.headers:
                response.headers[name] = http_error.headers[name]
        return response
    except Exception:
        log.exception("unexpected error in route %s", request.match_info.route.name or "unmatched")
        return error_response(request, 500, "Ein interner Fehler ist aufgetreten.", None)
    finally:
        _FORM_PAGE.reset(form_page_reset)


def error_response(
    request: web.Request, status: int, message: str, error: MeetkitError | None
) -> web.Response:
    """Render an error as JSON `{"error": ...}` or as a calm HTML page in the visitor's language."""
    if wants_json(request):
        response = web.json_response({"error": message}, status=status)
    else:
        lang = request_language(request, easy_read=True)
        with_contact = error if isinstance(error, LinkRenewed | LinkUsedUp) else None
        context = {
            "lang": lang,
            "status": status,
            "message": translate_message(message, lang),
            "renewed": isinstance(error, LinkRenewed),
            "used_up": isinstance(error, LinkUsedUp),
            "contact_point_name": with_contact.contact_point_name if with_contact else None,
            "contact_point_phone": with_contact.contact_point_phone if with_contact else None,
            **footer_links(request),
        }
        response = aiohttp_jinja2.render_template("error.html", request, context, status=status)
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after_seconds)
    return response
