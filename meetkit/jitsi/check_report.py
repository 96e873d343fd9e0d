"""The outcome of a `meetkit check-jitsi` check (ok, warning, skipped, problem) and what to do about it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

OK = "ok"
WARNING = "warning"
SKIPPED = "skipped"
PROBLEM = "problem"


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of one check: ok, warning, skipped or problem, and what to do about it."""

    name: str
    status: str
    message: str
    fix: str = ""

    def as_json(self) -> dict[str, str]:
        """Return the check as a JSON object."""
        return asdict(self)


def has_problems(checks: list[Check]) -> bool:
    """Whether any check found something that must be fixed."""
    return any(check.status == PROBLEM for check in checks)
