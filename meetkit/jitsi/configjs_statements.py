"""Evaluate config.js statements: declarations, assignments, blocks and `if`, the last assignment winning."""

from __future__ import annotations

from typing import Any

from meetkit.jitsi.configjs_expressions import ExpressionEvaluator
from meetkit.jitsi.configjs_tokens import Unsupported
from meetkit.jitsi.configjs_values import MISSING, UNKNOWN, Stop, truthy


class Evaluator(ExpressionEvaluator):
    """Runs a whole config.js, statement by statement, into its variables (`scope`)."""

    def run(self) -> str | None:
        """Evaluate every statement; return why the script would stop in a browser, or None."""
        while self.peek() is not None:
            try:
                self.statement(active=True)
            except Stop as stop:
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
                        raise Unsupported("unclosed block")
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
        except Unsupported:
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
            condition = truthy(self.expression())
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
                raise Unsupported("destructuring")
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

    def assign(self, path: list[str], value: Any, strict: bool) -> None:
        if len(path) == 1:
            self.scope[path[0]] = value
            return
        parent = self.resolve(path[:-1])
        if isinstance(parent, dict):
            parent[path[-1]] = value
        elif strict and parent is not UNKNOWN:
            raise Stop(f"{'.'.join(path[:-1])} is not an object where {'.'.join(path)} is assigned")
