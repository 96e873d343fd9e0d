"""Every action meetkit records in the audit log has a German label and its English translation.

The actions are found in the source: the action argument of every `record_in(...)`/`record(...)` call, a
literal, a conditional of literals, or a variable followed to the literals assigned to it or passed for it.
A new action without a label, or one recorded in a way this test cannot follow, fails the suite.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import meetkit
from meetkit.audit_words import ACTION_LABELS, action_label
from meetkit.rendering import translations

PACKAGE = Path(meetkit.__file__).resolve().parent
RECORDERS = {"record_in", "record"}  # services/audit.py; the action is the third argument of both
ACTION_ARGUMENT = 2
DEFINED_IN = PACKAGE / "services" / "audit.py"
Function = ast.FunctionDef | ast.AsyncFunctionDef


def _name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


class _Module:
    """One source file with each node's enclosing functions, to follow a variable to its values."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tree = ast.parse(path.read_text())
        self.enclosing: dict[ast.AST, list[Function]] = {}
        self._index(self.tree, [])

    def _index(self, node: ast.AST, functions: list[Function]) -> None:
        for child in ast.iter_child_nodes(node):
            self.enclosing[child] = functions
            inner = [*functions, child] if isinstance(child, Function) else functions
            self._index(child, inner)

    def calls(self) -> Iterator[ast.Call]:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                yield node

    def values(self, node: ast.expr, at: ast.AST, seen: frozenset[str] = frozenset()) -> set[str]:
        """The strings `node` (found at `at`) can be; AssertionError when it cannot be followed."""
        where = f"{self.path.relative_to(PACKAGE.parent)}:{getattr(at, 'lineno', '?')}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self.values(node.body, at, seen) | self.values(node.orelse, at, seen)
        assert isinstance(node, ast.Name) and node.id not in seen, f"{where}: action not followed"
        for function in reversed(self.enclosing[at]):  # the innermost first, then the closures around it
            assigned = [
                n.value
                for n in ast.walk(function)
                if isinstance(n, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets)
            ]
            if assigned:
                return set().union(*(self.values(value, at, seen | {node.id}) for value in assigned))
            parameters = [a.arg for a in function.args.args]
            if node.id in parameters:
                return self._passed(function, parameters.index(node.id), node.id, seen | {node.id})
        raise AssertionError(f"{where}: action {node.id!r} not followed")

    def _passed(self, function: Function, position: int, parameter: str, seen: frozenset[str]) -> set[str]:
        """What the callers in this module pass for a function's parameter."""
        found: set[str] = set()
        for call in self.calls():
            if _name(call) != function.name:
                continue
            method = isinstance(call.func, ast.Attribute) and function.args.args[0].arg in ("self", "cls")
            argument = _argument(call, position - 1 if method else position, parameter)
            assert argument is not None, f"{self.path}:{call.lineno}: no {parameter} passed"
            found |= self.values(argument, call, seen)
        assert found, f"{self.path}: {function.name} is never called with a {parameter}"
        return found


def recorded_actions() -> dict[str, str]:
    """Every action the source records, with one place that records it."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == DEFINED_IN:
            continue
        module = _Module(path)
        for call in module.calls():
            if _name(call) not in RECORDERS:
                continue
            action = _argument(call, ACTION_ARGUMENT, "action")
            assert action is not None, f"{path}:{call.lineno}: a record without an action"
            for value in module.values(action, call):
                found.setdefault(value, f"{path.relative_to(PACKAGE.parent)}:{call.lineno}")
    return found


def test_the_scan_finds_literal_and_passed_actions() -> None:
    found = recorded_actions()
    passed_through_variables = {
        "login_failed",
        "second_factor_failed",
        "login_with_recovery_code",
        "login",
        "second_factor_required",
        "second_factor_optional",
    }
    assert passed_through_variables <= set(found)
    assert {"account_created", "loan_created", "group_rotated", "leader_handed_over"} <= set(found)


def test_every_recorded_action_has_a_label_and_an_english_one() -> None:
    found = recorded_actions()
    unlabelled = {action: where for action, where in found.items() if action not in ACTION_LABELS}
    assert unlabelled == {}, "add each to meetkit/audit_words.py and locale/en/audit.po"
    english = translations("en")
    untranslated = sorted(
        label for label in (ACTION_LABELS[a] for a in found) if english.gettext(label) == label
    )
    assert untranslated == []
    labels = list(ACTION_LABELS.values())
    assert len(set(labels)) == len(labels)  # two actions never read the same


def test_an_unknown_action_shows_as_it_is() -> None:
    assert action_label("login") == "Angemeldet"
    assert action_label("report_mailed") == "report_mailed"  # e.g. written by a newer version
