"""The OpenAPI 3.1 document of the staff API, generated from the feature modules' operations and models."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

from aiohttp import web
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

import meetkit
from meetkit.web.apiroutes import PREFIX, ApiRoutes, Operation

REF = "#/components/schemas/{model}"
ERROR = {"$ref": "#/components/responses/Error"}
ALWAYS = (401, 429)  # every operation needs a staff token, and failed tokens are limited per visitor


class _WithoutFieldTitles(GenerateJsonSchema):
    """JSON Schema without the "Title Case" copy of every field name."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        """Never: the property name says it."""
        return False


def operations(modules: list[ModuleType]) -> list[Operation]:
    """Every staff API operation of the feature modules, in their order."""
    found: list[Operation] = []
    for module in modules:
        api_routes = getattr(module, "api_routes", None)
        if isinstance(api_routes, ApiRoutes):
            found.extend(api_routes.operations)
    return found


def document(modules: list[ModuleType]) -> dict[str, object]:
    """Return the OpenAPI 3.1 document for every operation of `modules`."""
    listed = operations(modules)
    paths: dict[str, dict[str, object]] = {}
    for operation in listed:
        paths.setdefault(operation.path, {})[operation.method.lower()] = _operation(operation)
    return {
        "openapi": "3.1.0",
        "info": {"title": "meetkit staff API", "version": meetkit.__version__},
        "servers": [{"url": PREFIX}],
        "security": [{"staffToken": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"staffToken": {"type": "http", "scheme": "bearer"}},
            "schemas": _schemas(listed),
            "responses": {
                "Error": {
                    "description": "A message a person understands (German)",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["error"],
                                "properties": {"error": {"type": "string"}},
                                "additionalProperties": False,
                            }
                        }
                    },
                }
            },
        },
    }


def _schemas(listed: list[Operation]) -> dict[str, object]:
    """Request bodies as validated and answers as serialised, all under components/schemas."""
    bodies = {op.body_model for op in listed if op.body_model is not None}
    answers = {op.answer_model for op in listed if op.answer_model is not None}
    models: list[tuple[type[BaseModel], Any]] = [
        *((m, "validation") for m in sorted(bodies, key=lambda m: m.__name__)),
        *((m, "serialization") for m in sorted(answers, key=lambda m: m.__name__)),
    ]
    _, top = models_json_schema(models, ref_template=REF, schema_generator=_WithoutFieldTitles)
    schemas: dict[str, object] = top.get("$defs", {})
    return schemas


def _operation(operation: Operation) -> dict[str, object]:
    described: dict[str, object] = {"operationId": operation.name, "summary": operation.summary}
    if operation.description:
        described["description"] = operation.description
    parameters = [
        *_parameters(operation.path_model, "path"),
        *_parameters(operation.query_model, "query"),
    ]
    if parameters:
        described["parameters"] = parameters
    if operation.body_model is not None:
        described["requestBody"] = {
            "required": operation.body_required,
            "content": {"application/json": {"schema": {"$ref": _ref(operation.body_model)}}},
        }
    content: dict[str, object] = {}
    if operation.answer_model is not None:
        content["application/json"] = {"schema": {"$ref": _ref(operation.answer_model)}}
    content.update(operation.other_content)
    success = operation.answer_model.__doc__ if operation.answer_model else operation.summary
    responses: dict[str, object] = {
        str(operation.status): {"description": (success or "OK").splitlines()[0], "content": content}
    }
    for status in _error_statuses(operation):
        responses[str(status)] = ERROR
    described["responses"] = responses
    return described


def _error_statuses(operation: Operation) -> list[int]:
    """The errors an operation can answer: bad query or body 400, unknown path 404, plus its own."""
    statuses = set(ALWAYS) | set(operation.errors)
    if operation.query_model is not None or operation.body_model is not None:
        statuses.add(400)
    if operation.path_model is not None:
        statuses.add(404)
    return sorted(statuses)


def _parameters(model: type[BaseModel] | None, where: str) -> list[dict[str, object]]:
    """Path or query parameters, one per model field; query values are never null."""
    if model is None:
        return []
    schema = model.model_json_schema(ref_template=REF, schema_generator=_WithoutFieldTitles)
    required = set(schema.get("required", []))
    parameters: list[dict[str, object]] = []
    for name, field_schema in schema.get("properties", {}).items():
        value = _not_null(field_schema)
        parameter: dict[str, object] = {
            "name": name,
            "in": where,
            "required": where == "path" or name in required,
        }
        if "description" in value:
            parameter["description"] = value.pop("description")
        parameter["schema"] = value
        parameters.append(parameter)
    return parameters


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`X | None` as just X (a query parameter is absent, never null)."""
    options = schema.get("anyOf")
    if not options:
        return dict(schema)
    kept = [option for option in options if option != {"type": "null"}]
    rest = {key: value for key, value in schema.items() if key != "anyOf"}
    if rest.get("default", "") is None:
        del rest["default"]
    return {**kept[0], **rest} if len(kept) == 1 else {"anyOf": kept, **rest}


def _ref(model: type[BaseModel]) -> str:
    return REF.format(model=model.__name__)


def openapi_route(modules: list[ModuleType]) -> web.RouteTableDef:
    """Return the route that serves the document (built once)."""
    routes = web.RouteTableDef()
    body = json.dumps(document(modules))

    @routes.get(PREFIX + "/openapi.json", name="api_openapi")
    async def openapi(request: web.Request) -> web.Response:
        """Serve the OpenAPI document (no token needed)."""
        return web.Response(text=body, content_type="application/json")

    return routes
