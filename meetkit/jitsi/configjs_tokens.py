"""Split config.js text into tokens, and step through them while it is evaluated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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
class Token:
    """One token: its kind (str, num, name, op or unknown), its value and its line."""

    kind: str
    value: Any
    line: int


class Unsupported(Exception):
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


def tokenize(text: str) -> list[Token]:
    """The tokens of config.js text, without spaces and comments; strings unescaped, numbers read."""
    tokens: list[Token] = []
    line, pos = 1, 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:  # a character this reader does not know: the statement around it is skipped
            tokens.append(Token("op", text[pos], line))
            pos += 1
            continue
        kind, value = match.lastgroup or "", match.group(0)
        if kind == "str":
            tokens.append(Token("str", _unescape(value[1:-1]), line))
        elif kind == "tmpl":
            body = value[1:-1]
            tokens.append(
                Token("str", _unescape(body), line) if "${" not in body else Token("unknown", 0, line)
            )
        elif kind == "num":
            number = float(int(value, 16)) if value[:2].lower() == "0x" else float(value)
            tokens.append(Token("num", int(number) if number.is_integer() else number, line))
        elif kind in ("name", "op"):
            tokens.append(Token(kind, value, line))
        line += value.count("\n")
        pos = match.end()
    return tokens


class TokenCursor:
    """A position in the tokens, with the look-ahead and skipping the evaluator uses."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self, offset: int = 0) -> Token | None:
        index = self.pos + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def at(self, *values: str) -> bool:
        token = self.peek()
        return token is not None and token.kind in ("op", "name") and token.value in values

    def take(self, value: str | None = None) -> Token:
        token = self.peek()
        if token is None or (
            value is not None and (token.kind not in ("op", "name") or token.value != value)
        ):
            raise Unsupported(f"expected {value!r}")
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
