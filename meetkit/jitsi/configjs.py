"""Read the settings out of a served Jitsi `config.js` without running JavaScript.

Jitsi's config.js is a script: docker-jitsi-meet generates `var config = {};` followed by statements like
`if (!config.hasOwnProperty('p2p')) config.p2p = {};` and `config.p2p.enabled = false;`, then appends
custom-config.js; the Debian package serves one big object literal. This module evaluates the small part
of JavaScript such files use (declarations, assignments, `if`, literals, `+`, `!`, `&&`, `||`, `?:`,
member access and `hasOwnProperty`) so that the last assignment wins, as in a browser. Whatever it cannot
evaluate becomes UNKNOWN instead of a guess; an assignment that would throw in a browser (into an
undefined object) stops the evaluation there, as it would stop the browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["MISSING", "UNKNOWN", "ConfigJs", "lookup", "read_config"]


class _Marker:
    """A value the reader could not determine (UNKNOWN) or a key that is not set (MISSING)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


UNKNOWN: Any = _Marker("UNKNOWN")
MISSING: Any = _Marker("MISSING")

_TOKEN = re.compile(
    r"""
    (?P<space>[ \t\r\f\v\ufeff]+|\n)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<str>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<tmpl>`(?:[^`\\]|\\.)*`)
  | (?P<num>(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?))
  | (?P<name>[A-Za-z_$][\w$]*)
  | (?P<op>===|!==|==|!=|&&|\|\||=>|\.\.\.|\+=|-=|<=|>=|[{}\[\]().,;:=!+\-*/?<>&|%~^])
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    value: Any
    line: int


@dataclass(frozen=True, slots=True)
class ConfigJs:
    """The evaluated `config` object (None if the script declares none) and where evaluation stopped."""

    config: dict[str, Any] | None
    error: str | None = None


class _Stop(Exception):
    """The script would throw here in a browser."""


class _Syntax(Exception):
    """A construct this reader does not evaluate; the statement is skipped."""


def _unescape(body: str) -> str:
    def replace(match: re.Match[str]) -> str:
        char = match.group(1)
        if char in _ESCAPES:
            return _ESCAPES[char]
        if len(char) > 1:  # \uXXXX or \xXX
            return chr(int(char[1:], 16))
        return char

    return re.sub(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", replace, body, flags=re.DOTALL)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    line, pos = 1, 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:  # a character this reader does not know: the statement around it is skipped
            tokens.append(_Token("op", text[pos], line))
            pos += 1
            continue
        kind, value = match.lastgroup or "", match.group(0)
        if kind == "str":
            tokens.append(_Token("str", _unescape(value[1:-1]), line))
        elif kind == "tmpl":
            body = value[1:-1]
            tokens.append(
                _Token("str", _unescape(body), line) if "${" not in body else _Token("unknown", 0, line)
            )
        elif kind == "num":
            number = float(int(value, 16)) if value[:2].lower() == "0x" else float(value)
            tokens.append(_Token("num", int(number) if number.is_integer() else number, line))
        elif kind in ("name", "op"):
            tokens.append(_Token(kind, value, line))
        line += value.count("\n")
        pos = match.end()
    return tokens


def _truthy(value: Any) -> Any:
    if value is UNKNOWN:
        return UNKNOWN
    if value is MISSING or value is None:
        return False
    if isinstance(value, dict | list):
        return True
    return bool(value)


class _Evaluator:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.scope: dict[str, Any] = {}
        self.quiet = 0  # > 0 while evaluating code that does not (certainly) run: nothing throws there

    # --- tokens ---

    def peek(self, offset: int = 0) -> _Token | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def at(self, *values: str) -> bool:
        token = self.peek()
        return token is not None and token.kind in ("op", "name") and token.value in values

    def take(self, value: str | None = None) -> _Token:
        token = self.peek()
        if token is None or (
            value is not None and (token.kind not in ("op", "name") or token.value != value)
        ):
            raise _Syntax(f"expected {value!r}")
        self.pos += 1
        return token

    def skip_statement(self) -> None:
        """Skip to the end of the current statement (a `;` or a closed block at depth 0)."""
        depth = 0
        while (token := self.peek()) is not None:
            self.pos += 1
            if token.kind != "op":
                continue
            if token.value in "([{":
                depth += 1
            elif token.value in ")]}":
                depth -= 1
                if depth < 0:
                    self.pos -= 1
                    return
                if depth == 0 and token.value == "}" and not self.at(".", "(", "[", ")", ","):
                    return
            elif token.value == ";" and depth == 0:
                return

    def skip_balanced(self) -> None:
        """Skip one bracketed group starting at the current token."""
        depth = 0
        while (token := self.peek()) is not None:
            self.pos += 1
            if token.kind == "op" and token.value in "([{":
                depth += 1
            elif token.kind == "op" and token.value in ")]}":
                depth -= 1
                if depth == 0:
                    return

    # --- statements ---

    def run(self) -> str | None:
        while self.peek() is not None:
            try:
                self.statement(active=True)
            except _Stop as stop:
                return str(stop)
        return None

    def statement(self, active: Any) -> None:
        """Evaluate one statement; `active` False skips it, UNKNOWN taints what it assigns."""
        start = self.pos
        if active is not True:
            self.quiet += 1
        try:
            if self.at(";"):
                self.take()
            elif self.at("{"):
                self.take()
                while not self.at("}"):
                    if self.peek() is None:
                        raise _Syntax("unclosed block")
                    self.statement(active)
                self.take("}")
            elif self.at("if"):
                self.if_statement(active)
            elif self.at("var", "let", "const"):
                self.declaration(active)
            elif self.at("function"):
                self.take()
                while not self.at("{"):
                    self.take()
                self.skip_balanced()
            else:
                self.expression_statement(active)
        except _Syntax:
            self.pos = start
            self.skip_statement()
            if self.pos == start:
                self.pos += 1
        finally:
            if active is not True:
                self.quiet -= 1

    def end_statement(self) -> None:
        if self.at(";"):
            self.take()

    def if_statement(self, active: Any) -> None:
        self.take("if")
        self.take("(")
        if active is not True:
            self.quiet += 1
        try:
            condition = _truthy(self.expression())
        finally:
            if active is not True:
                self.quiet -= 1
        self.take(")")
        if active is False:
            then_active: Any = False
            else_active: Any = False
        elif condition is UNKNOWN or active is UNKNOWN:
            then_active = else_active = UNKNOWN
        else:
            then_active, else_active = condition, not condition
        self.statement(then_active)
        if self.at("else"):
            self.take()
            self.statement(else_active)

    def declaration(self, active: Any) -> None:
        self.take()
        while True:
            name = self.take()
            if name.kind != "name":
                raise _Syntax("destructuring")
            value = self.expression() if self.at("=") and self.take("=") else MISSING
            if active is not False:
                self.scope[name.value] = value if active is True else UNKNOWN
            if not self.at(","):
                break
            self.take()
        self.end_statement()

    def expression_statement(self, active: Any) -> None:
        start = self.pos
        target = self.reference()
        if target is not None and self.at("=", "+=", "-="):
            operator = self.take().value
            value = self.expression()
            if operator != "=":
                current = self.resolve(target)
                value = self.binary(operator[0], current, value)
            if active is not False:
                self.assign(target, value if active is True else UNKNOWN, strict=active is True)
        else:
            self.pos = start
            self.expression()  # calls and other expressions: evaluated for syntax, effects ignored
        self.end_statement()

    # --- references and assignment ---

    def reference(self) -> list[str] | None:
        """Parse `name(.key|[ 'key' ])*` if that is what follows, else None (position unchanged)."""
        start = self.pos
        token = self.peek()
        if token is None or token.kind != "name":
            return None
        self.pos += 1
        path = [token.value]
        while True:
            if self.at(".") and (after := self.peek(1)) is not None and after.kind == "name":
                self.pos += 2
                path.append(after.value)
            elif self.at("[") and (key := self.peek(1)) is not None and key.kind in ("str", "num"):
                closing = self.peek(2)
                if closing is None or closing.value != "]":
                    break
                self.pos += 3
                path.append(str(key.value))
            else:
                break
        if self.at("(", "[", "."):
            self.pos = start
            return None
        return path

    def resolve(self, path: list[str]) -> Any:
        value = self.scope.get(path[0], MISSING)
        for key in path[1:]:
            value = self.member(value, key)
        return value

    def member(self, value: Any, key: str) -> Any:
        try:
            return _member(value, key)
        except _Stop:
            if self.quiet:
                return UNKNOWN
            raise

    def assign(self, path: list[str], value: Any, strict: bool) -> None:
        if len(path) == 1:
            self.scope[path[0]] = value
            return
        parent = self.resolve(path[:-1])
        if isinstance(parent, dict):
            parent[path[-1]] = value
        elif strict and parent is not UNKNOWN:
            raise _Stop(f"{'.'.join(path[:-1])} is not an object where {'.'.join(path)} is assigned")

    # --- expressions ---

    def expression(self) -> Any:
        condition = self.logical()
        if self.at("?"):
            self.take()
            first = self.expression()
            self.take(":")
            second = self.expression()
            truth = _truthy(condition)
            return UNKNOWN if truth is UNKNOWN else (first if truth else second)
        return condition

    def logical(self) -> Any:
        left = self.equality()
        while self.at("&&", "||"):
            operator = self.take().value
            right = self.equality()
            truth = _truthy(left)
            if truth is UNKNOWN:
                left = UNKNOWN
            elif operator == "&&":
                left = right if truth else left
            else:
                left = left if truth else right
        return left

    def equality(self) -> Any:
        left = self.additive()
        while self.at("===", "!==", "==", "!="):
            operator = self.take().value
            right = self.additive()
            if UNKNOWN in (left, right) or isinstance(left, dict | list) or isinstance(right, dict | list):
                left = UNKNOWN
            else:
                same = (None if left is MISSING else left) == (None if right is MISSING else right)
                left = same if operator in ("===", "==") else not same
        return left

    def additive(self) -> Any:
        left = self.unary()
        while self.at("+", "-", "*", "/", "%", "<", ">", "<=", ">="):
            operator = self.take().value
            left = self.binary(operator, left, self.unary())
        return left

    def binary(self, operator: str, left: Any, right: Any) -> Any:
        if operator == "+" and isinstance(left, str) and isinstance(right, str | int | float):
            return left + _js_str(right)
        if operator == "+" and isinstance(right, str) and isinstance(left, int | float):
            return _js_str(left) + right
        numbers = (int, float)
        both = isinstance(left, numbers) and isinstance(right, numbers)
        if both and not isinstance(left, bool) and not isinstance(right, bool):
            if operator == "+":
                return left + right
            if operator == "-":
                return left - right
        return UNKNOWN

    def unary(self) -> Any:
        if self.at("!"):
            self.take()
            truth = _truthy(self.unary())
            return UNKNOWN if truth is UNKNOWN else not truth
        if self.at("-"):
            self.take()
            value = self.unary()
            return -value if isinstance(value, int | float) and not isinstance(value, bool) else UNKNOWN
        if self.at("typeof", "new", "void", "+"):
            self.take()
            self.unary()
            return UNKNOWN
        return self.postfix()

    def postfix(self) -> Any:
        value, this = self.primary(), None
        while True:
            if self.at("."):
                self.take()
                key = self.take()
                if key.kind != "name":
                    raise _Syntax("member name")
                this, value = value, self.member(value, key.value)
                if self.at("("):
                    value = self.call(this, key.value)
            elif self.at("["):
                self.take()
                key_value = self.expression()
                self.take("]")
                index = _js_str(key_value) if isinstance(key_value, str | int) else None
                this, value = value, (UNKNOWN if index is None else self.member(value, index))
            elif self.at("("):
                self.skip_balanced()
                value = UNKNOWN
            else:
                return value

    def call(self, this: Any, method: str) -> Any:
        self.take("(")
        args = []
        while not self.at(")"):
            args.append(self.expression())
            if not self.at(")"):
                self.take(",")
        self.take(")")
        if method == "hasOwnProperty" and len(args) == 1 and isinstance(args[0], str):
            return UNKNOWN if this is UNKNOWN or not isinstance(this, dict) else args[0] in this
        if isinstance(this, str) and len(args) == 1 and isinstance(args[0], str):
            if method == "startsWith":
                return this.startswith(args[0])
            if method == "endsWith":
                return this.endswith(args[0])
            if method == "includes":
                return args[0] in this
        if isinstance(this, str) and not args and method in ("toLowerCase", "toUpperCase", "trim"):
            return {"toLowerCase": this.lower, "toUpperCase": this.upper, "trim": this.strip}[method]()
        return UNKNOWN

    def primary(self) -> Any:
        token = self.peek()
        if token is None:
            raise _Syntax("end of input")
        if token.kind in ("str", "num"):
            self.pos += 1
            return token.value
        if token.kind == "unknown":
            self.pos += 1
            return UNKNOWN
        if token.kind == "name":
            self.pos += 1
            constants = {"true": True, "false": False, "null": None, "undefined": MISSING}
            if token.value in constants:
                return constants[token.value]
            if token.value == "function":
                while not self.at("{"):
                    self.take()
                self.skip_balanced()
                return UNKNOWN
            if self.at("=>"):
                self.take()
                self.arrow_body()
                return UNKNOWN
            return self.scope.get(token.value, UNKNOWN)
        if token.value == "(":
            start = self.pos
            self.skip_balanced()
            if self.at("=>"):
                self.take()
                self.arrow_body()
                return UNKNOWN
            self.pos = start + 1
            value = self.expression()
            self.take(")")
            return value
        if token.value == "{":
            return self.object_literal()
        if token.value == "[":
            return self.array_literal()
        raise _Syntax(f"unexpected {token.value!r}")

    def arrow_body(self) -> None:
        if self.at("{"):
            self.skip_balanced()
        else:
            self.expression()

    def object_literal(self) -> Any:
        self.take("{")
        result: dict[str, Any] = {}
        while not self.at("}"):
            if self.at("..."):
                self.take()
                spread = self.expression()
                if not isinstance(spread, dict):
                    return self.finish_unknown_object()
                result.update(spread)
            else:
                key_token = self.take()
                if key_token.kind in ("str", "num", "name"):
                    key = _js_str(key_token.value)
                elif key_token.value == "[":
                    return self.finish_unknown_object()
                else:
                    raise _Syntax("object key")
                if self.at(":"):
                    self.take()
                    result[key] = self.expression()
                elif self.at("("):  # method shorthand
                    self.skip_balanced()
                    self.skip_balanced()
                    result[key] = UNKNOWN
                else:
                    result[key] = self.scope.get(key, UNKNOWN)
            if not self.at("}"):
                self.take(",")
        self.take("}")
        return result

    def finish_unknown_object(self) -> Any:
        depth = 1
        while depth and (token := self.peek()) is not None:
            self.pos += 1
            if token.kind == "op" and token.value in "([{":
                depth += 1
            elif token.kind == "op" and token.value in ")]}":
                depth -= 1
        return UNKNOWN

    def array_literal(self) -> Any:
        self.take("[")
        result: list[Any] = []
        while not self.at("]"):
            result.append(self.expression())
            if not self.at("]"):
                self.take(",")
        self.take("]")
        return result


def _member(value: Any, key: str) -> Any:
    if value is UNKNOWN:
        return UNKNOWN
    if isinstance(value, dict):
        return value.get(key, MISSING)
    if isinstance(value, str | list) and key == "length":
        return len(value)
    if value is MISSING or value is None:
        raise _Stop(f"reading '{key}' of undefined")
    return MISSING


def _js_str(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_config(text: str) -> ConfigJs:
    """Evaluate config.js text and return its `config` object (None when it declares none)."""
    evaluator = _Evaluator(_tokenize(text))
    try:
        error = evaluator.run()
    except RecursionError:  # absurdly deep nesting: keep what was read before it
        error = None
    config = evaluator.scope.get("config")
    return ConfigJs(config if isinstance(config, dict) else None, error)


def lookup(config: dict[str, Any], path: str) -> Any:
    """Return the value at a dotted path, MISSING if a key is absent, UNKNOWN if not determinable."""
    value: Any = config
    for key in path.split("."):
        if value is UNKNOWN:
            return UNKNOWN
        if not isinstance(value, dict):
            return MISSING
        value = value.get(key, MISSING)
    return value
