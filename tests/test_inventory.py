"""The data inventory describes every table and column of the live schema, on SQLite and PostgreSQL."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain import inventory
from tests import dbtools


async def test_every_table_and_column_of_the_live_schema_is_described(
    client: TestClient[web.Request, web.Application], settings: Settings
) -> None:
    live = dbtools.schema_columns(settings)  # the app migrated the database on start
    assert ("monthly_totals", "participants") in live
    assert inventory.undescribed(live) == []
    described = {(table.name, column.name) for table in inventory.TABLES for column in table.columns}
    assert sorted(described - set(live)) == []  # nothing described that does not exist
    names = [table.name for table in inventory.TABLES]
    assert len(names) == len(set(names))
    personal = {table.name for table in inventory.TABLES if table.personal}
    assert "staff_accounts" in personal and "lookup_failures" in personal
    assert not personal & {"meeting_sessions", "monthly_totals", "support_groups", "room_states"}
