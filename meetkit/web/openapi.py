"""The OpenAPI document of the staff API, gathered from the feature modules' `openapi_paths`."""

from __future__ import annotations

from types import ModuleType

from aiohttp import web

import meetkit


def document(modules: list[ModuleType]) -> dict[str, object]:
    """Return the OpenAPI 3.1 document for every module that declares `openapi_paths`."""
    paths: dict[str, object] = {}
    schemas: dict[str, object] = {}
    for module in modules:
        paths.update(getattr(module, "openapi_paths", {}))
        schemas.update(getattr(module, "openapi_schemas", {}))
    return {
        "openapi": "3.1.0",
        "info": {"title": "meetkit staff API", "version": meetkit.__version__},
        "servers": [{"url": "/api/v1"}],
        "security": [{"staffToken": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"staffToken": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
            "responses": {
                "Error": {
                    "description": "A message a person understands",
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"error": {"type": "string"}}}
                        }
                    },
                }
            },
        },
    }


def openapi_route(modules: list[ModuleType]) -> web.RouteTableDef:
    """Return the route that serves the document (built once)."""
    routes = web.RouteTableDef()
    body = document(modules)

    @routes.get("/api/v1/openapi.json", name="api_openapi")
    async def openapi(request: web.Request) -> web.Response:
        """Serve the OpenAPI document (no token needed)."""
        return web.json_response(body)

    return routes
