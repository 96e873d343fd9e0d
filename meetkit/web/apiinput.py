"""Reading the staff API's path, query and JSON body through their models; what fails is said in German."""

from __future__ import annotations

import re
import types
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from aiohttp import web
from annotated_types import Ge, Le, MaxLen
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from meetkit.domain.errors import InvalidInput, NotFound
from meetkit.domain.jsontext import parse_json
from meetkit.web.apimodels import Meaning, PathParams, QueryParams, RequestBody
from meetkit.web.bodies import read_request_body
from meetkit.web.jsonbody import MAX_JSON_BYTES

P = TypeVar("P", bound=PathParams)
Q = TypeVar("Q", bound=QueryParams)
B = TypeVar("B", bound=RequestBody)

TOO_LARGE = f"Der Inhalt ist zu groß (höchstens {MAX_JSON_BYTES // 1024} KB)."
NOT_AN_OBJECT = 'Erwartet wird ein JSON-Objekt, z. B. {"name": "..."}.'
_POSITION = re.compile(r"^(?P<what>.*?) at line (?P<line>\d+) column (?P<column>\d+)$")
_KINDS = {"str": "Text", "int": "eine ganze Zahl", "bool": "true oder false"}


def read_path(request: web.Request, model: type[P]) -> P:
    """The URL's variables; an id that cannot be stored (parse_id) or any misfit names nothing: 404."""
    try:
        return model.model_validate(dict(request.match_info))
    except ValidationError:
        raise NotFound("Diese Seite gibt es nicht.") from None


def read_query(request: web.Request, model: type[Q]) -> Q:
    """The query parameters (the first of repeated ones), or InvalidInput; a misspelt one is not ignored."""
    values = {name: request.query[name] for name in request.query}
    try:
        return model.model_validate(values)
    except ValidationError as error:
        raise invalid_input(error, model, "Der Parameter") from None


async def read_body(request: web.Request, model: type[B]) -> B:
    """The JSON body read within its limit, checked by the one safe JSON reader, then validated (no body
    means {}); anything wrong is InvalidInput saying what."""
    raw = await read_request_body(request, MAX_JSON_BYTES)  # bounded, however the body arrives
    parse_json(raw or b"{}")  # the one safe reading: depth, lone surrogates, NaN, huge numbers
    try:
        return model.model_validate_json(raw or b"{}")
    except ValidationError as error:
        raise invalid_input(error, model, "Das Feld") from None


def invalid_input(error: ValidationError, model: type[BaseModel], kind: str) -> InvalidInput:
    """One German sentence for the first thing wrong, naming the field and what it should be."""
    details = error.errors(include_url=False)
    first = details[0]
    if first["type"] == "json_invalid":
        return InvalidInput(f"Der Inhalt ist kein gültiges JSON{_position(first)}.")
    if first["type"] in ("model_type", "model_attributes_type", "dict_type"):
        return InvalidInput(NOT_AN_OBJECT)
    name = str(first["loc"][0])
    metadata = _metadata(model, name)
    meaning = next((m.text for m in metadata if isinstance(m, Meaning)), None)
    field = f"{kind} '{name}'" + (f" ({meaning})" if meaning else "")
    return InvalidInput(f"{field} {_complaint(first, details, metadata, model)}.")


def _complaint(
    first: ErrorDetails, details: list[ErrorDetails], metadata: list[object], model: type[BaseModel]
) -> str:
    kind = first["type"]
    ctx = first.get("ctx", {})
    if kind == "missing":
        return "fehlt"
    if kind == "extra_forbidden":
        return f"gibt es hier nicht (bekannt: {', '.join(model.model_fields)})"
    union_kinds = [_KINDS.get(str(d["loc"][1]), str(d["loc"][1])) for d in details if len(d["loc"]) > 1]
    if len(union_kinds) > 1 and all(d["loc"][0] == first["loc"][0] for d in details):
        return f"muss {' oder '.join(dict.fromkeys(union_kinds))} sein"
    if kind in ("int_type", "int_parsing", "int_from_float", "greater_than_equal", "less_than_equal"):
        low = next((m.ge for m in metadata if isinstance(m, Ge)), None)
        high = next((m.le for m in metadata if isinstance(m, Le)), None)
        if low is not None and high is not None:
            return f"muss eine ganze Zahl von {low} bis {high} sein"
        if kind == "greater_than_equal":
            return f"muss mindestens {ctx.get('ge')} sein"
        if kind == "less_than_equal":
            return f"darf höchstens {ctx.get('le')} sein"
        return "muss eine ganze Zahl sein"
    if kind in ("bool_type", "bool_parsing"):
        return "muss true oder false sein"
    if kind == "string_type":
        return "muss Text sein"
    if kind == "string_too_long":
        longest = next((m.max_length for m in metadata if isinstance(m, MaxLen)), ctx.get("max_length"))
        return f"ist zu lang (höchstens {longest} Zeichen)"
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", " oder ")
        return f"muss einer dieser Werte sein: {expected}"
    if kind == "string_pattern_mismatch":
        return "hat nicht die erwartete Form"
    return "hat keinen gültigen Wert"


def _position(detail: ErrorDetails) -> str:
    """Where the JSON broke, e.g. ' (Zeile 1, Spalte 9)'."""
    match = _POSITION.match(str(detail.get("ctx", {}).get("error", "")))
    return f" (Zeile {match['line']}, Spalte {match['column']})" if match else ""


def _metadata(model: type[BaseModel], name: str) -> list[object]:
    """Constraints and meanings of a field, also those inside `X | None`."""
    info = model.model_fields.get(name)
    if info is None:
        return []
    found: list[object] = list(info.metadata)
    pending: list[Any] = [info.annotation]
    while pending:
        annotation = pending.pop()
        origin = get_origin(annotation)
        if origin is Annotated:
            base, *extras = get_args(annotation)
            for extra in extras:
                found.extend(extra.metadata if isinstance(extra, FieldInfo) else [extra])
            pending.append(base)
        elif origin in (Union, types.UnionType):
            pending.extend(get_args(annotation))
    return found
