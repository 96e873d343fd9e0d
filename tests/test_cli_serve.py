"""`meetkit serve` on another port or address without MEETKIT_PUBLIC_URL warns that links point elsewhere."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.meetkit_process import clean_environment, meetkit_command


def serve_output(folder: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Start `meetkit serve ARGS`, wait until it answers, stop it, and return what it printed."""
    log_path = folder / "serve.log"
    port = args[args.index("--port") + 1] if "--port" in args else "8080"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [*meetkit_command(), "serve", *args],
            env=clean_environment(env),
            cwd=folder,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("meetkit serve did not start:\n" + log_path.read_text()) from None
                time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return log_path.read_text()


def warnings_about_public_url(output: str) -> list[str]:
    return [line for line in output.splitlines() if "MEETKIT_PUBLIC_URL" in line]


def test_another_port_without_public_url_warns_in_one_line(tmp_path: Path) -> None:
    port = str(free_port())
    output = serve_output(tmp_path, "--port", port)
    [warning] = warnings_about_public_url(output)
    assert "WARNING" in warning
    assert "http://127.0.0.1:8080" in warning and port in warning
    assert "MEETKIT_PUBLIC_URL=https://" in warning and ".env" in warning  # how to set it
    assert "nicht gesetzt" in warning


def test_the_warning_is_english_under_an_english_locale(tmp_path: Path) -> None:
    port = str(free_port())
    [warning] = warnings_about_public_url(serve_output(tmp_path, "--port", port, env={"LANG": "en_US.UTF-8"}))
    assert "MEETKIT_PUBLIC_URL is not set" in warning and port in warning


@pytest.mark.parametrize("public_url", ["https://treffen.example.org", None])
def test_no_warning_when_the_links_are_right(tmp_path: Path, public_url: str | None) -> None:
    port = str(free_port())
    env = (
        {"MEETKIT_PUBLIC_URL": public_url}
        if public_url
        else {"MEETKIT_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    )
    assert warnings_about_public_url(serve_output(tmp_path, "--port", port, env=env)) == []
