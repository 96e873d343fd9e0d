"""Admin page for staff API tokens: the list with each token's scope, a new token (shown once), revoking."""

from __future__ import annotations

from aiohttp import web

from meetkit.domain.accounts import N_
from meetkit.domain.errors import InvalidInput
from meetkit.domain.numbers import parse_id
from meetkit.services import accounts, api_tokens
from meetkit.web.keys import DATABASE
from meetkit.web.staff_session import form_text, render, scope, with_lang

routes = web.RouteTableDef()

NOTICES = {"revoked": N_("Das API-Token ist widerrufen. Es öffnet nichts mehr.")}


async def _tokens_page(
    request: web.Request,
    *,
    error: InvalidInput | None = None,
    field: str | None = None,
    entered: dict[str, object] | None = None,
    new_token: str | None = None,
) -> web.Response:
    db, who = request.app[DATABASE], scope(request)
    found = await api_tokens.list_api_tokens(db, who)
    points = await accounts.visible_contact_points(db, who)
    return render(
        request,
        "api_tokens.html",
        error=error,
        field=field,
        tokens=found,
        contact_points=points,
        names={cp.id: cp.name for cp in points},
        entered=entered or {"role": "contact_points", "contact_points": []},
        new_token=new_token,
        notice=NOTICES.get(request.query.get("done", "")),
    )


@routes.get("/staff/admin/tokens", name="staff_api_tokens")
async def tokens_page(request: web.Request) -> web.StreamResponse:
    """Every API token with its scope, and a form for a new one."""
    scope(request).require_admin()
    return await _tokens_page(request)


@routes.post("/staff/admin/tokens", name="staff_api_token_add")
async def add_token(request: web.Request) -> web.StreamResponse:
    """Create a token for everything (admin) or for chosen contact points; it is shown this once."""
    scope(request).require_admin()
    form = await request.post()
    admin = form_text(form, "role") == "admin"
    slugs = [v for v in form.getall("contact_point", []) if isinstance(v, str)]
    name = form_text(form, "name")
    entered: dict[str, object] = {
        "name": name,
        "role": "admin" if admin else "contact_points",
        "contact_points": slugs,
    }
    try:
        _, token = await api_tokens.create_api_token(
            request.app[DATABASE], scope(request), name, None if admin else tuple(slugs)
        )
    except InvalidInput as error:
        field = "contact_point" if name.strip() and not admin else "name"
        return await _tokens_page(request, error=error, field=field, entered=entered)
    return await _tokens_page(request, new_token=token)


@routes.post("/staff/admin/tokens/{id}/revoke", name="staff_api_token_revoke")
async def revoke_token(request: web.Request) -> web.StreamResponse:
    """Revoke a token: requests with it are refused at once."""
    token_id = parse_id(request.match_info["id"], "API-Token")
    await api_tokens.revoke_api_token(request.app[DATABASE], scope(request), token_id)
    raise web.HTTPSeeOther(with_lang(request, "/staff/admin/tokens", done="revoked"))
