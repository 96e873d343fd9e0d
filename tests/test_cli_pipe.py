"""Output into a pipe whose reader has gone (`meetkit ... | head`) ends quietly: status 141, no traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.meetkit_process import clean_environment, meetkit_command, run_meetkit

BROKEN_PIPE_STATUS = 141


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with a database holding a contact point and a group."""
    assert run_meetkit("db", "init", cwd=tmp_path).returncode == 0
    assert run_meetkit("contact-point", "add", "KISS", cwd=tmp_path).returncode == 0
    assert run_meetkit("group", "add", "Trauercafé", "--contact-point", "kiss", cwd=tmp_path).returncode == 0
    return tmp_path


@pytest.mark.parametrize(
    "command",
    [
        ("group", "list", "--json"),
        ("group", "list"),
        ("contact-point", "list"),
        ("report", "--month", "2026-11", "--json"),
        ("report", "--month", "2026-11"),
    ],
)
def test_a_reader_that_has_gone_gives_no_traceback(folder: Path, command: tuple[str, ...]) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before meetkit writes a byte: every write meets a broken pipe
    try:
        completed = subprocess.run(
            [*meetkit_command(), *command],
            stdout=writer,
            stderr=subprocess.PIPE,
            env=clean_environment(),
            cwd=folder,
            timeout=120,
        )
    finally:
        os.close(writer)
    assert completed.stderr.decode() == ""
    assert completed.returncode == BROKEN_PIPE_STATUS


def test_a_shell_pipeline_whose_reader_stops_reports_141(folder: Path) -> None:
    script = (
        "set -o pipefail; "
        f"{' '.join(meetkit_command())} group list --json | {{ exec 0<&-; sleep 1; }}; "  # reader quits at once
        'echo "status $?"'
    )
    completed = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        env=clean_environment(),
        cwd=folder,
        timeout=120,
    )
    assert completed.stderr == ""
    assert completed.stdout == f"status {BROKEN_PIPE_STATUS}\n"
