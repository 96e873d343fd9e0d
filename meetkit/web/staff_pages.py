"""The staff start page and one's own account: password, second factor, recovery codes."""

from __future__ import annotations

import time

from aiohttp import web

from meetkit.domain.accounts import N_
from meetkit.domain.attendance_times import local_today
from meetkit.domain.errors import InvalidInput, Unauthorized
from meetkit.qr import qr_svg
from meetkit.services import accounts, loans
from meetkit.web.keys import DATABASE, SIGN_IN
from meetkit.web.staff_session import (
    cached_page,
    current_session,
    form_text,
    render,
    scope,
    set_session_cookie,
    with_lang,
)

routes = web.RouteTableDef()

NOTICES = {
    "off": N_("Die Zwei-Faktor-Anmeldung ist ausgeschaltet."),
    "changed": N_("Ihr Passwort ist geändert. Andere Geräte sind abgemeldet."),
}


@routes.get("/staff", name="staff_root")
async def root(request: web.Request) -> web.StreamResponse:
    """`/staff` without the slash: the start page."""
    raise web.HTTPSeeOther(with_lang(request, "/staff/"))


@routes.get("/staff/", name="staff_home")
async def home(request: web.Request) -> web.StreamResponse:
    """The start page: the contact points this person may see, and loans whose device is overdue."""
    today = local_today()

    async def make() -> web.Response:
        db, who = request.app[DATABASE], scope(request)
        found = await accounts.visible_contact_points(db, who)
        overdue = await loans.overdue_loans(db, who, today=today)
        return render(request, "home.html", contact_points=found, overdue_loans=overdue, typed={})

    return await cached_page(request, f"home:{today.isoformat()}", make)  # a loan runs late at midnight


async def _account_page(
    request: web.Request,
    status: int = 200,
    error: InvalidInput | Unauthorized | None = None,
    recovery_codes: list[str] | None = None,
    notice: str | None = None,
) -> web.Response:
    db = request.app[DATABASE]
    account = await accounts.own_account(db, current_session(request).account)
    pending = (
        await accounts.pending_second_factor(db, request.app[SIGN_IN].box, account)
        if not account.has_second_factor
        else None
    )
    return render(
        request,
        "account.html",
        status=status,
        error=error,
        required=await accounts.second_factor_required(db),
        pending_secret=pending[0] if pending else None,
        pending_qr=qr_svg(pending[1]) if pending else None,
        recovery_codes=recovery_codes,
        codes_left=await accounts.recovery_codes_left(db, account) if account.has_second_factor else 0,
        notice=notice,
        me=account,
    )


@routes.get("/staff/account", name="staff_account")
async def account_page(request: web.Request) -> web.StreamResponse:
    """One's own account: change the password, turn the second factor on or off."""
    notice = next((text for key, text in NOTICES.items() if request.query.get(key) == "1"), None)
    return await _account_page(request, notice=notice)


@routes.post("/staff/account/password", name="staff_password")
async def change_password(request: web.Request) -> web.StreamResponse:
    """Change one's password; all sessions end and this browser gets a fresh one."""
    form = await request.post()
    account = current_session(request).account
    service = request.app[SIGN_IN]
    try:
        await accounts.change_password(
            request.app[DATABASE],
            service.hasher,
            account,
            form_text(form, "current_password"),
            form_text(form, "password"),
            form_text(form, "password_repeat"),
        )
    except (InvalidInput, Unauthorized) as error:
        return await _account_page(request, error=error)
    response = web.HTTPSeeOther(with_lang(request, "/staff/account", changed="1"))
    set_session_cookie(request, response, await service.start_session(account, time.time()))
    raise response


@routes.post("/staff/account/second-factor", name="staff_second_factor_on")
async def second_factor_on(request: web.Request) -> web.StreamResponse:
    """Start turning on the second factor: show the QR code for the authenticator app."""
    await accounts.begin_second_factor(
        request.app[DATABASE], request.app[SIGN_IN].box, current_session(request).account
    )
    raise web.HTTPSeeOther(with_lang(request, "/staff/account"))


@routes.post("/staff/account/second-factor/confirm", name="staff_second_factor_confirm")
async def second_factor_confirm(request: web.Request) -> web.StreamResponse:
    """Finish turning on the second factor with a first code; the recovery codes are shown this once."""
    form = await request.post()
    try:
        codes = await accounts.confirm_second_factor(
            request.app[DATABASE],
            request.app[SIGN_IN].box,
            current_session(request).account,
            form_text(form, "code"),
        )
    except InvalidInput as error:
        return await _account_page(request, error=error)
    return await _account_page(request, recovery_codes=codes)


@routes.post("/staff/account/second-factor/off", name="staff_second_factor_off")
async def second_factor_off(request: web.Request) -> web.StreamResponse:
    """Turn the second factor off (with the password), unless an admin made it compulsory."""
    form = await request.post()
    try:
        await accounts.disable_second_factor(
            request.app[DATABASE],
            request.app[SIGN_IN].hasher,
            current_session(request).account,
            form_text(form, "password"),
        )
    except (InvalidInput, Unauthorized) as error:
        return await _account_page(request, error=error)
    raise web.HTTPSeeOther(with_lang(request, "/staff/account", off="1"))
