"""Run the installed `meetkit` command as a newcomer would: a chosen folder, only the environment given."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import CliResult

_OWN_VARIABLES = ("MEETKIT_", "JITSI_", "LANG", "LC_", "LANGUAGE")


def meetkit_command() -> list[str]:
    """The console script beside this Python (what `pip install` puts on PATH), else `python -m meetkit`."""
    script = Path(sys.executable).parent / "meetkit"
    if script.exists():
        return [str(script)]
    found = shutil.which("meetkit")
    return [found] if found else [sys.executable, "-m", "meetkit"]


def clean_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test process's environment without any meetkit, Jitsi or language setting, plus `extra`."""
    kept = {key: value for key, value in os.environ.items() if not key.startswith(_OWN_VARIABLES)}
    return {**kept, **(extra or {})}


def run_meetkit(*args: str, cwd: Path, env: dict[str, str] | None = None) -> CliResult:
    """Run `meetkit ARGS` in `cwd` with a clean environment plus `env`."""
    completed = subprocess.run(
        [*meetkit_command(), *args],
        capture_output=True,
        text=True,
        env=clean_environment(env),
        cwd=cwd,
        timeout=120,
    )
    return CliResult(completed.returncode, completed.stdout, completed.stderr)
