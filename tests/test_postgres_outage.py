"""PostgreSQL going away while meetkit serves: clear 503 answers, nothing half-written, recovery by itself.
Runs against a cluster of its own (tests/postgres_cluster.py), so stopping it disturbs no other test."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from meetkit.config import load_settings, with_secret
from meetkit.domain.scope import OPERATOR
from meetkit.services import api_tokens, directory
from meetkit.web.app import create_app
from meetkit.web.keys import DATABASE
from tests.conftest import BASE_ENV
from tests.postgres_cluster import Cluster, start_cluster


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    try:
        cluster = start_cluster()
    except (RuntimeError, OSError, subprocess.CalledProcessError) as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL server: {error}")
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE meetkit")
    yield cluster
    cluster.stop()


async def test_requests_fail_with_503_while_postgres_is_away_and_recover_by_themselves(
    aiohttp_client: Any, own_cluster: Cluster, tmp_path: Path
) -> None:
    environment = {**BASE_ENV, "MEETKIT_DATABASE_URL": own_cluster.url("meetkit")}
    settings = with_secret(load_settings(environment, env_file=tmp_path / "no.env"))
    client = await aiohttp_client(create_app(settings))
    db = client.app[DATABASE]
    _, token = await api_tokens.create_api_token(db, OPERATOR, "t", None)
    staff = {"Authorization": f"Bearer {token}"}
    await directory.add_contact_point(db, OPERATOR, "KISS")
    assert (await client.post("/api/v1/groups", json={"name": "Vorher"}, headers=staff)).status == 201

    own_cluster.pause()
    during = await client.post("/api/v1/groups", json={"name": "Während"}, headers=staff)
    assert during.status == 503
    assert "nicht erreichbar" in (await during.json())["error"]
    page = await client.get("/j/abcde-fghjk")
    assert page.status == 503 and "nicht erreichbar" in await page.text()

    own_cluster.resume()
    deadline = time.monotonic() + 15
    while (
        after := await client.post("/api/v1/groups", json={"name": "Danach"}, headers=staff)
    ).status != 201:
        assert after.status == 503 and time.monotonic() < deadline
        await asyncio.sleep(0.2)
    listed = await (await client.get("/api/v1/groups", headers=staff)).json()
    assert sorted(g["name"] for g in listed["groups"]) == ["Danach", "Vorher"]  # nothing of the failed write


def test_an_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    unreachable = {
        **os.environ,
        **BASE_ENV,
        "MEETKIT_DATABASE_URL": "postgresql://meetkit@127.0.0.1:1/meetkit",
    }
    for command in (["group", "list"], ["serve", "--port", "1"]):
        done = subprocess.run(
            [sys.executable, "-m", "meetkit", *command],
            env=unreachable,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode != 0
        assert "Traceback" not in done.stderr, done.stderr
        assert "Datenbank" in done.stderr and "nicht erreichbar" in done.stderr


def test_a_database_url_of_another_kind_is_one_clear_line(tmp_path: Path) -> None:
    wrong = {**os.environ, **BASE_ENV, "MEETKIT_DATABASE_URL": "mysql://meetkit@127.0.0.1/meetkit"}
    done = subprocess.run(
        [sys.executable, "-m", "meetkit", "group", "list"], env=wrong, cwd=tmp_path, capture_output=True,
        text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "MEETKIT_DATABASE_URL" in done.stderr and "postgresql://" in done.stderr
