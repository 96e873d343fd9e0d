"""Evaluate config.js expressions: literals, operators, member access and the few method calls it uses."""

from __future__ import annotations

from typing import Any

from meetkit.jitsi.configjs_tokens import Token, TokenCursor, Unsupported
from meetkit.jitsi.configjs_values import MISSING, UNKNOWN, Stop, js_str, member_of, truthy


class ExpressionEvaluator(TokenCursor):
    """Evaluates expressions against the variables declared so far (`scope`)."""

    def __init__(self, tokens: list[Token]) -> None:
        super().__init__(tokens)
        self.scope: dict[str, Any] = {}
        self.quiet = 0  # > 0 while evaluating code that does not (certainly) run: nothing throws there

    def member(self, value: Any, key: str) -> Any:
        try:
            return member_of(value, key)
        except Stop:
            if self.quiet:
                return UNKNOWN
            raise

    def expression(self) -> Any:
        condition = self.logical()
        if self.at("?"):
            self.take()
            first = self.expression()
            self.take(":")
            second = self.expression()
            truth = truthy(condition)
            return UNKNOWN if truth is UNKNOWN else (first if truth else second)
        return condition

    def logical(self) -> Any:
        left = self.equality()
        while self.at("&&", "||"):
            operator = self.take().value
            right = self.equality()
            truth = truthy(left)
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
            return left + js_str(right)
        if operator == "+" and isinstance(right, str) and isinstance(left, int | float):
            return js_str(left) + right
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
            truth = truthy(self.unary())
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
                    raise Unsupported("member name")
                this, value = value, self.member(value, key.value)
                if self.at("("):
                    value = self.call(this, key.value)
            elif self.at("["):
                self.take()
                key_value = self.expression()
                self.take("]")
                index = js_str(key_value) if isinstance(key_value, str | int) else None
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
            raise Unsupported("end of input")
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
        raise Unsupported(f"unexpected {token.value!r}")

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
                    key = js_str(key_token.value)
                elif key_token.value == "[":
                    return self.finish_unknown_object()
                else:
                    raise Unsupported("object key")
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
