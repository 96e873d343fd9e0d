"""Shared fixtures: settings on a temporary data dir, the app under pytest-aiohttp, the CLI as users run it."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings, load_settings, with_secret
from meetkit.domain.scope import OPERATOR
from meetkit.services import api_tokens, directory
from meetkit.storage.database import database_for
from meetkit.web.app import create_app
from meetkit.web.keys import DATABASE
from tests.postgres_cluster import Cluster, start_cluster

JWT_SECRET = "test-jwt-secret-that-is-long-enough-for-hs256"
BASE_ENV = {
    "MEETKIT_PUBLIC_URL": "https://treffen.example.org",
    "JITSI_URL": "https://meet.example.org",
    "JITSI_JWT_APP_ID": "meetkit",
    "JITSI_JWT_SECRET": JWT_SECRET,
    "MEETKIT_DIALIN_NUMBERS": "DE:+49 89 1234567;DE:+49 911 7654321",
    "MEETKIT_PBX_SECRET": "pbx-secret-0123456789abcdef0123456789",
    "MEETKIT_EVENTS_SECRET": "events-secret-0123456789abcdef0123456789",
}


pytest_plugins = ["tests.staff"]  # the staff tests' shared fixtures

BACKENDS = ["sqlite", "postgresql"]


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker for tests that look at SQLite's own files."""
    config.addinivalue_line(
        "markers",
        "sqlite_only: runs on SQLite only (it inspects SQLite files, or its subject is not storage)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the PostgreSQL runs of tests marked sqlite_only."""
    keep, drop = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        on_postgres = params.get("backend") == "postgresql"
        (drop if on_postgres and item.get_closest_marker("sqlite_only") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[Cluster]:
    """One throwaway PostgreSQL cluster for the whole run (see tests/postgres_cluster.py)."""
    try:
        cluster = start_cluster()
    except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
        if os.environ.get("CI"):
            raise  # CI must run every test on PostgreSQL too
        pytest.skip(f"no PostgreSQL server to test against: {error}")
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres_cluster: Cluster) -> str:
    """A migrated database that each test's database is copied from (CREATE DATABASE ... TEMPLATE)."""
    with psycopg.connect(postgres_cluster.url(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE meetkit_template")

    async def migrate() -> None:
        db = database_for(postgres_cluster.url("meetkit_template"))
        await db.open()
        await db.close()

    asyncio.run(migrate())
    return "meetkit_template"


_database_numbers = itertools.count(1)


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test, dropped afterwards."""
    cluster: Cluster = request.getfixturevalue("postgres_cluster")
    template = request.getfixturevalue("postgres_template")
    name = f"test_{os.getpid()}_{next(_database_numbers)}"
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    yield cluster.url(name)
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Which database the test runs on: every test that uses `env` runs on both."""
    return str(request.param)


@pytest.fixture
def env(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> dict[str, str]:
    """Environment variables of a fully configured deployment with a fresh data dir (and database).

    Either database is a copy of one migrated at the start of the run (migrating a new SQLite file takes
    about 100 ms of commits; copying it 2 ms); the secret is made per test (the `settings` fixture).
    """
    data_dir = tmp_path / "data"
    values = {**BASE_ENV, "MEETKIT_DATA_DIR": str(data_dir)}
    if backend == "postgresql":
        values["MEETKIT_DATABASE_URL"] = request.getfixturevalue("postgres_url")
    else:
        template: Path = request.getfixturevalue("initialised_data_dir")
        data_dir.mkdir()
        shutil.copy2(template / "meetkit.db", data_dir / "meetkit.db")
    return values


@pytest.fixture
def settings(env: dict[str, str], tmp_path: Path) -> Settings:
    """Settings of a fully configured deployment."""
    return with_secret(load_settings(env, env_file=tmp_path / "no.env"))


ClientFactory = Callable[..., Awaitable[TestClient[web.Request, web.Application]]]


@pytest.fixture
async def client(
    aiohttp_client: ClientFactory, settings: Settings
) -> TestClient[web.Request, web.Application]:
    """A test client for the app on `settings`."""
    return await aiohttp_client(create_app(settings))


@dataclass
class SeededGroup:
    """A group created through the services, with the secrets a test needs."""

    id: int
    room: str
    member_code: str
    member_path: str
    leader_token: str
    pin: str | None


@pytest.fixture
async def group(client: TestClient[web.Request, web.Application], settings: Settings) -> SeededGroup:
    """A contact point and one group in it."""
    db = client.app[DATABASE]
    await directory.add_contact_point(db, OPERATOR, "KISS Beispielstadt", phone="0911 234567")
    issued = await directory.add_group(db, settings, OPERATOR, "Angehörige Sucht", "kiss-beispielstadt")
    code = issued.group.member_code
    return SeededGroup(
        id=issued.group.id,
        room=issued.group.room,
        member_code=code,
        member_path=f"/j/{code[:5]}-{code[5:]}",
        leader_token=issued.leader_token,
        pin=issued.group.pin,
    )


@pytest.fixture
async def api_token(client: TestClient[web.Request, web.Application]) -> str:
    """A valid staff API token."""
    _, token = await api_tokens.create_api_token(client.app[DATABASE], OPERATOR, "tests", None)
    return token


@dataclass
class CliResult:
    """What a CLI run printed and returned."""

    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """Parse stdout as the one JSON document --json promises."""
        return json.loads(self.stdout)


LANGUAGE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")


@pytest.fixture(scope="session")
def initialised_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir made once by `meetkit db init` (CLI commands never create a database themselves)."""
    folder = tmp_path_factory.mktemp("initialised") / "data"
    subprocess.run(
        [sys.executable, "-m", "meetkit", "db", "init"],
        env={**os.environ, **BASE_ENV, "MEETKIT_DATA_DIR": str(folder)},
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder


@pytest.fixture
def cli(env: dict[str, str], tmp_path: Path, initialised_data_dir: Path) -> Callable[..., CliResult]:
    """Run `meetkit ...` as a user would (German locale), in a subprocess on an initialised data dir."""
    data_dir = Path(env["MEETKIT_DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    for name in ("meetkit.db", "secret.key"):  # what the app or `settings` made already stays
        if not (data_dir / name).exists():
            shutil.copy2(initialised_data_dir / name, data_dir / name)
    inherited = {key: value for key, value in os.environ.items() if key not in LANGUAGE_VARIABLES}

    def run(*args: str, extra_env: dict[str, str] | None = None) -> CliResult:
        process_env = {**inherited, **env, **(extra_env or {})}
        completed = subprocess.run(
            [sys.executable, "-m", "meetkit", *args],
            capture_output=True,
            text=True,
            env=process_env,
            cwd=tmp_path,
            timeout=120,
        )
        return CliResult(completed.returncode, completed.stdout, completed.stderr)

    return run


@dataclass
class RunningServer:
    """A real `meetkit serve` process on a free loopback port."""

    url: str
    log_path: Path
    process: subprocess.Popen[bytes]

    def log(self) -> str:
        """Everything the server has written to stdout/stderr so far."""
        return self.log_path.read_text(errors="replace")


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    env: dict[str, str], directory: Path, *extra_args: str, name: str = "serve"
) -> RunningServer:
    """Start `meetkit serve` as an operator would, on a free loopback port, and wait until it answers."""
    import time
    import urllib.request

    port = free_port()
    log_path = directory / f"{name}.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "meetkit", "serve", "--port", str(port), *extra_args],
            env={**os.environ, **env},
            cwd=directory,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("meetkit serve did not start:\n" + log_path.read_text()) from None
            time.sleep(0.1)
    return RunningServer(url, log_path, process)


def stop_server(server: RunningServer) -> None:
    """Stop a server started by start_server (SIGTERM, then SIGKILL if it hangs)."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@pytest.fixture
def running_server(env: dict[str, str], tmp_path: Path) -> Iterator[RunningServer]:
    """Start `meetkit serve` as an operator would and stop it after the test."""
    server = start_server(env, tmp_path)
    yield server
    stop_server(server)
