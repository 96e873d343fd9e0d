"""Read the settings out of a served Jitsi `config.js` without running JavaScript."""

# Jitsi's config.js is a script: docker-jitsi-meet generates `var config = {};` followed by statements like
# `if (!config.hasOwnProperty('p2p')) config.p2p = {};` and `config.p2p.enabled = false;`, then appends
# custom-config.js; the Debian package serves one big object literal. The reader (configjs_tokens.py,
# configjs_expressions.py, configjs_statements.py) evaluates the small part of JavaScript such files use
# (declarations, assignments, `if`, literals, `+`, `!`, `&&`, `||`, `?:`, member access and
# `hasOwnProperty`) so that the last assignment wins, as in a browser. Whatever it cannot evaluate becomes
# UNKNOWN instead of a guess; an assignment that would throw in a browser (into an undefined object) stops
# the evaluation there, as it would stop the browser.

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meetkit.jitsi.configjs_statements import Evaluator
from meetkit.jitsi.configjs_tokens import tokenize
from meetkit.jitsi.configjs_values import MISSING, UNKNOWN

__all__ = ["ConfigJs", "lookup", "read_config"]


@dataclass(frozen=True, slots=True)
class ConfigJs:
    """The evaluated `config` object (None if the script declares none) and where evaluation stopped."""

    config: dict[str, Any] | None
    error: str | None = None


def read_config(text: str) -> ConfigJs:
    """Evaluate config.js text and return its `config` object (None when it declares none)."""
    evaluator = Evaluator(tokenize(text))
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
