"""Staff JSON API `/api/v1`: contact points and groups, behind a staff API token."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from meetkit.domain.failure_budget import SecretKind
from meetkit.services import api_tokens, directory
from meetkit.web.apimodels import (
    ContactPoint,
    ContactPointList,
    Group,
    GroupList,
    GroupPath,
    GroupsQuery,
    IssuedGroup,
    NewContactPoint,
    NewGroup,
)
from meetkit.web.apiroutes import PREFIX, ApiRoutes, api_scope
from meetkit.web.bearer import bearer_token
from meetkit.web.keys import API_SCOPE, DATABASE, SETTINGS
from meetkit.web.lookups import check_budget, count_failure

PUBLIC_API_PATHS = frozenset({f"{PREFIX}/openapi.json"})

routes = web.RouteTableDef()
api_routes = ApiRoutes(routes)


@web.middleware
async def require_staff_token(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Let /api/v1 requests through only with a valid staff token; wrong tokens count as failures."""
    if request.path.startswith(PREFIX + "/") and request.path not in PUBLIC_API_PATHS:
        client = await check_budget(request, SecretKind.API_TOKEN)
        try:
            scope = await api_tokens.scope_for_api_token(request.app[DATABASE], bearer_token(request))
        except Exception:
            await count_failure(request, SecretKind.API_TOKEN, client)
            raise
        request[API_SCOPE] = scope
    return await handler(request)


@api_routes.get("/contact-points", name="api_contact_points")
async def list_contact_points(request: web.Request) -> ContactPointList:
    """List contact points."""
    found = await directory.list_contact_points(request.app[DATABASE], api_scope(request))
    return ContactPointList.model_validate(
        {"contact_points": [directory.contact_point_json(c) for c in found]}
    )


@api_routes.post("/contact-points", name="api_contact_point_add", status=201, errors=(409,))
async def add_contact_point(request: web.Request, body: NewContactPoint) -> ContactPoint:
    """Create a contact point."""
    created = await directory.add_contact_point(
        request.app[DATABASE],
        api_scope(request),
        body.name,
        slug=body.slug,
        phone=body.phone,
        show_group_names=body.show_group_names,
    )
    return ContactPoint.model_validate(directory.contact_point_json(created))


@api_routes.get("/groups", name="api_groups", errors=(404,))
async def list_groups(request: web.Request, query: GroupsQuery) -> GroupList:
    """List groups, optionally of one contact point."""
    settings = request.app[SETTINGS]
    found = await directory.list_groups(request.app[DATABASE], api_scope(request), query.contact_point)
    return GroupList.model_validate({"groups": [directory.group_json(settings, g) for g in found]})


@api_routes.post("/groups", name="api_group_add", status=201, errors=(404,))
async def add_group(request: web.Request, body: NewGroup) -> IssuedGroup:
    """Create a group (the answer carries the leader_url, shown only once)."""
    settings = request.app[SETTINGS]
    issued = await directory.add_group(
        request.app[DATABASE], settings, api_scope(request), body.name, body.contact_point
    )
    return IssuedGroup.model_validate(directory.group_json(settings, issued.group, issued.leader_token))


@api_routes.get("/groups/{id}", name="api_group")
async def get_group(request: web.Request, path: GroupPath) -> Group:
    """Show a group."""
    group = await directory.find_group(request.app[DATABASE], api_scope(request), path.id)
    return Group.model_validate(directory.group_json(request.app[SETTINGS], group))


@api_routes.post("/groups/{id}/rotate", name="api_group_rotate")
async def rotate_group(request: web.Request, path: GroupPath) -> IssuedGroup:
    """Renew member link, leader link and PIN; the old ones stop working at once."""
    settings = request.app[SETTINGS]
    issued = await directory.rotate_group(request.app[DATABASE], settings, api_scope(request), path.id)
    return IssuedGroup.model_validate(directory.group_json(settings, issued.group, issued.leader_token))
