"""Staff API routes whose handlers declare their inputs and answer as models, and so document themselves.

A handler takes the request plus any of `path`, `query` and `body`, annotated with a model from
web/apimodels.py, and returns an `Answer` model (or a plain web.Response for CSV and PDF). The wrapper
validates the inputs before the handler runs and serialises exactly the declared answer; web/openapi.py
writes the OpenAPI document from the same declarations.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Union, get_args, get_origin, get_type_hints

from aiohttp import web

from meetkit.domain.scope import Scope
from meetkit.web.apiinput import read_body, read_path, read_query
from meetkit.web.apimodels import Answer, PathParams, QueryParams, RequestBody
from meetkit.web.keys import API_SCOPE

PREFIX = "/api/v1"

ApiHandler = Callable[..., Awaitable[Answer | web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class Operation:
    """One documented API operation: where it lives, what it reads, what it answers."""

    method: str
    path: str  # below PREFIX, as in the document: "/groups/{id}"
    name: str
    summary: str
    description: str | None
    path_model: type[PathParams] | None
    query_model: type[QueryParams] | None
    body_model: type[RequestBody] | None
    body_required: bool
    answer_model: type[Answer] | None
    status: int
    errors: tuple[int, ...]
    other_content: Mapping[str, Mapping[str, object]] = field(default_factory=dict)


class ApiRoutes:
    """Adds staff API routes to a feature module's route table and remembers them as operations."""

    def __init__(self, routes: web.RouteTableDef) -> None:
        self.routes = routes
        self.operations: list[Operation] = []

    def get(self, path: str, **options: Any) -> Callable[[ApiHandler], ApiHandler]:
        """Register a GET operation (see `route` for the options)."""
        return self.route("GET", path, **options)

    def post(self, path: str, **options: Any) -> Callable[[ApiHandler], ApiHandler]:
        """Register a POST operation."""
        return self.route("POST", path, **options)

    def put(self, path: str, **options: Any) -> Callable[[ApiHandler], ApiHandler]:
        """Register a PUT operation."""
        return self.route("PUT", path, **options)

    def delete(self, path: str, **options: Any) -> Callable[[ApiHandler], ApiHandler]:
        """Register a DELETE operation."""
        return self.route("DELETE", path, **options)

    def route(
        self,
        method: str,
        path: str,
        *,
        name: str,
        status: int = 200,
        errors: tuple[int, ...] = (),
        description: str | None = None,
        body_required: bool = True,
        other_content: Mapping[str, Mapping[str, object]] | None = None,
    ) -> Callable[[ApiHandler], ApiHandler]:
        """Register `handler` at PREFIX + path; its docstring is the summary, its annotations the models."""

        def register(handler: ApiHandler) -> ApiHandler:
            hints = get_type_hints(handler)
            operation = Operation(
                method=method,
                path=path,
                name=name,
                summary=inspect.cleandoc(handler.__doc__ or name),
                description=description,
                path_model=hints.get("path"),
                query_model=hints.get("query"),
                body_model=hints.get("body"),
                body_required=body_required,
                answer_model=_answer_model(hints["return"]),
                status=status,
                errors=errors,
                other_content=other_content or {},
            )
            self.operations.append(operation)
            self.routes.route(method, PREFIX + path, name=name)(_validating(operation, handler))
            return handler

        return register


def _answer_model(annotation: Any) -> type[Answer] | None:
    """The Answer model among a return annotation (`Group`, `Report | web.Response`), if any."""
    candidates = get_args(annotation) if get_origin(annotation) in (Union, types.UnionType) else (annotation,)
    models = [c for c in candidates if isinstance(c, type) and issubclass(c, Answer)]
    return models[0] if models else None


def _validating(
    operation: Operation, handler: ApiHandler
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The aiohttp handler: inputs through their models (path, then query, then body), the answer through its."""

    async def handle(request: web.Request) -> web.StreamResponse:
        inputs: dict[str, Any] = {}
        if operation.path_model is not None:
            inputs["path"] = read_path(request, operation.path_model)
        if operation.query_model is not None:
            inputs["query"] = read_query(request, operation.query_model)
        if operation.body_model is not None:
            inputs["body"] = await read_body(request, operation.body_model)
        result = await handler(request, **inputs)
        if isinstance(result, web.StreamResponse):
            return result
        if operation.answer_model is None or not isinstance(result, operation.answer_model):
            raise TypeError(f"{operation.name} answered {type(result).__name__}, not its documented model")
        return answer(result, operation.status)

    handle.__doc__ = handler.__doc__
    return handle


def api_scope(request: web.Request) -> Scope:
    """What the request's staff API token may see and change (set by web/api.py's token middleware)."""
    return request[API_SCOPE]


def answer(model: Answer, status: int = 200) -> web.Response:
    """Serialise an answer model: exactly its fields, those a JSON shape leaves out stay out."""
    return web.Response(
        text=model.model_dump_json(exclude_unset=True), status=status, content_type="application/json"
    )
