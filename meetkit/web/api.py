"""Staff JSON API `/api/v1`: contact points and groups, behind a staff API token."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from meetkit.domain.failure_budget import SecretKind
from meetkit.services import api_tokens, directory
from meetkit.web.bearer import bearer_token
from meetkit.web.jsonbody import bool_field, read_object, text_field
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.lookups import check_budget, count_failure

PREFIX = "/api/v1"
PUBLIC_API_PATHS = frozenset({f"{PREFIX}/openapi.json"})

routes = web.RouteTableDef()


@web.middleware
async def require_staff_token(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Let /api/v1 requests through only with a valid staff token; wrong tokens count as failures."""
    if request.path.startswith(PREFIX + "/") and request.path not in PUBLIC_API_PATHS:
        client = await check_budget(request, SecretKind.API_TOKEN)
        try:
            await api_tokens.check_api_token(request.app[DATABASE], bearer_token(request))
        except Exception:
            await count_failure(request, SecretKind.API_TOKEN, client)
            raise
    return await handler(request)


@routes.get(PREFIX + "/contact-points", name="api_contact_points")
async def list_contact_points(request: web.Request) -> web.Response:
    """List contact points."""
    found = await directory.list_contact_points(request.app[DATABASE])
    return web.json_response({"contact_points": [directory.contact_point_json(cp) for cp in found]})


@routes.post(PREFIX + "/contact-points", name="api_contact_point_add")
async def add_contact_point(request: web.Request) -> web.Response:
    """Create a contact point."""
    body = await read_object(request)
    created = await directory.add_contact_point(
        request.app[DATABASE],
        text_field(body, "name") or "",
        slug=text_field(body, "slug", required=False),
        phone=text_field(body, "phone", required=False),
        show_group_names=bool_field(body, "show_group_names", True),
    )
    return web.json_response(directory.contact_point_json(created), status=201)


@routes.get(PREFIX + "/groups", name="api_groups")
async def list_groups(request: web.Request) -> web.Response:
    """List groups, optionally of one contact point (`?contact_point=SLUG`)."""
    settings = request.app[SETTINGS]
    found = await directory.list_groups(request.app[DATABASE], request.query.get("contact_point"))
    return web.json_response({"groups": [directory.group_json(settings, g) for g in found]})


@routes.post(PREFIX + "/groups", name="api_group_add")
async def add_group(request: web.Request) -> web.Response:
    """Create a group; the answer is the only time its leader link is shown."""
    settings = request.app[SETTINGS]
    body = await read_object(request)
    issued = await directory.add_group(
        request.app[DATABASE],
        settings,
        text_field(body, "name") or "",
        text_field(body, "contact_point", required=False),
    )
    return web.json_response(directory.group_json(settings, issued.group, issued.leader_token), status=201)


@routes.get(PREFIX + "/groups/{id:[0-9]+}", name="api_group")
async def get_group(request: web.Request) -> web.Response:
    """Show one group."""
    group = await directory.find_group(request.app[DATABASE], request.match_info["id"])
    return web.json_response(directory.group_json(request.app[SETTINGS], group))


@routes.post(PREFIX + "/groups/{id:[0-9]+}/rotate", name="api_group_rotate")
async def rotate_group(request: web.Request) -> web.Response:
    """Renew a group's member code, leader token and PIN."""
    settings = request.app[SETTINGS]
    issued = await directory.rotate_group(request.app[DATABASE], settings, request.match_info["id"])
    return web.json_response(directory.group_json(settings, issued.group, issued.leader_token))


_ERROR = {"$ref": "#/components/responses/Error"}
_GROUP = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Group"}}}}

openapi_paths: dict[str, object] = {
    "/contact-points": {
        "get": {"summary": "List contact points", "responses": {"200": {"description": "Contact points"}}},
        "post": {
            "summary": "Create a contact point",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewContactPoint"}}},
            },
            "responses": {"201": {"description": "Created"}, "400": _ERROR, "409": _ERROR},
        },
    },
    "/groups": {
        "get": {
            "summary": "List groups",
            "parameters": [{"name": "contact_point", "in": "query", "schema": {"type": "string"}}],
            "responses": {"200": {"description": "Groups"}, "404": _ERROR},
        },
        "post": {
            "summary": "Create a group (the answer carries the leader_url, shown only once)",
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewGroup"}}},
            },
            "responses": {"201": {"description": "Created", **_GROUP}, "400": _ERROR, "404": _ERROR},
        },
    },
    "/groups/{id}": {
        "get": {
            "summary": "Show a group",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "The group", **_GROUP}, "404": _ERROR},
        }
    },
    "/groups/{id}/rotate": {
        "post": {
            "summary": "Renew member link, leader link and PIN; the old ones stop working at once",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "responses": {
                "200": {"description": "The renewed group with its new leader_url", **_GROUP},
                "404": _ERROR,
            },
        }
    },
}

openapi_schemas: dict[str, object] = {
    "NewContactPoint": {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "maxLength": 300},
            "slug": {"type": "string", "pattern": "^[a-z0-9-]{1,60}$"},
            "phone": {"type": "string"},
            "show_group_names": {"type": "boolean", "default": True},
        },
    },
    "NewGroup": {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string", "maxLength": 300}, "contact_point": {"type": "string"}},
    },
    "Group": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "contact_point_id": {"type": ["integer", "null"]},
            "room": {"type": "string"},
            "member_code": {"type": "string"},
            "member_url": {"type": "string"},
            "leader_url": {"type": "string", "description": "only in answers to create and rotate"},
            "pin": {"type": ["string", "null"], "description": "only when dial-in is configured"},
        },
    },
}
