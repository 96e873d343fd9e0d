"""Staff sign-in and out (`/staff/login`, `/staff/logout`) and setting a password from a one-time link."""

from __future__ import annotations

import time

from aiohttp import web

from meetkit.domain.accounts import N_
from meetkit.domain.errors import InvalidInput, MeetkitError, RateLimited, Unauthorized
from meetkit.domain.failure_budget import SecretKind
from meetkit.services import accounts
from meetkit.web.keys import DATABASE, SIGN_IN, STAFF_SESSION
from meetkit.web.lookups import check_budget, count_failure, guarded
from meetkit.web.staff_session import (
    clear_session_cookie,
    current_session,
    form_text,
    render,
    set_session_cookie,
    with_lang,
)

routes = web.RouteTableDef()

NOTICES = {
    "ended": N_("Ihre Sitzung ist beendet. Bitte melden Sie sich neu an."),
    "out": N_("Sie sind abgemeldet."),
    "setup": N_("Ihr Passwort ist gespeichert. Bitte melden Sie sich jetzt an."),
    "changed": N_("Ihr Passwort ist geändert. Bitte melden Sie sich mit dem neuen Passwort an."),
}


def _login_page(request: web.Request, error: MeetkitError | None = None, login: str = "") -> web.Response:
    current = request.get(STAFF_SESSION)
    step = "code" if current is not None and not current.signed_in else "password"
    notice = next((text for key, text in NOTICES.items() if request.query.get(key) == "1"), None)
    return render(request, "login.html", error=error, step=step, notice=notice, login=login)


@routes.get("/staff/login", name="staff_login_form")
async def login_form(request: web.Request) -> web.StreamResponse:
    """The sign-in page (login name and password, or the code where the second factor is on)."""
    current = request.get(STAFF_SESSION)
    if current is not None and current.signed_in:
        raise web.HTTPSeeOther(with_lang(request, "/staff/"))
    return _login_page(request)


@routes.post("/staff/login", name="staff_login")
async def login(request: web.Request) -> web.StreamResponse:
    """Check login name and password; then the code step, or straight in."""
    form = await request.post()
    typed_login = form_text(form, "login")
    try:
        client = await check_budget(request, SecretKind.STAFF_LOGIN)
        try:
            result = await request.app[SIGN_IN].sign_in(typed_login, form_text(form, "password"), time.time())
        except Unauthorized:
            await count_failure(request, SecretKind.STAFF_LOGIN, client)
            raise
    except (InvalidInput, Unauthorized, RateLimited) as error:
        return _login_page(request, error, typed_login[:254])
    response = web.HTTPSeeOther(with_lang(request, "/staff/" if result.complete else "/staff/login"))
    set_session_cookie(request, response, result.session_id)
    raise response


@routes.post("/staff/login/code", name="staff_login_code")
async def login_code(request: web.Request) -> web.StreamResponse:
    """The second step: a code from the authenticator app or an unused recovery code."""
    form = await request.post()
    try:
        client = await check_budget(request, SecretKind.STAFF_LOGIN)
        try:
            session_id = await request.app[SIGN_IN].second_step(
                request.get(STAFF_SESSION), form_text(form, "code"), time.time()
            )
        except Unauthorized:
            await count_failure(request, SecretKind.STAFF_LOGIN, client)
            raise
    except (InvalidInput, Unauthorized, RateLimited) as error:
        return _login_page(request, error)
    response = web.HTTPSeeOther(with_lang(request, "/staff/"))
    set_session_cookie(request, response, session_id)
    raise response


@routes.post("/staff/logout", name="staff_logout")
async def logout(request: web.Request) -> web.StreamResponse:
    """Sign out: the session ends on the server at once."""
    await request.app[SIGN_IN].sign_out(current_session(request))
    response = web.HTTPSeeOther(with_lang(request, "/staff/login", out="1"))
    clear_session_cookie(request, response)
    raise response


@routes.get("/staff/setup/{token}", name="staff_setup_form")
async def setup_form(request: web.Request) -> web.StreamResponse:
    """Choose a password from a one-time link."""
    db, token = request.app[DATABASE], request.match_info["token"]
    account = await guarded(request, lambda: accounts.account_for_setup(db, token), SecretKind.STAFF_LOGIN)
    return render(request, "setup.html", setup_login=account.login)


@routes.post("/staff/setup/{token}", name="staff_setup")
async def setup(request: web.Request) -> web.StreamResponse:
    """Store the chosen password; the link is used up."""
    db, token = request.app[DATABASE], request.match_info["token"]
    account = await guarded(request, lambda: accounts.account_for_setup(db, token), SecretKind.STAFF_LOGIN)
    form = await request.post()
    hasher = request.app[SIGN_IN].hasher
    try:
        await guarded(
            request,
            lambda: accounts.complete_setup(
                db, hasher, token, form_text(form, "password"), form_text(form, "password_repeat")
            ),
            SecretKind.STAFF_LOGIN,
        )
    except InvalidInput as error:
        return render(request, "setup.html", error=error, setup_login=account.login)
    response = web.HTTPSeeOther(with_lang(request, "/staff/login", setup="1"))
    clear_session_cookie(request, response)
    raise response
