"""A throwaway PostgreSQL cluster for the tests: Debian's server binaries, a temporary directory, no systemd."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

UNPRIVILEGED_USER = "postgres"  # Debian's postgresql package creates it; initdb refuses to run as root


def server_bin_dir() -> Path | None:
    """The newest installed PostgreSQL server's bin directory, if any."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


@dataclass
class Cluster:
    """A running cluster: where it lives, how to reach it, and how to stop it."""

    directory: Path
    port: int
    bin_dir: Path
    run_as: list[str]

    def url(self, database: str = "postgres") -> str:
        """A connection URL for `database` as the superuser `meetkit`, over TCP on loopback."""
        return f"postgresql://meetkit@127.0.0.1:{self.port}/{database}"

    def tool(self, name: str) -> str:
        """The path of a server tool (pg_dump, psql ...)."""
        return str(self.bin_dir / name)

    def pause(self) -> None:
        """Stop the server at once (as a crash would), keeping its files."""
        stop = [self.tool("pg_ctl"), "-D", str(self.directory / "data"), "-m", "immediate", "stop"]
        subprocess.run([*self.run_as, *stop], capture_output=True, check=True)

    def resume(self) -> None:
        """Start the server again on the same port."""
        _start_server(self)

    def stop(self) -> None:
        """Stop the server at once and delete its files."""
        subprocess.run(
            [
                *self.run_as,
                self.tool("pg_ctl"),
                "-D",
                str(self.directory / "data"),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.directory, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_cluster() -> Cluster:
    """initdb into a new temporary directory and start the server on a free loopback port."""
    bin_dir = server_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries not found (Debian package: postgresql)")
    directory = Path(tempfile.mkdtemp(prefix="meetkit-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        user = pwd.getpwnam(UNPRIVILEGED_USER)
        os.chown(directory, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", UNPRIVILEGED_USER, "--"]
    port = _free_port()
    data = directory / "data"
    subprocess.run(
        [*run_as, str(bin_dir / "initdb"), "-D", str(data), "-U", "meetkit", "-A", "trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    cluster = Cluster(directory, port, bin_dir, run_as)
    try:
        _start_server(cluster)
    except (RuntimeError, subprocess.CalledProcessError):
        cluster.stop()
        raise
    return cluster


def _start_server(cluster: Cluster) -> None:
    data, port = cluster.directory / "data", cluster.port
    # A throwaway cluster needs no protection against power loss: no fsync, no full-page images. Commits stay
    # synchronous, so a crash of the server (Cluster.pause, test_postgres_outage.py) still loses nothing.
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -k {cluster.directory} -c max_connections=300"
        " -c fsync=off -c full_page_writes=off"
    )
    start = [cluster.tool("pg_ctl"), "-D", str(data), "-l", str(cluster.directory / "log"), "-o", options]
    subprocess.run([*cluster.run_as, *start, "-w", "start"], check=True, capture_output=True)
    ready = [cluster.tool("pg_isready"), "-h", "127.0.0.1", "-p", str(port)]
    deadline = time.monotonic() + 30
    while subprocess.run(ready, capture_output=True).returncode:
        if time.monotonic() > deadline:
            raise RuntimeError("PostgreSQL did not start")
        time.sleep(0.1)
