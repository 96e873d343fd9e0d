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
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class WrkResult:
    """Throughput and latency of one wrk run, and the server's CPU time per request."""

    label: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    requests: int
    server_cpu_us_per_request: float = 0.0

    def row(self, baseline: WrkResult | None = None) -> str:
        """Return a Markdown table row, with ratios to `baseline` if given."""
        ratio = f"{self.requests_per_second / baseline.requests_per_second:.2f}" if baseline else "1.00"
        cpu_ratio = (
            f"{baseline.server_cpu_us_per_request / self.server_cpu_us_per_request:.2f}"
            if baseline
            else "1.00"
        )
        return (
            f"| {self.label} | {self.requests_per_second:,.0f} | {self.p50_ms:.2f} | {self.p99_ms:.2f} "
            f"| {ratio} | {self.server_cpu_us_per_request:.0f} | {cpu_ratio} | {self.non_2xx} |"
        )


TABLE_HEADER = (
    "| target | req/s | p50 ms | p99 ms | req/s ratio | server CPU µs/req | CPU ratio (baseline/this) | non-2xx |\n"
    "|---|---|---|---|---|---|---|---|"
)


@dataclass(frozen=True)
class Server:
    """A running server process: where it listens and its pid (for CPU accounting)."""

    url: str
    pid: int

    def cpu_seconds(self) -> float:
        """Return the user+system CPU time the process and its live children have used so far (/proc)."""
        return sum(_cpu_of(pid) for pid in (self.pid, *children_of(self.pid)))

    def rss_mib(self) -> list[float]:
        """Resident memory of the process and of each child (worker processes), in MiB."""
        return [_rss_of(pid) for pid in (self.pid, *children_of(self.pid))]


def _stat_fields(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _cpu_of(pid: int) -> float:
    try:
        fields = _stat_fields(pid)
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_of(pid: int) -> float:
    return int(_stat_fields(pid)[21]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def children_of(pid: int) -> list[int]:
    """Direct child processes of `pid` (meetkit serve --workers forks them)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat_fields(int(entry.name))[1]) == pid:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


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
def server(command: list[str], env: dict[str, str], health_path: str, port: int) -> Iterator[Server]:
    """Run a server process for the duration of the block."""
    process = subprocess.Popen(
        command, env={**os.environ, **env}, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + health_path, process)
        yield Server(url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def bare_server(access_log: bool = False) -> Iterator[Server]:
    """Run bench/bare.py, the baseline (optionally with run_app's default access log)."""
    port = free_port()
    command = [sys.executable, str(ROOT / "bench" / "bare.py"), "--port", str(port)]
    with server(command + (["--access-log"] if access_log else []), {}, "/hello", port) as running:
        yield running


@contextmanager
def meetkit_server(env: dict[str, str], *extra_args: str, module: str = "meetkit") -> Iterator[Server]:
    """Run `meetkit serve` (with its privacy access log on, as in production); `module` may wrap it."""
    port = free_port()
    command = [sys.executable, "-m", module, "serve", "--port", str(port), *extra_args]
    with server(command, env, "/healthz", port) as running:
        yield running


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
    target: Server,
    path: str,
    *,
    connections: int = 64,
    threads: int = 1,
    seconds: int = 10,
    lua: str | None = None,
) -> WrkResult:
    """Run wrk against `target` + `path` and return its figures; `lua` is an optional wrk script's text."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if lua:
            script.write(lua)
            command += ["-s", script.name]
    cpu_before = target.cpu_seconds()
    try:
        output = subprocess.run(
            [*command, target.url + path], capture_output=True, text=True, check=True
        ).stdout
    finally:
        os.unlink(script.name)
    result = parse_wrk(label, output)
    cpu_us = (target.cpu_seconds() - cpu_before) * 1e6 / max(result.requests, 1)
    return replace(result, server_cpu_us_per_request=cpu_us)


def parse_wrk(label: str, output: str) -> WrkResult:
    """Parse wrk's `--latency` report."""

    def ms(name: str) -> float:
        match = re.search(rf"^\s*{name}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            raise ValueError(f"no {name}% latency in wrk output:\n{output}")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if not rps:
        raise ValueError(f"no Requests/sec in wrk output:\n{output}")
    return WrkResult(
        label,
        float(rps.group(1)),
        ms("50"),
        ms("99"),
        int(non_2xx.group(1)) if non_2xx else 0,
        int(total.group(1)) if total else 0,
    )


def temporary_data_dir() -> str:
    """Return a fresh data directory whose SQLite database `meetkit db init` has made (commands never make one)."""
    path = tempfile.mkdtemp(prefix="meetkit-bench-")
    meetkit({"MEETKIT_DATA_DIR": path, "MEETKIT_PUBLIC_URL": "http://127.0.0.1:8080"}, "db", "init")
    return path
