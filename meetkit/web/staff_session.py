"""The staff area's guard: the session behind the cookie, sign-in redirects, CSRF checks, compulsory 2FA."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from aiohttp.typedefs import Handler

from meetkit.domain import ids
from meetkit.domain.accounts import N_
from meetkit.domain.errors import Forbidden, InvalidInput, MeetkitError, RateLimited
from meetkit.domain.scope import Scope, scope_of
from meetkit.messages import translate_message
from meetkit.services import accounts
from meetkit.services.passwords import PasswordHasher
from meetkit.services.signin import Current, SignInService
from meetkit.web.bodies import too_large
from meetkit.web.errors import status_for
from meetkit.web.forms import FORM_UNREADABLE
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE, NEW_FORM_COOKIE, SETTINGS, SIGN_IN, STAFF_SESSION
from meetkit.web.security import origin

PREFIX = "/staff/"
SESSION_COOKIE = "meetkit_staff"
FORM_COOKIE = "meetkit_form"  # binds the sign-in and setup forms to this browser before there is a session
# Routes one reaches without a session (their forms carry the form cookie's token instead).
PUBLIC_ROUTES = frozenset(
    {"staff_login_form", "staff_login", "staff_login_code", "staff_setup_form", "staff_setup"}
)
# Routes a signed-in person reaches before setting up a compulsory second factor.
SECOND_FACTOR_SETUP_ROUTES = frozenset(
    {
        "staff_account",
        "staff_password",
        "staff_second_factor_on",
        "staff_second_factor_confirm",
        "staff_logout",
    }
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CROSS_SITE = N_(
    "Dieses Formular wurde nicht von dieser Seite abgeschickt oder ist abgelaufen. "
    "Bitte laden Sie die Seite neu und versuchen Sie es noch einmal."
)


async def sign_in_ctx(app: web.Application) -> AsyncIterator[None]:
    """Keep the sign-in service (needs the database) and its password hashing thread."""
    settings = app[SETTINGS]
    hasher = PasswordHasher()
    app[SIGN_IN] = SignInService(app[DATABASE], hasher, settings.secret, settings.staff_idle_minutes)
    await app[SIGN_IN].prune(time.time())
    yield
    hasher.close()


@web.middleware
async def staff_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Under /staff/: find the session, send strangers to sign-in, refuse forged forms, enforce 2FA."""
    route = request.match_info.route.name
    if not request.path.startswith(PREFIX) or route is None:
        return await handler(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    current = await request.app[SIGN_IN].current(cookie, time.time())
    if current is not None:
        request[STAFF_SESSION] = current
    if route not in PUBLIC_ROUTES:
        if current is None or not current.signed_in:
            raise web.HTTPSeeOther(login_url(request, ended=bool(cookie)))
        if (
            route not in SECOND_FACTOR_SETUP_ROUTES
            and not current.account.has_second_factor
            and await accounts.second_factor_required(request.app[DATABASE])
        ):
            raise web.HTTPSeeOther(with_lang(request, "/staff/account"))
    if request.method not in SAFE_METHODS:
        check_same_origin(request)
        form = await read_posted(request)
        if not hmac.compare_digest(str(form.get("csrf_token", "")), form_token(request)):
            raise Forbidden(CROSS_SITE)
    response = await handler(request)
    new_form_cookie = request.get(NEW_FORM_COOKIE)
    if new_form_cookie:
        response.set_cookie(
            FORM_COOKIE, new_form_cookie, path=PREFIX, httponly=True, samesite="Lax", secure=_secure(request)
        )
    return response


async def read_posted(request: web.Request) -> Any:
    """The posted form (read once, kept by aiohttp); too large or malformed is a clear 400, never a 500."""
    try:
        return await request.post()
    except web.HTTPRequestEntityTooLarge:
        raise too_large(request.client_max_size) from None
    except Exception:  # aiohttp raises ValueError, LookupError, UnicodeDecodeError, BadHttpMessage, ...
        raise InvalidInput(FORM_UNREADABLE) from None


def check_same_origin(request: web.Request) -> None:
    """Refuse a state-changing request that a browser says came from another site."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        raise Forbidden(CROSS_SITE)
    # Under `Referrer-Policy: no-referrer` browsers send `Origin: null` on forms: then the token decides.
    sent_origin = request.headers.get("Origin", "null")
    own = {origin(request.app[SETTINGS].public_url), f"{request.scheme}://{request.host}"}
    if sent_origin != "null" and sent_origin not in own:
        raise Forbidden(CROSS_SITE)


def form_token(request: web.Request) -> str:
    """The CSRF token forms carry: bound to the session (signed-in routes) or to the form cookie (sign-in)."""
    route = request.match_info.route.name
    if route in PUBLIC_ROUTES:
        basis = "form:" + _form_cookie(request)
    else:
        basis = "session:" + request.cookies.get(SESSION_COOKIE, "")
    key = hashlib.sha256(("csrf:" + request.app[SETTINGS].secret).encode()).digest()
    return hmac.new(key, basis.encode(), hashlib.sha256).hexdigest()


def current_session(request: web.Request) -> Current:
    """The signed-in session of a guarded staff route."""
    return request[STAFF_SESSION]


def scope(request: web.Request) -> Scope:
    """What the signed-in person may see and change."""
    return scope_of(current_session(request).account)


def with_lang(request: web.Request, path: str, **query: str) -> str:
    """A staff path that keeps the page language (and adds `query`)."""
    params = dict(query)
    if request_language(request) == "en":
        params["lang"] = "en"
    return path + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def login_url(request: web.Request, *, ended: bool = False) -> str:
    """Where strangers are sent; `ended` tells them their earlier session is over."""
    return with_lang(request, "/staff/login", **({"ended": "1"} if ended else {}))


def _secure(request: web.Request) -> bool:
    return request.app[SETTINGS].public_url.startswith("https://") or request.secure


def set_session_cookie(request: web.Request, response: web.StreamResponse, session_id: str) -> None:
    """Hand the browser a session id: HttpOnly, SameSite=Lax, Secure on https, only for /staff/."""
    response.set_cookie(
        SESSION_COOKIE, session_id, path=PREFIX, httponly=True, samesite="Lax", secure=_secure(request)
    )


def clear_session_cookie(request: web.Request, response: web.StreamResponse) -> None:
    """Make the browser forget its session id."""
    response.del_cookie(SESSION_COOKIE, path=PREFIX, httponly=True, samesite="Lax", secure=_secure(request))


def _form_cookie(request: web.Request) -> str:
    """The browser's form cookie; a new one (set on the response by staff_guard) when it has none."""
    value = request.cookies.get(FORM_COOKIE) or request.get(NEW_FORM_COOKIE)
    if not value:
        value = request[NEW_FORM_COOKIE] = ids.new_secret_token()
    return value


def page_context(request: web.Request, **extra: Any) -> dict[str, Any]:
    """What every staff template needs: language, the CSRF token, who is signed in."""
    current = request.get(STAFF_SESSION)
    return {
        "lang": request_language(request),
        "csrf_token": form_token(request),
        "account": current.account if current and current.signed_in else None,
        "lang_query": "?lang=en" if request_language(request) == "en" else "",
        **extra,
    }


def form_text(form: Any, name: str) -> str:
    """A text field of a posted form ('' when absent or not text)."""
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def render(
    request: web.Request,
    template: str,
    status: int = 200,
    error: MeetkitError | None = None,
    field: str | None = None,
    **extra: Any,
) -> web.Response:
    """Render a staff page; with `error`, show its message (translated; next to the form field `field` if
    given) and answer with its status."""
    context = page_context(request, **extra)
    if error is not None:
        context["field_message" if field else "error"] = translate_message(error.message, context["lang"])
        context["field"] = field
        status = status_for(error)
    response = aiohttp_jinja2.render_template(f"staff/{template}", request, context, status=status)
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after_seconds)
    return response


async def cached_page(
    request: web.Request, page: str, make: Callable[[], Awaitable[web.Response]]
) -> web.Response:
    """A signed-in page kept in the read cache per session and language until a change empties it.

    Only for pages that show nothing but stored state (which invalidating writes change) and the session's own
    CSRF token: the start page is asked for most, and rendering it costs more than everything else together."""
    key = ("staff_page", page, current_session(request).id_hash, request_language(request))
    db = request.app[DATABASE]
    body = db.cache_get(key, bytes)
    if body is not None:
        return web.Response(body=body, content_type="text/html", charset="utf-8")
    response = await make()
    if response.status == 200 and isinstance(response.body, bytes):
        db.cache_put(key, response.body)
    return response
