"""Shared benchmark helpers: start servers on loopback, run Debian's wrk, parse its figures."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class WrkResult:
    """Throughput and latency of one wrk run."""

    label: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int

    def row(self, baseline: WrkResult | None = None) -> str:
        """Return a Markdown table row, with the ratio to `baseline` if given."""
        ratio = f"{self.requests_per_second / baseline.requests_per_second:.2f}" if baseline else "1.00"
        return (
            f"| {self.label} | {self.requests_per_second:,.0f} | {self.p50_ms:.2f} | {self.p99_ms:.2f} "
            f"| {ratio} | {self.non_2xx} |"
        )


TABLE_HEADER = "| target | req/s | p50 ms | p99 ms | ratio to baseline | non-2xx |\n|---|---|---|---|---|---|"


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    """Poll `url` until it answers, or fail when the process died or time ran out."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1):  # loopback only
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server behind {url} did not start") from None
            time.sleep(0.1)


@contextmanager
def server(command: list[str], env: dict[str, str], health_path: str, port: int) -> Iterator[str]:
    """Run a server process for the duration of the block; yields its base URL."""
    process = subprocess.Popen(
        command, env={**os.environ, **env}, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + health_path, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def bare_server(access_log: bool = False) -> Iterator[str]:
    """Run bench/bare.py, the baseline (optionally with run_app's default access log)."""
    port = free_port()
    command = [sys.executable, str(ROOT / "bench" / "bare.py"), "--port", str(port)]
    with server(command + (["--access-log"] if access_log else []), {}, "/hello", port) as url:
        yield url


@contextmanager
def meetkit_server(env: dict[str, str]) -> Iterator[str]:
    """Run `meetkit serve` (with its privacy access log on, as in production)."""
    port = free_port()
    command = [sys.executable, "-m", "meetkit", "serve", "--port", str(port)]
    with server(command, env, "/healthz", port) as url:
        yield url


def meetkit(env: dict[str, str], *args: str) -> str:
    """Run a meetkit CLI command and return its stdout."""
    completed = subprocess.run(
        [sys.executable, "-m", "meetkit", *args],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout


def run_wrk(
    label: str,
    url: str,
    *,
    connections: int = 64,
    threads: int = 1,
    seconds: int = 10,
    lua: str | None = None,
) -> WrkResult:
    """Run wrk against `url` and return its figures; `lua` is an optional wrk script's text."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if lua:
            script.write(lua)
            command += ["-s", script.name]
    try:
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(script.name)
    return parse_wrk(label, output)


def parse_wrk(label: str, output: str) -> WrkResult:
    """Parse wrk's `--latency` report."""

    def ms(name: str) -> float:
        match = re.search(rf"^\s*{name}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            raise ValueError(f"no {name}% latency in wrk output:\n{output}")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if not rps:
        raise ValueError(f"no Requests/sec in wrk output:\n{output}")
    return WrkResult(label, float(rps.group(1)), ms("50"), ms("99"), int(non_2xx.group(1)) if non_2xx else 0)


def temporary_data_dir() -> str:
    """Return a fresh directory for a benchmark's database."""
    return tempfile.mkdtemp(prefix="meetkit-bench-")
