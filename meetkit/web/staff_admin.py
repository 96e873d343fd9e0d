"""Admin pages: contact points and staff accounts (create, disable, reset), the second factor, the audit log."""

from __future__ import annotations

from aiohttp import web

from meetkit.audit_words import action_label, actor_label
from meetkit.domain.errors import MeetkitError
from meetkit.domain.numbers import parse_id
from meetkit.services import accounts, audit, directory
from meetkit.services.accounts import SetupLink
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.staff_session import form_text, render, scope, with_lang

routes = web.RouteTableDef()


async def _accounts_page(
    request: web.Request,
    error: MeetkitError | None = None,
    link: SetupLink | None = None,
    link_login: str | None = None,
) -> web.Response:
    db, who = request.app[DATABASE], scope(request)
    found = await accounts.list_accounts(db, who)
    contact_points = await accounts.visible_contact_points(db, who)
    return render(
        request,
        "accounts.html",
        error=error,
        staff_accounts=found,
        contact_points=contact_points,
        slugs={cp.id: cp.name for cp in contact_points},
        required=await accounts.second_factor_required(db),
        link=link,
        link_login=link_login,
        saved=request.query.get("saved") == "1",
    )


@routes.get("/staff/admin/accounts", name="staff_accounts")
async def accounts_page(request: web.Request) -> web.StreamResponse:
    """Every staff account, a form for a new one, and the second-factor setting."""
    return await _accounts_page(request)


@routes.post("/staff/admin/accounts", name="staff_account_add")
async def add_account(request: web.Request) -> web.StreamResponse:
    """Create an account; its one-time setup link is shown here (or e-mailed)."""
    form = await request.post()
    admin = form_text(form, "role") == "admin"
    slugs = [] if admin else [v for v in form.getall("contact_point", []) if isinstance(v, str)]
    try:
        account, link = await accounts.add_account(
            request.app[DATABASE],
            request.app[SETTINGS],
            scope(request),
            form_text(form, "login"),
            form_text(form, "name") or None,
            admin=admin,
            contact_point_slugs=slugs,
        )
    except MeetkitError as error:
        return await _accounts_page(request, error=error)
    return await _accounts_page(request, link=link, link_login=account.login)


@routes.post("/staff/admin/accounts/{id}/disable", name="staff_account_disable")
async def disable_account(request: web.Request) -> web.StreamResponse:
    """Disable an account: its sessions end at once."""
    db = request.app[DATABASE]
    account = await accounts.find_account(db, scope(request), parse_id(request.match_info["id"], "Zugang"))
    await accounts.disable_account(db, scope(request), account.login)
    raise web.HTTPSeeOther(with_lang(request, "/staff/admin/accounts", saved="1"))


@routes.post("/staff/admin/accounts/{id}/reset", name="staff_account_reset")
async def reset_account(request: web.Request) -> web.StreamResponse:
    """A new setup link: password and second factor go, sessions end at once."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    account = await accounts.find_account(db, scope(request), parse_id(request.match_info["id"], "Zugang"))
    link = await accounts.reset_account(db, settings, scope(request), account.login)
    return await _accounts_page(request, link=link, link_login=account.login)


@routes.post("/staff/admin/settings", name="staff_settings")
async def settings_change(request: web.Request) -> web.StreamResponse:
    """Make the second factor compulsory for everyone, or optional."""
    form = await request.post()
    required = form_text(form, "second_factor_required") == "yes"
    await accounts.set_second_factor_required(request.app[DATABASE], scope(request), required)
    raise web.HTTPSeeOther(with_lang(request, "/staff/admin/accounts", saved="1"))


@routes.get("/staff/admin/audit", name="staff_audit")
async def audit_page(request: web.Request) -> web.StreamResponse:
    """The latest staff actions: who, what, when."""
    entries = await audit.latest(request.app[DATABASE], scope(request))
    return render(request, "audit.html", entries=entries, action_label=action_label, actor_label=actor_label)


@routes.post("/staff/admin/contact-points", name="staff_contact_point_add")
async def add_contact_point(request: web.Request) -> web.StreamResponse:
    """Create a contact point (admins only); a mistake shows on the start page with what was typed."""
    form = await request.post()
    typed = {name: form_text(form, name) for name in ("name", "slug", "phone", "hide_group_names")}
    db, who = request.app[DATABASE], scope(request)
    try:
        await directory.add_contact_point(
            db,
            who,
            typed["name"],
            slug=typed["slug"] or None,
            phone=typed["phone"] or None,
            show_group_names=typed["hide_group_names"] != "yes",
        )
    except MeetkitError as error:
        found = await accounts.visible_contact_points(db, who)
        return render(request, "home.html", error=error, contact_points=found, typed=typed)
    raise web.HTTPSeeOther(with_lang(request, "/staff/"))
