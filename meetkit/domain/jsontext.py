"""JSON from outside (requests, webhooks, Prosody): parsed only when it is plain, shallow and finite.

Python's json module accepts what later breaks: nesting deep enough for a RecursionError, `NaN`,
`Infinity` and numbers like `1e400` (infinite floats, not JSON), integers of thousands of digits, and
escapes of lone surrogates (`"\\ud800"`) that no UTF-8 encoder accepts. parse_json() refuses all of them
with a message a person understands.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from meetkit.domain.errors import InvalidInput
from meetkit.domain.numbers import MAX_ID

MAX_DEPTH = 32  # arrays and objects inside each other; meetkit's own formats need 4
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")  # only escapes can smuggle in a lone surrogate


class InvalidJson(InvalidInput):
    """A body that is not plain JSON; the message says why, without repeating the body."""


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise InvalidJson("Der Inhalt enthält eine zu große Zahl; erlaubt ist nur eine endliche Zahl.")
    return value


def _bounded_int(text: str) -> int:
    if len(text) > 20 or abs(int(text)) > MAX_ID:
        raise InvalidJson("Der Inhalt enthält eine ganze Zahl, die zu groß ist.")
    return int(text)


def _no_constant(name: str) -> Any:
    raise InvalidJson(f"Der Inhalt enthält {name}; erlaubt ist nur eine endliche Zahl.")


def parse_json(raw: bytes) -> Any:
    """Return the value of a JSON document, or raise InvalidJson saying what is wrong with it."""
    try:
        value = json.loads(
            raw, parse_float=_finite_float, parse_int=_bounded_int, parse_constant=_no_constant
        )
    except RecursionError:
        raise _too_deep() from None
    except UnicodeDecodeError:
        raise InvalidJson("Der Inhalt ist kein gültiges JSON (nicht in UTF-8 kodiert).") from None
    except json.JSONDecodeError as error:
        raise InvalidJson(f"Der Inhalt ist kein gültiges JSON: {error}.") from None
    _check_shape(value, check_text=_SURROGATE_ESCAPE.search(raw) is not None)
    return value


def _too_deep() -> InvalidJson:
    return InvalidJson(f"Der Inhalt ist zu tief verschachtelt (höchstens {MAX_DEPTH} Ebenen).")


def _check_shape(value: Any, *, check_text: bool) -> None:
    """Raise InvalidJson for nesting deeper than MAX_DEPTH or (with check_text) a lone surrogate."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict):
            if depth >= MAX_DEPTH:
                raise _too_deep()
            for key, child in item.items():
                if check_text:
                    _check_text(key)
                pending.append((child, depth + 1))
        elif isinstance(item, list):
            if depth >= MAX_DEPTH:
                raise _too_deep()
            pending.extend((child, depth + 1) for child in item)
        elif check_text and isinstance(item, str):
            _check_text(item)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidJson(
            "Der Inhalt enthält ein ungültiges Zeichen (eine einzelne UTF-16-Hälfte wie \\ud800)."
        ) from None
